/**
 * The one error type of pulumi-csp, and the one place where each Microsoft API's error envelope
 * is parsed into it.
 *
 * Every message names the service, the HTTP status, the service's own code, the request id and
 * what the user can do. Messages never contain secrets: service texts are scrubbed of anything
 * that looks like a token, and the request/response objects attached for debugging are
 * non-enumerable (they do not show up in `JSON.stringify`, `console.log` or Pulumi's error output).
 */

/** Stable machine codes. Callers branch on these (and on `status`/`serviceCode`), never on text. */
export type CspErrorCode =
  | "CSP_API_ERROR"
  | "CSP_AUTH_ERROR"
  | "CSP_THROTTLED"
  | "CSP_TIMEOUT"
  | "CSP_NETWORK"
  | "CSP_CONFIG"
  | "CSP_VALIDATION"
  | "CSP_CONFLICT";

/** Which API produced the error (`config` for configuration problems found before any call). */
export type CspErrorService = "partnerCenter" | "graph" | "arm" | "identity" | "config" | "provider";

export interface CspErrorInit {
  code: CspErrorCode;
  service: CspErrorService;
  /** What failed, in the user's words, e.g. `POST /v1/customers failed` or the service's description. */
  summary: string;
  status?: number;
  serviceCode?: string;
  requestId?: string;
  correlationId?: string;
  /** What to do about it. */
  hint?: string;
  /** Further service detail lines (Partner Center `data`). */
  details?: string[];
  /** How long the service asked to wait (throttling), in ms. */
  retryAfterMs?: number;
  cause?: unknown;
  /** Debug material (sanitised request/response); attached non-enumerably. */
  request?: unknown;
  response?: unknown;
}

const BRAND = Symbol.for("pulumi-csp.CspError");

const SERVICE_NAMES: Record<CspErrorService, string> = {
  partnerCenter: "Partner Center",
  graph: "Microsoft Graph",
  arm: "Azure Resource Manager",
  identity: "Microsoft Entra ID",
  config: "pulumi-csp configuration",
  provider: "pulumi-csp",
};

/**
 * Error thrown by everything in pulumi-csp. Use {@link isCspError} rather than `instanceof`: the
 * guard also recognises errors created by another copy of this package (a `Symbol.for` brand).
 */
export class CspError extends Error {
  readonly code: CspErrorCode;
  readonly service: CspErrorService;
  readonly status?: number;
  /** The service's own error code as a string (`"13605"`, `"Request_ResourceNotFound"`, `"AADSTS700082"`). */
  readonly serviceCode?: string;
  readonly requestId?: string;
  readonly correlationId?: string;
  readonly hint?: string;
  readonly details?: string[];
  readonly retryAfterMs?: number;
  /** The service's own text, without the decoration added to `message`. */
  readonly summary: string;
  declare readonly request?: unknown;
  declare readonly response?: unknown;

  constructor(init: CspErrorInit) {
    super(formatMessage(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "CspError";
    this.code = init.code;
    this.service = init.service;
    this.summary = scrub(init.summary);
    if (init.status !== undefined) this.status = init.status;
    if (init.serviceCode !== undefined) this.serviceCode = init.serviceCode;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.correlationId !== undefined) this.correlationId = init.correlationId;
    if (init.hint !== undefined) this.hint = init.hint;
    if (init.details !== undefined) this.details = init.details.map(scrub);
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
    Object.defineProperty(this, "request", { value: init.request, enumerable: false, writable: false });
    Object.defineProperty(this, "response", { value: init.response, enumerable: false, writable: false });
  }

  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

/** True for any pulumi-csp error, including one thrown by another copy of the package. */
export function isCspError(e: unknown): e is CspError {
  return typeof e === "object" && e !== null && (e as { [BRAND]?: unknown })[BRAND] === true;
}

function formatMessage(init: CspErrorInit): string {
  const facts: string[] = [];
  if (init.status !== undefined) facts.push(`HTTP ${init.status}`);
  if (init.serviceCode !== undefined) facts.push(`code ${init.serviceCode}`);
  if (init.requestId !== undefined) facts.push(`request id ${init.requestId}`);
  if (init.correlationId !== undefined && init.correlationId !== init.requestId) {
    facts.push(`correlation id ${init.correlationId}`);
  }
  let text = `${SERVICE_NAMES[init.service]}: ${scrub(init.summary)}`;
  if (facts.length > 0) text += ` (${facts.join(", ")})`;
  if (init.details && init.details.length > 0) text += `. Details: ${init.details.map(scrub).join("; ")}`;
  if (init.hint) text += `. What to do: ${init.hint}`;
  return text;
}

const JWT_LIKE = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const BEARER = /(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;

/** Removes token-looking material from a service text before it becomes part of a message. */
export function scrub(text: string): string {
  return text.replace(JWT_LIKE, "[redacted token]").replace(BEARER, "$1[redacted]");
}

// ---------------------------------------------------------------------------------------------
// Envelopes

/** What one error envelope says, independent of its wire shape. */
export interface ParsedEnvelope {
  envelope: "partnerCenter" | "partnerCenterThrottle" | "graphOrArm" | "entra" | "unknown";
  serviceCode?: string;
  message?: string;
  details?: string[];
  /** Entra `error_codes`, as `AADSTS<n>` strings. */
  aadstsCodes?: string[];
  /** Request id carried inside the body (Graph `innerError.request-id`, Entra `trace_id`). */
  bodyRequestId?: string;
  bodyCorrelationId?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

/**
 * Recognises the error envelope of any of the four APIs by its shape:
 * - Partner Center `{code, description, data, source}`; `code` is documented as a string but
 *   examples emit numbers, so both are accepted ([D] "Partner Center REST error codes",
 *   https://learn.microsoft.com/partner-center/developer/error-codes);
 * - Partner Center throttling `{statusCode, message}` ("API throttling guidance",
 *   https://learn.microsoft.com/partner-center/developer/api-throttling-guidance);
 * - Graph `{error:{code, message, innerError}}` and ARM `{error:{code, message}}`;
 * - Entra ID `{error, error_description, error_codes}` ("Microsoft identity platform and the OAuth
 *   2.0 client credentials flow",
 *   https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
 */
export function parseErrorEnvelope(body: unknown): ParsedEnvelope {
  if (!isRecord(body)) return { envelope: "unknown" };
  const error = body["error"];
  if (isRecord(error)) {
    const inner = isRecord(error["innerError"])
      ? error["innerError"]
      : isRecord(error["innererror"])
        ? error["innererror"]
        : undefined;
    const details: string[] = [];
    if (Array.isArray(error["details"])) {
      for (const d of error["details"]) {
        if (isRecord(d) && str(d["message"]))
          details.push(`${str(d["code"]) ?? "detail"}: ${str(d["message"])}`);
      }
    }
    const parsed: ParsedEnvelope = { envelope: "graphOrArm" };
    const code = str(error["code"]);
    const message = str(error["message"]);
    if (code !== undefined) parsed.serviceCode = code;
    if (message !== undefined) parsed.message = message;
    if (details.length > 0) parsed.details = details;
    const rid = inner ? str(inner["request-id"]) : undefined;
    const cid = inner ? str(inner["client-request-id"]) : undefined;
    if (rid !== undefined) parsed.bodyRequestId = rid;
    if (cid !== undefined) parsed.bodyCorrelationId = cid;
    return parsed;
  }
  if (typeof error === "string") {
    const parsed: ParsedEnvelope = { envelope: "entra", serviceCode: error };
    const description = str(body["error_description"]);
    if (description !== undefined) parsed.message = description.split(/\r?\n/)[0];
    const codes = Array.isArray(body["error_codes"])
      ? body["error_codes"].map(str).filter((c): c is string => c !== undefined)
      : [];
    const fromText = description?.match(/AADSTS\d+/)?.[0];
    const aadsts = codes.map((c) => `AADSTS${c}`);
    if (fromText && !aadsts.includes(fromText)) aadsts.unshift(fromText);
    if (aadsts.length > 0) parsed.aadstsCodes = aadsts;
    const trace = str(body["trace_id"]);
    const corr = str(body["correlation_id"]);
    if (trace !== undefined) parsed.bodyRequestId = trace;
    if (corr !== undefined) parsed.bodyCorrelationId = corr;
    return parsed;
  }
  if ("statusCode" in body && "message" in body && !("code" in body)) {
    const parsed: ParsedEnvelope = { envelope: "partnerCenterThrottle" };
    const code = str(body["statusCode"]);
    const message = str(body["message"]);
    if (code !== undefined) parsed.serviceCode = code;
    if (message !== undefined) parsed.message = message;
    return parsed;
  }
  if ("code" in body && ("description" in body || "source" in body || "data" in body)) {
    const parsed: ParsedEnvelope = { envelope: "partnerCenter" };
    const code = str(body["code"]);
    const message = str(body["description"]);
    if (code !== undefined) parsed.serviceCode = code;
    if (message !== undefined) parsed.message = message;
    if (Array.isArray(body["data"])) {
      const data = body["data"].map(str).filter((d): d is string => d !== undefined && d.length > 0);
      if (data.length > 0) parsed.details = data;
    }
    return parsed;
  }
  // Some ARM/Graph gateways answer `{code, message}` without the `error` wrapper.
  if (str(body["code"]) !== undefined && str(body["message"]) !== undefined) {
    return { envelope: "graphOrArm", serviceCode: str(body["code"])!, message: str(body["message"])! };
  }
  return { envelope: "unknown" };
}

// ---------------------------------------------------------------------------------------------
// Guidance

const REONBOARD =
  "the stored refresh token has expired or was revoked: re-run onboarding (`pulumi-csp login`) with an admin agent account and update CSP_REFRESH_TOKEN / CSP_REFRESH_TOKEN_FILE";
const MFA =
  "app+user calls need a refresh token from a sign-in that completed multi-factor authentication: re-run `pulumi-csp login` with an admin agent account that has MFA enabled";

/** Guidance keyed by service code (Partner Center numbers as strings, AADSTS codes, Graph/ARM codes). */
const HINTS: Record<string, string> = {
  AADSTS700082: REONBOARD,
  AADSTS70008: REONBOARD,
  AADSTS70043: REONBOARD,
  AADSTS50173: REONBOARD,
  AADSTS700084: REONBOARD,
  AADSTS50076: MFA,
  AADSTS50079: MFA,
  "900421": MFA,
  "900420":
    "Partner Center no longer accepts tokens issued for the retired Azure AD Graph audience (https://graph.windows.net); tokens must be requested for https://api.partnercenter.microsoft.com. If you supply tokens or a custom login endpoint, check the audience they are issued for",
  AADSTS7000215:
    "the client secret is wrong: set CSP_CLIENT_SECRET (or csp:clientSecret) to the secret's value (not its id) of the partner app",
  AADSTS7000222:
    "the client secret has expired: create a new secret for the partner app and update CSP_CLIENT_SECRET (or csp:clientSecret)",
  AADSTS700016:
    "the partner app is unknown in this tenant: check CSP_CLIENT_ID, and for a customer tenant consent the app there first (ApplicationConsent)",
  AADSTS90002: "the tenant was not found: check CSP_TENANT_ID or the customer tenant id",
  AADSTS65001:
    "the app has not been consented for this resource in the tenant: create or update the ApplicationConsent for the customer",
  AADSTS70011: "the requested scope is not valid for this app or tenant",
  "13605":
    "the customer has not accepted the Microsoft Customer Agreement yet: declare a CustomerAgreement for the customer (accept the Microsoft Customer Agreement first) and retry the purchase",
  "2055":
    "the resource changed since it was read (stale ETag): run `pulumi refresh` (or re-read the resource) and apply again",
  "900124":
    "the partner has not accepted the Microsoft Partner Agreement: accept the MPA in Partner Center (Settings > Legal info) before buying Azure plans",
  "800066": "the customer has reached the maximum number of subscriptions",
  "800064": "the cart is being processed by another request: wait a minute and retry",
  "20002":
    "the partner has no commerce relationship with this customer: check the customer id and the account",
  "900159":
    "the partner has no commerce relationship with this customer: check the customer id and the account",
  Authorization_RequestDenied:
    "the identity lacks a directory permission in this tenant: check the app's consented permissions (ApplicationConsent) or the GDAP roles of the admin agents group",
  AuthorizationFailed:
    "the identity lacks the Azure RBAC permission: the partner's admin agents need Owner or User Access Administrator on the subscription (admin-on-behalf-of)",
  RoleAssignmentExists: "an identical role assignment already exists under another name: adopt or remove it",
  PrincipalNotFound:
    "the principal is not replicated yet: set principalType on the role assignment, or retry in a minute",
};

/** Guidance for a service code, or a generic one for the status. */
export function hintFor(status: number | undefined, codes: (string | undefined)[]): string | undefined {
  for (const code of codes) {
    if (code && HINTS[code]) return HINTS[code];
  }
  if (codes.includes("invalid_grant")) return REONBOARD;
  if (status === 401)
    return "the access token was rejected: check the account's tenant id, client id and credentials";
  if (status === 403) return "the identity is not allowed to do this: check roles, consent and GDAP access";
  if (status === 429)
    return "the service is throttling requests: wait a few minutes and run the operation again";
  if (status !== undefined && status >= 500) {
    return "the service had a transient failure: run the operation again (writes are idempotent)";
  }
  return undefined;
}

/** Service codes that mean "business rule" rather than "who you are", even when sent with 403. */
const BUSINESS_403 = new Set(["13605", "900124", "800066", "800019", "20002", "900159", "900335"]);

/** Machine code for an HTTP error status and service code. */
export function codeForStatus(status: number, serviceCode?: string): CspErrorCode {
  if (status === 429) return "CSP_THROTTLED";
  if (status === 408) return "CSP_TIMEOUT";
  if (status === 409 || status === 412 || serviceCode === "2055") return "CSP_CONFLICT";
  if (status === 401) return "CSP_AUTH_ERROR";
  if (status === 403)
    return serviceCode && BUSINESS_403.has(serviceCode) ? "CSP_API_ERROR" : "CSP_AUTH_ERROR";
  return "CSP_API_ERROR";
}

export interface HttpErrorInput {
  service: Exclude<CspErrorService, "config" | "provider">;
  method: string;
  /** Path of the call (no query string: queries may carry filters the user did not expect in logs). */
  path: string;
  status: number;
  /** Parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  requestId?: string;
  correlationId?: string;
  retryAfterMs?: number;
  request?: unknown;
  response?: unknown;
}

/** THE boundary where an HTTP error response becomes a {@link CspError}. */
export function errorFromResponse(input: HttpErrorInput): CspError {
  const env = parseErrorEnvelope(input.body);
  const serviceCode = env.aadstsCodes?.[0] ?? env.serviceCode;
  const fallback =
    typeof input.body === "string" && input.body.trim() ? input.body.trim().slice(0, 300) : undefined;
  const text = env.message ?? fallback ?? `HTTP ${input.status}`;
  const init: CspErrorInit = {
    code: codeForStatus(input.status, env.serviceCode),
    service: input.service,
    summary: `${input.method} ${input.path} failed: ${text}`,
    status: input.status,
  };
  if (serviceCode !== undefined) init.serviceCode = serviceCode;
  const requestId = input.requestId ?? env.bodyRequestId;
  if (requestId !== undefined) init.requestId = requestId;
  const correlationId = input.correlationId ?? env.bodyCorrelationId;
  if (correlationId !== undefined) init.correlationId = correlationId;
  const hint = hintFor(input.status, [...(env.aadstsCodes ?? []), env.serviceCode]);
  if (hint !== undefined) init.hint = hint;
  if (env.details) init.details = env.details;
  if (input.retryAfterMs !== undefined) init.retryAfterMs = input.retryAfterMs;
  init.request = input.request;
  init.response = input.response;
  return new CspError(init);
}

/** A configuration error naming what to set. */
export function configError(summary: string, hint: string): CspError {
  return new CspError({ code: "CSP_CONFIG", service: "config", summary, hint });
}

/**
 * Whether the outcome of a write is unknown: the request may have been applied but its answer was
 * lost (the pipeline's own retries, which reuse an idempotency key, did not get one either).
 */
export function isLostResponse(e: unknown): boolean {
  return isCspError(e) && (e.code === "CSP_NETWORK" || e.code === "CSP_TIMEOUT");
}

/** Whether `e` is a service error with one of these service codes (compared case-insensitively). */
export function hasServiceCode(e: unknown, ...codes: string[]): boolean {
  if (!isCspError(e) || e.serviceCode === undefined) return false;
  const code = e.serviceCode.toLowerCase();
  return codes.some((c) => c.toLowerCase() === code);
}
