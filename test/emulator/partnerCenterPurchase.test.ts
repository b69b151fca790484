import { describe, expect, it } from "vitest";
import { findActiveAzurePlan } from "../../emulator/partnerCenter/azurePlans";
import { customerWithPlan } from "./partnerCenterCommerceKit";
import {
  AZURE_PLAN,
  at,
  buyAzurePlan,
  cartBody,
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
 * Buying at the emulator's Partner Center: the customer agreement, the catalog, carts and checkout,
 * and the sandbox's purchase limits.
 */

describe("Partner Center agreements", () => {
  it("returns the MCA metadata of vector 09 to App+User callers only", () => {
    const kit = createPcKit();
    const res = kit.call("GET", "/v1/agreements?agreementType=MicrosoftCustomerAgreement", { as: "user" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(vector("09-pc-agreements-metadata-mca-response.json"));
    const appOnly = kit.call("GET", "/v1/agreements?agreementType=MicrosoftCustomerAgreement");
    expect(pcErrorOf(appOnly)).toEqual({ status: 403, code: 900329 });
  });

  it("accepts the published confirmation (vector 07), answers in the shape of vector 08 and lists it", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    const res = kit.call("POST", `/v1/customers/${id}/agreements`, {
      as: "user",
      body: vector("07-pc-agreement-create-request.json"),
    });
    expect(res.status).toBe(201);
    expect(shapeDiff(res.body, vector("08-pc-agreement-create-response.json"))).toEqual([]);
    expect(at(res.body, "userId")).toBe(kit.agentId);
    const listed = kit.call(
      "GET",
      `/v1/customers/${id}/agreements?agreementType=MicrosoftCustomerAgreement`,
      {
        as: "user",
      },
    );
    expect(list(listed.body)).toHaveLength(1);
    expect(at(listed.body, "items.0.agreementLink")).toBe("https://aka.ms/customeragreement");
  });

  it("rejects a duplicate confirmation with code 600061 and accepts one with changed contact data", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    const body = vector("07-pc-agreement-create-request.json");
    confirmMca(kit, id);
    const dup = kit.call("POST", `/v1/customers/${id}/agreements`, { as: "user", body });
    expect(pcErrorOf(dup)).toEqual({ status: 409, code: 600061 });
    expect(at(dup.body, "errorName")).toBe("PartnerConfirmedAgreementAlreadyExists");
    const changed = {
      ...body,
      primaryContact: { ...(body.primaryContact as object), email: "other@example.com" },
    };
    expect(kit.call("POST", `/v1/customers/${id}/agreements`, { as: "user", body: changed }).status).toBe(
      201,
    );
  });

  it("refuses the confirmation with an app-only token", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    const res = kit.call("POST", `/v1/customers/${id}/agreements`, {
      body: vector("07-pc-agreement-create-request.json"),
    });
    expect(at(res.body, "code")).toBe(900329);
  });
});

describe("Partner Center catalog", () => {
  it("returns the Azure plan product exactly as vector 10, country- and customer-scoped", () => {
    const kit = createPcKit();
    const byCountry = kit.call("GET", "/v1/products/DZH318Z0BPS6?country=US");
    expect(byCountry.body).toEqual(vector("10-pc-product-azure-plan-response.json"));
    const id = createCustomer(kit);
    const byCustomer = kit.call("GET", `/v1/customers/${id}/products/DZH318Z0BPS6`);
    expect(shapeDiff(byCustomer.body, vector("10-pc-product-azure-plan-response.json"))).toEqual([]);
  });

  it("resolves the Azure plan SKU and availability to the catalog item id", () => {
    const kit = createPcKit();
    const sku = kit.call("GET", "/v1/products/DZH318Z0BPS6/skus/0001?country=US");
    expect(sku.body).toMatchObject({
      id: "0001",
      minimumQuantity: 1,
      maximumQuantity: 1,
      supportedBillingCycles: ["one_time"],
      purchasePrerequisites: ["MicrosoftCustomerAgreement"],
    });
    const availability = kit.call(
      "GET",
      "/v1/products/DZH318Z0BPS6/skus/0001/availabilities/DZH318Z0BML6?country=US",
    );
    expect(at(availability.body, "catalogItemId")).toBe(AZURE_PLAN);
    const listed = kit.call("GET", "/v1/products?country=US&targetView=MicrosoftAzure");
    expect(list(listed.body).map((p) => str(p, "id"))).toEqual(["DZH318Z0BPS6"]);
  });

  it("answers 404 with 400013 / 400018 / 400019 for an unknown product, SKU or availability", () => {
    const kit = createPcKit();
    expect(at(kit.call("GET", "/v1/products/NOPE").body, "code")).toBe(400013);
    expect(at(kit.call("GET", "/v1/products/DZH318Z0BPS6/skus/0009").body, "code")).toBe(400018);
    const res = kit.call("GET", "/v1/products/DZH318Z0BPS6/skus/0001/availabilities/NOPE");
    expect(pcErrorOf(res)).toEqual({ status: 404, code: 400019 });
  });
});

describe("Partner Center carts and checkout", () => {
  it("accepts the published cart request (vector 11) and answers in the shape of vector 12", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    const res = kit.call("POST", `/v1/customers/${id}/carts`, {
      body: {
        ...vector<Record<string, unknown>>("11-pc-cart-create-request.json"),
        PartnerOnRecordAttestationAccepted: true,
      },
    });
    expect(res.status).toBe(201);
    expect(shapeDiff(res.body, vector("12-pc-cart-create-response.json"))).toEqual([]);
    expect(at(res.body, "lineItems.0.billingCycle")).toBe("monthly");
    expect(at(res.body, "status")).toBe("Active");
    const again = kit.call("GET", `/v1/customers/${id}/carts/${str(res.body, "id")}`);
    expect(again.body).toEqual(res.body);
  });

  it("refuses a checkout before the MCA is confirmed with 403 / 13605", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    const res = buyAzurePlan(kit, id);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      code: 13605,
      description: expect.stringContaining("Microsoft Customer Agreement"),
      data: [],
      source: "PartnerFD",
    });
    expect(Object.keys(kit.state.azure.subscriptions)).toHaveLength(0);
  });

  it("refuses a checkout when the partner has not accepted the MPA (900124)", () => {
    const kit = createPcKit().addPartner("direct", { mpaAccepted: false });
    const id = createCustomer(kit);
    confirmMca(kit, id);
    const res = buyAzurePlan(kit, id);
    expect(pcErrorOf(res)).toEqual({ status: 403, code: 900124 });
  });

  it("checks out the Azure plan: an order, the plan subscription and one active Azure subscription", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    confirmMca(kit, id);
    const res = buyAzurePlan(kit, id);
    expect(res.status).toBe(201);
    expect(at(res.body, "orderErrors")).toEqual([]);
    expect(at(res.body, "orders.0.status")).toBe("completed");
    expect(at(res.body, "orders.0.lineItems.0.offerId")).toBe(AZURE_PLAN);
    const planId = str(res.body, "orders.0.lineItems.0.subscriptionId");
    const plan = kit.call("GET", `/v1/customers/${id}/subscriptions/${planId}`);
    expect(plan.body).toMatchObject({
      id: planId,
      offerId: AZURE_PLAN,
      billingType: "usage",
      status: "active",
      quantity: 1,
      attributes: { objectType: "Subscription" },
    });
    // Vector 13 is a legacy Azure subscription: entitlementId and links.offer exist only there.
    const diff = shapeDiff(plan.body, vector("13-pc-subscription-get-response.json"), {
      allowMissing: ["entitlementId", "links.offer"],
      allowExtra: [
        "hasPurchasableAddons",
        "isTrial",
        "billingCycle",
        "actions",
        "partnerId",
        "suspensionReasons",
        "isMicrosoftProduct",
        "publisherName",
        "productType",
        "attentionNeeded",
        "actionTaken",
        "links.product",
        "links.sku",
        "links.availability",
      ],
    });
    expect(diff).toEqual([]);
    const azure = Object.values(kit.state.azure.subscriptions);
    expect(azure).toHaveLength(1);
    expect(azure[0]).toMatchObject({
      customerId: id,
      tenantId: id,
      planSubscriptionId: planId,
      entitlementStatus: "active",
      state: "Enabled",
    });
    expect(findActiveAzurePlan(kit.state, id)).toEqual({ subscriptionId: planId });
  });

  it("refuses a second checkout of a submitted cart with 800065 but replays the same MS-RequestId", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    confirmMca(kit, id);
    const cart = kit.call("POST", `/v1/customers/${id}/carts`, {
      body: cartBody([{ catalogItemId: AZURE_PLAN, quantity: 1, billingCycle: "OneTime" }]),
    });
    const checkout = `/v1/customers/${id}/carts/${str(cart.body, "id")}/checkout`;
    const headers = { "MS-RequestId": "9a3c1d5e-7f00-4a2b-8c6d-0e1f2a3b4c5d" };
    const first = kit.call("POST", checkout, { headers });
    const replay = kit.call("POST", checkout, { headers });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(Object.keys(kit.state.azure.subscriptions)).toHaveLength(1);
    const again = kit.call("POST", checkout, {
      headers: { "MS-RequestId": "1b2c3d4e-0000-4a2b-8c6d-0e1f2a3b4c5d" },
    });
    expect(pcErrorOf(again)).toEqual({ status: 400, code: 800065 });
  });

  it("validates cart items against the catalog", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    const cart = (item: object) => kit.call("POST", `/v1/customers/${id}/carts`, { body: cartBody([item]) });
    expect(at(cart({ catalogItemId: "DZH318Z0BPS6:0001", quantity: 1 }).body, "code")).toBe(800004);
    expect(at(cart({ catalogItemId: "DZH318Z0BPS6:0001:NOPE", quantity: 1 }).body, "code")).toBe(400019);
    expect(at(cart({ catalogItemId: AZURE_PLAN, quantity: 2, billingCycle: "one_time" }).body, "code")).toBe(
      900275,
    );
    expect(at(cart({ catalogItemId: AZURE_PLAN, quantity: 1, billingCycle: "monthly" }).body, "code")).toBe(
      900269,
    );
  });

  it("refuses to check out a cart after its 7-day lifetime", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    confirmMca(kit, id);
    const cart = kit.call("POST", `/v1/customers/${id}/carts`, {
      body: cartBody([{ catalogItemId: AZURE_PLAN, quantity: 1 }]),
    });
    expect(at(cart.body, "lineItems.0.billingCycle")).toBe("one_time");
    kit.advance(7 * 24 * 3600 * 1000 + 1);
    const res = kit.call("POST", `/v1/customers/${id}/carts/${str(cart.body, "id")}/checkout`);
    expect(pcErrorOf(res)).toEqual({ status: 400, code: 800009 });
  });

  it("updates an active cart with PUT", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    const cart = kit.call("POST", `/v1/customers/${id}/carts`, {
      body: {
        ...vector<Record<string, unknown>>("11-pc-cart-create-request.json"),
        PartnerOnRecordAttestationAccepted: true,
      },
    });
    const path = `/v1/customers/${id}/carts/${str(cart.body, "id")}`;
    const updated = kit.call("PUT", path, {
      body: cartBody([
        {
          catalogItemId: "CFQ7TTC0LFLZ:0002:CFQ7TTC0K4TS",
          quantity: 3,
          termDuration: "P1Y",
          billingCycle: "annual",
        },
      ]),
    });
    expect(updated.status).toBe(200);
    expect(at(updated.body, "lineItems.0.quantity")).toBe(3);
  });
});

describe("Partner Center sandbox purchase limits", () => {
  it("allows one Azure plan per customer for a direct-bill partner (900116)", () => {
    const kit = createPcKit({ sandbox: true });
    const { customerId } = customerWithPlan(kit);
    const res = buyAzurePlan(kit, customerId);
    expect(pcErrorOf(res)).toEqual({ status: 400, code: 900116 });
  });

  it("allows at most 5 subscriptions per customer (800066)", () => {
    const kit = createPcKit({ sandbox: true });
    const id = createCustomer(kit);
    confirmMca(kit, id);
    const item = {
      catalogItemId: "CFQ7TTC0LFLZ:0002:CFQ7TTC0K4TS",
      quantity: 1,
      termDuration: "P1M",
      billingCycle: "monthly",
    };
    const cart = kit.call("POST", `/v1/customers/${id}/carts`, {
      body: cartBody([item, item, item, item, item]),
    });
    expect(kit.call("POST", `/v1/customers/${id}/carts/${str(cart.body, "id")}/checkout`).status).toBe(201);
    const res = buyAzurePlan(kit, id);
    expect(pcErrorOf(res)).toEqual({ status: 403, code: 800066 });
  });

  it("allows at most 25 licenses per subscription (800067)", () => {
    const kit = createPcKit({ sandbox: true });
    const id = createCustomer(kit);
    confirmMca(kit, id);
    const item = {
      catalogItemId: "CFQ7TTC0LFLZ:0002:CFQ7TTC0K4TS",
      quantity: 26,
      termDuration: "P1M",
      billingCycle: "monthly",
    };
    const cart = kit.call("POST", `/v1/customers/${id}/carts`, { body: cartBody([item]) });
    const res = kit.call("POST", `/v1/customers/${id}/carts/${str(cart.body, "id")}/checkout`);
    expect(pcErrorOf(res)).toEqual({ status: 403, code: 800067 });
  });

  it("refuses a second Azure plan outside the sandbox too ([U] 800020)", () => {
    const kit = createPcKit({ sandbox: false });
    const { customerId } = customerWithPlan(kit);
    const res = buyAzurePlan(kit, customerId);
    expect(pcErrorOf(res)).toEqual({ status: 403, code: 800020 });
  });
});
