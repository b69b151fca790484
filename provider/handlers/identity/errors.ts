import { CspError, type CspErrorService, isCspError } from "../../errors";
import { stripUndefined } from "../common";

/** Error classification and construction shared by the identity handlers. */

/** The service answered 404. */
export function isNotFound(e: unknown): boolean {
  return isCspError(e) && e.status === 404;
}

/**
 * The service answered 412: the `If-Match` ETag is stale. After a lost answer the pipeline repeats
 * a PATCH/DELETE with the ETag it read before, so a 412 may mean the first attempt was applied.
 */
export function isPreconditionFailed(e: unknown): boolean {
  return isCspError(e) && e.status === 412;
}

/** The service answered 409 (or another conflict status / code). */
export function isConflict(e: unknown): boolean {
  return isCspError(e) && (e.status === 409 || e.code === "CSP_CONFLICT");
}

/** A provider-side validation error (found before or between calls), naming what to do. */
export function validationError(
  summary: string,
  hint: string,
  service: CspErrorService = "provider",
): CspError {
  return new CspError({ code: "CSP_VALIDATION", service, summary, hint });
}

/**
 * Wraps a failure that happened after the object was created, so the engine records the object
 * ("created but failed to initialize") instead of losing it: the dynamic-provider host reads `id`
 * and `properties` from the thrown error (dynamic-providers reference). The original error stays
 * the `cause` and its message is kept.
 */
export function initFailed(error: unknown, id: string, properties: object): Error {
  const message = error instanceof Error ? error.message : String(error);
  const wrapped = new Error(
    `${message} (the object ${id} was created; run \`pulumi up\` again to finish it)`,
    {
      cause: error,
    },
  );
  Object.assign(wrapped, { id, properties: stripUndefined(properties), reasons: [message] });
  return wrapped;
}

/** Waits `ms` milliseconds (injectable in handlers so tests run without real delays). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
