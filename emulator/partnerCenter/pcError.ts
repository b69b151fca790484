import { ServiceError } from "../common/serviceRoute";
import type { EmuResponse } from "../common/types";

/**
 * Partner Center errors in the service's wire format ("Partner Center REST error codes",
 * https://learn.microsoft.com/partner-center/developer/error-codes):
 * `{ "code": <number>, "description": "...", "data": [...], "source": "PartnerFD" }`.
 *
 * `code` is documented as a string but every published example emits a JSON number, so the
 * emulator emits a number. Route handlers throw a {@link PcError} (listed in pcErrors.ts); the
 * Partner Center route answers it.
 */
export class PcError extends ServiceError<number> {
  constructor(
    status: number,
    code: number,
    readonly description: string,
    readonly data: string[] = [],
    /** Extra response headers (e.g. `WWW-Authenticate` on 401). */
    override readonly headers: Record<string, string> = {},
    /**
     * A body in a different documented shape (the agreement duplicate error 600061 of "Confirm
     * customer acceptance of Microsoft Customer Agreement",
     * https://learn.microsoft.com/partner-center/developer/confirm-customer-consent-customer-agreement).
     */
    readonly customBody?: Record<string, unknown>,
  ) {
    super(status, code, description, headers);
    this.name = "PcError";
  }

  toResponse(): EmuResponse {
    return {
      status: this.status,
      headers: { ...this.headers },
      body: this.customBody ?? pcErrorBody(this.code, this.description, this.data),
    };
  }
}

/** The Partner Center error body. */
export function pcErrorBody(
  code: number,
  description: string,
  data: string[] = [],
): { code: number; description: string; data: string[]; source: string } {
  // The documented maximum length of `description` is 1024 characters.
  return { code, description: description.slice(0, 1024), data, source: "PartnerFD" };
}

/**
 * The throttling answer, which has its own shape ("API throttling guidance",
 * https://learn.microsoft.com/partner-center/developer/api-throttling-guidance; vector 06):
 * HTTP 429, `Retry-After: N`, `{ "statusCode": 429, "message": "Rate limit is exceeded. Try again in N seconds." }`.
 */
export function throttledResponse(retryAfterSeconds: number): EmuResponse {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return {
    status: 429,
    headers: { "Retry-After": String(seconds) },
    body: { statusCode: 429, message: `Rate limit is exceeded. Try again in ${seconds} seconds.` },
  };
}
