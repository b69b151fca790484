/**
 * Property values as they travel between the Pulumi SDK, the runner and the state file: plain
 * JSON in which a secret is the SDK's wire envelope `{ <sigKey>: <secretSig>, value }` and a value
 * not known yet (preview) is the engine's unknown sentinel. The dynamic-provider host does not
 * accept secrets (its Configure answers `acceptSecrets: false`), so, like the engine, the runner
 * strips envelopes before calling it and puts them back on what it returns.
 */

/** A JSON value that may contain secret envelopes. */
export type PropertyValue = null | boolean | number | string | PropertyValue[] | PropertyMap;
export interface PropertyMap {
  [key: string]: PropertyValue;
}

/** Key marking the SDK's special objects (`rpc.specialSigKey`). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Signature value of a secret (`rpc.specialSecretSig`). */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The engine's sentinel for a value not known yet (`rpc.unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface SecretEnvelope {
  [SIG_KEY]: typeof SECRET_SIG;
  value: PropertyValue;
}

/** True when `v` is a secret envelope holding its plain value. */
export function isSecretEnvelope(v: unknown): v is SecretEnvelope {
  return (
    v !== null &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG &&
    "value" in (v as Record<string, unknown>)
  );
}

/** Wraps a value as a secret (idempotent). */
export function makeSecret(value: PropertyValue): PropertyValue {
  if (isSecretEnvelope(value)) return value;
  return { [SIG_KEY]: SECRET_SIG, value } as PropertyMap;
}

/** True when a secret envelope appears anywhere inside `v`. */
export function containsSecret(v: PropertyValue | undefined): boolean {
  if (v === null || v === undefined || typeof v !== "object") return false;
  if (isSecretEnvelope(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  return Object.values(v).some(containsSecret);
}

/** True when the unknown sentinel appears anywhere inside `v`. */
export function containsUnknown(v: PropertyValue | undefined): boolean {
  if (v === UNKNOWN) return true;
  if (v === null || v === undefined || typeof v !== "object") return false;
  if (Array.isArray(v)) return v.some(containsUnknown);
  return Object.values(v).some(containsUnknown);
}

/** Removes every secret envelope, keeping the plain values (what the provider host receives). */
export function unwrapSecrets<T extends PropertyValue>(v: T): T;
export function unwrapSecrets(v: PropertyValue): PropertyValue {
  if (v === null || typeof v !== "object") return v;
  if (isSecretEnvelope(v)) return unwrapSecrets(v.value);
  if (Array.isArray(v)) return v.map((e) => unwrapSecrets(e));
  const out: PropertyMap = {};
  for (const [k, e] of Object.entries(v)) out[k] = unwrapSecrets(e);
  return out;
}

/** Top-level keys of `map` whose value contains a secret. */
export function secretKeysOf(map: PropertyMap): string[] {
  return Object.keys(map).filter((k) => containsSecret(map[k]));
}

/**
 * Marks the given top-level keys of a plain map as secret. This is the granularity the engine
 * restores secrets at for providers that do not accept secrets, and the granularity of
 * `additionalSecretOutputs`.
 */
export function markSecretKeys(map: PropertyMap, keys: Iterable<string>): PropertyMap {
  const out: PropertyMap = { ...map };
  for (const k of keys) {
    if (k in out) out[k] = makeSecret(out[k]);
  }
  return out;
}

/** Canonical JSON text (sorted keys) for structural comparison. */
export function canonical(v: PropertyValue | undefined): string {
  if (v === undefined) return "undefined";
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
}

/** Top-level keys whose values differ between two maps (secrets compared by their plain value). */
export function changedKeys(olds: PropertyMap, news: PropertyMap, ignore: string[] = []): string[] {
  const a = unwrapSecrets(olds);
  const b = unwrapSecrets(news);
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => !ignore.includes(k) && canonical(a[k]) !== canonical(b[k])).sort();
}
