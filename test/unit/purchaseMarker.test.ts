import { describe, expect, it } from "vitest";
import { withoutEngineKeys } from "../../provider/engineKeys";
import { azurePlanHandler } from "../../provider/handlers/commerce/azurePlan";
import { azureSubscriptionHandler } from "../../provider/handlers/commerce/azureSubscription";
import type { HandlerContext, ResourceHandler } from "../../provider/handlers/types";
import { UNKNOWN } from "../../provider/handlers/types";
import {
  APPROVAL_KEY,
  CHANGES_KEY,
  PURCHASE_KEY,
  PURCHASE_PREFIX,
  withPreviewNotes,
} from "../../provider/purchaseMarker";

type Props = Record<string, unknown>;

/** A billable handler whose check passes its inputs through and records what the other methods saw. */
function billable(seen: Props[], failures = false): ResourceHandler<Props, Props> {
  return {
    check: async (_olds, news) => ({
      inputs: news,
      ...(failures ? { failures: [{ property: "name", reason: "too long" }] } : {}),
    }),
    diff: async (_id, olds, news) => {
      seen.push(olds, news);
      return { changes: false };
    },
    create: async (inputs) => {
      seen.push(inputs);
      return { id: "x", outs: inputs };
    },
    read: async (id, props) => ({ id, props }),
    update: async (_id, _olds, news) => ({ outs: news }),
    delete: async () => undefined,
    purchase: (inputs) => `thing ${String(inputs.name)}`,
  };
}

const ctx = {} as HandlerContext;
/** As the host wraps every handler (host.ts). */
const hosted = (h: ResourceHandler<Props, Props>) => withPreviewNotes(withoutEngineKeys(h));

describe("the purchase marker", () => {
  it("is added to the checked inputs of a create, and only of a create", async () => {
    const h = hosted(billable([]));
    const created = await h.check({}, { name: "a", __provider: "p" }, ctx);
    expect(created.inputs?.[PURCHASE_KEY]).toBe(`${PURCHASE_PREFIX} thing a`);
    const existing = await h.check({ name: "a", __provider: "p" }, { name: "a", __provider: "p" }, ctx);
    expect(existing.inputs).not.toHaveProperty(PURCHASE_KEY);
  });

  it("is not added when check found that the create adopts what exists", async () => {
    const h = hosted({ ...billable([]), check: async (_olds, news) => ({ inputs: news, buys: false }) });
    const r = await h.check({}, { name: "a" }, ctx);
    expect(r.inputs).not.toHaveProperty(PURCHASE_KEY);
  });

  it("a create that waits for an approval carries the handler's sentence, which never reaches the handler", async () => {
    const seen: Props[] = [];
    const h = hosted({
      ...billable(seen),
      purchase: undefined,
      check: async (_olds, news) => ({ inputs: news, awaitsApproval: "waits for the customer" }),
    });
    const created = await h.check({}, { name: "a" }, ctx);
    expect(created.inputs?.[APPROVAL_KEY]).toBe("waits for the customer");
    expect(created.inputs).not.toHaveProperty(PURCHASE_KEY);
    const existing = await h.check({ name: "a" }, { name: "a" }, ctx);
    expect(existing.inputs).not.toHaveProperty(APPROVAL_KEY);
    await h.create({ name: "a", [APPROVAL_KEY]: "waits for the customer" }, ctx);
    expect(seen).toEqual([{ name: "a" }]);
  });

  it("is not added when check refuses the inputs", async () => {
    const r = await hosted(billable([], true)).check({}, { name: "a" }, ctx);
    expect(r.inputs).not.toHaveProperty(PURCHASE_KEY);
  });

  it("never reaches the handler: a stored marker makes no diff and is not created or stored as an output", async () => {
    const seen: Props[] = [];
    const h = hosted(billable(seen));
    const marked = { name: "a", [PURCHASE_KEY]: `${PURCHASE_PREFIX} thing a` };
    const created = await h.create(marked, ctx);
    await h.diff("x", marked, { name: "a" }, ctx);
    expect(seen.every((p) => !(PURCHASE_KEY in p))).toBe(true);
    expect(created.outs).not.toHaveProperty(PURCHASE_KEY);
  });

  it("says what the Azure plan and the Azure subscription buy, also while the customer is not created yet", () => {
    expect(azurePlanHandler.purchase?.({ customerId: UNKNOWN, acknowledgePurchase: true })).toBe(
      "Azure plan DZH318Z0BPS6:0001:DZH318Z0BML6 for customer created in this update (a plan it already has is adopted instead)",
    );
    expect(
      azureSubscriptionHandler.purchase?.({
        customerId: "c-1",
        displayName: "Contoso Production",
        acknowledgePurchase: true,
      }),
    ).toBe('Azure subscription "Contoso Production" (Production) for customer c-1, billed by usage');
  });

  it("is added to an update that buys, through the host wrapper, with the changed properties", async () => {
    const h = hosted({
      ...billable([]),
      purchaseOnUpdate: (olds, news) =>
        Number(news.seats) > Number(olds.seats)
          ? `adds ${Number(news.seats) - Number(olds.seats)} seats`
          : undefined,
    });
    const more = await h.check({ seats: 2, __provider: "p" }, { seats: 5, __provider: "p" }, ctx);
    expect(more.inputs?.[PURCHASE_KEY]).toBe(`${PURCHASE_PREFIX} adds 3 seats`);
    expect(more.inputs?.[CHANGES_KEY]).toBe("updates seats");
    const fewer = await h.check({ seats: 5 }, { seats: 2 }, ctx);
    expect(fewer.inputs).not.toHaveProperty(PURCHASE_KEY);
    const same = await h.check({ seats: 5 }, { seats: 5 }, ctx);
    expect(same.inputs).not.toHaveProperty(PURCHASE_KEY);
  });

  it("names the properties an update changes, and nothing when none change or on a create", async () => {
    const h = hosted(billable([]));
    const olds = { name: "a", size: 1, [PURCHASE_KEY]: "[BILLABLE PURCHASE] x", __provider: "p" };
    const updated = await h.check(olds, { name: "b", size: 2, __provider: "p" }, ctx);
    expect(updated.inputs?.[CHANGES_KEY]).toBe("updates name, size");
    const same = await h.check(olds, { name: "a", size: 1, __provider: "p" }, ctx);
    expect(same.inputs).not.toHaveProperty(CHANGES_KEY);
    const created = await h.check({}, { name: "a" }, ctx);
    expect(created.inputs).not.toHaveProperty(CHANGES_KEY);
  });

  it("does not name an object whose members the engine handed back in another order", async () => {
    // Stored inputs come back from the engine with their keys sorted; the program sends its own order.
    const h = hosted(billable([]));
    const olds = {
      billingProfile: { city: "Oslo", address: "Gate 1", email: "a@b.c" },
      name: "a",
      __provider: "p",
    };
    const same = await h.check(
      olds,
      { billingProfile: { address: "Gate 1", city: "Oslo", email: "a@b.c" }, name: "a", __provider: "p" },
      ctx,
    );
    expect(same.inputs).not.toHaveProperty(CHANGES_KEY);
    const renamed = await h.check(
      olds,
      { billingProfile: { email: "a@b.c", address: "Gate 1", city: "Oslo" }, name: "b", __provider: "p" },
      ctx,
    );
    expect(renamed.inputs?.[CHANGES_KEY]).toBe("updates name");
  });
});
