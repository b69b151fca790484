import { describe, expect, it } from "vitest";
import { findActiveAzurePlan } from "../../emulator/partnerCenter/azurePlans";
import { customerWithPlan } from "./partnerCenterCommerceKit";
import {
  AZURE_PLAN,
  at,
  buyAzurePlan,
  confirmMca,
  createCustomer,
  createPcKit,
  list,
  shapeDiff,
  str,
  vector,
} from "./partnerCenterTestKit";
import { pcErrorOf } from "./serviceErrors";

/**
 * What was bought, at the emulator's Partner Center: orders, subscriptions, the Azure plan's
 * entitlements, and removing a reseller relationship that has subscriptions.
 */

describe("Partner Center orders", () => {
  it("gets and lists orders and reports provisioning status (vector 18) to App+User callers only", () => {
    const kit = createPcKit();
    const { customerId, orderId } = customerWithPlan(kit);
    const order = kit.call("GET", `/v1/customers/${customerId}/orders/${orderId}`);
    expect(order.body).toMatchObject({
      id: orderId,
      status: "completed",
      attributes: { objectType: "Order" },
    });
    expect(list(kit.call("GET", `/v1/customers/${customerId}/orders`).body)).toHaveLength(1);
    const status = kit.call("GET", `/v1/customers/${customerId}/orders/${orderId}/provisioningstatus`, {
      as: "user",
    });
    expect(status.status).toBe(200);
    expect(shapeDiff(status.body, vector("18-pc-order-provisioning-status-response.json"))).toEqual([]);
    const appOnly = kit.call("GET", `/v1/customers/${customerId}/orders/${orderId}/provisioningstatus`);
    expect(at(appOnly.body, "code")).toBe(900329);
    expect(at(kit.call("GET", `/v1/customers/${customerId}/orders/abcdef123456`).body, "code")).toBe(20000);
  });

  it("keeps orders pending without subscription ids while provisioning is delayed, then fulfils them", () => {
    const kit = createPcKit();
    Object.assign(kit.state.settings, { partnerCenterProvisioningDelayMs: 600_000 });
    const customerId = createCustomer(kit);
    confirmMca(kit, customerId);
    const res = buyAzurePlan(kit, customerId);
    expect(res.status).toBe(201);
    expect(at(res.body, "orders.0.status")).toBe("pending");
    expect(at(res.body, "orders.0.lineItems.0.subscriptionId")).toBeUndefined();
    const orderId = str(res.body, "orders.0.id");
    expect(list(kit.call("GET", `/v1/customers/${customerId}/subscriptions`).body)).toHaveLength(0);
    expect(findActiveAzurePlan(kit.state, customerId)).toBeUndefined();
    const pending = kit.call("GET", `/v1/customers/${customerId}/orders/${orderId}/provisioningstatus`, {
      as: "user",
    });
    expect(at(pending.body, "items.0.status")).toBe("pending");
    // A second plan is refused while the first is still provisioning.
    expect(at(buyAzurePlan(kit, customerId).body, "code")).toBe(900116);

    kit.advance(600_000);
    const order = kit.call("GET", `/v1/customers/${customerId}/orders/${orderId}`);
    expect(at(order.body, "status")).toBe("completed");
    const planId = str(order.body, "lineItems.0.subscriptionId");
    const byOrder = kit.call("GET", `/v1/customers/${customerId}/subscriptions?order_id=${orderId}`);
    expect(list(byOrder.body).map((s) => str(s, "id"))).toEqual([planId]);
    expect(Object.values(kit.state.azure.subscriptions)).toHaveLength(1);
  });

  it("creates an order directly from offer ids", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    confirmMca(kit, id);
    const res = kit.call("POST", `/v1/customers/${id}/orders`, {
      body: {
        PartnerOnRecordAttestationAccepted: true,
        lineItems: [{ offerId: AZURE_PLAN, quantity: 1, lineItemNumber: 0 }],
        billingCycle: "one_time",
      },
    });
    expect(res.status).toBe(201);
    expect(at(res.body, "lineItems.0.subscriptionId")).toEqual(expect.any(String));
  });
});

describe("Partner Center subscriptions", () => {
  it("renames with the current etag and refuses a stale etag with 2055", () => {
    const kit = createPcKit();
    const { customerId, planId } = customerWithPlan(kit);
    const path = `/v1/customers/${customerId}/subscriptions/${planId}`;
    const current = kit.call("GET", path).body as Record<string, unknown>;
    const etag = str(current, "attributes.etag");
    const renamed = kit.call("PATCH", path, {
      body: { ...current, friendlyName: "Prod plan" },
      headers: { "If-Match": etag },
    });
    expect(renamed.status).toBe(200);
    expect(at(renamed.body, "friendlyName")).toBe("Prod plan");
    expect(str(renamed.body, "attributes.etag")).not.toBe(etag);
    const stale = kit.call("PATCH", path, {
      body: { ...current, friendlyName: "Again" },
      headers: { "If-Match": etag },
    });
    expect(pcErrorOf(stale)).toEqual({ status: 400, code: 2055 });
  });

  it("refuses to suspend an Azure plan with an active Azure subscription (900115), then suspends after cancelling it", () => {
    const kit = createPcKit();
    const { customerId, planId, azureSubId } = customerWithPlan(kit);
    const path = `/v1/customers/${customerId}/subscriptions/${planId}`;
    const refused = kit.call("PATCH", path, { body: { status: "suspended" } });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 900115, data: [azureSubId] });
    // The Partner Center error body with data, as in the published 400 example (vector 05).
    expect(shapeDiff(refused.body, vector("05-pc-error-400-license-quota.json"))).toEqual([]);
    const cancel = kit.call("POST", `${path}/azureEntitlements/${azureSubId}/cancel`, {
      body: { cancellationReason: "compromise" },
    });
    expect(cancel.status).toBe(200);
    const suspended = kit.call("PATCH", path, { body: { status: "suspended" } });
    expect(suspended.status).toBe(200);
    expect(at(suspended.body, "status")).toBe("suspended");
    expect(findActiveAzurePlan(kit.state, customerId)).toBeUndefined();
    expect(at(kit.call("PATCH", path, { body: { status: "active" } }).body, "status")).toBe("active");
  });

  it("refuses a quantity or billing cycle change on the Azure plan", () => {
    const kit = createPcKit();
    const { customerId, planId } = customerWithPlan(kit);
    const path = `/v1/customers/${customerId}/subscriptions/${planId}`;
    expect(at(kit.call("PATCH", path, { body: { quantity: 2 } }).body, "code")).toBe(800095);
    expect(at(kit.call("PATCH", path, { body: { billingCycle: "monthly" } }).body, "code")).toBe(2054);
    expect(at(kit.call("GET", `/v1/customers/${customerId}/subscriptions/nope`).body, "code")).toBe(20003);
  });
});

describe("Partner Center Azure entitlements", () => {
  it("lists the plan's Azure subscriptions in the shape of vector 14", () => {
    const kit = createPcKit();
    const { customerId, planId, azureSubId } = customerWithPlan(kit);
    const res = kit.call("GET", `/v1/customers/${customerId}/subscriptions/${planId}/azureEntitlements`);
    expect(res.body).toMatchObject({ totalCount: 1 });
    expect(shapeDiff(res.body, vector("14-pc-azure-entitlements-list-response.json"))).toEqual([]);
    expect(at(res.body, "items.0.id")).toBe(azureSubId);
    expect(at(res.body, "items.0.subscriptionId")).toBe(planId);
    const one = kit.call(
      "GET",
      `/v1/customers/${customerId}/subscriptions/${planId}/azureentitlements/${azureSubId}`,
    );
    expect(at(one.body, "links.self.uri")).toContain(azureSubId);
  });

  it("cancels with a valid reason (inactive, ARM subscription disabled) and reactivates with 202", () => {
    const kit = createPcKit();
    const { customerId, planId, azureSubId } = customerWithPlan(kit);
    const base = `/v1/customers/${customerId}/subscriptions/${planId}/azureEntitlements/${azureSubId}`;
    const bad = kit.call("POST", `${base}/cancel`, { body: { cancellationReason: "bored" } });
    expect(pcErrorOf(bad)).toEqual({ status: 400, code: 900307 });
    expect(at(kit.call("POST", `${base}/cancel`).body, "code")).toBe(800002);
    const ok = kit.call("POST", `${base}/cancel`, { body: { cancellationReason: "compromise" } });
    expect(at(ok.body, "status")).toBe("inactive");
    expect(kit.state.azure.subscriptions[azureSubId].state).toBe("Disabled");
    const reactivated = kit.call("POST", `${base}/reactivate`);
    expect(reactivated.status).toBe(202);
    expect(kit.state.azure.subscriptions[azureSubId]).toMatchObject({
      state: "Enabled",
      entitlementStatus: "active",
    });
    const unknown = kit.call(
      "GET",
      `/v1/customers/${customerId}/subscriptions/${planId}/azureEntitlements/${crypto.randomUUID()}`,
    );
    expect(at(unknown.body, "code")).toBe(800111);
  });
});

describe("Partner Center reseller relationship removal with subscriptions", () => {
  it("refuses while a subscription is active and succeeds once everything is suspended", () => {
    const kit = createPcKit();
    const { customerId, planId, azureSubId } = customerWithPlan(kit);
    const body = { relationshipToPartner: "none" };
    const refused = kit.call("PATCH", `/v1/customers/${customerId}`, { as: "user", body });
    expect(pcErrorOf(refused)).toEqual({ status: 400, code: 2000 });
    expect(at(refused.body, "data")).toEqual([planId]);
    const sub = `/v1/customers/${customerId}/subscriptions/${planId}`;
    kit.call("POST", `${sub}/azureEntitlements/${azureSubId}/cancel`, {
      body: { cancellationReason: "compromise" },
    });
    expect(kit.call("PATCH", sub, { body: { status: "suspended" } }).status).toBe(200);
    expect(kit.call("PATCH", `/v1/customers/${customerId}`, { as: "user", body }).status).toBe(200);
  });
});
