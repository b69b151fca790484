import type { PipelineRequest, PipelineResponse } from "../pipeline";

/** What the retry loop knows after an attempt. */
export interface RetryContext {
  /** 0-based number of the attempt that just finished. */
  attempt: number;
  request: PipelineRequest;
  response?: PipelineResponse;
  error?: unknown;
}

/**
 * Decides whether an outcome is worth another attempt and after how long. Returns `undefined`
 * when the outcome is not its concern (the loop asks the next strategy).
 */
export interface RetryStrategy {
  readonly name: string;
  retryDelayMs(context: RetryContext): number | undefined;
}

export interface BackoffOptions {
  /** First delay, before jitter (default 1000 ms). */
  baseDelayMs?: number;
  /** Cap of any computed delay (default 30000 ms). */
  maxDelayMs?: number;
  /** Source of randomness in [0, 1) (tests pass a constant). */
  random?: () => number;
}

/** Capped exponential backoff with jitter: base·2^attempt, scaled by a factor in [0.5, 1), never above the cap. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 30_000;
  const random = options.random ?? Math.random;
  const exp = Math.min(max, base * 2 ** Math.min(attempt, 30));
  return Math.min(max, Math.round(exp * (0.5 + random() / 2)));
}
