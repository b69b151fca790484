/**
 * Redaction for traces and error attachments. Headers and query parameters are ALLOW-listed
 * (anything not listed is replaced, so a new credential-bearing header cannot leak by default);
 * body fields are DENY-listed by key pattern (password, secret, token, assertion, credential,
 * key material), recursively, plus anything that looks like a JWT wherever it appears.
 */

export const REDACTED = "REDACTED";

const ALLOWED_HEADERS = new Set([
  "accept",
  "accept-encoding",
  "accept-language",
  "cache-control",
  "connection",
  "content-encoding",
  "content-length",
  "content-type",
  "date",
  "etag",
  "expires",
  "if-match",
  "if-none-match",
  "keep-alive",
  "last-modified",
  "location",
  "odata-version",
  "pragma",
  "retry-after",
  "retry-after-ms",
  "x-ms-retry-after-ms",
  "server",
  "strict-transport-security",
  "transfer-encoding",
  "user-agent",
  "vary",
  "www-authenticate",
  "x-content-type-options",
  // request ids (Partner Center, Graph, ARM, Entra)
  "ms-requestid",
  "ms-correlationid",
  "ms-cv",
  "ms-serverid",
  "ms-contract-version",
  "x-locale",
  "client-request-id",
  "request-id",
  "x-ms-request-id",
  "x-ms-client-request-id",
  "x-ms-correlation-request-id",
  "x-ms-routing-request-id",
  "x-ms-ags-diagnostic",
  "x-ms-resource-unit",
  "x-ms-throttle-information",
  "x-ms-throttle-scope",
  "x-ms-ests-server",
  "consistencylevel",
]);

const ALLOWED_HEADER_PREFIXES = ["x-ms-ratelimit-"];

const ALLOWED_QUERY = new Set([
  "api-version",
  "size",
  "seekoperation",
  "agreementtype",
  "country",
  "targetview",
  "language",
  "order_id",
  "include_price",
  "billingtype",
  "$top",
  "$select",
  "$expand",
  "$orderby",
  "$count",
  "$skip",
  "$filter",
  "filter",
  "client-request-id",
  "tenantid",
]);

/** Body keys whose value is replaced (case-insensitive, anywhere in the key). */
const SECRET_KEY =
  /(pass(word|wd)?|secret|token|assertion|credential|private.?key|authorization|signature|^key$)/i;

/** Extra form fields of the token endpoint that are secret (authorization code and PKCE verifier). */
const SECRET_FORM_KEY = /^(code|code_verifier)$/i;

const JWT_LIKE = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

function headerAllowed(name: string): boolean {
  const n = name.toLowerCase();
  return ALLOWED_HEADERS.has(n) || ALLOWED_HEADER_PREFIXES.some((p) => n.startsWith(p));
}

/** Copies headers, replacing every value whose name is not allow-listed. */
export function sanitizeHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const n = k.toLowerCase();
    out[n] = headerAllowed(n) ? (n === "location" ? sanitizeUrl(v) : v) : REDACTED;
  }
  return out;
}

/** Returns the URL with every query value not allow-listed replaced. Relative URLs stay relative. */
export function sanitizeUrl(url: string | URL): string {
  const text = String(url);
  const q = text.indexOf("?");
  if (q < 0) return text;
  const hashAt = text.indexOf("#", q);
  const query = text.slice(q + 1, hashAt < 0 ? undefined : hashAt);
  const params = new URLSearchParams(query);
  const out = new URLSearchParams();
  for (const [k, v] of params) out.append(k, ALLOWED_QUERY.has(k.toLowerCase()) ? v : REDACTED);
  return `${text.slice(0, q)}?${out.toString()}`;
}

/** Recursively replaces values under secret-looking keys, and JWT-looking strings anywhere. */
export function redactValue(value: unknown): unknown {
  if (typeof value === "string") return value.replace(JWT_LIKE, REDACTED);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_KEY.test(k) ? REDACTED : redactValue(v);
    }
    return out;
  }
  return value;
}

/**
 * Redacts a body given as text: JSON is parsed and redacted by key; a form body
 * (`application/x-www-form-urlencoded`, the token endpoint) by field name; other text only by
 * the JWT pattern. Long bodies are cut to `maxChars`.
 */
export function redactBodyText(text: string | undefined, contentType?: string, maxChars = 8192): unknown {
  if (text === undefined || text === "") return undefined;
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return truncateJson(redactValue(JSON.parse(text)), maxChars);
    } catch {
      // not JSON after all: fall through to the text rules
    }
  }
  if (
    contentType?.includes("x-www-form-urlencoded") ||
    /^[\w.-]+=[^&]*(&[\w.-]+=[^&]*)*$/.test(text.trim())
  ) {
    const params = new URLSearchParams(text);
    const out: Record<string, string> = {};
    for (const [k, v] of params)
      out[k] = SECRET_KEY.test(k) || SECRET_FORM_KEY.test(k) ? REDACTED : v.replace(JWT_LIKE, REDACTED);
    return out;
  }
  const cut = text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
  return cut.replace(JWT_LIKE, REDACTED);
}

function truncateJson(value: unknown, maxChars: number): unknown {
  const s = JSON.stringify(value);
  return s.length > maxChars ? `${s.slice(0, maxChars)}…` : value;
}
