/** JSON value checks every emulated API shares. */

/** A JSON object (what a request body or a nested property must be to be read as one). */
export type JsonObject = Record<string, unknown>;

/** Whether a value is a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a canonical GUID (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, any case). */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}
