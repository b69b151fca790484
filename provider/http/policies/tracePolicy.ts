import type { Policy } from "../pipeline";
import { redactBodyText, sanitizeHeaders, sanitizeUrl } from "../sanitizer";
import type { TraceEntry, TraceSink } from "../traceSink";

/**
 * Writes one redacted line per attempt. Placed last before the transport, after bearer auth
 * adds the Authorization header, so what it logs is what went on the wire (minus secrets).
 */
export function tracePolicy(sink: TraceSink, now: () => number = Date.now): Policy {
  return {
    name: "trace",
    async send(request, next) {
      const started = now();
      const base = (): TraceEntry => {
        const entry: TraceEntry = {
          time: new Date(started).toISOString(),
          service: request.service,
          account: request.account,
          method: request.method,
          url: sanitizeUrl(request.url),
          attempt: request.attempt,
          durationMs: now() - started,
          requestHeaders: sanitizeHeaders(request.headers),
        };
        if (request.retriedAfter) entry.retriedAfter = { ...request.retriedAfter };
        const body = redactBodyText(request.body, request.headers["content-type"]);
        if (body !== undefined) entry.requestBody = body;
        return entry;
      };
      try {
        const response = await next(request);
        const entry = base();
        entry.status = response.status;
        entry.responseHeaders = sanitizeHeaders(response.headers);
        const body = redactBodyText(response.bodyText, response.headers["content-type"]);
        if (body !== undefined) entry.responseBody = body;
        sink(entry);
        return response;
      } catch (e) {
        const entry = base();
        entry.error = e instanceof Error ? e.message : String(e);
        sink(entry);
        throw e;
      }
    },
  };
}
