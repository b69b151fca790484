import type { EmuResponse } from "../../emulator/common/types";

/**
 * Error answers as callers branch on them: the HTTP status and the service's own code. Asserting
 * both pins a refusal to the one the service documents, not any answer of that status.
 */

/** A Graph or ARM error answer: the status and the body's `error.code`. */
export function graphErrorOf(res: { status: number; json: Record<string, unknown> }): {
  status: number;
  code: unknown;
} {
  return { status: res.status, code: (res.json["error"] as { code?: unknown } | undefined)?.code };
}

/** A Partner Center error answer: the status and the body's numeric `code`. */
export function pcErrorOf(res: EmuResponse): { status: number; code: unknown } {
  return { status: res.status, code: (res.body as { code?: unknown } | undefined)?.code };
}
