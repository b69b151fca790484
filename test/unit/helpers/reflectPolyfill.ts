/**
 * @peculiar/x509 uses tsyringe, which insists on the `reflect-metadata` API being present.
 * That package is not a dependency; this is the small subset tsyringe calls.
 */
type MetadataStore = WeakMap<object, Map<unknown, unknown>>;
const store: MetadataStore = new WeakMap();
const R = Reflect as unknown as Record<string, unknown>;

function own(target: object): Map<unknown, unknown> {
  let m = store.get(target);
  if (!m) {
    m = new Map();
    store.set(target, m);
  }
  return m;
}

if (typeof R["getMetadata"] !== "function") {
  R["defineMetadata"] = (key: unknown, value: unknown, target: object) => {
    own(target).set(key, value);
  };
  R["getOwnMetadata"] = (key: unknown, target: object) => store.get(target)?.get(key);
  R["getMetadata"] = (key: unknown, target: object) => {
    let t: object | null = target;
    while (t) {
      const m = store.get(t);
      if (m?.has(key)) return m.get(key);
      t = Object.getPrototypeOf(t) as object | null;
    }
    return undefined;
  };
  R["metadata"] = (key: unknown, value: unknown) => (target: object) => {
    own(target).set(key, value);
  };
}
