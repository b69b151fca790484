import { CspError, type CspErrorCode, type CspErrorService } from "../../errors";
import { partialCreate } from "../common";

/**
 * Errors the commerce handlers raise themselves (as opposed to API errors, which the HTTP
 * pipeline turns into {@link CspError}s). Each names what was refused and what to do.
 */

/**
 * A refusal the provider throws before or instead of a call (bad combination, unsafe change); the
 * check-time counterpart is `refusal` in ../common.ts, a check failure naming field, rule and value.
 */
export function providerRefusal(
  summary: string,
  hint: string,
  code: CspErrorCode = "CSP_VALIDATION",
): CspError {
  return new CspError({ code, service: "provider", summary, hint });
}

/** A conflict with the current state of a Microsoft object (e.g. suspend while subscriptions are active). */
export function conflict(service: CspErrorService, summary: string, hint: string): CspError {
  return new CspError({ code: "CSP_CONFLICT", service, summary, hint });
}

/**
 * Runs the steps that follow a purchase inside the same create (rename, status, reads). When one
 * fails, the error is re-thrown as a partial create carrying the object's id and outputs, so the
 * purchased object is recorded in the state instead of being lost.
 */
export async function afterPurchase<T>(
  id: string,
  properties: () => object,
  steps: () => Promise<T>,
): Promise<T> {
  try {
    return await steps();
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    if ("id" in error && "properties" in error) throw error;
    throw partialCreate(error, id, properties());
  }
}
