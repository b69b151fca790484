/**
 * ISO 8601 durations as GDAP uses them (`P730D`, `P2Y`, `P180D`, `PT0S`): parsing and calendar
 * addition (years and months add calendar units, days add 24-hour days).
 */

/** Components of a duration. */
export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const PATTERN =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Parses `PnYnMnWnDTnHnMnS`; `undefined` when the text is not a duration. */
export function parseIsoDuration(text: string): IsoDuration | undefined {
  const m = PATTERN.exec(text);
  if (!m || text === "P" || text.endsWith("T")) return undefined;
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i]));
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

/** `start + duration`. */
export function addIsoDuration(start: Date, d: IsoDuration): Date {
  const out = new Date(start.getTime());
  out.setUTCFullYear(out.getUTCFullYear() + d.years, out.getUTCMonth() + d.months);
  const ms = (((d.weeks * 7 + d.days) * 24 + d.hours) * 60 + d.minutes) * 60_000 + d.seconds * 1000;
  return new Date(out.getTime() + ms);
}

/** Whether the duration is zero (`PT0S`, `P0D`). */
export function isZeroDuration(d: IsoDuration): boolean {
  return Object.values(d).every((v) => v === 0);
}
