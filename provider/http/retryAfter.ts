/**
 * Reads how long a service asked us to wait, in ms, from (first match wins):
 * `retry-after-ms`, `x-ms-retry-after-ms` (milliseconds), then `Retry-After` as delta-seconds or
 * as an HTTP date (RFC 9110 §10.2.3). Returns `undefined` when none is present or parseable.
 */
export function retryAfterMs(headers: Record<string, string>, now: number = Date.now()): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const v = headers[name];
    if (v !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.max(0, Math.ceil(Number(v)));
  }
  const v = headers["retry-after"];
  if (v === undefined) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.max(0, Math.ceil(Number(v) * 1000));
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
