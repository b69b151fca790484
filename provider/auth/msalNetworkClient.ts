import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { type Dispatcher, request as undiciRequest } from "undici";
import { redactBodyText, sanitizeHeaders, sanitizeUrl } from "../http/sanitizer";
import type { TraceSink } from "../http/traceSink";
import { flattenHeaders } from "../http/transport";

export interface MsalNetworkClientOptions {
  dispatcher: Dispatcher;
  /** Redacted trace of token requests (same sink as the API calls). */
  trace?: TraceSink;
  account?: string;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
}

/**
 * msal's `system.networkClient`: sends msal's requests through the same undici Dispatcher as the
 * API calls, so the custom CA, the proxy and test dispatchers apply to token requests too.
 * msal expects the body JSON-parsed and the headers flattened.
 */
export function createMsalNetworkClient(options: MsalNetworkClientOptions): INetworkModule {
  async function send<T>(method: "GET" | "POST", url: string, req?: NetworkRequestOptions, timeout?: number) {
    const started = Date.now();
    const headers = req?.headers ?? {};
    const signal = AbortSignal.timeout(timeout ?? options.timeoutMs ?? 30_000);
    const write = (
      status: number | undefined,
      resHeaders?: Record<string, string>,
      resText?: string,
      error?: string,
    ) => {
      if (!options.trace) return;
      options.trace({
        time: new Date(started).toISOString(),
        service: "identity",
        ...(options.account ? { account: options.account } : {}),
        method,
        url: sanitizeUrl(url),
        attempt: 0,
        ...(status !== undefined ? { status } : {}),
        durationMs: Date.now() - started,
        requestHeaders: sanitizeHeaders(lower(headers)),
        ...(req?.body ? { requestBody: redactBodyText(req.body, "application/x-www-form-urlencoded") } : {}),
        ...(resHeaders ? { responseHeaders: sanitizeHeaders(resHeaders) } : {}),
        ...(resText ? { responseBody: redactBodyText(resText) } : {}),
        ...(error ? { error } : {}),
      });
    };
    try {
      const res = await undiciRequest(url, {
        dispatcher: options.dispatcher,
        method,
        headers,
        ...(method === "POST" ? { body: req?.body ?? "" } : {}),
        signal,
      });
      const text = await res.body.text();
      const resHeaders = flattenHeaders(res.headers);
      write(res.statusCode, resHeaders, text);
      let body: unknown = {};
      if (text.trim() !== "") {
        try {
          body = JSON.parse(text);
        } catch {
          body = { error: "invalid_response", error_description: `non-JSON answer (HTTP ${res.statusCode})` };
        }
      }
      const response: NetworkResponse<T> = { headers: resHeaders, body: body as T, status: res.statusCode };
      return response;
    } catch (e) {
      write(undefined, undefined, undefined, e instanceof Error ? e.message : String(e));
      throw e;
    }
  }
  return {
    sendGetRequestAsync: <T>(url: string, req?: NetworkRequestOptions, timeout?: number) =>
      send<T>("GET", url, req, timeout),
    sendPostRequestAsync: <T>(url: string, req?: NetworkRequestOptions) => send<T>("POST", url, req),
  };
}

function lower(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}
