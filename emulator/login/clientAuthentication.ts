import { constants, createHash, verify, X509Certificate } from "node:crypto";
import { hashSecret } from "../common/hashSecret";
import type { EmuRequest, EmuResponse } from "../common/types";
import { aadError } from "./aadError";
import type { AppWithHome } from "./directoryLookup";

/** Form fields of a token request that authenticate the client. */
export interface ClientCredentialsForm {
  client_secret?: string;
  client_assertion?: string;
  client_assertion_type?: string;
}

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** Outcome of authenticating the client of a token request: `undefined` = authenticated. */
export type ClientAuthFailure = EmuResponse | undefined;

function basicSecret(req: EmuRequest, clientId: string): string | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  const id = decodeURIComponent(decoded.slice(0, colon));
  return id.toLowerCase() === clientId.toLowerCase()
    ? decodeURIComponent(decoded.slice(colon + 1))
    : undefined;
}

/**
 * Authenticates the client of a token request against its application registration: a client
 * secret (form field or HTTP Basic) or a certificate-signed client assertion (RS256/PS256 JWT
 * whose `x5t`/`x5t#S256` names one of the app's `keyCredentials`). Public clients
 * (`isFallbackPublicClient`) may send neither when `allowPublic` is set (code and refresh grants).
 */
export function authenticateClient(
  req: EmuRequest,
  form: ClientCredentialsForm,
  found: AppWithHome,
  now: Date,
  allowPublic: boolean,
): ClientAuthFailure {
  const { app } = found;
  const secret = form.client_secret ?? basicSecret(req, app.appId);
  if (secret !== undefined) {
    const hash = hashSecret(secret);
    const match = app.passwordCredentials.find((c) => c.secretHash === hash);
    if (!match) {
      return aadError(
        req,
        now,
        "invalid_client",
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.appId}'.`,
      );
    }
    if (Date.parse(match.endDateTime) <= now.getTime()) {
      return aadError(
        req,
        now,
        "invalid_client",
        7000222,
        `The provided client secret keys for app '${app.appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
      );
    }
    return undefined;
  }
  if (form.client_assertion !== undefined) {
    if (form.client_assertion_type !== JWT_BEARER) {
      return aadError(
        req,
        now,
        "invalid_request",
        50027,
        `JWT token is invalid or malformed: client_assertion_type must be '${JWT_BEARER}'.`,
      );
    }
    return verifyAssertion(req, form.client_assertion, found, now);
  }
  if (allowPublic && app.properties.isFallbackPublicClient === true) return undefined;
  return aadError(
    req,
    now,
    "invalid_client",
    7000218,
    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  );
}

interface KeyCredentialLike {
  key?: unknown;
  endDateTime?: unknown;
}

function verifyAssertion(
  req: EmuRequest,
  assertion: string,
  found: AppWithHome,
  now: Date,
): ClientAuthFailure {
  const invalid = (code: number, reason: string) =>
    aadError(
      req,
      now,
      "invalid_client",
      code,
      `Client assertion failed signature validation. [Reason - ${reason}]`,
    );
  const parts = assertion.split(".");
  if (parts.length !== 3) return invalid(700027, "The assertion is not a JWT.");
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch {
    return invalid(700027, "The assertion is not a JWT.");
  }
  const alg = header.alg;
  if (alg !== "RS256" && alg !== "PS256") return invalid(700027, `Unsupported algorithm ${String(alg)}.`);
  const credentials = Array.isArray(found.app.properties.keyCredentials)
    ? (found.app.properties.keyCredentials as KeyCredentialLike[])
    : [];
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2], "base64url");
  let verified = false;
  for (const cred of credentials) {
    if (typeof cred.key !== "string") continue;
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(Buffer.from(cred.key, "base64"));
    } catch {
      continue;
    }
    const x5t = createHash("sha1").update(cert.raw).digest("base64url");
    const x5t256 = createHash("sha256").update(cert.raw).digest("base64url");
    if (header.x5t !== undefined && header.x5t !== x5t) continue;
    if (header["x5t#S256"] !== undefined && header["x5t#S256"] !== x5t256) continue;
    const key =
      alg === "PS256"
        ? { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
        : cert.publicKey;
    if (verify("RSA-SHA256", signed, key, signature)) {
      verified = true;
      break;
    }
  }
  if (!verified) return invalid(700027, "The key was not found.");
  // Entra wants the token endpoint (or the tenant's issuer) as audience; any host, since clients
  // may address the emulator by several names.
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const audienceOk = audiences.some(
    (a) =>
      typeof a === "string" && /\/oauth2\/(v2\.0\/)?token$|\/v2\.0$|^https:\/\/sts\.windows\.net\//.test(a),
  );
  if (claims.iss !== found.app.appId || claims.sub !== found.app.appId || !audienceOk) {
    return aadError(
      req,
      now,
      "invalid_client",
      700023,
      "Client assertion audience or issuer claim does not match.",
    );
  }
  const nowSeconds = now.getTime() / 1000;
  if (typeof claims.exp !== "number" || claims.exp + 300 < nowSeconds) {
    return aadError(
      req,
      now,
      "invalid_client",
      700024,
      "Client assertion is not within its valid time range.",
    );
  }
  return undefined;
}
