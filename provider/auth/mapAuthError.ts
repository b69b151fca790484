import { CspError, hintFor, scrub } from "../errors";
import { networkHint } from "../http/transport";

export interface AuthErrorContext {
  account: string;
  tenantId: string;
  mode: "app" | "user";
  scope: string;
  /** Code/message of the last transport failure seen by msal's network client. */
  networkError?: string | undefined;
  /** The URL of that failed request. */
  networkUrl?: string | undefined;
  /** HTTP status of the failed token response, when msal's error does not carry it. */
  status?: number | undefined;
}

interface MsalLikeError {
  errorCode?: string;
  errorMessage?: string;
  subError?: string;
  errorNo?: string;
  status?: number;
  correlationId?: string;
  message?: string;
}

/**
 * Turns an msal error (ServerError carrying Entra's `error`/`error_description`/`error_codes`,
 * or a client-side AuthError) into a {@link CspError} with guidance: expired or revoked refresh
 * token (AADSTS700082, invalid_grant → re-run `pulumi-csp login`), missing MFA (AADSTS50076),
 * wrong secret (AADSTS7000215), ... (see `errors.ts`). Token endpoint 429/5xx and transport
 * failures become `CSP_NETWORK`, which the API retry loop retries.
 */
export function mapAuthError(e: unknown, context: AuthErrorContext): CspError {
  const err = (typeof e === "object" && e !== null ? e : { message: String(e) }) as MsalLikeError;
  const who = `${context.mode === "user" ? "app+user" : "app-only"} token for ${context.scope} in tenant ${context.tenantId} (account "${context.account}")`;
  const description = (err.errorMessage || err.message || "").split(/\r?\n/)[0] ?? "";
  const traceId = (err.errorMessage ?? "").match(/Trace ID:\s*([0-9a-f-]{36})/i)?.[1];
  const aadsts =
    description.match(/AADSTS\d+/)?.[0] ??
    (err.errorNo && /^\d+$/.test(err.errorNo) ? `AADSTS${err.errorNo}` : undefined);

  if (err.errorCode === "network_error" || err.errorCode === "network_request_failed") {
    return new CspError({
      code: "CSP_NETWORK",
      service: "identity",
      summary: `could not reach the token endpoint${context.networkUrl ? ` ${new URL(context.networkUrl).origin}` : ""} for an ${who}${context.networkError ? `: ${context.networkError}` : ""}`,
      ...(context.networkError ? { serviceCode: context.networkError } : {}),
      hint: context.networkUrl
        ? `${networkHint(new URL(context.networkUrl), context.networkError)} (the login endpoint is CSP_LOGIN_URL)`
        : "check connectivity to the login endpoint (CSP_LOGIN_URL, HTTPS_PROXY, CSP_CA_CERT) and run the operation again",
      cause: e,
    });
  }
  const status = err.status ?? context.status;
  const transient =
    status !== undefined && (status === 429 || status >= 500 || err.errorCode === "temporarily_unavailable");
  const serviceCode = aadsts ?? err.errorCode ?? undefined;
  const hint =
    hintFor(status, [aadsts, err.errorCode, err.subError]) ??
    (context.mode === "user"
      ? "check the refresh token (re-run `pulumi-csp login`) and the app's consent"
      : "check the account's tenant id, client id and secret or certificate");
  return new CspError({
    code: transient ? "CSP_NETWORK" : "CSP_AUTH_ERROR",
    service: "identity",
    summary: `could not get an ${who}: ${scrub(description || err.errorCode || "unknown error")}`,
    ...(status !== undefined ? { status } : {}),
    ...(serviceCode ? { serviceCode } : {}),
    ...(traceId ? { requestId: traceId } : {}),
    ...(err.correlationId ? { correlationId: err.correlationId } : {}),
    hint,
    cause: e,
  });
}
