import { randomUUID } from "node:crypto";
import type { Policy } from "../pipeline";

/**
 * Gives each logical request its ids, ONCE, before the retry loop, so every attempt of one
 * request carries the same ids:
 * - Partner Center: `MS-RequestId` is Microsoft's idempotency key (reference §1.3): the caller's
 *   `idempotencyKey` when given, else a fresh uuid per logical request. It is reused on every
 *   retry of the request (lost response, timeout, 5xx, 429) and never across logical requests.
 *   `MS-CorrelationId` is a fresh uuid per logical request, for tracing.
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
      } else if (request.service === "graph" || request.service === "arm") {
        h["client-request-id"] ??= newId();
        if (request.service === "arm") h["x-ms-client-request-id"] ??= h["client-request-id"];
      }
      return next(request);
    },
  };
}
