import { ServiceError } from "../common/serviceRoute";
import type { EmuRequest, EmuResponse } from "../common/types";

/**
 * A Graph error raised inside a handler (listed in graphErrors.ts); the Graph route answers it in
 * the Graph error envelope ("Microsoft Graph error responses and resource types",
 * https://learn.microsoft.com/graph/errors; vector 22).
 */
export class GraphError extends ServiceError {
  constructor(status: number, code: string, message: string, headers?: Record<string, string>) {
    super(status, code, message, headers);
    this.name = "GraphError";
  }
}

/** Graph date format in `innerError.date`: ISO 8601 without fractional seconds. */
function graphDate(now: Date): string {
  return `${now.toISOString().slice(0, 19)}`;
}

/** Response headers Graph sends on every answer: `request-id` and the echoed `client-request-id`. */
export function graphHeaders(req: EmuRequest): Record<string, string> {
  return {
    "request-id": req.requestId,
    "client-request-id": req.headers["client-request-id"] ?? req.requestId,
  };
}

/**
 * Graph error body `{error:{code,message,innerError:{date,"request-id","client-request-id"}}}`.
 * The documented sample (vector 22) shows `request-id` and `date`; live directory errors add
 * `client-request-id` ([U] on Learn: "Microsoft Graph error responses and resource types",
 * https://learn.microsoft.com/graph/errors, shows `request-id` and `date`; the extra field is
 * from live answers quoted in public issues, e.g. DanielChronlund/DCToolbox#6).
 */
export function graphErrorResponse(
  req: EmuRequest,
  status: number,
  code: string,
  message: string,
  now: Date = new Date(),
  extraHeaders?: Record<string, string>,
): EmuResponse {
  const ids = graphHeaders(req);
  return {
    status,
    headers: { ...ids, ...extraHeaders },
    body: {
      error: {
        code,
        message,
        innerError: {
          date: graphDate(now),
          "request-id": ids["request-id"],
          "client-request-id": ids["client-request-id"],
        },
      },
    },
  };
}
