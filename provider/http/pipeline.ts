import type { AuthTarget, HttpMethod, Service } from "./types";

/**
 * The request as it travels through the pipeline: one object per attempt (the retry policy hands
 * each attempt a copy), header names lower-case, body already serialised.
 */
export interface PipelineRequest {
  service: Service;
  /** Partner account the call acts for (keys the token cache and the rate limiter). */
  account: string;
  method: HttpMethod;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Identity of the call; `undefined` for unauthenticated calls (Entra endpoints). */
  auth?: AuthTarget;
  idempotencyKey?: string;
  idempotent: boolean;
  okStatuses: number[];
  signal?: AbortSignal;
  timeoutMs: number;
  /** 0 for the first attempt of a logical request; set by the retry policy. */
  attempt: number;
  /** On a repeat: which retry strategy decided the wait before it, and how long it was. */
  retriedAfter?: RetryWait;
}

/** One HTTP answer, body read as text. */
export interface PipelineResponse {
  status: number;
  /** Lower-case header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  bodyText: string;
  request: PipelineRequest;
}

export type SendFn = (request: PipelineRequest) => Promise<PipelineResponse>;

/** A small named step that may change the request, call `next`, and look at the answer. */
export interface Policy {
  readonly name: string;
  send(request: PipelineRequest, next: SendFn): Promise<PipelineResponse>;
}

/**
 * Composes policies in order around a transport: `policies[0]` sees the request first and the
 * response last. The one ordered list lives in `serviceClient.ts`.
 */
export function composePipeline(policies: readonly Policy[], transport: SendFn): SendFn {
  return policies.reduceRight<SendFn>((next, policy) => (request) => policy.send(request, next), transport);
}

/** True for a 2xx status or one the caller listed in `okStatuses`. */
export function isAccepted(request: PipelineRequest, status: number): boolean {
  return (status >= 200 && status < 300) || request.okStatuses.includes(status);
}

/** A retry strategy's decision: wait `delayMs`, then send again. */
export interface RetryWait {
  /** The strategy that decided (`throttling`, `transient`). */
  strategy: string;
  delayMs: number;
}
