import type { EmuRequest, EmuResponse } from "../common/types";

/** An ARM error raised inside a handler; {@link armRoute} turns it into the ARM envelope. */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ArmError";
  }
}

/**
 * Response headers ARM sends on every answer: `x-ms-request-id` and `x-ms-correlation-request-id`
 * (the client's correlation id echoed, or the request id) (reference 7, header names [U]).
 */
export function armHeaders(req: EmuRequest): Record<string, string> {
  return {
    "x-ms-request-id": req.requestId,
    "x-ms-correlation-request-id": req.headers["x-ms-correlation-request-id"] ?? req.requestId,
  };
}

/** ARM error envelope `{error:{code,message}}` (reference 7). */
export function armErrorResponse(
  req: EmuRequest,
  status: number,
  code: string,
  message: string,
): EmuResponse {
  return { status, headers: armHeaders(req), body: { error: { code, message } } };
}
