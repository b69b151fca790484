import { UNKNOWN } from "../types";

/**
 * Whether a value holds the engine's "not known yet" sentinel anywhere (preview passes it for
 * inputs that depend on resources not created yet). A diff treats such a field as changed
 * without comparing it; the real comparison happens when `up` calls diff again with known values.
 */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** The keys among `keys` whose new value is not known yet. */
export function unknownKeys<T extends object>(news: T, keys: readonly (keyof T & string)[]): string[] {
  return keys.filter((k) => containsUnknown(news[k]));
}
