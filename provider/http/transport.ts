import { type Dispatcher, request as undiciRequest } from "undici";
import { CspError } from "../errors";
import type { PipelineRequest, PipelineResponse, SendFn } from "./pipeline";

/** Node/undici error codes meaning the connection was never established: nothing reached the server. */
export const CONNECT_FAILURE_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "CERT_HAS_EXPIRED",
]);

/**
 * The bottom of the pipeline: one HTTP exchange over the injected undici Dispatcher, with a
 * per-attempt timeout. Failures become `CspError`s: `CSP_TIMEOUT` (attempt timed out) or
 * `CSP_NETWORK` (socket reset, refused, TLS, ...), with the Node/undici error code as
 * `serviceCode`. An abort through the caller's signal rejects with the signal's reason.
 */
export function createTransport(dispatcher: Dispatcher): SendFn {
  return async (req: PipelineRequest): Promise<PipelineResponse> => {
    req.signal?.throwIfAborted();
    const controller = new AbortController();
    const timeoutReason = new Error("attempt timed out");
    const timer = setTimeout(() => controller.abort(timeoutReason), req.timeoutMs);
    const onAbort = () => controller.abort(req.signal?.reason);
    req.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const res = await undiciRequest(req.url, {
        dispatcher,
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: controller.signal,
      });
      const bodyText = await res.body.text();
      return { status: res.statusCode, headers: flattenHeaders(res.headers), bodyText, request: req };
    } catch (e) {
      if (req.signal?.aborted) throw req.signal.reason;
      const path = req.url.pathname;
      if (controller.signal.aborted && controller.signal.reason === timeoutReason) {
        throw new CspError({
          code: "CSP_TIMEOUT",
          service: req.service,
          summary: `${req.method} ${path} got no answer within ${req.timeoutMs} ms`,
          hint: "the service did not answer in time; run the operation again (raise CSP_TIMEOUT_MS if it keeps happening)",
          cause: e,
        });
      }
      const code = errorCode(e);
      throw new CspError({
        code: "CSP_NETWORK",
        service: req.service,
        summary: `${req.method} ${req.url.origin}${path} failed on the network: ${errorText(e)}`,
        ...(code ? { serviceCode: code } : {}),
        hint: networkHint(req.url, code),
        cause: e,
      });
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener("abort", onAbort);
    }
  };
}

/** True for a host on this machine (the emulator's, or a local proxy's). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\./.test(h);
}

/** What to do about a network failure, for the endpoint it happened on. */
export function networkHint(url: URL, code: string | undefined): string {
  if (code === "ECONNREFUSED" && isLoopbackHost(url.hostname)) {
    return `nothing listens at ${url.origin}: is the emulator running? Start it with \`npm run emulator\` (its JSON line gives the CSP_* variables to use), or point the CSP_*_URL variables elsewhere`;
  }
  return `check connectivity to ${url.origin} (proxy: HTTPS_PROXY/NO_PROXY, custom CA: CSP_CA_CERT) and run the operation again`;
}

/** Flattens undici's header record: lower-case names, repeated values joined with `, `. */
export function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && typeof cur === "object" && cur !== null; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && code !== "UND_ERR_SOCKET") return code;
    if (typeof code === "string") {
      const inner = (cur as { cause?: unknown }).cause;
      const innerCode =
        typeof inner === "object" && inner !== null ? (inner as { code?: unknown }).code : undefined;
      return typeof innerCode === "string" ? innerCode : code;
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
