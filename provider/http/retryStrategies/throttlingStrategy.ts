import { retryAfterMs } from "../retryAfter";
import { type BackoffOptions, backoffDelay, type RetryStrategy } from "./retryStrategy";

/**
 * Throttling: 429, and 503 carrying a retry header. Waits what the service asked for
 * (`retry-after-ms`, `x-ms-retry-after-ms`, `Retry-After` seconds or HTTP date); a 429 without
 * any header backs off exponentially.
 */
export function throttlingStrategy(options: BackoffOptions & { now?: () => number } = {}): RetryStrategy {
  return {
    name: "throttling",
    retryDelayMs({ attempt, response }) {
      if (!response) return undefined;
      if (response.status !== 429 && response.status !== 503) return undefined;
      const asked = retryAfterMs(response.headers, (options.now ?? Date.now)());
      if (asked !== undefined) return asked;
      return response.status === 429 ? backoffDelay(attempt, options) : undefined;
    },
  };
}
