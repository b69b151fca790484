import { ServiceError } from "../common/serviceRoute";
import type { EmuRequest, EmuResponse } from "../common/types";

/** An ARM error raised inside a handler (listed in armErrors.ts); the ARM route answers it. */
export class ArmError extends ServiceError {
  constructor(status: number, code: string, message: string) {
    super(status, code, message);
    this.name = "ArmError";
  }
}

/**
 * Response headers ARM sends on every answer: `x-ms-request-id` and `x-ms-correlation-request-id`
 * (the client's correlation id echoed, or the request id) ([U] header names: not on the Learn pages
 * read; "Understand how Azure Resource Manager throttles requests",
 * https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling,
 * names only the `x-ms-ratelimit-remaining-*` headers).
 */
export function armHeaders(req: EmuRequest): Record<string, string> {
  return {
    "x-ms-request-id": req.requestId,
    "x-ms-correlation-request-id": req.headers["x-ms-correlation-request-id"] ?? req.requestId,
  };
}

/**
 * ARM error envelope `{error:{code,message}}` (the `ErrorResponse` of "Role Assignments - Create",
 * https://learn.microsoft.com/rest/api/authorization/role-assignments/create).
 */
export function armErrorResponse(
  req: EmuRequest,
  status: number,
  code: string,
  message: string,
): EmuResponse {
  return { status, headers: armHeaders(req), body: { error: { code, message } } };
}
