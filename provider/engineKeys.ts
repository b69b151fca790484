import type { ResourceHandler } from "./handlers/types";
import { ENGINE_KEYS } from "./purchaseMarker";

/**
 * The dynamic-provider host passes the engine's own `__provider` input (the provider module text)
 * in `news`, `olds`, create inputs and stored props, and adds it back to what `check`, `create`
 * and `update` return (see `cmd/dynamic-provider` in @pulumi/pulumi). Handlers validate inputs
 * strictly (an unknown key is a mistake), so the host (`host.ts`) wraps every handler with this,
 * hiding the key in both directions. The purchase marker (purchaseMarker.ts) is hidden the same way:
 * it is for the reviewer of a preview, not for the handler.
 */

function strip<T>(value: T): T {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  if (!ENGINE_KEYS.some((k) => k in (value as object))) return value;
  const copy = { ...(value as Record<string, unknown>) };
  for (const k of ENGINE_KEYS) delete copy[k];
  return copy as T;
}

/** The handler with the engine's keys removed from its arguments and results. */
export function withoutEngineKeys<I extends object, O extends object>(
  h: ResourceHandler<I, O>,
): ResourceHandler<I, O> {
  return {
    async check(olds, news, ctx) {
      const r = await h.check(strip(olds), strip(news), ctx);
      return r.inputs ? { ...r, inputs: strip(r.inputs) } : r;
    },
    diff: (id, olds, news, ctx) => h.diff(id, strip(olds), strip(news), ctx),
    async create(inputs, ctx) {
      const r = await h.create(strip(inputs), ctx);
      return r.outs ? { ...r, outs: strip(r.outs) } : r;
    },
    async read(id, props, ctx) {
      const r = await h.read(id, strip(props), ctx);
      return stripReadResult(r);
    },
    async update(id, olds, news, ctx) {
      const r = await h.update(id, strip(olds), strip(news), ctx);
      return r.outs ? { ...r, outs: strip(r.outs) } : r;
    },
    delete: (id, props, ctx) => h.delete(id, strip(props), ctx),
    ...(h.purchase ? { purchase: h.purchase.bind(h) } : {}),
    ...(h.purchaseOnUpdate ? { purchaseOnUpdate: h.purchaseOnUpdate.bind(h) } : {}),
  };
}

function stripReadResult<T extends { props?: object; inputs?: object }>(r: T): T {
  const out = { ...r };
  if (out.props) out.props = strip(out.props);
  if (out.inputs) out.inputs = strip(out.inputs);
  return out;
}
