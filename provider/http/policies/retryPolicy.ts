import { isCspError } from "../../errors";
import {
  isAccepted,
  type PipelineRequest,
  type PipelineResponse,
  type Policy,
  type RetryWait,
} from "../pipeline";
import type { RetryContext, RetryStrategy } from "../retryStrategies/retryStrategy";
import { sleep as defaultSleep, type SleepFn } from "../sleep";
import { CONNECT_FAILURE_CODES } from "../transport";

export interface RetryPolicyOptions {
  /** Retries after the first attempt (default 5, `CSP_MAX_RETRIES`). */
  maxRetries: number;
  strategies: RetryStrategy[];
  /** A service asking for a longer wait than this is not retried; the error says how long (default 180 s). */
  maxRetryDelayMs?: number;
  sleep?: SleepFn;
}

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE"]);

/**
 * May this request be sent again after `context`'s outcome?
 *
 * GET/HEAD/PUT/DELETE, requests with an `idempotencyKey` and requests marked `idempotent` may be
 * repeated after any transient outcome, including a lost response. The key is Partner Center's
 * `MS-RequestId`, reused by `requestIdPolicy` on every attempt: "Partner Center REST and response
 * headers" (https://learn.microsoft.com/partner-center/developer/headers) documents exactly this
 * use, the same value on the retry of a call that timed out. These retries happen within one run,
 * seconds apart; nothing here relies on the service remembering a key longer [U: not published].
 * A non-idempotent POST/PATCH without a key is NOT repeated when the service may have acted on it
 * (lost response, timeout, 5xx): only when it certainly did not, i.e. a 429 (refused by the
 * throttle, "API throttling guidance",
 * https://learn.microsoft.com/partner-center/developer/api-throttling-guidance), a connection that
 * was never established, or a transient failure to get its token.
 */
export function mayRepeat(request: PipelineRequest, context: RetryContext): boolean {
  if (IDEMPOTENT_METHODS.has(request.method) || request.idempotent || request.idempotencyKey !== undefined) {
    return true;
  }
  if (context.response) return context.response.status === 429;
  const e = context.error;
  if (!isCspError(e)) return false;
  // A failure of another service (the token endpoint, inside bearer auth) happened before this
  // request was sent.
  if (e.service !== request.service) return true;
  return e.code === "CSP_NETWORK" && e.serviceCode !== undefined && CONNECT_FAILURE_CODES.has(e.serviceCode);
}

/**
 * The retry loop, kept apart from the strategies that judge each outcome. Returns the last
 * response (accepted or not: the service client turns a final error status into a `CspError`)
 * or rethrows the last network error. Abortable through the request's signal, also while waiting.
 */
export function retryPolicy(options: RetryPolicyOptions): Policy {
  const sleep = options.sleep ?? defaultSleep;
  const maxDelay = options.maxRetryDelayMs ?? 180_000;
  return {
    name: "retry",
    async send(request, next) {
      let retriedAfter: RetryWait | undefined;
      for (let attempt = 0; ; attempt++) {
        const copy: PipelineRequest = { ...request, headers: { ...request.headers }, attempt };
        if (retriedAfter) copy.retriedAfter = retriedAfter;
        let response: PipelineResponse | undefined;
        let error: unknown;
        try {
          response = await next(copy);
          if (isAccepted(copy, response.status)) return response;
        } catch (e) {
          if (request.signal?.aborted) throw e;
          if (!isCspError(e) || (e.code !== "CSP_NETWORK" && e.code !== "CSP_TIMEOUT")) throw e;
          error = e;
        }
        const context: RetryContext = { attempt, request: copy, response, error };
        const wait =
          attempt < options.maxRetries && mayRepeat(copy, context)
            ? decideWait(options.strategies, context)
            : undefined;
        if (wait === undefined || wait.delayMs > maxDelay) {
          if (response) return response;
          throw error;
        }
        retriedAfter = wait;
        await sleep(wait.delayMs, request.signal);
      }
    },
  };
}

/** The first strategy that takes the outcome decides the wait; the next attempt carries its name. */
function decideWait(strategies: RetryStrategy[], context: RetryContext): RetryWait | undefined {
  for (const s of strategies) {
    const delayMs = s.retryDelayMs(context);
    if (delayMs !== undefined) return { strategy: s.name, delayMs };
  }
  return undefined;
}
