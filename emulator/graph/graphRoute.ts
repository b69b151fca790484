import { okAnswer, type ServiceHandler, type ServiceShape, serviceRoute } from "../common/serviceRoute";
import type { EmuRequest, EmuResponse, Route } from "../common/types";
import { callerFor, type GraphAuth, type GraphCaller } from "./graphCaller";
import { GraphError, graphErrorResponse, graphHeaders } from "./graphError";
import { graphErrors } from "./graphErrors";

/**
 * The Graph route shape: the declared auth (token, permission, and for GDAP the partner and admin
 * agent), then the handler; a thrown {@link GraphError} becomes the Graph error envelope.
 */
const graphShape: ServiceShape<GraphAuth, GraphCaller> = {
  authorize: callerFor,
  errorAnswer: (e, req, emu) =>
    e instanceof GraphError
      ? graphErrorResponse(req, e.status, e.code, e.message, emu.now(), e.headers)
      : undefined,
};

/** A Graph route: who may call it (`auth`, a rule of PERMISSIONS) and its handler, given the caller. */
export function graphRoute(
  method: Route["method"],
  path: string,
  auth: GraphAuth,
  handler: ServiceHandler<GraphCaller>,
): Route {
  return serviceRoute(graphShape, method, path, auth, handler);
}

/** A successful Graph answer with the request-id headers. */
export function graphOk(
  req: EmuRequest,
  status: number,
  body?: unknown,
  headers?: Record<string, string>,
): EmuResponse {
  return okAnswer(graphHeaders(req), status, body, headers);
}

/** The JSON object body of a request, or 400 when it is missing or not an object. */
export function jsonBody(req: EmuRequest): Record<string, unknown> {
  const b = req.body;
  if (b === undefined || b === null) {
    throw graphErrors.emptyPayload();
  }
  if (typeof b !== "object" || Array.isArray(b)) {
    throw graphErrors.bodyNotAnObject();
  }
  return b as Record<string, unknown>;
}

/** Optional string property of a body; 400 when present with another type. */
export function optString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") {
    throw graphErrors.badRequest(`Invalid value specified for property '${key}'.`);
  }
  return v;
}

/** Required string property of a body. */
export function reqString(body: Record<string, unknown>, key: string, entity: string): string {
  const v = optString(body, key);
  if (v === undefined || v === "") {
    throw graphErrors.badRequest(`Property '${key}' is required when creating the '${entity}' object.`);
  }
  return v;
}
