import type { Dispatcher } from "undici";
import type { TokenProvider } from "../auth/tokenProvider";
import { CspError, errorFromResponse } from "../errors";
import { composePipeline, isAccepted, type PipelineRequest, type Policy, type SendFn } from "./pipeline";
import { bearerAuthPolicy } from "./policies/bearerAuthPolicy";
import { rateLimitPolicy } from "./policies/rateLimitPolicy";
import { requestIdPolicy } from "./policies/requestIdPolicy";
import { retryPolicy } from "./policies/retryPolicy";
import { tracePolicy } from "./policies/tracePolicy";
import { userAgentPolicy } from "./policies/userAgentPolicy";
import { PARTNER_CENTER_RATE_LIMITS, type RateLimit, type RateLimiter } from "./rateLimiter";
import { retryAfterMs } from "./retryAfter";
import type { BackoffOptions } from "./retryStrategies/retryStrategy";
import { throttlingStrategy } from "./retryStrategies/throttlingStrategy";
import { transientStrategy } from "./retryStrategies/transientStrategy";
import { sanitizeHeaders, sanitizeUrl } from "./sanitizer";
import type { SleepFn } from "./sleep";
import type { TraceSink } from "./traceSink";
import { createTransport } from "./transport";
import type { ApiRequest, ApiResponse, Service, ServiceClient } from "./types";

export interface ServiceClientOptions {
  service: Service;
  /** Base URL, e.g. `https://api.partnercenter.microsoft.com` or `https://127.0.0.1:8443/partnercenter`. */
  baseUrl: string;
  /** The network seam (tests inject their own; production uses `createDispatcher`). */
  dispatcher: Dispatcher;
  /** Source of bearer tokens; required unless `service` is `identity`. */
  tokens?: TokenProvider;
  /** Partner account name (token cache and rate-limit key). Default `default`. */
  account?: string;
  /** Retries after the first attempt (default 5). */
  maxRetries?: number;
  /** Per-attempt timeout (default 60000 ms). */
  timeoutMs?: number;
  /** Client-side throttle for Partner Center; `false` turns it off. */
  rateLimiter?: RateLimiter | false;
  /** Bucket sizes per Partner Center family (default {@link PARTNER_CENTER_RATE_LIMITS}). */
  rateLimits?: Record<string, RateLimit>;
  /** Receives one redacted line per exchange (`CSP_HTTP_LOG`). */
  trace?: TraceSink;
  /** Backoff tuning (tests make it deterministic with `random`). */
  backoff?: BackoffOptions;
  /** Longest service-requested wait that is still honoured (default 180 s). */
  maxRetryDelayMs?: number;
  /** Waits between attempts (default: abortable `setTimeout`). */
  sleep?: SleepFn;
  /** New request ids (default `crypto.randomUUID`). */
  newId?: () => string;
}

/**
 * Builds the policies in their one order:
 * request ids → user agent → retry( rate limit → bearer auth → trace → transport ).
 * Ids are fixed per logical request before the loop; everything inside runs per attempt.
 */
export function createPolicies(options: ServiceClientOptions): Policy[] {
  const policies: Policy[] = [requestIdPolicy(options.newId), userAgentPolicy()];
  policies.push(
    retryPolicy({
      maxRetries: options.maxRetries ?? 5,
      strategies: [throttlingStrategy(options.backoff), transientStrategy(options.backoff)],
      ...(options.maxRetryDelayMs !== undefined ? { maxRetryDelayMs: options.maxRetryDelayMs } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    }),
  );
  if (options.rateLimiter) {
    policies.push(rateLimitPolicy(options.rateLimiter, options.rateLimits ?? PARTNER_CENTER_RATE_LIMITS));
  }
  if (options.service !== "identity") {
    if (!options.tokens) throw new Error(`createServiceClient(${options.service}) needs a token provider`);
    policies.push(bearerAuthPolicy(options.tokens));
  }
  if (options.trace) policies.push(tracePolicy(options.trace));
  return policies;
}

/**
 * A {@link ServiceClient} for one API: JSON in and out, an empty body becomes `undefined`,
 * statuses in `okStatuses` are returned, any other non-2xx is thrown as a `CspError` parsed from
 * the service's error envelope (see `errors.ts`).
 */
export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const base = new URL(baseUrl);
  const account = options.account ?? "default";
  const timeoutMs = options.timeoutMs ?? 60_000;
  let pipeline: SendFn | undefined;

  return {
    service: options.service,
    baseUrl,
    async send<T = unknown>(request: ApiRequest): Promise<ApiResponse<T>> {
      pipeline ??= composePipeline(createPolicies(options), createTransport(options.dispatcher));
      const url = buildUrl(options.service, base, baseUrl, request);
      const headers: Record<string, string> = { accept: "application/json" };
      for (const [k, v] of Object.entries(request.headers ?? {})) headers[k.toLowerCase()] = v;
      const pipelineRequest: PipelineRequest = {
        service: options.service,
        account,
        method: request.method,
        url,
        headers,
        idempotent: request.idempotent ?? false,
        okStatuses: request.okStatuses ?? [],
        timeoutMs: request.timeoutMs ?? timeoutMs,
        attempt: 0,
      };
      if (request.body !== undefined) {
        pipelineRequest.body = JSON.stringify(request.body);
        headers["content-type"] ??= "application/json";
      }
      if (options.service !== "identity") pipelineRequest.auth = request.auth ?? { mode: "app" };
      if (request.idempotencyKey !== undefined) pipelineRequest.idempotencyKey = request.idempotencyKey;
      if (request.signal) pipelineRequest.signal = request.signal;

      const response = await pipeline(pipelineRequest);
      const body = parseBody(response.bodyText);
      const requestId = responseRequestId(response.headers) ?? sentRequestId(response.request.headers);
      if (!isAccepted(pipelineRequest, response.status)) {
        const retry =
          response.status === 429 || response.status === 503 ? retryAfterMs(response.headers) : undefined;
        throw errorFromResponse({
          service: options.service === "identity" ? "identity" : options.service,
          method: request.method,
          path: url.pathname,
          status: response.status,
          body,
          ...(requestId !== undefined ? { requestId } : {}),
          ...(response.headers["ms-correlationid"]
            ? { correlationId: response.headers["ms-correlationid"] }
            : {}),
          ...(retry !== undefined ? { retryAfterMs: retry } : {}),
          request: {
            method: request.method,
            url: sanitizeUrl(url),
            headers: sanitizeHeaders(response.request.headers),
          },
          response: { status: response.status, headers: sanitizeHeaders(response.headers) },
        });
      }
      const result: ApiResponse<T> = { status: response.status, headers: response.headers, body: body as T };
      if (requestId !== undefined) result.requestId = requestId;
      return result;
    },
  };
}

function buildUrl(service: Service, base: URL, baseUrl: string, request: ApiRequest): URL {
  let url: URL;
  if (/^https?:\/\//i.test(request.path)) {
    url = new URL(request.path);
    // Paging links are followed with our bearer token: only to the service's own origin.
    if (url.origin !== base.origin) {
      throw new CspError({
        code: "CSP_API_ERROR",
        service: service === "identity" ? "identity" : service,
        summary: `refusing to follow a link to ${url.origin}, which is not this service's origin (${base.origin})`,
        hint: "check the endpoint configuration (CSP_*_URL); links must point back at the same service",
      });
    }
  } else {
    url = new URL(baseUrl + (request.path.startsWith("/") ? request.path : `/${request.path}`));
  }
  for (const [k, v] of Object.entries(request.query ?? {})) {
    if (v !== undefined) url.searchParams.set(k, String(v));
  }
  return url;
}

function parseBody(text: string): unknown {
  if (text === "" || text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The service's id for the exchange: Graph `request-id`, ARM `x-ms-request-id`, Partner Center `MS-RequestId`. */
function responseRequestId(headers: Record<string, string>): string | undefined {
  return (
    headers["request-id"] ??
    headers["x-ms-request-id"] ??
    headers["ms-requestid"] ??
    headers["client-request-id"]
  );
}

function sentRequestId(headers: Record<string, string>): string | undefined {
  return headers["ms-requestid"] ?? headers["client-request-id"];
}
