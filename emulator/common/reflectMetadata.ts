/**
 * Minimal Reflect metadata API (`defineMetadata`, `getOwnMetadata`, `getMetadata`, `hasMetadata`,
 * `metadata`). @peculiar/x509 uses tsyringe, which refuses to load without a Reflect polyfill; the
 * package installs none, so the emulator provides this subset before loading x509. An existing
 * polyfill (e.g. `reflect-metadata`) is left untouched.
 */
type Key = string | symbol | undefined;
type MetadataStore = WeakMap<object, Map<Key, Map<unknown, unknown>>>;

interface ReflectWithMetadata {
  defineMetadata?: (key: unknown, value: unknown, target: object, property?: Key) => void;
  getOwnMetadata?: (key: unknown, target: object, property?: Key) => unknown;
  getMetadata?: (key: unknown, target: object, property?: Key) => unknown;
  hasMetadata?: (key: unknown, target: object, property?: Key) => boolean;
  metadata?: (key: unknown, value: unknown) => (target: object, property?: Key) => void;
}

/** Installs the subset on the global `Reflect` if `Reflect.getMetadata` is missing. */
export function ensureReflectMetadata(): void {
  const r = Reflect as unknown as ReflectWithMetadata;
  if (typeof r.getMetadata === "function") return;
  const store: MetadataStore = new WeakMap();
  const own = (target: object, property: Key, create: boolean): Map<unknown, unknown> | undefined => {
    let byProperty = store.get(target);
    if (!byProperty) {
      if (!create) return undefined;
      byProperty = new Map();
      store.set(target, byProperty);
    }
    let values = byProperty.get(property);
    if (!values && create) {
      values = new Map();
      byProperty.set(property, values);
    }
    return values;
  };
  r.defineMetadata = (key, value, target, property) => {
    own(target, property, true)!.set(key, value);
  };
  r.getOwnMetadata = (key, target, property) => own(target, property, false)?.get(key);
  r.getMetadata = (key, target, property) => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const values = own(t, property, false);
      if (values?.has(key)) return values.get(key);
    }
    return undefined;
  };
  r.hasMetadata = (key, target, property) => r.getMetadata!(key, target, property) !== undefined;
  r.metadata = (key, value) => (target, property) => r.defineMetadata!(key, value, target, property);
}
