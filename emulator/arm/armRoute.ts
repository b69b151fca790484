import type { EmulatorCore, EmuRequest, EmuResponse, Route } from "../common/types";
import { ArmError, armErrorResponse, armHeaders } from "./armError";

/**
 * An ARM route: requires `api-version` (400 `MissingApiVersionParameter` when absent, as ARM
 * answers before anything else) and turns a thrown {@link ArmError} into the ARM envelope.
 */
export function armRoute(
  method: Route["method"],
  path: string,
  handler: (req: EmuRequest, emu: EmulatorCore) => EmuResponse,
): Route {
  return {
    method,
    path,
    handler: (req, emu) => {
      try {
        const version = req.query.get("api-version");
        if (version === null || version === "") {
          throw new ArmError(
            400,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
          );
        }
        if (!/^\d{4}-\d{2}-\d{2}(-preview|-beta|-alpha|-privatepreview)?$/i.test(version)) {
          throw new ArmError(
            400,
            "InvalidApiVersionParameter",
            `The api-version '${version}' is invalid. The supported versions are in the format 'yyyy-mm-dd' or 'yyyy-mm-dd-preview'.`,
          );
        }
        return handler(req, emu);
      } catch (e) {
        if (e instanceof ArmError) return armErrorResponse(req, e.status, e.code, e.message);
        throw e;
      }
    },
  };
}

/** A successful ARM answer with the request-id headers. */
export function armOk(
  req: EmuRequest,
  status: number,
  body?: unknown,
  headers?: Record<string, string>,
): EmuResponse {
  const res: EmuResponse = { status, headers: { ...armHeaders(req), ...headers } };
  if (body !== undefined) res.body = body;
  return res;
}

/** Whether a value is a plain JSON object. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Property of an object by case-insensitive name (ARM accepts `DisplayName` for `displayName`, vector 24). */
export function propCI(obj: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

/** The JSON object body; 400 `InvalidRequestContent` when missing or not an object. */
export function armBody(req: EmuRequest): Record<string, unknown> {
  if (!isObject(req.body)) {
    throw new ArmError(
      400,
      "InvalidRequestContent",
      "The request content was invalid and could not be deserialized.",
    );
  }
  return req.body;
}

/** Canonical GUID check. */
export function isGuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}
