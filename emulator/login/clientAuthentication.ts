import { constants, createHash, verify, X509Certificate } from "node:crypto";
import { hashSecret } from "../common/hashSecret";
import type { EmuRequest } from "../common/types";
import type { AppWithHome } from "./directoryLookup";
import { JWT_BEARER, loginErrors } from "./loginErrors";

/** Form fields of a token request that authenticate the client. */
export interface ClientCredentialsForm {
  client_secret?: string;
  client_assertion?: string;
  client_assertion_type?: string;
}

/** The two URL-encoded parts of an HTTP Basic `Authorization` header: client id, and secret after a colon. */
function basicParts(req: EmuRequest): { id: string; secret?: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? { id: decoded } : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** The client id of an HTTP Basic `Authorization` header (the whole value when it has no colon). */
export function basicClientId(req: EmuRequest): string | undefined {
  const parts = basicParts(req);
  return parts && decodeURIComponent(parts.id);
}

function basicSecret(req: EmuRequest, clientId: string): string | undefined {
  const parts = basicParts(req);
  if (parts?.secret === undefined) return undefined;
  return decodeURIComponent(parts.id).toLowerCase() === clientId.toLowerCase()
    ? decodeURIComponent(parts.secret)
    : undefined;
}

/**
 * Authenticates the client of a token request against its application registration: a client
 * secret (form field or HTTP Basic) or a certificate-signed client assertion (RS256/PS256 JWT
 * whose `x5t`/`x5t#S256` names one of the app's `keyCredentials`). Public clients
 * (`isFallbackPublicClient`) may send neither when `allowPublic` is set (code and refresh grants).
 * Throws the AADSTS error of a client that does not authenticate.
 */
export function authenticateClient(
  req: EmuRequest,
  form: ClientCredentialsForm,
  found: AppWithHome,
  now: Date,
  allowPublic: boolean,
): void {
  const { app } = found;
  const secret = form.client_secret ?? basicSecret(req, app.appId);
  if (secret !== undefined) {
    const hash = hashSecret(secret);
    const match = app.passwordCredentials.find((c) => c.secretHash === hash);
    if (!match) throw loginErrors.invalidSecret(app.appId);
    if (Date.parse(match.endDateTime) <= now.getTime()) throw loginErrors.secretExpired(app.appId);
    return;
  }
  if (form.client_assertion !== undefined) {
    if (form.client_assertion_type !== JWT_BEARER) throw loginErrors.assertionTypeInvalid();
    verifyAssertion(form.client_assertion, found, now);
    return;
  }
  if (allowPublic && app.properties.isFallbackPublicClient === true) return;
  throw loginErrors.noClientCredential();
}

interface KeyCredentialLike {
  key?: unknown;
  endDateTime?: unknown;
}

function verifyAssertion(assertion: string, found: AppWithHome, now: Date): void {
  const parts = assertion.split(".");
  const notAJwt = () => loginErrors.assertionSignatureInvalid("The assertion is not a JWT.");
  if (parts.length !== 3) throw notAJwt();
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch {
    throw notAJwt();
  }
  const alg = header.alg;
  if (alg !== "RS256" && alg !== "PS256") {
    throw loginErrors.assertionSignatureInvalid(`Unsupported algorithm ${String(alg)}.`);
  }
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
  if (!verified) throw loginErrors.assertionSignatureInvalid("The key was not found.");
  // Entra wants the token endpoint (or the tenant's issuer) as audience; any host, since clients
  // may address the emulator by several names.
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const audienceOk = audiences.some(
    (a) =>
      typeof a === "string" && /\/oauth2\/(v2\.0\/)?token$|\/v2\.0$|^https:\/\/sts\.windows\.net\//.test(a),
  );
  if (claims.iss !== found.app.appId || claims.sub !== found.app.appId || !audienceOk) {
    throw loginErrors.assertionAudienceInvalid();
  }
  const nowSeconds = now.getTime() / 1000;
  if (typeof claims.exp !== "number" || claims.exp + 300 < nowSeconds) throw loginErrors.assertionExpired();
}
