import { jsonEqual } from "./handlers/common";
import type { ResourceHandler } from "./handlers/types";
import { isUnknown } from "./handlers/types";

/**
 * The input property that marks a purchase in a preview. On a create of a billable type (no
 * stored inputs yet), or an update that buys (seats added), `check` adds it to the checked inputs
 * with a sentence saying what will be bought; the engine shows checked inputs in `pulumi preview --diff` and `--json` (newState.inputs),
 * and uses them as the planned outputs of a create, so the resource class warns on its own row of a
 * plain `pulumi preview` (see `warnOnPurchase` in resources/cspResource.ts). It is never stored as
 * an output and is stripped from every handler call (engineKeys.ts), so a resource that exists
 * shows no marker and no diff.
 */
export const PURCHASE_KEY = "billablePurchase";

/** The prefix every marker starts with (what a reviewer or a CI script greps for). */
export const PURCHASE_PREFIX = "[BILLABLE PURCHASE]";

/**
 * The input property that says, in a preview, which properties an update changes. The engine
 * shows no property names for a dynamic resource's update in a plain `pulumi preview` (its diff
 * carries none); like the purchase marker, `check` adds this sentence to the checked inputs of an
 * existing resource whose inputs change, the engine uses them as the update's planned outputs, and
 * the resource class logs it on its own row (resources/cspResource.ts). Names only, never values.
 */
export const CHANGES_KEY = "plannedChanges";

/**
 * The input property that says, in a preview, that a create will wait for a customer's approval
 * (a GDAP access assignment of a relationship the customer has not approved yet). Like the purchase
 * marker: `check` adds the handler's sentence (`CheckResult.awaitsApproval`) to the checked inputs of
 * a create, and the resource class warns with it on its own row (resources/cspResource.ts).
 */
export const APPROVAL_KEY = "awaitsApproval";

/** Keys the engine or this module adds to inputs: never compared, never seen by a handler (engineKeys.ts). */
export const ENGINE_KEYS: readonly string[] = ["__provider", PURCHASE_KEY, CHANGES_KEY, APPROVAL_KEY];

/**
 * Adds the preview notes to the checked inputs: the purchase marker on a create that buys (when the
 * handler says it buys), the approval a create waits for, the changed properties on an update, and
 * the purchase marker on an update that buys (seats added to a license subscription,
 * `purchaseOnUpdate`).
 */
export function withPreviewNotes<I extends object, O extends object>(
  h: ResourceHandler<I, O>,
): ResourceHandler<I, O> {
  const describe = h.purchase?.bind(h);
  const describeUpdate = h.purchaseOnUpdate?.bind(h);
  return {
    ...h,
    async check(olds, news, ctx) {
      const r = await h.check(olds, news, ctx);
      if (!r.inputs || (r.failures?.length ?? 0) > 0) return r;
      const creating = Object.keys(olds).length === 0;
      if (creating) {
        const text = r.buys === false ? undefined : describe?.(r.inputs);
        const { awaitsApproval, ...rest } = r;
        const notes = {
          ...(text ? { [PURCHASE_KEY]: `${PURCHASE_PREFIX} ${text}` } : {}),
          ...(awaitsApproval ? { [APPROVAL_KEY]: awaitsApproval } : {}),
        };
        return Object.keys(notes).length > 0 ? { ...rest, inputs: { ...r.inputs, ...notes } } : rest;
      }
      const changed = changedKeys(olds as Record<string, unknown>, r.inputs as Record<string, unknown>);
      if (changed.length === 0) return r;
      const buys = describeUpdate?.(olds, r.inputs);
      return {
        ...r,
        inputs: {
          ...r.inputs,
          [CHANGES_KEY]: `updates ${changed.join(", ")}`,
          ...(buys ? { [PURCHASE_KEY]: `${PURCHASE_PREFIX} ${buys}` } : {}),
        },
      };
    },
  };
}

/**
 * Top-level inputs whose values differ (values not known yet count as a change). Object members
 * are compared whatever their order: stored inputs come back from the engine with sorted keys.
 */
function changedKeys(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(olds), ...Object.keys(news)])]
    .filter((k) => !ENGINE_KEYS.includes(k))
    .filter((k) => !jsonEqual(olds[k], news[k]))
    .sort();
}

/** A value for a purchase sentence: the input, or a placeholder while it is not known (preview). */
export function shown(value: unknown, placeholder: string): string {
  return typeof value === "string" && value !== "" && !isUnknown(value) ? value : placeholder;
}
