import { randomUUID } from "node:crypto";
import { ServiceError } from "../common/serviceRoute";
import type { EmuRequest, EmuResponse } from "../common/types";

/** OAuth error values Entra ID's token endpoint uses. */
export type AadErrorValue =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "invalid_scope"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "unsupported_response_type"
  | "invalid_resource"
  | "invalid_tenant"
  | "invalid_instance"
  | "interaction_required"
  | "not_implemented"
  | "temporarily_unavailable"
  | "server_error";

/**
 * A sign-in error raised inside a handler (listed in loginErrors.ts); the login route answers it in
 * the Entra ID error body. `code` is the OAuth error value, `aadsts` the `AADSTSnnnn` number;
 * `invalid_client` answers 401, the rest 400 unless `status` says otherwise.
 */
export class AadError extends ServiceError {
  constructor(
    override readonly code: AadErrorValue,
    readonly aadsts: number,
    message: string,
    status: number = code === "invalid_client" ? 401 : 400,
  ) {
    super(status, code, message);
    this.name = "AadError";
  }
}

/** `2016-01-09 02:02:12Z`, the timestamp format of Entra error bodies (vector 25). */
export function aadTimestamp(now: Date): string {
  return `${now.toISOString().slice(0, 19).replace("T", " ")}Z`;
}

/**
 * An Entra ID error response (vector 25): `error`, `error_description` =
 * `AADSTSnnnn: text\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …`, `error_codes`,
 * `timestamp`, `trace_id`, `correlation_id`, `error_uri`.
 */
export function aadErrorResponse(req: EmuRequest, now: Date, error: AadError): EmuResponse {
  const timestamp = aadTimestamp(now);
  const traceId = req.requestId;
  const correlationId =
    req.headers["client-request-id"] || req.query.get("client-request-id") || randomUUID();
  const code = error.aadsts;
  return {
    status: error.status,
    body: {
      error: error.code,
      error_description: `AADSTS${code}: ${error.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${req.baseUrl}/error?code=${code}`,
    },
  };
}
