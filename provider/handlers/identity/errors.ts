import { CspError, type CspErrorService, isCspError } from "../../errors";

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
