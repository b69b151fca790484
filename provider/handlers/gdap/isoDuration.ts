/**
 * ISO 8601 durations as GDAP uses them (`P730D`, `P2Y`, `P1Y6M`, `PT0S`).
 *
 * Days per unit follow Microsoft's own GDAP limits: a duration lies "between `P1D` and `P2Y`
 * inclusive" and the example asks for `P730D` ("Create delegatedAdminRelationship",
 * https://learn.microsoft.com/graph/api/tenantrelationship-post-delegatedadminrelationships), so a
 * year counts 365 days; a month counts 30 days, a week 7.
 */
const PATTERN = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i;

/** Whole days of an ISO 8601 duration (time parts must be zero), or `undefined` when not parseable. */
export function durationDays(text: string): number | undefined {
  const m = PATTERN.exec(text.trim());
  if (!m || text.trim().toUpperCase() === "P" || /T$/i.test(text.trim())) return undefined;
  const [, y, mo, w, d, h, mi, s] = m.map((v) => (v === undefined ? 0 : Number(v)));
  if ((h ?? 0) !== 0 || (mi ?? 0) !== 0 || (s ?? 0) !== 0) return undefined;
  return (y ?? 0) * 365 + (mo ?? 0) * 30 + (w ?? 0) * 7 + (d ?? 0);
}

/** `P{days}D`, the form the service returns. */
export function daysToDuration(days: number): string {
  return `P${days}D`;
}
