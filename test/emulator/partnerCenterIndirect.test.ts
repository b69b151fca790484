import { describe, expect, it } from "vitest";
import { acceptRelationshipRequest } from "../../emulator/partnerCenter/relationshipRequests";
import {
  AZURE_PLAN,
  at,
  confirmMca,
  createPcKit,
  customerBody,
  linkReseller,
  list,
  type PcKit,
  partnerOf,
  str,
} from "./partnerCenterTestKit";
import { pcErrorOf } from "./serviceErrors";

/** An indirect provider with one active reseller, plus a reseller of another provider. */
function indirectWorld() {
  const kit = createPcKit();
  const provider = kit.addPartner("indirectProvider");
  const reseller = kit.addPartner("indirectReseller");
  const otherProvider = kit.addPartner("indirectProvider");
  const stranger = kit.addPartner("indirectReseller");
  linkReseller(provider, reseller);
  linkReseller(otherProvider, stranger);
  return { kit, provider, reseller, otherProvider, stranger };
}

/** A customer of `provider` (App+User create, no reseller) with the MCA confirmed. */
function providerCustomer(provider: PcKit): string {
  const res = provider.call("POST", "/v1/customers", { body: customerBody(), as: "user" });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  const id = str(res.body, "id");
  confirmMca(provider, id);
  return id;
}

function planCart(resellerId?: string) {
  return {
    PartnerOnRecordAttestationAccepted: true,
    lineItems: [
      {
        id: 0,
        catalogItemId: AZURE_PLAN,
        quantity: 1,
        billingCycle: "one_time",
        ...(resellerId ? { participants: [{ key: "transaction_reseller", value: resellerId }] } : {}),
      },
    ],
  };
}

describe("Partner Center indirect resellers list", () => {
  it("lists an indirect provider's resellers as PartnerRelationship items, App+User only", () => {
    const { provider, reseller } = indirectWorld();
    const path = "/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf";
    expect(at(provider.call("GET", path).body, "code")).toBe(900329);
    const res = provider.call("GET", path, { as: "user" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      totalCount: 1,
      items: [
        {
          id: reseller.partnerTenantId,
          name: partnerOf(reseller).companyName,
          relationshipType: "is_indirect_cloud_solution_provider_of",
          state: "Active",
          mpnId: partnerOf(reseller).mpnId,
          location: "US",
          attributes: { objectType: "PartnerRelationship" },
        },
      ],
      attributes: { objectType: "Collection" },
    });
    const mine = reseller.call("GET", "/v1/relationships?relationship_type=IsIndirectResellerOf", {
      as: "user",
    });
    expect(list(mine.body).map((r) => at(r, "id"))).toEqual([provider.partnerTenantId]);
    expect(at(mine.body, "items.0.relationshipType")).toBe("is_indirect_reseller_of");
  });

  it("gives a direct-bill partner an empty list and refuses a missing relationship type (400 / 2000)", () => {
    const { kit } = indirectWorld();
    const none = kit.call("GET", "/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf", {
      as: "user",
    });
    expect(at(none.body, "totalCount")).toBe(0);
    const missing = kit.call("GET", "/v1/relationships", { as: "user" });
    expect(pcErrorOf(missing)).toEqual({ status: 400, code: 2000 });
  });
});

describe("Partner Center customers created for an indirect reseller", () => {
  it("accepts the provider's active reseller by MPN id or tenant id; the reseller sees the customer", () => {
    const { provider, reseller } = indirectWorld();
    for (const id of [partnerOf(reseller).mpnId, reseller.partnerTenantId.toUpperCase()]) {
      const res = provider.call("POST", "/v1/customers", {
        body: { ...customerBody(), AssociatedPartnerId: id },
        as: "user",
      });
      expect(res.status).toBe(201);
      expect(reseller.call("GET", `/v1/customers/${str(res.body, "id")}`).status).toBe(200);
    }
  });

  it("refuses a partner that is not its active indirect reseller, creating nothing", () => {
    const { kit, provider, reseller, stranger, otherProvider } = indirectWorld();
    const before = Object.keys(kit.state.partnerCenter.customers).length;
    const create = (id: string, as: PcKit = provider) =>
      as.call("POST", "/v1/customers", { body: { ...customerBody(), AssociatedPartnerId: id }, as: "user" });

    // Another provider's reseller, a partner that is no reseller, the provider itself.
    for (const id of [partnerOf(stranger).mpnId, otherProvider.partnerTenantId, partnerOf(provider).mpnId]) {
      const res = create(id);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 800016,
        description: `PartnerID ${id} isn't a valid Indirect Reseller`,
      });
    }
    // No partner has that id.
    const unknown = create("9999999");
    expect(pcErrorOf(unknown)).toEqual({ status: 404, code: 800015 });
    // A direct-bill partner has no indirect resellers.
    expect(at(create(partnerOf(reseller).mpnId, kit).body, "code")).toBe(800016);
    // An ended relationship no longer counts.
    kit.state.partnerCenter.indirectRelationships![0]!.state = "Inactive";
    expect(at(create(partnerOf(reseller).mpnId).body, "code")).toBe(800016);

    expect(Object.keys(kit.state.partnerCenter.customers)).toHaveLength(before);
  });
});

describe("Partner Center purchases with an indirect reseller of record", () => {
  it("keeps the cart's transaction_reseller and shows it as partnerIdOnRecord on the order and the subscription", () => {
    const { provider, reseller } = indirectWorld();
    const customerId = providerCustomer(provider);
    const mpnId = partnerOf(reseller).mpnId;
    const cart = provider.call("POST", `/v1/customers/${customerId}/carts`, { body: planCart(mpnId) });
    expect(cart.status).toBe(201);
    expect(at(cart.body, "lineItems.0.participants")).toEqual([
      { key: "transaction_reseller", value: mpnId },
    ]);
    const checkout = provider.call(
      "POST",
      `/v1/customers/${customerId}/carts/${str(cart.body, "id")}/checkout`,
    );
    expect(checkout.status).toBe(201);
    const orderId = str(checkout.body, "orders.0.id");
    const order = provider.call("GET", `/v1/customers/${customerId}/orders/${orderId}`);
    expect(at(order.body, "lineItems.0.partnerIdOnRecord")).toBe(mpnId);
    // The published line item order: ..., quantity, partnerIdOnRecord, links.
    expect(Object.keys(at(order.body, "lineItems.0") as object).slice(-3)).toEqual([
      "quantity",
      "partnerIdOnRecord",
      "links",
    ]);
    const subscriptionId = str(order.body, "lineItems.0.subscriptionId");
    const sub = provider.call("GET", `/v1/customers/${customerId}/subscriptions/${subscriptionId}`);
    expect(at(sub.body, "partnerId")).toBe(mpnId);
  });

  it("refuses a cart whose transaction_reseller is not an active reseller of the caller (800016), storing no cart", () => {
    const { kit, provider, stranger } = indirectWorld();
    const customerId = providerCustomer(provider);
    const res = provider.call("POST", `/v1/customers/${customerId}/carts`, {
      body: planCart(partnerOf(stranger).mpnId),
    });
    expect(pcErrorOf(res)).toEqual({ status: 400, code: 800016 });
    expect(kit.state.partnerCenter.carts ?? {}).toEqual({});
  });

  it("checks the reseller again at checkout: a relationship ended since the cart orders nothing", () => {
    const { kit, provider, reseller } = indirectWorld();
    const customerId = providerCustomer(provider);
    const cart = provider.call("POST", `/v1/customers/${customerId}/carts`, {
      body: planCart(partnerOf(reseller).mpnId),
    });
    kit.state.partnerCenter.indirectRelationships![0]!.state = "Inactive";
    const checkout = provider.call(
      "POST",
      `/v1/customers/${customerId}/carts/${str(cart.body, "id")}/checkout`,
    );
    expect(pcErrorOf(checkout)).toEqual({ status: 400, code: 800016 });
    expect(kit.state.partnerCenter.orders ?? {}).toEqual({});
  });

  it("takes partnerIdOnRecord on a direct order line item, and refuses an unknown one (800015) and the provider itself (2072)", () => {
    const { provider, reseller } = indirectWorld();
    const customerId = providerCustomer(provider);
    const order = (partnerIdOnRecord: string) =>
      provider.call("POST", `/v1/customers/${customerId}/orders`, {
        body: {
          referenceCustomerId: customerId,
          PartnerOnRecordAttestationAccepted: true,
          lineItems: [{ lineItemNumber: 0, offerId: AZURE_PLAN, quantity: 1, partnerIdOnRecord }],
        },
      });
    const unknown = order("9999999");
    expect(pcErrorOf(unknown)).toEqual({ status: 404, code: 800015 });
    // The provider's own id is refused as a cart refuses it: 2072, not "not a reseller".
    expect(pcErrorOf(order(partnerOf(provider).mpnId))).toEqual({ status: 404, code: 2072 });
    const res = order(partnerOf(reseller).mpnId);
    expect(res.status).toBe(201);
    expect(at(res.body, "lineItems.0.partnerIdOnRecord")).toBe(partnerOf(reseller).mpnId);
  });
});

describe("Partner Center reseller relationship requests", () => {
  it("gives a direct-bill partner its link; an organization accepting it becomes its customer", () => {
    const { kit } = indirectWorld();
    expect(at(kit.call("GET", "/v1/customers/relationshiprequests").body, "code")).toBe(900329);
    const res = kit.call("GET", "/v1/customers/relationshiprequests", { as: "user" });
    expect(res.status).toBe(200);
    expect(at(res.body, "attributes.objectType")).toBe("RelationshipRequest");
    const url = str(res.body, "url");
    expect(url).toMatch(
      /^https:\/\/admin\.microsoft\.com\/Adminportal\/Home\?invType=ResellerRelationship&partnerId=/,
    );
    const customer = acceptRelationshipRequest(
      kit.state,
      url,
      { companyName: "Adatum", domainPrefix: "adatum1" },
      kit.core.now(),
    );
    expect(customer.partnerTenantId).toBe(kit.partnerTenantId);
    expect(at(kit.call("GET", `/v1/customers/${customer.id}`).body, "companyProfile.domain")).toBe(
      "adatum1.onmicrosoft.com",
    );
  });

  it("makes an indirect reseller name its active provider; the accepted customer is the provider's, associated with the reseller", () => {
    const { kit, provider, reseller, otherProvider } = indirectWorld();
    const path = "/v1/customers/relationshiprequests";
    const none = reseller.call("GET", path, { as: "user" });
    expect(pcErrorOf(none)).toEqual({ status: 400, code: 2000 });
    const wrong = reseller.call(
      "GET",
      `${path}?indirectCloudSolutionProviderId=${otherProvider.partnerTenantId}`,
      {
        as: "user",
      },
    );
    expect(pcErrorOf(wrong)).toEqual({ status: 400, code: 2000 });
    const res = reseller.call("GET", `${path}?indirectCloudSolutionProviderId=${provider.partnerTenantId}`, {
      as: "user",
    });
    const url = str(res.body, "url");
    expect(url).toContain(`invType=IndirectResellerRelationship&partnerId=${reseller.partnerTenantId}`);
    expect(url).toContain(`indirectCSPId=${provider.partnerTenantId}`);

    const customer = acceptRelationshipRequest(
      kit.state,
      url,
      { companyName: "Litware", domainPrefix: "litware1" },
      kit.core.now(),
    );
    expect(customer.partnerTenantId).toBe(provider.partnerTenantId);
    expect(customer.resource.associatedPartnerId).toBe(reseller.partnerTenantId);
    const seenBy = (k: PcKit) => list(k.call("GET", "/v1/customers").body).map((c) => at(c, "id"));
    expect(seenBy(provider)).toContain(customer.id);
    expect(seenBy(reseller)).toContain(customer.id);
    expect(seenBy(otherProvider)).not.toContain(customer.id);

    // A link whose relationship ended since it was sent is refused.
    kit.state.partnerCenter.indirectRelationships![0]!.state = "Inactive";
    expect(() =>
      acceptRelationshipRequest(
        kit.state,
        url,
        { companyName: "Late", domainPrefix: "late1" },
        kit.core.now(),
      ),
    ).toThrow(/no longer an active indirect reseller/);
  });
});
