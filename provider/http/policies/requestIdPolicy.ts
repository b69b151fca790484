import { randomUUID } from "node:crypto";
import type { Policy } from "../pipeline";

/** The Partner Center API version every call asks for. */
export const PARTNER_CENTER_CONTRACT_VERSION = "v1";

/**
 * Gives each logical request its ids, ONCE, before the retry loop, so every attempt of one
 * request carries the same ids:
 * - Partner Center, as "Partner Center REST and response headers"
 *   (https://learn.microsoft.com/partner-center/developer/headers) describes them, all GUIDs:
 *   - `MS-RequestId`: the idempotency key of a call: a retry after a timeout carries the same
 *     value, the next call (after any answer, success or business failure) a new one. It is the
 *     caller's `idempotencyKey` when given, else a fresh uuid per logical request, reused on every
 *     retry of that request (lost response, timeout, 5xx, 429) and never across logical requests.
 *     What the page does not say [U]: how long the service remembers a value, and whether it
 *     answers a value sent again on a later run; creates that could be repeated across runs look
 *     for what an earlier run made before they write (see the handlers).
 *   - `MS-CorrelationId`: new for every call. [U] A retry counts as the same call: it keeps the
 *     correlation id of its request, so the service's logs tie the attempts together.
 *   - `MS-Contract-Version: v1`: the page marks it required (value `v1`); the official .NET SDK
 *     does not send it and is served, so it costs nothing to send and is what the page asks.
 * - Graph and ARM: `client-request-id` (ARM also reads `x-ms-client-request-id`).
 * Ids the caller set explicitly in `headers` are kept.
 */
export function requestIdPolicy(newId: () => string = randomUUID): Policy {
  return {
    name: "requestId",
    async send(request, next) {
      const h = request.headers;
      if (request.service === "partnerCenter") {
        h["ms-requestid"] ??= request.idempotencyKey ?? newId();
        h["ms-correlationid"] ??= newId();
        h["ms-contract-version"] ??= PARTNER_CENTER_CONTRACT_VERSION;
      } else if (request.service === "graph" || request.service === "arm") {
        h["client-request-id"] ??= newId();
        if (request.service === "arm") h["x-ms-client-request-id"] ??= h["client-request-id"];
      }
      return next(request);
    },
  };
}
