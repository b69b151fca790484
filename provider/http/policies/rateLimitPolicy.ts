import type { Policy } from "../pipeline";
import { partnerCenterBucket, type RateLimit, type RateLimiter } from "../rateLimiter";

/**
 * Waits for the client-side bucket of (account, family, customer tenant) before each Partner Center
 * attempt, so a large program stays under the published limits instead of collecting 429s.
 * Runs inside the retry loop: every attempt counts against the service's limit.
 */
export function rateLimitPolicy(limiter: RateLimiter, limits: Record<string, RateLimit>): Policy {
  return {
    name: "rateLimit",
    async send(request, next) {
      if (request.service === "partnerCenter") {
        const bucket = partnerCenterBucket(request.url.pathname);
        const limit = bucket ? limits[bucket.family] : undefined;
        if (bucket && limit) await limiter.acquire(`${request.account}/${bucket.key}`, limit, request.signal);
      }
      return next(request);
    },
  };
}
