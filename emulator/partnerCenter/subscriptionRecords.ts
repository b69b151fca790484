import type { JsonObject } from "../common/json";
import type { EmulatorCore } from "../common/types";
import { type CatalogOffer, catalogItemId } from "./catalog";
import { subscriptionEtag } from "./etags";
import { startLicenseTerm } from "./licenseTerms";
import { type OrderLineItemSpec, pcSections, type SubscriptionRecord } from "./pcState";
import { attributes, link } from "./resourceLinks";

/**
 * Partner Center `Subscription` records ("Subscription resources",
 * https://learn.microsoft.com/partner-center/developer/subscription-resources). The Azure plan's
 * values (`billingType "usage"`, `billingCycle "one_time"`, `quantity 1`, `productType.id "Azure"`,
 * `offerName "Azure plan"`, far-future `commitmentEndDate`) are [U]: no published Azure plan
 * subscription example exists; they follow the legacy usage subscription of vector 13.
 */
export function createSubscriptionRecord(
  emu: EmulatorCore,
  input: {
    customerId: string;
    partnerTenantId: string;
    orderId: string;
    offer: CatalogOffer;
    item: OrderLineItemSpec;
  },
): SubscriptionRecord {
  const { offer, item } = input;
  const now = emu.now();
  const id = emu.newId();
  const start = `${now.toISOString().slice(0, 10)}T00:00:00Z`;
  const azure = offer.kind === "azurePlan";
  const resource: JsonObject = {
    id,
    offerId: catalogItemId(offer),
    offerName: offer.offerName,
    friendlyName: item.friendlyName ?? offer.offerName,
    quantity: item.quantity,
    unitType: offer.unitType,
    hasPurchasableAddons: false,
    creationDate: now.toISOString(),
    effectiveStartDate: start,
    commitmentEndDate: "9999-12-31T00:00:00Z",
    status: "active",
    autoRenewEnabled: !azure,
    isTrial: false,
    billingType: azure ? "usage" : "license",
    billingCycle: item.billingCycle,
    actions: azure ? [] : ["Cancel"],
    // The reseller of record's MPN id in the indirect model ("Subscription resources",
    // https://learn.microsoft.com/partner-center/developer/subscription-resources); empty otherwise.
    partnerId: item.partnerIdOnRecord ?? "",
    suspensionReasons: [],
    contractType: "subscription",
    isMicrosoftProduct: true,
    publisherName: "Microsoft Corporation",
    productType: azure
      ? { id: "Azure", displayName: "Azure" }
      : { id: "OnlineServicesNCE", displayName: "OnlineServicesNCE" },
    attentionNeeded: false,
    actionTaken: false,
    orderId: input.orderId,
  };
  if (!azure) startLicenseTerm(resource, now, item.termDuration ?? "P1M");
  const record: SubscriptionRecord = {
    id,
    customerId: input.customerId,
    partnerTenantId: input.partnerTenantId,
    version: 1,
    resource,
  };
  pcSections(emu.state).subscriptions[id] = record;
  return record;
}

export function currentEtag(s: SubscriptionRecord): string {
  return subscriptionEtag(s.id, s.version);
}

/** `Subscription` as GET returns it (vector 13 shape, minus the legacy-only `entitlementId` / `links.offer`). */
export function subscriptionView(s: SubscriptionRecord): JsonObject {
  const r = s.resource;
  const [productId, skuId, availabilityId] = String(r.offerId).split(":");
  const base = `/customers/${s.customerId}`;
  return {
    ...structuredClone(r),
    links: {
      product: link(`/products/${productId}`),
      sku: link(`/products/${productId}/skus/${skuId}`),
      availability: link(`/products/${productId}/skus/${skuId}/availabilities/${availabilityId}`),
      self: link(`${base}/subscriptions/${s.id}`),
    },
    attributes: attributes("Subscription", currentEtag(s)),
  };
}

/** Subscriptions of a customer that still count (not deleted). */
export function liveSubscriptions(emu: EmulatorCore, customerId: string): SubscriptionRecord[] {
  return Object.values(pcSections(emu.state).subscriptions).filter(
    (s) => s.customerId === customerId && s.resource.status !== "deleted",
  );
}
