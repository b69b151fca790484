import type { EmuRequest, EmuResponse } from "../common/types";

/**
 * A Graph error raised inside a handler; {@link withGraphErrors} turns it into the Graph error
 * envelope ("Microsoft Graph error responses and resource types",
 * https://learn.microsoft.com/graph/errors; vector 22).
 */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
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

/**
 * 404 of a directory object, with the message the live service uses ([U] not on Learn; the text is
 * from live answers quoted in public issues, e.g.
 * microsoftgraph/microsoft-graph-docs-contrib#6431).
 */
export function resourceNotFound(id: string): GraphError {
  return new GraphError(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

/** 400 `Request_BadRequest` for invalid directory requests. */
export function badRequest(message: string): GraphError {
  return new GraphError(400, "Request_BadRequest", message);
}
