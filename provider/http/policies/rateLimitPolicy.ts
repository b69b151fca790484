import type { Policy } from "../pipeline";
import { partnerCenterFamily, type RateLimit, type RateLimiter } from "../rateLimiter";

/**
 * Waits for the client-side token bucket of (account, family) before each Partner Center
 * attempt, so a large program stays under the published limits instead of collecting 429s.
 * Runs inside the retry loop: every attempt counts against the service's limit.
 */
export function rateLimitPolicy(limiter: RateLimiter, limits: Record<string, RateLimit>): Policy {
  return {
    name: "rateLimit",
    async send(request, next) {
      if (request.service === "partnerCenter") {
        const family = partnerCenterFamily(request.url.pathname);
        const limit = family ? limits[family] : undefined;
        if (family && limit) await limiter.acquire(`${request.account}/${family}`, limit, request.signal);
      }
      return next(request);
    },
  };
}
