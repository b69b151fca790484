import { isGuid, isObject, type JsonObject } from "../common/json";
import { pcErrors } from "./pcErrors";

/**
 * Case-insensitive reading of request bodies. Partner Center answers in camelCase but its published
 * requests use PascalCase (`"CompanyProfile"`, `"Attributes": {"ObjectType": ...}`), and the
 * service binds both (the request examples of e.g. "Create a customer",
 * https://learn.microsoft.com/partner-center/developer/create-a-customer), so every property lookup
 * ignores case.
 */
/** The value of `name` in `obj`, matching the key case-insensitively. */
export function prop(obj: unknown, name: string): unknown {
  if (!isObject(obj)) return undefined;
  if (name in obj) return obj[name];
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(obj)) {
    if (k.toLowerCase() === wanted) return v;
  }
  return undefined;
}

/** Whether `obj` has `name` (any case), even with a `null` value. */
export function hasProp(obj: unknown, name: string): boolean {
  if (!isObject(obj)) return false;
  const wanted = name.toLowerCase();
  return Object.keys(obj).some((k) => k.toLowerCase() === wanted);
}

/** A nested object property, or `undefined`. */
export function objProp(obj: unknown, name: string): JsonObject | undefined {
  const v = prop(obj, name);
  return isObject(v) ? v : undefined;
}

/** A string property (numbers are accepted and converted, as the service's binder does), or `undefined`. */
export function strProp(obj: unknown, name: string): string | undefined {
  const v = prop(obj, name);
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  return undefined;
}

/** A boolean property (also `"true"`/`"false"`), or `undefined`. */
export function boolProp(obj: unknown, name: string): boolean | undefined {
  const v = prop(obj, name);
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

/** A numeric property (also numeric strings), or `undefined`. */
export function numProp(obj: unknown, name: string): number | undefined {
  const v = prop(obj, name);
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** An array property, or `undefined`. */
export function arrProp(obj: unknown, name: string): unknown[] | undefined {
  const v = prop(obj, name);
  return Array.isArray(v) ? v : undefined;
}

/** A required, non-empty string property; otherwise a 400 naming the property path. */
export function requireStr(obj: unknown, name: string, path: string): string {
  const v = strProp(obj, name);
  if (v === undefined || v.trim() === "") throw pcErrors.invalidProperty(`${path} is required.`);
  return v;
}

/** The request body as an object, or a 400 when it is missing or not a JSON object. */
export function requireBody(body: unknown): JsonObject {
  if (!isObject(body)) throw pcErrors.invalidInput("The request body is required and must be a JSON object.");
  return body;
}

/** A GUID path parameter, lower-cased; a 400 / 800002 otherwise (documented for customer ids). */
export function requireGuid(value: string | undefined, what: string): string {
  if (value === undefined || !isGuid(value)) throw pcErrors.notAGuid(what, value ?? "");
  return value.toLowerCase();
}
