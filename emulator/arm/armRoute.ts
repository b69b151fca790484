import { isObject } from "../common/json";
import { okAnswer, type ServiceShape, serviceRoute } from "../common/serviceRoute";
import type { EmulatorCore, EmuRequest, EmuResponse, Route } from "../common/types";
import { type ArmCaller, requireArmCaller } from "./armCaller";
import { ArmError, armErrorResponse, armHeaders } from "./armError";
import { armErrors } from "./armErrors";

/**
 * Who may call an ARM route: `armToken`, a valid token for Azure Resource Manager (role-based
 * access is then checked per resource by the handler, `requireAction`); `none` for a route that
 * verifies the token itself after its own routing (the resource-scope catch-all answers 501 for
 * what it does not model before looking at the token).
 */
export type ArmAuth = "armToken" | "none";

/**
 * The ARM route shape: `api-version` is required (400 `MissingApiVersionParameter` when absent, as
 * ARM answers before anything else), then the declared auth, then the handler; a thrown
 * {@link ArmError} becomes the ARM envelope.
 */
const armShape: ServiceShape<ArmAuth, ArmCaller | undefined> = {
  precheck(req) {
    const version = req.query.get("api-version");
    if (version === null || version === "") throw armErrors.missingApiVersion();
    if (!/^\d{4}-\d{2}-\d{2}(-preview|-beta|-alpha|-privatepreview)?$/i.test(version)) {
      throw armErrors.invalidApiVersion(version);
    }
  },
  authorize: (req, _emu, auth) => (auth === "armToken" ? requireArmCaller(req) : undefined),
  errorAnswer: (e, req) =>
    e instanceof ArmError ? armErrorResponse(req, e.status, e.code, e.message) : undefined,
};

/** An ARM route whose handler gets the verified caller. */
export function armRoute(
  method: Route["method"],
  path: string,
  auth: "armToken",
  handler: (req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) => EmuResponse,
): Route;
/** An ARM route that verifies the token itself. */
export function armRoute(
  method: Route["method"],
  path: string,
  auth: "none",
  handler: (req: EmuRequest, emu: EmulatorCore) => EmuResponse,
): Route;
export function armRoute(
  method: Route["method"],
  path: string,
  auth: ArmAuth,
  handler: (req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) => EmuResponse,
): Route {
  return serviceRoute(armShape, method, path, auth, (req, emu, caller) => handler(req, emu, caller!));
}

/** A successful ARM answer with the request-id headers. */
export function armOk(
  req: EmuRequest,
  status: number,
  body?: unknown,
  headers?: Record<string, string>,
): EmuResponse {
  return okAnswer(armHeaders(req), status, body, headers);
}

/** Property of an object by case-insensitive name (ARM accepts `DisplayName` for `displayName`, vector 24). */
export function propCI(obj: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

/** The JSON object body; 400 `InvalidRequestContent` when missing or not an object. */
export function armBody(req: EmuRequest): Record<string, unknown> {
  if (!isObject(req.body)) throw armErrors.invalidContent();
  return req.body;
}
