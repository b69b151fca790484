import { X509Certificate } from "node:crypto";
import { ConfidentialClientApplication, type Configuration, LogLevel } from "@azure/msal-node";
import type { Dispatcher } from "undici";
import { accountVariableNames, missingAccountSettings } from "../config";
import type { AccountCredentials, CspConfig } from "../configTypes";
import { CspError, isCspError } from "../errors";
import { retryAfterMs } from "../http/retryAfter";
import { sleep } from "../http/sleep";
import type { TraceSink } from "../http/traceSink";
import { mapAuthError } from "./mapAuthError";
import { createMsalNetworkClient } from "./msalNetworkClient";
import { scopeFor } from "./scopes";
import { type AccessToken, createTokenCache } from "./tokenCache";
import type { GetTokenOptions, TokenProvider, TokenRequest } from "./tokenProvider";

export interface MsalTokenProviderOptions {
  /** Endpoints and cloud (scopes differ per cloud). */
  config: Pick<CspConfig, "cloud" | "endpoints">;
  /** Credentials of one partner account (validated here: missing pieces become CSP_CONFIG errors naming the variables). */
  account: AccountCredentials;
  /** Network seam shared with the API calls. */
  dispatcher: Dispatcher;
  trace?: TraceSink;
  /** Refresh this long before expiry (default 5 minutes). */
  refreshMarginMs?: number;
  now?: () => number;
}

/**
 * Authority hosts msal knows without any discovery call: the metadata hard-coded in msal-common
 * (`lib/msal-common/src/authority/AuthorityMetadata.ts`; SDK behaviour, no Learn page states it).
 */
const MSAL_KNOWN_HOSTS = new Set([
  "login.microsoftonline.com",
  "login.chinacloudapi.cn",
  "login.microsoftonline.us",
  "login.partner.microsoftonline.cn",
]);

/**
 * Token provider for one partner account, built on msal-node:
 * - `app`: client credentials (secret or certificate) in any tenant: the partner tenant, or a
 *   customer tenant after the partner app was consented there;
 * - `user`: app+user through the Secure Application Model: the stored refresh token is redeemed
 *   with `acquireTokenByRefreshToken({ forceCache: true })` (without `forceCache` msal caches
 *   nothing). Entra rotates refresh tokens on use; the newest one is read back from msal's
 *   in-memory cache and kept in memory only (never written to disk or state). Redemptions of one
 *   account are serialised so each uses the newest refresh token.
 *
 * Tokens are cached per (mode, tenant, scope) with single-flight refresh ahead of expiry.
 * msal's network goes through `dispatcher`; for hosts msal does not know (the emulator, a
 * sovereign endpoint override) the authority metadata is given inline, so msal makes exactly one
 * request per token: the token POST. msal's own logging is off: it would see tokens.
 */
export function createMsalTokenProvider(options: MsalTokenProviderOptions): TokenProvider {
  const { account, config } = options;
  const apps = new Map<string, ConfidentialClientApplication>();
  let refreshToken = account.refreshToken;
  let userChain: Promise<unknown> = Promise.resolve();
  /** What msal does not keep from a failed token POST, by msal correlation id: HTTP status or transport error. */
  const failures = new Map<string, { status?: number; networkError?: string; networkUrl?: string }>();

  const network = createMsalNetworkClient({
    dispatcher: options.dispatcher,
    account: account.name,
    ...(options.trace ? { trace: options.trace } : {}),
  });
  const networkClient = {
    sendGetRequestAsync: network.sendGetRequestAsync.bind(network),
    /**
     * Token POSTs ride through throttling (429), server errors (5xx but 501/505) and dropped or
     * timed-out connections like any other call: up to {@link TOKEN_ATTEMPTS} attempts, waiting what
     * Retry-After asks (capped) or a short backoff. msal only sees the last answer, so its own
     * throttling cache (which would answer identical requests without a call, for Retry-After or
     * 60 s, and without an HTTP status) is not fed by a passing fault; when the endpoint stays
     * unavailable, `acquire` clears that cache so the next operation asks the endpoint again.
     * Token requests are safe to repeat: client credentials create nothing, and a refresh token
     * stays valid until it is redeemed with an answer.
     */
    async sendPostRequestAsync<T>(url: string, req?: Parameters<typeof network.sendPostRequestAsync>[1]) {
      const id = req?.correlationId;
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await network.sendPostRequestAsync<T>(url, req);
          const transient =
            res.status === 429 || (res.status >= 500 && res.status !== 501 && res.status !== 505);
          if (transient && attempt < TOKEN_ATTEMPTS) {
            await sleep(tokenRetryDelay(attempt, retryAfterMs(res.headers)));
            continue;
          }
          if (id && (res.status < 200 || res.status >= 300)) failures.set(id, { status: res.status });
          return res;
        } catch (e) {
          const code = e instanceof Error ? errorCodeOf(e) : undefined;
          const timedOut = e instanceof Error && e.name === "TimeoutError";
          if (
            attempt < TOKEN_ATTEMPTS &&
            (timedOut || (code !== undefined && TRANSIENT_NETWORK_CODES.has(code)))
          ) {
            await sleep(tokenRetryDelay(attempt, undefined));
            continue;
          }
          if (id) {
            failures.set(id, {
              networkError: e instanceof Error ? (code ?? e.message) : String(e),
              networkUrl: url,
            });
          }
          throw e;
        }
      }
    },
  };

  function app(tenantId: string): ConfidentialClientApplication {
    let a = apps.get(tenantId);
    if (!a) {
      a = new ConfidentialClientApplication(
        msalConfiguration(config.endpoints.login, tenantId, account, networkClient),
      );
      apps.set(tenantId, a);
    }
    return a;
  }

  async function acquire(key: string): Promise<AccessToken> {
    const [mode, tenantId, scope] = key.split("|") as ["app" | "user", string, string];
    const context = { account: account.name, tenantId, mode, scope };
    if (!account.tenantId || !account.clientId || (!account.clientSecret && !account.clientCertificatePem)) {
      throw missingCredentials(account);
    }
    try {
      if (mode === "app") {
        // skipCache: our cache decides when to refresh; msal's would hand back the same token.
        const result = await app(tenantId).acquireTokenByClientCredential({
          scopes: [scope],
          skipCache: true,
        });
        return toAccessToken(result, context);
      }
      const run = userChain.then(() => redeemRefreshToken(tenantId, scope, context));
      userChain = run.catch(() => undefined);
      return await run;
    } catch (e) {
      if (isCspError(e)) throw e;
      const id = (e as { correlationId?: string } | null)?.correlationId;
      const failure = id ? failures.get(id) : undefined;
      if (id) failures.delete(id);
      const mapped = mapAuthError(e, { ...context, ...failure });
      // The endpoint is unavailable, not the credentials wrong: forget msal's throttling entry, so
      // the next attempt (the API retry loop's, or the next run's) reaches the endpoint.
      if (mapped.code === "CSP_NETWORK") await app(tenantId).clearCache();
      throw mapped;
    }
  }

  async function redeemRefreshToken(
    tenantId: string,
    scope: string,
    context: Parameters<typeof toAccessToken>[1],
  ): Promise<AccessToken> {
    if (!refreshToken) throw missingRefreshToken(account.name);
    const a = app(tenantId);
    const result = await a.acquireTokenByRefreshToken({ scopes: [scope], refreshToken, forceCache: true });
    const token = toAccessToken(result, context);
    const rotated = readRefreshToken(a, account.clientId);
    if (rotated) refreshToken = rotated;
    // Our cache keeps the access tokens; msal's copy only existed to hand us the rotated refresh token.
    await a.clearCache();
    return token;
  }

  const cache = createTokenCache({
    acquire,
    ...(options.refreshMarginMs !== undefined ? { refreshMarginMs: options.refreshMarginMs } : {}),
    ...(options.now ? { now: options.now } : {}),
  });

  return {
    getToken(request: TokenRequest, opts: GetTokenOptions = {}): Promise<string> {
      const tenantId = request.tenantId ?? account.tenantId;
      const scope = scopeFor(config.cloud, request.service, request.mode);
      return cache.get(`${request.mode}|${tenantId}|${scope}`, opts);
    },
  };
}

/** msal configuration for one tenant's authority. Exported for tests. */
export function msalConfiguration(
  login: string,
  tenantId: string,
  account: AccountCredentials,
  networkClient: NonNullable<Configuration["system"]>["networkClient"],
): Configuration {
  const loginUrl = new URL(login);
  if (loginUrl.protocol !== "https:") {
    throw new CspError({
      code: "CSP_CONFIG",
      service: "config",
      summary: `the login endpoint ${loginUrl.origin} is not https (msal refuses insecure authorities)`,
      hint: "set CSP_LOGIN_URL to an https:// URL",
    });
  }
  const authorityBase = `${login.replace(/\/+$/, "")}/${tenantId}`;
  const auth: Configuration["auth"] = { clientId: account.clientId, authority: authorityBase };
  if (account.clientCertificatePem) {
    auth.clientCertificate = certificateCredential(account.clientCertificatePem, account.name);
  } else if (account.clientSecret) {
    auth.clientSecret = account.clientSecret;
  }
  if (!MSAL_KNOWN_HOSTS.has(loginUrl.host)) {
    // Without these msal would call the public instance-discovery endpoint and the tenant's
    // openid-configuration (msal-common `authority/Authority.ts`, SDK behaviour); with them it
    // makes only the token POST.
    auth.knownAuthorities = [loginUrl.host];
    auth.authorityMetadata = JSON.stringify({
      token_endpoint: `${authorityBase}/oauth2/v2.0/token`,
      authorization_endpoint: `${authorityBase}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${authorityBase}/oauth2/v2.0/logout`,
      jwks_uri: `${authorityBase}/discovery/v2.0/keys`,
      issuer: `${authorityBase}/v2.0`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
    });
  }
  return {
    auth,
    system: {
      ...(networkClient ? { networkClient } : {}),
      loggerOptions: { piiLoggingEnabled: false, logLevel: LogLevel.Error, loggerCallback: () => undefined },
    },
  };
}

/** msal's certificate credential from a PEM holding the private key and the certificate. */
function certificateCredential(pem: string, accountName: string) {
  const key = pem.match(
    /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/,
  )?.[0];
  const certs = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (!key || certs.length === 0) {
    throw new CspError({
      code: "CSP_CONFIG",
      service: "config",
      summary: `the client certificate file of account "${accountName}" must hold an unencrypted private key and its certificate (PEM)`,
      hint: "point CSP_CLIENT_CERTIFICATE_PATH at a PEM with both blocks",
    });
  }
  const thumbprintSha256 = new X509Certificate(certs[0]!).fingerprint256.replace(/:/g, "");
  return { thumbprintSha256, privateKey: key, x5c: certs.join("\n") };
}

function toAccessToken(
  result: { accessToken: string; expiresOn: Date | null } | null,
  context: { account: string; tenantId: string; mode: string; scope: string },
): AccessToken {
  if (!result?.accessToken) {
    throw new CspError({
      code: "CSP_AUTH_ERROR",
      service: "identity",
      summary: `no access token returned for ${context.scope} in tenant ${context.tenantId}`,
      hint: "check the account's credentials",
    });
  }
  // Without an expiry, assume the documented default lifetime is not known: cache briefly.
  const expiresOnMs = result.expiresOn ? result.expiresOn.getTime() : Date.now() + 10 * 60_000;
  return { token: result.accessToken, expiresOnMs };
}

/** The refresh token msal received, read from its token cache (msal does not return it). */
export function readRefreshToken(app: ConfidentialClientApplication, clientId: string): string | undefined {
  const serialized = JSON.parse(app.getTokenCache().serialize()) as {
    RefreshToken?: Record<string, { client_id?: string; secret?: string }>;
  };
  for (const entry of Object.values(serialized.RefreshToken ?? {})) {
    if (entry.secret && (!entry.client_id || entry.client_id === clientId)) return entry.secret;
  }
  return undefined;
}

function missingCredentials(account: AccountCredentials): CspError {
  const missing = missingAccountSettings(account, "app");
  return new CspError({
    code: "CSP_CONFIG",
    service: "config",
    summary: `partner account "${account.name}" lacks credentials to get tokens`,
    hint: `set ${missing.join("; ")}`,
  });
}

function missingRefreshToken(accountName: string): CspError {
  const vars = accountVariableNames(accountName);
  const v = `${vars.refreshToken} or ${vars.refreshTokenFile}`;
  return new CspError({
    code: "CSP_CONFIG",
    service: "config",
    summary: `partner account "${accountName}" has no refresh token for app+user calls`,
    hint: `run \`pulumi-csp login\` and set ${v}`,
  });
}

/** Attempts of one token POST before msal gets the answer. */
const TOKEN_ATTEMPTS = 4;
/** The longest a token POST waits before its next attempt, whatever Retry-After asks. */
const TOKEN_RETRY_CAP_MS = 30_000;
/** Transport failures worth another attempt (a refused connection is not: nothing listens). */
const TRANSIENT_NETWORK_CODES = new Set([
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);

function tokenRetryDelay(attempt: number, askedMs: number | undefined): number {
  if (askedMs !== undefined) return Math.min(askedMs, TOKEN_RETRY_CAP_MS);
  return Math.min(500 * 2 ** (attempt - 1), TOKEN_RETRY_CAP_MS);
}

function errorCodeOf(e: Error): string | undefined {
  const code = (e as { code?: unknown }).code;
  const cause = (e as { cause?: { code?: unknown } }).cause;
  if (typeof cause?.code === "string") return cause.code;
  return typeof code === "string" ? code : undefined;
}
