import type { EmulatorCore, EmuRequest, EmuResponse, Route } from "../common/types";
import { GraphError, graphErrorResponse, graphHeaders } from "./graphError";

/** A Graph route whose handler may throw {@link GraphError}; the error becomes the Graph envelope. */
export function graphRoute(
  method: Route["method"],
  path: string,
  handler: (req: EmuRequest, emu: EmulatorCore) => EmuResponse,
): Route {
  return {
    method,
    path,
    handler: (req, emu) => {
      try {
        return handler(req, emu);
      } catch (e) {
        if (e instanceof GraphError)
          return graphErrorResponse(req, e.status, e.code, e.message, emu.now(), e.headers);
        throw e;
      }
    },
  };
}

/** A successful Graph answer with the request-id headers. */
export function graphOk(
  req: EmuRequest,
  status: number,
  body?: unknown,
  headers?: Record<string, string>,
): EmuResponse {
  const res: EmuResponse = { status, headers: { ...graphHeaders(req), ...headers } };
  if (body !== undefined) res.body = body;
  return res;
}

/** The JSON object body of a request, or 400 when it is missing or not an object. */
export function jsonBody(req: EmuRequest): Record<string, unknown> {
  const b = req.body;
  if (b === undefined || b === null) {
    throw new GraphError(400, "BadRequest", "Empty Payload. JSON content expected.");
  }
  if (typeof b !== "object" || Array.isArray(b)) {
    throw new GraphError(400, "BadRequest", "Invalid request body: a JSON object is expected.");
  }
  return b as Record<string, unknown>;
}

/** Optional string property of a body; 400 when present with another type. */
export function optString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") {
    throw new GraphError(400, "Request_BadRequest", `Invalid value specified for property '${key}'.`);
  }
  return v;
}

/** Required string property of a body. */
export function reqString(body: Record<string, unknown>, key: string, entity: string): string {
  const v = optString(body, key);
  if (v === undefined || v === "") {
    throw new GraphError(
      400,
      "Request_BadRequest",
      `Property '${key}' is required when creating the '${entity}' object.`,
    );
  }
  return v;
}

/** Whether a value is a plain JSON object. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
