/** Set reconciliation helpers: what to add and what to remove to make `actual` equal `desired`. */

export interface SetChanges<T> {
  toAdd: T[];
  toRemove: T[];
}

/**
 * Elements of `desired` missing from `actual` and elements of `actual` not in `desired`, compared
 * by `key` (case-insensitive ids by default). Order follows the inputs; duplicates collapse.
 */
export function setChanges<T>(
  desired: readonly T[],
  actual: readonly T[],
  key: (v: T) => string = (v) => String(v).toLowerCase(),
): SetChanges<T> {
  const want = new Map<string, T>();
  for (const d of desired) if (!want.has(key(d))) want.set(key(d), d);
  const have = new Map<string, T>();
  for (const a of actual) if (!have.has(key(a))) have.set(key(a), a);
  return {
    toAdd: [...want].filter(([k]) => !have.has(k)).map(([, v]) => v),
    toRemove: [...have].filter(([k]) => !want.has(k)).map(([, v]) => v),
  };
}

/** True when both lists hold the same elements (by `key`), ignoring order and duplicates. */
export function sameSet<T>(
  a: readonly T[],
  b: readonly T[],
  key: (v: T) => string = (v) => String(v).toLowerCase(),
): boolean {
  const c = setChanges(a, b, key);
  return c.toAdd.length === 0 && c.toRemove.length === 0;
}

/** Sorted, de-duplicated copy (case-insensitive dedupe, first spelling kept). */
export function uniqueSorted(values: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const v of values) if (!seen.has(v.toLowerCase())) seen.set(v.toLowerCase(), v);
  return [...seen.values()].sort((x, y) => x.localeCompare(y));
}
