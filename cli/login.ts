import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import {
  type AuthenticationResult,
  ConfidentialClientApplication,
  CryptoProvider,
  ResponseMode,
} from "@azure/msal-node";
import { mapAuthError } from "../provider/auth/mapAuthError";
import { createMsalNetworkClient } from "../provider/auth/msalNetworkClient";
import { msalConfiguration, readRefreshToken } from "../provider/auth/msalTokenProvider";
import { scopeFor } from "../provider/auth/scopes";
import { sharedDispatcher } from "../provider/clients/createCspApi";
import { accountVariableNames } from "../provider/config";
import type { AccountCredentials } from "../provider/configTypes";
import { CspError, isCspError } from "../provider/errors";
import { adminConsentUrl } from "./adminConsentUrl";
import type { CliIo } from "./cliIo";
import { decodeJwtClaims, hasMfa, userName } from "./jwtClaims";
import { loadCliConfig } from "./loadCliConfig";
import { type LoopbackListener, startLoopbackListener } from "./loopbackListener";
import { booleanFlag, parseCommandArgs, secondsFlag, stringFlag } from "./parseCommandArgs";
import { redactSecrets } from "./redactSecrets";
import { type StoredRefreshToken, stackKey, storeRefreshToken, tokenVariable } from "./refreshTokenStore";
import { UsageError } from "./usageError";

export const LOGIN_USAGE = `usage: pulumi-csp login [--account NAME] [--tenant ID] [--client-id ID] [--consent]
                        [--no-browser] [--paste] [--login-hint UPN] [--timeout SECONDS]
                        [--out FILE] [--stack NAME] [--no-stack]

Signs an admin agent of the partner tenant in to the partner's multi-tenant app (Secure
Application Model: authorization code + PKCE, MFA required) and stores the refresh token where
the provider reads it.

  --account NAME      partner account (default "default"; named accounts use CSP_ACCOUNT_<NAME>_*)
  --tenant ID         partner tenant id (default: CSP_TENANT_ID / csp:tenantId)
  --client-id ID      partner app client id (default: CSP_CLIENT_ID / csp:clientId); its secret or
                      certificate comes from CSP_CLIENT_SECRET / CSP_CLIENT_CERTIFICATE_PATH or
                      the stack config, never from the command line
  --consent           first grant the app admin consent in the partner tenant (first onboarding)
  --no-browser        do not open a browser; print the URL to open
  --paste             also accept the redirected URL pasted on stdin (browser on another machine:
                      copy the address of the page that fails to load, paste it, press Enter)
  --login-hint UPN    pre-fill the account to sign in with
  --timeout SECONDS   how long to wait for the sign-in (default 300)
  --out FILE          store the refresh token in FILE (mode 0600) instead of the stack config
  --stack NAME        stack whose config receives csp:refreshToken (default: the selected stack)
  --no-stack          ignore Pulumi stack config (environment variables only; token goes to a file)

The redirect URI is http://localhost:<random port>/: register http://localhost as a Web redirect
URI of the app. Where the token goes: with the pulumi CLI on PATH inside a Pulumi project, the
secret stack config value csp:refreshToken (csp:accounts.<name>.refreshToken for a named
account); otherwise ~/.config/pulumi-csp/<account>.refresh-token (mode 0600), to be named by
CSP_REFRESH_TOKEN_FILE. The token is never printed.`;

const LOGIN_OPTIONS = {
  account: { type: "string" },
  tenant: { type: "string" },
  "client-id": { type: "string" },
  consent: { type: "boolean" },
  "no-browser": { type: "boolean" },
  paste: { type: "boolean" },
  "login-hint": { type: "string" },
  timeout: { type: "string" },
  out: { type: "string" },
  stack: { type: "string" },
  "no-stack": { type: "boolean" },
} as const;

/**
 * Refresh tokens expire after 90 days without use ("Refresh tokens in the Microsoft identity
 * platform", https://learn.microsoft.com/entra/identity-platform/refresh-tokens: default lifetime
 * 90 days, renewed on each use).
 */
const REFRESH_TOKEN_INACTIVITY_DAYS = 90;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A failure of the login flow that the user can act on: printed without a stack trace, exit 1. */
class LoginFailure extends Error {}

/** `pulumi-csp login`: see {@link LOGIN_USAGE}. Returns the exit code. */
export async function runLogin(args: string[], io: CliIo): Promise<number> {
  const { values, help } = parseCommandArgs("login", args, LOGIN_OPTIONS);
  if (help) {
    io.out(`${LOGIN_USAGE}\n`);
    return 0;
  }
  const accountName = (stringFlag(values, "account") ?? "default").toLowerCase();
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(accountName)) {
    throw new UsageError(`--account must be a simple name like "eu" (got "${accountName}")`, "login");
  }
  const timeoutMs = secondsFlag("login", values, "timeout", 300) * 1000;
  const stack = stringFlag(values, "stack");
  const out = stringFlag(values, "out");
  const secrets: string[] = [];
  const say = (text: string) => io.err(`${redactSecrets(text, secrets)}\n`);

  let listener: LoopbackListener | undefined;
  const abort = new AbortController();
  const timer = setTimeout(
    () => abort.abort(new LoginFailure(`no answer from the browser within ${timeoutMs / 1000} s`)),
    timeoutMs,
  );
  try {
    const { config } = await loadCliConfig(io, {
      useStack: !booleanFlag(values, "no-stack"),
      ...(stack ? { stack } : {}),
    });
    const configured = config.accounts[accountName];
    const account: AccountCredentials = {
      ...(configured ?? { name: accountName, tenantId: "", clientId: "" }),
    };
    const tenantFlag = stringFlag(values, "tenant");
    const clientFlag = stringFlag(values, "client-id");
    if (tenantFlag) account.tenantId = tenantFlag;
    if (clientFlag) account.clientId = clientFlag;
    secrets.push(account.clientSecret ?? "", account.refreshToken ?? "");
    requireAppCredentials(account);

    listener = await startLoopbackListener();
    const redirectUri = listener.redirectUri;
    const login = config.endpoints.login;

    if (booleanFlag(values, "consent")) {
      const state = randomState();
      const url = adminConsentUrl({
        login,
        tenant: account.tenantId,
        clientId: account.clientId,
        redirectUri,
        state,
      });
      say(
        `Step 1 of 2: a Global Administrator of the partner tenant ${account.tenantId} grants the app ${account.clientId} admin consent.`,
      );
      const answer = await waitForRedirect(io, values, listener, url, state, abort.signal, say);
      if (answer.get("error")) throw redirectError(answer, "admin consent");
      if (answer.get("admin_consent")?.toLowerCase() !== "true") {
        throw new LoginFailure(
          "the admin-consent redirect did not confirm the consent (no admin_consent=True)",
        );
      }
      say(`Admin consent granted in tenant ${answer.get("tenant") ?? account.tenantId}.`);
    }

    const dispatcher = sharedDispatcher(config);
    const networkClient = createMsalNetworkClient({ dispatcher, account: accountName });
    const app = new ConfidentialClientApplication(
      msalConfiguration(login, account.tenantId, account, networkClient),
    );
    // Partner Center delegated scope ("Enable secure application model",
    // https://learn.microsoft.com/partner-center/developer/enable-secure-app-model); msal adds
    // openid, profile and offline_access.
    const scope = scopeFor(config.cloud, "partnerCenter", "user");
    const scopes = [scope, "offline_access", "openid", "profile"];
    const pkce = await new CryptoProvider().generatePkceCodes();
    const state = randomState();
    const loginHint = stringFlag(values, "login-hint");
    const authorizeUrl = await app.getAuthCodeUrl({
      scopes,
      redirectUri,
      responseMode: ResponseMode.QUERY,
      codeChallenge: pkce.challenge,
      codeChallengeMethod: "S256",
      state,
      // msal drops a login hint with prompt=select_account (Entra rejects the combination).
      ...(loginHint ? { loginHint } : { prompt: "select_account" }),
    });
    say(
      `${booleanFlag(values, "consent") ? "Step 2 of 2: s" : "S"}ign in as an admin agent of the partner tenant ${account.tenantId} (multi-factor authentication required).`,
    );
    const answer = await waitForRedirect(io, values, listener, authorizeUrl, state, abort.signal, say);
    if (answer.get("error")) {
      const failure = redirectError(answer, "sign-in");
      if (/consent|AADSTS65001/i.test(`${answer.get("error")} ${answer.get("error_description") ?? ""}`)) {
        const consentUrl = adminConsentUrl({
          login,
          tenant: account.tenantId,
          clientId: account.clientId,
          redirectUri: "http://localhost",
          state: randomState(),
        });
        throw new LoginFailure(
          `${failure.message}\nThe app is not consented in the partner tenant yet: run \`pulumi-csp login --consent\`, or have a Global Administrator open ${consentUrl}`,
        );
      }
      throw failure;
    }
    const code = answer.get("code");
    if (!code) throw new LoginFailure("the redirect carried neither a code nor an error");

    let result: AuthenticationResult;
    try {
      result = await app.acquireTokenByCode({ code, scopes, redirectUri, codeVerifier: pkce.verifier });
    } catch (e) {
      throw mapAuthError(e, { account: accountName, tenantId: account.tenantId, mode: "user", scope });
    }
    secrets.push(result.accessToken, result.idToken);
    const refreshToken = readRefreshToken(app, account.clientId);
    if (refreshToken) secrets.push(refreshToken);

    const claims = decodeJwtClaims(result.accessToken);
    const idClaims = result.idTokenClaims as Parameters<typeof hasMfa>[0];
    const who = userName(claims, idClaims) ?? result.account?.username ?? "the signed-in user";
    // Partner Center requires MFA for app+user calls (enforced from 2026-04-01: "Partner Center
    // authentication",
    // https://learn.microsoft.com/partner-center/developer/partner-center-authentication); the
    // access token's `amr` claim lists the methods of the sign-in ([U] which token carries it: the
    // v1 Partner Center access token does; the v2 id token usually does not, so both are checked).
    if (!hasMfa(claims, idClaims)) {
      io.err(
        `${redactSecrets(
          `pulumi-csp login: the sign-in of ${who} did not use multi-factor authentication (no "mfa" in the token's amr claim: ${JSON.stringify(claims?.amr ?? [])}).\nPartner Center rejects app+user calls without MFA, so nothing was stored.\nWhat to do: enable MFA for this admin agent (security defaults or a Conditional Access policy requiring MFA) and run \`pulumi-csp login\` again.`,
          secrets,
        )}\n`,
      );
      return 1;
    }
    if (!refreshToken) {
      throw new LoginFailure(
        "the token response carried no refresh token (was offline_access granted?): nothing was stored",
      );
    }
    if (
      claims?.tid &&
      GUID.test(account.tenantId) &&
      claims.tid.toLowerCase() !== account.tenantId.toLowerCase()
    ) {
      say(
        `Warning: the token was issued by tenant ${claims.tid}, not the partner tenant ${account.tenantId}: sign in with an account of the partner tenant.`,
      );
    }

    const stored = await storeRefreshToken({
      io,
      account: accountName,
      refreshToken,
      ...(out !== undefined ? { out } : {}),
      ...(stack ? { stack } : {}),
      useStack: !booleanFlag(values, "no-stack"),
    });
    io.out(
      `${redactSecrets(report(accountName, who, account.tenantId, stored, io.env, config.accounts[accountName]), secrets)}\n`,
    );
    return 0;
  } catch (e) {
    const message =
      e instanceof LoginFailure || isCspError(e) ? e.message : e instanceof Error ? e.message : String(e);
    io.err(`pulumi-csp login: ${redactSecrets(message, secrets)}\n`);
    return 1;
  } finally {
    clearTimeout(timer);
    await listener?.close();
  }
}

function requireAppCredentials(account: AccountCredentials): void {
  const vars = accountVariableNames(account.name);
  const missing: string[] = [];
  if (!account.tenantId) missing.push(`${vars.tenantId} (or --tenant)`);
  if (!account.clientId) missing.push(`${vars.clientId} (or --client-id)`);
  if (!account.clientSecret && !account.clientCertificatePem) {
    missing.push(`${vars.clientSecret} or ${vars.clientCertificatePath}`);
  }
  if (missing.length > 0) {
    throw new CspError({
      code: "CSP_CONFIG",
      service: "config",
      summary: `partner account "${account.name}" lacks what the sign-in needs`,
      hint: `set ${missing.join("; ")}`,
    });
  }
}

function randomState(): string {
  return randomBytes(16).toString("base64url");
}

/**
 * Shows `url` (opening the browser unless `--no-browser`) and waits for the redirect: on the
 * loopback listener, and with `--paste` also as a URL pasted on stdin, whichever comes first.
 */
async function waitForRedirect(
  io: CliIo,
  values: Parameters<typeof booleanFlag>[0],
  listener: LoopbackListener,
  url: string,
  state: string,
  signal: AbortSignal,
  say: (text: string) => void,
): Promise<URLSearchParams> {
  const opened = booleanFlag(values, "no-browser") ? false : await io.openBrowser(url);
  say(
    opened
      ? `Opened your browser. If nothing happened, open this URL:\n\n  ${url}\n`
      : `Open this URL in a browser:\n\n  ${url}\n`,
  );
  const paste = booleanFlag(values, "paste");
  if (paste) {
    say(
      `The browser is then sent to ${listener.redirectUri}… If that page does not load (browser on another machine), copy its full address from the address bar, paste it here and press Enter.`,
    );
  } else {
    say(`Waiting for the browser to come back to ${listener.redirectUri} …`);
  }
  const inner = new AbortController();
  const onAbort = () => inner.abort(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    const waits: Promise<URLSearchParams>[] = [listener.next(state, inner.signal)];
    if (paste) waits.push(readPastedRedirect(io.stdin, state, inner.signal));
    return await Promise.race(waits);
  } finally {
    signal.removeEventListener("abort", onAbort);
    inner.abort(new LoginFailure("done"));
  }
}

/** Reads lines from stdin until one holds a redirect URL (or its query) carrying `state`. */
function readPastedRedirect(
  stdin: NodeJS.ReadableStream,
  state: string,
  signal: AbortSignal,
): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: stdin, terminal: false });
    const finish = (fn: () => void) => {
      signal.removeEventListener("abort", onAbort);
      rl.close();
      fn();
    };
    const onAbort = () => finish(() => reject(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
    rl.on("line", (line) => {
      const params = parseRedirect(line.trim());
      if (!params) return;
      if (params.get("state") !== state) {
        finish(() =>
          reject(
            new LoginFailure(
              "the pasted address is not the answer to this sign-in (state differs): paste the address the browser was sent to after this sign-in",
            ),
          ),
        );
        return;
      }
      finish(() => resolve(params));
    });
    rl.on("close", () => {
      if (!signal.aborted) {
        signal.removeEventListener("abort", onAbort);
        // stdin ended without a URL: keep waiting for the loopback listener (the timeout still applies).
      }
    });
  });
}

/** The query of a pasted redirect: a full URL, or just `code=…&state=…`. */
export function parseRedirect(text: string): URLSearchParams | undefined {
  if (!text) return undefined;
  let query: string;
  if (/^https?:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      query = url.search || url.hash.replace(/^#/, "?");
    } catch {
      return undefined;
    }
  } else {
    query = text;
  }
  const params = new URLSearchParams(query.replace(/^[?#]/, ""));
  return params.has("code") || params.has("error") || params.has("admin_consent") ? params : undefined;
}

function redirectError(params: URLSearchParams, what: string): LoginFailure {
  const description = (params.get("error_description") ?? "").split(/\r?\n/)[0];
  return new LoginFailure(`${what} failed: ${params.get("error")}${description ? `: ${description}` : ""}`);
}

/** What was stored where, and what the user sets so the provider reads it. Never the token itself. */
function report(
  account: string,
  who: string,
  tenantId: string,
  stored: StoredRefreshToken,
  env: Record<string, string | undefined>,
  configured: AccountCredentials | undefined,
): string {
  const lines = [`Signed in as ${who} (tenant ${tenantId}) with multi-factor authentication.`];
  if (stored.kind === "pulumi") {
    lines.push(
      `Stored the refresh token of account "${account}" as the secret stack config value ${stored.key}${stored.stack ? ` of stack ${stored.stack}` : " of the selected stack"} (pulumi config set --secret).`,
      "The provider reads it from there; nothing else to set.",
    );
  } else {
    if (stored.pulumiFailure) {
      lines.push(
        `Could not store it in the stack config (pulumi config set failed: ${stored.pulumiFailure}).`,
      );
    }
    lines.push(
      `Stored the refresh token of account "${account}" in ${stored.path} (mode 0600, readable by you only).`,
      "Point the provider at it:",
      `  export ${stored.variable}=${shellQuote(stored.path)}`,
      account === "default"
        ? `  (or: pulumi config set csp:refreshTokenFile ${shellQuote(stored.path)})`
        : `  (or: pulumi config set --path csp:accounts.${account}.refreshTokenFile ${shellQuote(stored.path)})`,
    );
    const direct = tokenVariable(account);
    if (env[direct]) {
      lines.push(`Note: ${direct} is set in this environment and wins over the file: unset it.`);
    } else if (configured?.refreshToken && !env[stored.variable]) {
      lines.push(
        `Note: a refresh token is already configured (${direct} or ${stackKey(account)}) and wins over the file: remove it.`,
      );
    }
  }
  lines.push(
    `Refresh tokens rotate on use and expire after ${REFRESH_TOKEN_INACTIVITY_DAYS} days without use: run \`pulumi-csp login\` again then. Check the setup with \`pulumi-csp doctor\`.`,
  );
  return lines.join("\n");
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
