import { describe, expect, it } from "vitest";
import { pcSections } from "../../emulator/partnerCenter/pcState";
import {
  AZURE_PLAN,
  at,
  cartBody,
  confirmMca,
  createCustomer,
  createPcKit,
  str,
} from "./partnerCenterTestKit";
import { pcErrorOf } from "./serviceErrors";

/**
 * The partner attestation of a purchase: Microsoft Learn "Create a cart" and "Create an order" mark
 * `PartnerOnRecordAttestationAccepted` required in the request body, and "Partner Center REST error
 * codes" lists 400 / 900206 "Partner Attestation is missing".
 */

const ITEM = { catalogItemId: AZURE_PLAN, quantity: 1, billingCycle: "one_time" };

describe("Partner Center partner attestation on carts", () => {
  it("refuses a cart without the attestation with 400 / 900206 and creates nothing", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    const writes = kit.dirty();
    const res = kit.call("POST", `/v1/customers/${id}/carts`, { body: { lineItems: [ITEM] } });
    expect(pcErrorOf(res)).toEqual({ status: 400, code: 900206 });
    expect(str(res.body, "description")).toContain("Partner Attestation is missing");
    expect(pcSections(kit.state).carts).toEqual({});
    expect(kit.dirty()).toBe(writes);
  });

  it("refuses an attestation that is not accepted (false) the same way", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    const res = kit.call("POST", `/v1/customers/${id}/carts`, {
      body: { PartnerOnRecordAttestationAccepted: false, lineItems: [ITEM] },
    });
    expect([res.status, at(res.body, "code")]).toEqual([400, 900206]);
    expect(pcSections(kit.state).carts).toEqual({});
  });

  it("accepts the attestation whatever the case of the property name", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    const res = kit.call("POST", `/v1/customers/${id}/carts`, {
      body: { partnerOnRecordAttestationAccepted: true, lineItems: [ITEM] },
    });
    expect(res.status).toBe(201);
  });

  it("refuses a cart update (PUT) without the attestation and leaves the cart as it was", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    const cart = kit.call("POST", `/v1/customers/${id}/carts`, { body: cartBody([ITEM]) });
    expect(cart.status).toBe(201);
    const path = `/v1/customers/${id}/carts/${str(cart.body, "id")}`;
    const writes = kit.dirty();
    const res = kit.call("PUT", path, { body: { lineItems: [{ ...ITEM, friendlyName: "renamed" }] } });
    expect([res.status, at(res.body, "code")]).toEqual([400, 900206]);
    expect(kit.call("GET", path).body).toEqual(cart.body);
    expect(kit.dirty()).toBe(writes);
  });

  it("checks out a cart created with the attestation", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    confirmMca(kit, id);
    const cart = kit.call("POST", `/v1/customers/${id}/carts`, { body: cartBody([ITEM]) });
    const res = kit.call("POST", `/v1/customers/${id}/carts/${str(cart.body, "id")}/checkout`);
    expect(res.status).toBe(201);
    expect(at(res.body, "orders.0.lineItems.0.offerId")).toBe(AZURE_PLAN);
  });
});

describe("Partner Center partner attestation on orders", () => {
  it("refuses an order without the attestation with 400 / 900206 and orders nothing", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    confirmMca(kit, id);
    const writes = kit.dirty();
    const res = kit.call("POST", `/v1/customers/${id}/orders`, {
      body: {
        lineItems: [{ offerId: AZURE_PLAN, quantity: 1, lineItemNumber: 0 }],
        billingCycle: "one_time",
      },
    });
    expect([res.status, at(res.body, "code")]).toEqual([400, 900206]);
    expect(pcSections(kit.state).orders).toEqual({});
    expect(Object.keys(kit.state.azure.subscriptions)).toHaveLength(0);
    expect(kit.dirty()).toBe(writes);
  });
});
