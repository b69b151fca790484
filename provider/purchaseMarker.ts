import type { ResourceHandler } from "./handlers/types";
import { isUnknown } from "./handlers/types";

/**
 * The input property that marks a purchase in a preview. On a create of a billable type (no
 * stored inputs yet) `check` adds it to the checked inputs with a sentence saying what will be
 * bought; the engine shows checked inputs in `pulumi preview --diff` and `--json` (newState.inputs),
 * and uses them as the planned outputs of a create, so the resource class warns on its own row of a
 * plain `pulumi preview` (see `warnOnPurchase` in resources/cspResource.ts). It is never stored as
 * an output and is stripped from every handler call (engineKeys.ts), so a resource that exists
 * shows no marker and no diff.
 */
export const PURCHASE_KEY = "billablePurchase";

/** The prefix every marker starts with (what a reviewer or a CI script greps for). */
export const PURCHASE_PREFIX = "[BILLABLE PURCHASE]";

/** Adds the purchase marker to the checked inputs of a create, when the handler says it buys. */
export function withPurchaseMarker<I extends object, O extends object>(
  h: ResourceHandler<I, O>,
): ResourceHandler<I, O> {
  if (!h.purchase) return h;
  const describe = h.purchase;
  return {
    ...h,
    async check(olds, news, ctx) {
      const r = await h.check(olds, news, ctx);
      const creating = Object.keys(olds).length === 0;
      if (!creating || !r.inputs || (r.failures?.length ?? 0) > 0 || r.buys === false) return r;
      const text = describe(r.inputs);
      return text ? { ...r, inputs: { ...r.inputs, [PURCHASE_KEY]: `${PURCHASE_PREFIX} ${text}` } } : r;
    },
  };
}

/** A value for a purchase sentence: the input, or a placeholder while it is not known (preview). */
export function shown(value: unknown, placeholder: string): string {
  return typeof value === "string" && value !== "" && !isUnknown(value) ? value : placeholder;
}
