/**
 * HTTP core: the one way pulumi-csp talks to Microsoft APIs.
 * `createServiceClient` builds a client over an injectable undici Dispatcher (`createDispatcher`
 * for production); policies are assembled in `serviceClient.ts`.
 */

export type { DispatcherOptions } from "./dispatcher";
export { createDispatcher } from "./dispatcher";
export type { PipelineRequest, PipelineResponse, Policy, SendFn } from "./pipeline";
export { composePipeline } from "./pipeline";
export type { RateLimit, RateLimiter } from "./rateLimiter";
export {
  createSlidingWindowLimiter,
  createTokenBucketLimiter,
  PARTNER_CENTER_RATE_LIMITS,
  partnerCenterBucket,
  partnerCenterFamily,
} from "./rateLimiter";
export { retryAfterMs } from "./retryAfter";
export { REDACTED, redactBodyText, redactValue, sanitizeHeaders, sanitizeUrl } from "./sanitizer";
export type { ServiceClientOptions } from "./serviceClient";
export { createPolicies, createServiceClient } from "./serviceClient";
export type { TraceEntry, TraceSink } from "./traceSink";
export { createFileTraceSink } from "./traceSink";
export type { ApiRequest, ApiResponse, AuthTarget, HttpMethod, Service, ServiceClient } from "./types";
