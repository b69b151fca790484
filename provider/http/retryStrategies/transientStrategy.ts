import { isCspError } from "../../errors";
import { isLoopbackHost } from "../transport";
import { type BackoffOptions, backoffDelay, type RetryStrategy } from "./retryStrategy";

/**
 * Transient failures: 408, 5xx except 501 (not implemented) and 505 (version not supported),
 * and network failures (socket reset, refused, TLS) and per-attempt timeouts. Capped jittered
 * exponential backoff.
 */
export function transientStrategy(options: BackoffOptions = {}): RetryStrategy {
  return {
    name: "transient",
    retryDelayMs({ attempt, response, error, request }) {
      if (response) {
        const s = response.status;
        const transient = s === 408 || (s >= 500 && s !== 501 && s !== 505);
        return transient ? backoffDelay(attempt, options) : undefined;
      }
      if (isCspError(error) && (error.code === "CSP_NETWORK" || error.code === "CSP_TIMEOUT")) {
        // Nothing listening on this machine (an emulator that is not running) or a name that does
        // not exist does not come back within a backoff: fail at once, with the URL.
        if (error.serviceCode === "ENOTFOUND") return undefined;
        if (
          error.serviceCode === "ECONNREFUSED" &&
          request !== undefined &&
          isLoopbackHost(request.url.hostname)
        ) {
          return undefined;
        }
        return backoffDelay(attempt, options);
      }
      return undefined;
    },
  };
}
