import { describe, expect, it } from "vitest";
import { getSubscription } from "../../provider/clients/partnerCenter/commerce";
import { isCspError } from "../../provider/errors";
import type { LicenseSubscriptionInputs } from "../../provider/handlers/commerce/licenseInputs";
import { licenseSubscriptionHandler as handler } from "../../provider/handlers/commerce/licenseSubscription";
import { UNKNOWN } from "../../provider/handlers/types";
import { PURCHASE_KEY, withPreviewNotes } from "../../provider/purchaseMarker";
import { newCustomerWithAgreement, seatsInputs as seats } from "../support/commerceFixtures";
import { useBuyerEmulator } from "../support/emulatorContext";
import { checked, checkFailures, createResource, updateResource } from "../support/handlerSteps";

/**
 * LicenseSubscription against the emulator: the purchase (acknowledged, through cart + checkout,
 * never twice), seats added and removed inside and outside their window (the emulator's clock moved
 * forward through its admin API), auto-renew, and delete inside and outside the cancellation window.
 */

const DAY = 24 * 3600 * 1000;
const PREMIUM = "CFQ7TTC0LCHC:0002:CFQ7TTC0N8SL";

const { t, buyer } = useBuyerEmulator();

const lastSeq = () => t.lastSeq();

async function writesSince(seq: number, customerId: string): Promise<string[]> {
  const writes = await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true });
  return writes.map((w) =>
    `${w.method} ${w.path}`
      .replace(customerId, "{c}")
      .replace(/carts\/[^/]+/, "carts/{cart}")
      .replace(/subscriptions\/[^/]+/, "subscriptions/{s}"),
  );
}

/** License subscriptions the emulator holds for a customer (through the admin API). */
async function subscriptionsOf(
  customerId: string,
): Promise<{ id: string; status: string; quantity: number }[]> {
  const pc = (await t.emu.admin.state()).partnerCenter as Record<string, unknown>;
  const subs = Object.values(
    (pc["subscriptions"] ?? {}) as Record<
      string,
      { customerId: string; id: string; resource: Record<string, unknown> }
    >,
  );
  return subs
    .filter((s) => s.customerId === customerId && s.resource["billingType"] === "license")
    .map((s) => ({
      id: s.id,
      status: String(s.resource["status"]),
      quantity: Number(s.resource["quantity"]),
    }));
}

describe("LicenseSubscription check", () => {
  it("demands both acknowledgements and refuses bad input before any write", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    const locked = await t.contextWith({ CSP_ALLOW_PURCHASES: "false" });
    const seq = await lastSeq();
    const missing = await checkFailures(
      handler,
      {},
      { ...seats(customerId), acknowledgePurchase: undefined },
      buyer,
    );
    expect(missing.map((f) => f.property)).toEqual(["acknowledgePurchase"]);
    expect(missing[0]!.reason).toMatch(
      /LicenseSubscription is a billable purchase: set acknowledgePurchase: true/,
    );
    const disabled = await checkFailures(handler, {}, seats(customerId), locked);
    expect(disabled[0]!.reason).toMatch(/purchases are disabled for this stack/);
    const cases: [Partial<LicenseSubscriptionInputs>, string, RegExp][] = [
      [{ offer: "Microsoft 365 Business Platinum" }, "offer", /must be one of Microsoft 365 Business Basic/],
      [
        { termDuration: "P1M", billingCycle: "annual" },
        "billingCycle",
        /cannot be longer than the term: a P1M term is billed monthly \(Partner Center 900270\)/,
      ],
      [{ quantity: 0 }, "quantity", /at least 1 seat/],
      [{ offer: undefined, productId: "CFQ7TTC0LCHC" }, "skuId", /is required/],
      [
        { offer: undefined, productId: "NOPE00000000", skuId: "0001" },
        "productId",
        /is not in the catalog for customer/,
      ],
      [
        { offer: "Microsoft 365 Business Basic", termDuration: "P3Y" },
        "termDuration",
        /no purchasable availability with a P3Y term .* \(terms offered: P1M, P1Y\)/,
      ],
      [{ partnerIdOnRecord: "contoso" }, "partnerIdOnRecord", /PartnerID/],
    ];
    for (const [change, property, rule] of cases) {
      const failures = await checkFailures(handler, {}, seats(customerId, change), buyer);
      expect(
        failures.map((f) => f.property),
        property,
      ).toEqual([property]);
      expect(failures[0]!.reason, property).toMatch(rule);
    }
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);
  });

  it("resolves the offer to the customer's catalog item and marks the create as a purchase in the preview", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    const previewed = withPreviewNotes(handler);
    const result = await previewed.check({}, seats(customerId), buyer);
    expect(result.inputs?.catalogItemId).toBe(PREMIUM);
    expect((result.inputs as unknown as Record<string, unknown>)[PURCHASE_KEY]).toBe(
      `[BILLABLE PURCHASE] 5 seats of Microsoft 365 Business Premium for customer ${customerId} (P1Y term, billed monthly): billed for the whole term; cancellable only within seven days of the purchase`,
    );
    // A customer not known yet (created in the same update): no call, resolved at `up`.
    const seq = await lastSeq();
    expect((await handler.check({}, seats(UNKNOWN), buyer)).failures).toBeUndefined();
    expect(await t.emu.admin.requestLog({ sinceSeq: seq })).toEqual([]);
  });
});

describe("LicenseSubscription lifecycle", () => {
  it("buys through cart and checkout, adds seats as a purchase, removes seats inside the window and refuses it outside, turns auto-renew off", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    const seq = await lastSeq();
    const created = await createResource(handler, seats(customerId), buyer);
    expect(created.state).toMatchObject({
      subscriptionId: created.id,
      catalogItemId: PREMIUM,
      offerName: "Microsoft 365 Business Premium",
      status: "active",
      quantity: 5,
      autoRenew: true,
      refundableSeats: 5,
    });
    expect(created.state.deletionBehavior).toMatch(
      /^cancel: deleting this resource cancels the subscription while Partner Center allows it \(until /,
    );
    expect(await writesSince(seq, customerId)).toEqual([
      "POST /v1/customers/{c}/carts",
      "POST /v1/customers/{c}/carts/{cart}/checkout",
    ]);

    const same = await updateResource(handler, created.id, created, seats(customerId), buyer);
    expect(same.changed).toBe(false);

    // An increase: a purchase in the preview, one PATCH.
    const previewed = withPreviewNotes(handler);
    const marked = await previewed.check(created.inputs, seats(customerId, { quantity: 8 }), buyer);
    expect((marked.inputs as unknown as Record<string, unknown>)[PURCHASE_KEY]).toBe(
      `[BILLABLE PURCHASE] adds 3 seats (5 -> 8) of Microsoft 365 Business Premium for customer ${customerId}: billed for the rest of the current term; removable only within seven days`,
    );
    const locked = await t.contextWith({ CSP_ALLOW_PURCHASES: "false" });
    expect(
      (await checkFailures(handler, created.inputs, seats(customerId, { quantity: 8 }), locked))[0]!.reason,
    ).toMatch(/adding seats \(5 -> 8\) is a purchase, and purchases are disabled/);
    const more = await updateResource(
      handler,
      created.id,
      created,
      seats(customerId, { quantity: 8 }),
      buyer,
    );
    expect(more.state.quantity).toBe(8);

    // Inside the window: seats can be removed.
    const fewer = await updateResource(handler, created.id, more, seats(customerId, { quantity: 4 }), buyer);
    expect(fewer.state.quantity).toBe(4);

    // Eight days later: the preview refuses a decrease, with the date and what is possible instead.
    await t.emu.admin.advanceTime(8 * DAY);
    const read = await handler.read(created.id, fewer.state, buyer);
    const now = { inputs: fewer.inputs, state: read.props as typeof fewer.state };
    expect(now.state.refundableSeats).toBe(0);
    const before = await lastSeq();
    const err = await updateResource(
      handler,
      created.id,
      now,
      seats(customerId, { quantity: 2 }),
      buyer,
    ).catch((e: unknown) => e);
    expect(isCspError(err) && err.code).toBe("CSP_VALIDATION");
    const message = (err as Error).message;
    expect(message).toContain(`cannot decrease license subscription ${created.id} from 4 to 2 seats`);
    expect(message).toMatch(
      /its window for removing seats has closed \(the seven days after its purchase or last renewal ended \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
    );
    expect(message).toMatch(/stay billable until the term ends on \d{4}-\d\d-\d\d/);
    expect(message).toMatch(/set autoRenew: false so the subscription ends with its term/);
    expect(await writesSince(before, customerId)).toEqual([]);

    // An increase is still possible, and its seats can be removed within their own window.
    const later = await updateResource(handler, created.id, now, seats(customerId, { quantity: 6 }), buyer);
    const back = await updateResource(handler, created.id, later, seats(customerId, { quantity: 4 }), buyer);
    expect(back.state.quantity).toBe(4);

    const noRenew = await updateResource(
      handler,
      created.id,
      back,
      seats(customerId, { quantity: 4, autoRenew: false }),
      buyer,
    );
    expect(noRenew.state.autoRenew).toBe(false);
    expect((await getSubscription(t.ctx.api().partnerCenter, customerId, created.id))!.autoRenewEnabled).toBe(
      false,
    );
  });

  it("deletes inside the window by cancelling, and outside it by turning auto-renew off", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    const early = await createResource(
      handler,
      seats(customerId, { quantity: 2, friendlyName: "Early" }),
      buyer,
    );
    await handler.delete(early.id, early.state, buyer);
    expect((await subscriptionsOf(customerId)).find((s) => s.id === early.id)?.status).toBe("deleted");
    expect(
      t.logs.some((l) =>
        l.includes(`LicenseSubscription ${early.id}: cancelled within its cancellation window`),
      ),
    ).toBe(true);
    // A second delete changes nothing.
    const seq = await lastSeq();
    await handler.delete(early.id, early.state, buyer);
    expect(await writesSince(seq, customerId)).toEqual([]);

    const late = await createResource(
      handler,
      seats(customerId, { quantity: 3, friendlyName: "Late" }),
      buyer,
    );
    await t.emu.admin.advanceTime(8 * DAY);
    await handler.delete(late.id, late.state, buyer);
    const sub = await getSubscription(t.ctx.api().partnerCenter, customerId, late.id);
    expect(sub).toMatchObject({ status: "active", autoRenewEnabled: false, quantity: 3 });
    expect(
      t.logs.some((l) =>
        new RegExp(
          `LicenseSubscription ${late.id}: the cancellation window closed .* so it cannot be cancelled: auto-renew turned off; the 3 seats stay billable until the term ends on`,
        ).test(l),
      ),
    ).toBe(true);
  });

  it("buys once when the checkout answer is lost, and a re-run after a crash records what the first run bought", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    await t.emu.admin.addFault({
      method: "POST",
      pathPattern: "/checkout$",
      service: "partnerCenter",
      count: 1,
      action: { type: "commitThenDrop" },
    });
    const created = await createResource(handler, seats(customerId), buyer);
    // The engine never recorded it (a crash): the next run's create finds the same purchase.
    const again = await createResource(handler, seats(customerId), buyer);
    expect(again.id).toBe(created.id);
    expect(await subscriptionsOf(customerId)).toEqual([{ id: created.id, status: "active", quantity: 5 }]);
  });

  it("buys anew when the same declaration's earlier subscription was cancelled, and refresh drops a cancelled one", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    const first = await createResource(handler, seats(customerId, { quantity: 1 }), buyer);
    await handler.delete(first.id, first.state, buyer);
    expect((await handler.read(first.id, first.state, buyer)).id).toBe("");
    const second = await createResource(handler, seats(customerId, { quantity: 1 }), buyer);
    expect(second.id).not.toBe(first.id);
    expect((await subscriptionsOf(customerId)).map((s) => s.status).sort()).toEqual(["active", "deleted"]);
  });

  it("sends the reseller of record with the cart, which Partner Center refuses for a direct-bill partner (800016), buying nothing", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    const err = await createResource(
      handler,
      seats(customerId, { partnerIdOnRecord: "5357564" }),
      buyer,
    ).catch((e: unknown) => e);
    expect(isCspError(err) && err.serviceCode).toBe("800016");
    expect((err as Error).message).toContain("PartnerID 5357564 isn't a valid Indirect Reseller");
    expect(await subscriptionsOf(customerId)).toEqual([]);
  });

  it("refuses a change of offer, term or billing cycle instead of replacing the subscription", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    const inputs = await checked(handler, {}, seats(customerId), buyer);
    const seq = await lastSeq();
    for (const change of [
      { offer: "Microsoft 365 Business Basic" },
      { termDuration: "P1M" as const },
      { billingCycle: "annual" as const },
    ]) {
      const failures = await checkFailures(handler, inputs, seats(customerId, change), buyer);
      expect(failures[0]!.reason).toMatch(/a license subscription is never replaced/);
    }
    expect(await writesSince(seq, customerId)).toEqual([]);
    // Declaring the default billing cycle later is no change.
    expect(
      await checkFailures(handler, inputs, seats(customerId, { billingCycle: "monthly" }), buyer),
    ).toEqual([]);
  });
});
