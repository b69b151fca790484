import { describe, expect, it } from "vitest";
import {
  at,
  cartBody,
  confirmMca,
  createCustomer,
  createPcKit,
  linkReseller,
  list,
  type PcKit,
  shapeDiff,
  str,
  vector,
} from "./partnerCenterTestKit";
import { pcErrorOf } from "./serviceErrors";

/**
 * New-commerce license subscriptions and user licenses at the emulator: the catalog, the seven-day
 * windows for cancelling and removing seats (driven by the emulator's clock), renewals, subscribed
 * SKUs and license updates, with the error codes Partner Center documents.
 */

const DAY = 24 * 3600 * 1000;
const BUSINESS_PREMIUM = "CFQ7TTC0LCHC:0002:CFQ7TTC0N8SL";
const BUSINESS_PREMIUM_SKU = "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46";
const OFFICE_E3 = "CFQ7TTC0LF8Q:0001:CFQ7TTC0N8SD";

function customer(kit: PcKit): string {
  const id = createCustomer(kit);
  confirmMca(kit, id);
  return id;
}

/** Buys seats through cart + checkout; returns the new subscription id. */
function buy(kit: PcKit, customerId: string, item: Record<string, unknown>): string {
  const cart = kit.call("POST", `/v1/customers/${customerId}/carts`, { body: cartBody([item]) });
  if (cart.status !== 201) throw new Error(`cart: ${JSON.stringify(cart.body)}`);
  const done = kit.call("POST", `/v1/customers/${customerId}/carts/${str(cart.body, "id")}/checkout`);
  if (done.status !== 201) throw new Error(`checkout: ${JSON.stringify(done.body)}`);
  return str(done.body, "orders.0.lineItems.0.subscriptionId");
}

function seats(quantity: number, extra: Record<string, unknown> = {}) {
  return {
    catalogItemId: BUSINESS_PREMIUM,
    quantity,
    termDuration: "P1Y",
    billingCycle: "monthly",
    ...extra,
  };
}

function subscription(kit: PcKit, customerId: string, id: string) {
  return kit.call("GET", `/v1/customers/${customerId}/subscriptions/${id}`).body as Record<string, unknown>;
}

function patch(kit: PcKit, customerId: string, id: string, change: Record<string, unknown>) {
  const current = subscription(kit, customerId, id);
  return kit.call("PATCH", `/v1/customers/${customerId}/subscriptions/${id}`, {
    body: { ...current, ...change },
  });
}

function newUser(kit: PcKit, customerId: string, local: string, usageLocation?: string): string {
  const domain = kit.state.directory[customerId]!.domains[0];
  const res = kit.call("POST", `/v1/customers/${customerId}/users`, {
    as: "user",
    body: {
      ...(usageLocation ? { usageLocation } : {}),
      userPrincipalName: `${local}@${domain}`,
      displayName: local,
      passwordProfile: { password: "abCD123*xy", forceChangePassword: true },
    },
  });
  if (res.status !== 200 && res.status !== 201) throw new Error(`user: ${JSON.stringify(res.body)}`);
  return str(res.body, "id");
}

function assign(kit: PcKit, customerId: string, userId: string, add: string[], remove: string[] = []) {
  return kit.call("POST", `/v1/customers/${customerId}/users/${userId}/licenseupdates`, {
    as: "user",
    body: {
      licensesToAssign: add.map((skuId) => ({ skuId, excludedPlans: null })),
      licensesToRemove: remove,
    },
  });
}

describe("new-commerce catalog", () => {
  it("lists the Microsoft 365 offers as OnlineServicesNCE products with their terms", () => {
    const kit = createPcKit();
    const id = customer(kit);
    const products = list(kit.call("GET", `/v1/customers/${id}/products?targetView=OnlineServicesNCE`).body);
    expect(products.map((p) => at(p, "title"))).toContain("Microsoft 365 Business Premium");
    const avail = list(
      kit.call("GET", `/v1/customers/${id}/products/CFQ7TTC0LF8Q/skus/0001/availabilities`).body,
    );
    expect(at(avail[0], "catalogItemId")).toBe(OFFICE_E3);
    expect((at(avail[0], "terms") as { duration: string }[]).map((t) => t.duration)).toEqual([
      "P1M",
      "P1Y",
      "P3Y",
    ]);
  });

  it("refuses a billing cycle longer than the term (900270)", () => {
    const kit = createPcKit();
    const id = customer(kit);
    for (const [termDuration, billingCycle] of [
      ["P1M", "annual"],
      ["P1Y", "triennial"],
    ]) {
      const cart = kit.call("POST", `/v1/customers/${id}/carts`, {
        body: cartBody([{ catalogItemId: OFFICE_E3, quantity: 1, termDuration, billingCycle }]),
      });
      expect(pcErrorOf(cart)).toEqual({ status: 400, code: 900270 });
    }
    expect(
      buy(kit, id, { catalogItemId: OFFICE_E3, quantity: 1, termDuration: "P3Y", billingCycle: "triennial" }),
    ).toBeTruthy();
  });
});

describe("license subscription windows", () => {
  it("starts with the term, a seven-day cancellation window and every seat refundable", () => {
    const kit = createPcKit();
    const id = customer(kit);
    const sub = subscription(kit, id, buy(kit, id, seats(5)));
    expect(sub).toMatchObject({
      offerId: BUSINESS_PREMIUM,
      quantity: 5,
      status: "active",
      autoRenewEnabled: true,
      billingType: "license",
      billingCycle: "monthly",
      termDuration: "P1Y",
      commitmentEndDate: "2027-11-19T00:00:00Z",
      cancellationAllowedUntilDate: "2026-11-27T12:00:00.000Z",
      refundableQuantity: {
        totalQuantity: 5,
        details: [{ quantity: 5, allowedUntilDateTime: "2026-11-27T12:00:00.000Z" }],
      },
      productType: { id: "OnlineServicesNCE" },
    });
  });

  it("adds seats at any time with their own window, and removes only seats still in theirs (900257)", () => {
    const kit = createPcKit();
    const id = customer(kit);
    const subId = buy(kit, id, seats(5));
    kit.advance(8 * DAY);
    // The purchase window closed: nothing can be removed.
    expect(at(subscription(kit, id, subId), "refundableQuantity.totalQuantity")).toBe(0);
    const refused = patch(kit, id, subId, { quantity: 4 });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 900257,
      description: "You have passed your 7-day window for reducing seats for this subscription.",
    });
    // An increase is allowed, and its seats can be removed within seven days of it.
    expect(patch(kit, id, subId, { quantity: 8 }).status).toBe(200);
    expect(at(subscription(kit, id, subId), "refundableQuantity.totalQuantity")).toBe(3);
    expect(at(patch(kit, id, subId, { quantity: 6 }).body, "quantity")).toBe(6);
    expect(at(patch(kit, id, subId, { quantity: 4 }).body, "code")).toBe(900257);
    kit.advance(8 * DAY);
    expect(at(patch(kit, id, subId, { quantity: 5 }).body, "code")).toBe(900257);
    expect(at(subscription(kit, id, subId), "quantity")).toBe(6);
  });

  it("cancels within the window (status deleted) and refuses after it (900117)", () => {
    const kit = createPcKit();
    const id = customer(kit);
    const early = buy(kit, id, seats(2));
    const cancelled = patch(kit, id, early, { status: "deleted" });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: "deleted", autoRenewEnabled: false });
    expect(at(patch(kit, id, early, { friendlyName: "Again" }).body, "code")).toBe(2011);

    const late = buy(kit, id, seats(2));
    kit.advance(7 * DAY + 1000);
    const refused = patch(kit, id, late, { status: "deleted" });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 900117,
      description: "You have passed your 7-day cancellation window. We are unable to cancel your purchase",
    });
    // What remains possible: turning auto-renew off.
    expect(patch(kit, id, late, { autoRenewEnabled: false }).body).toMatchObject({
      autoRenewEnabled: false,
      status: "active",
    });
  });

  it("renews at the end of the term with a new window, or expires without auto-renew", () => {
    const kit = createPcKit();
    const id = customer(kit);
    const monthly = { termDuration: "P1M" };
    const renewing = buy(kit, id, seats(3, monthly));
    const ending = buy(kit, id, seats(3, monthly));
    patch(kit, id, ending, { autoRenewEnabled: false });
    kit.advance(31 * DAY);
    const renewed = subscription(kit, id, renewing);
    expect(renewed).toMatchObject({ status: "active", commitmentEndDate: "2027-01-19T00:00:00Z" });
    expect(at(renewed, "refundableQuantity.totalQuantity")).toBe(3);
    expect(Date.parse(str(renewed, "cancellationAllowedUntilDate"))).toBe(Date.parse("2026-12-27T00:00:00Z"));
    expect(patch(kit, id, renewing, { quantity: 1 }).status).toBe(200);
    expect(subscription(kit, id, ending)).toMatchObject({ status: "expired", autoRenewEnabled: false });
  });

  it("turns auto-renew off when suspending and refuses seat changes while suspended (2001)", () => {
    const kit = createPcKit();
    const id = customer(kit);
    const subId = buy(kit, id, seats(3));
    expect(patch(kit, id, subId, { status: "suspended" }).body).toMatchObject({
      status: "suspended",
      autoRenewEnabled: false,
    });
    expect(at(patch(kit, id, subId, { quantity: 4 }).body, "code")).toBe(2001);
    expect(at(patch(kit, id, subId, { autoRenewEnabled: true }).body, "code")).toBe(800093);
  });

  it("records the reseller of record of an indirect provider's line item, and refuses it from a direct partner", () => {
    const kit = createPcKit();
    const provider = kit.addPartner("indirectProvider");
    const reseller = kit.addPartner("indirectReseller");
    linkReseller(provider, reseller);
    const resellerMpn = reseller.state.partnerCenter.partners[reseller.partnerTenantId]!.mpnId;
    const id = customer(provider);
    const participants = [{ key: "transaction_reseller", value: resellerMpn }];
    const subId = buy(provider, id, seats(1, { participants }));
    expect(at(subscription(provider, id, subId), "partnerId")).toBe(resellerMpn);
    const own = provider.state.partnerCenter.partners[provider.partnerTenantId]!.mpnId;
    const cart = provider.call("POST", `/v1/customers/${id}/carts`, {
      body: cartBody([seats(1, { participants: [{ key: "transaction_reseller", value: own }] })]),
    });
    expect(at(cart.body, "code")).toBe(2072);

    const direct = customer(kit);
    const directCart = kit.call("POST", `/v1/customers/${direct}/carts`, {
      body: cartBody([seats(1, { participants })]),
    });
    expect(at(directCart.body, "code")).toBe(800016);
  });
});

describe("subscribed SKUs and user licenses", () => {
  it("counts seats per SKU, assigns and removes licenses, and refuses a license without a seat (60012)", () => {
    const kit = createPcKit();
    const id = customer(kit);
    buy(kit, id, seats(1));
    const alice = newUser(kit, id, "alice", "US");
    const bob = newUser(kit, id, "bob", "US");

    const before = list(kit.call("GET", `/v1/customers/${id}/subscribedskus`, { as: "user" }).body);
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({
      availableUnits: 1,
      activeUnits: 1,
      consumedUnits: 0,
      totalUnits: 1,
      productSku: { id: BUSINESS_PREMIUM_SKU, name: "Microsoft 365 Business Premium", skuPartNumber: "SPB" },
    });
    expect(pcErrorOf(kit.call("GET", `/v1/customers/${id}/subscribedskus`))).toEqual({
      status: 403,
      code: 900329,
    });

    const ok = assign(kit, id, alice, [BUSINESS_PREMIUM_SKU]);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      licensesToAssign: [{ skuId: BUSINESS_PREMIUM_SKU }],
      licenseWarnings: [],
    });
    // The same assignment again changes nothing and needs no seat.
    expect(assign(kit, id, alice, [BUSINESS_PREMIUM_SKU]).status).toBe(201);
    const licenses = list(
      kit.call("GET", `/v1/customers/${id}/users/${alice}/licenses`, { as: "user" }).body,
    );
    expect(licenses.map((l) => at(l, "productSku.id"))).toEqual([BUSINESS_PREMIUM_SKU]);

    const refused = assign(kit, id, bob, [BUSINESS_PREMIUM_SKU]);
    expect(refused.status).toBe(400);
    expect(shapeDiff(refused.body, vector("05-pc-error-400-license-quota.json"))).toEqual([]);
    expect(refused.body).toMatchObject({ code: 60012 });
    expect(
      at(
        list(kit.call("GET", `/v1/customers/${id}/subscribedskus`, { as: "user" }).body)[0],
        "consumedUnits",
      ),
    ).toBe(1);

    expect(assign(kit, id, alice, [], [BUSINESS_PREMIUM_SKU]).status).toBe(201);
    expect(assign(kit, id, bob, [BUSINESS_PREMIUM_SKU]).status).toBe(201);
  });

  it("refuses a user without usage location, a SKU the tenant lacks and removing a license not held", () => {
    const kit = createPcKit();
    const id = customer(kit);
    buy(kit, id, seats(2));
    const nowhere = newUser(kit, id, "nowhere");
    const alice = newUser(kit, id, "alice", "US");
    expect(at(assign(kit, id, nowhere, [BUSINESS_PREMIUM_SKU]).body, "description")).toMatch(
      /usage location/,
    );
    expect(at(assign(kit, id, alice, ["6fd2c87f-b296-42f0-b197-1e91e994b900"]).body, "description")).toMatch(
      /does not correspond to a SKU the customer subscribes to/,
    );
    expect(at(assign(kit, id, alice, [], [BUSINESS_PREMIUM_SKU]).body, "description")).toMatch(
      /does not have the license/,
    );
    const appOnly = kit.call("POST", `/v1/customers/${id}/users/${alice}/licenseupdates`, {
      body: { licensesToAssign: [{ skuId: BUSINESS_PREMIUM_SKU }] },
    });
    expect(at(appOnly.body, "code")).toBe(900329);
  });
});
