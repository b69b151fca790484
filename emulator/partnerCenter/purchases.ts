import type { JsonObject } from "../common/json";
import type { CustomerRecord } from "../common/state";
import type { EmulatorCore } from "../common/types";
import { hasCustomerAgreement } from "./agreements";
import { isAzurePlan } from "./azurePlans";
import { type CatalogOffer, catalogItemId, normalizeBillingCycle, resolveCatalogItem } from "./catalog";
import { boolProp, numProp, strProp } from "./jsonBody";
import { requireActiveReseller } from "./partnerRelationships";
import type { PcCaller } from "./pcCaller";
import { pcErrors } from "./pcErrors";
import type { PcContext } from "./pcRoute";
import { type OrderLineItemSpec, type OrderRecord, pcSections } from "./pcState";
import { fulfillOrder, provisioningDelayMs } from "./provisioning";
import { attributes, link } from "./resourceLinks";

/**
 * Purchasing, shared by cart checkout and direct order creation: line-item validation against the
 * catalog, the purchase gates (MPA, MCA), the integration-sandbox limits, and order placement.
 */

/**
 * Sandbox limits ("Test and debug with integration sandbox",
 * https://learn.microsoft.com/partner-center/developer/test-and-debug).
 */
export const SANDBOX_LIMITS = {
  subscriptionsPerCustomer: 5,
  licensesPerSubscription: 25,
  azurePlansPerPartner: 10,
  azurePlansPerCustomerDirect: 1,
  azurePlansPerCustomerIndirect: 3,
} as const;

/** A validated line item with its offer. */
export interface PurchaseItem extends OrderLineItemSpec {
  offer: CatalogOffer;
}

/**
 * Validates one line item (cart or order): known catalog item (400 / 800004, 404 / 400013-19),
 * quantity within the offer's range (400 / 900275), supported billing cycle and term.
 */
export function readPurchaseItem(
  input: {
    catalogItemId: string;
    quantity: unknown;
    billingCycle?: string;
    termDuration?: string;
    friendlyName?: string;
    partnerIdOnRecord?: string;
  },
  lineItemNumber: number,
  fallbackBillingCycle?: string,
): PurchaseItem {
  const offer = resolveCatalogItem(input.catalogItemId);
  const quantity = typeof input.quantity === "number" ? input.quantity : Number(input.quantity ?? 1);
  if (!Number.isInteger(quantity) || quantity < offer.minimumQuantity || quantity > offer.maximumQuantity) {
    throw pcErrors.quantityNotAllowed(lineItemNumber);
  }
  const cycleText = input.billingCycle ?? fallbackBillingCycle ?? offer.billingCycles[0];
  const billingCycle = normalizeBillingCycle(cycleText);
  if (!offer.billingCycles.includes(billingCycle)) throw pcErrors.billingCycleInvalid(cycleText);
  let termDuration = input.termDuration;
  if (offer.kind === "license") {
    termDuration = (termDuration ?? offer.termDurations[0]).toUpperCase();
    if (!offer.termDurations.includes(termDuration)) {
      throw pcErrors.invalidProperty(
        `termDuration ${input.termDuration} is not available for ${catalogItemId(offer)} (${offer.termDurations.join(", ")}).`,
      );
    }
    // "The billing cycle cannot be longer than the term" (400 / 900270, error-codes.md).
    const longest: Record<string, string[]> = {
      P1M: ["monthly"],
      P1Y: ["monthly", "annual"],
      P3Y: ["monthly", "annual", "triennial"],
    };
    if (!(longest[termDuration] ?? []).includes(billingCycle)) throw pcErrors.billingCycleLongerThanTerm();
  } else {
    termDuration = undefined;
  }
  const item: PurchaseItem = {
    lineItemNumber,
    offerId: catalogItemId(offer),
    quantity,
    billingCycle,
    offer,
  };
  if (termDuration !== undefined) item.termDuration = termDuration;
  if (input.friendlyName !== undefined) item.friendlyName = input.friendlyName;
  if (input.partnerIdOnRecord !== undefined) item.partnerIdOnRecord = input.partnerIdOnRecord;
  return item;
}

/**
 * The partner attestation of a purchase body (a cart, created or updated, or an order). Microsoft
 * Learn "Create a cart" (https://learn.microsoft.com/partner-center/developer/create-a-cart) and
 * "Create an order" (https://learn.microsoft.com/partner-center/developer/create-an-order) list
 * `PartnerOnRecordAttestationAccepted` (Boolean) as required at the top of the body, next to
 * `lineItems`, not on a line item; "Update a cart" asks for the same attestation on the PUT. Without it, or with
 * `false`, the request is refused with 400 / 900206 "Partner Attestation is missing" ("Partner
 * Center REST error codes"). [U] The pages do not say for which kinds of partner production
 * enforces it, nor whether at cart time or at checkout: the emulator asks every partner, when the
 * cart or the order is written, so a checkout only ever sees attested carts.
 */
export function requirePartnerAttestation(body: JsonObject): void {
  if (boolProp(body, "PartnerOnRecordAttestationAccepted") !== true)
    throw pcErrors.partnerAttestationMissing();
}

/**
 * The reseller of record of a cart line item: the `transaction_reseller` entry of `participants`
 * ("Create a cart", https://learn.microsoft.com/partner-center/developer/create-a-cart: the indirect
 * reseller's PartnerID, never the indirect provider's).
 */
export function partnerOnRecord(raw: JsonObject): string | undefined {
  const participants = raw.participants ?? raw.Participants;
  if (!Array.isArray(participants)) return undefined;
  for (const p of participants) {
    if (strProp(p, "key")?.toLowerCase() === "transaction_reseller") return strProp(p, "value");
  }
  return undefined;
}

/** Reads a `CartLineItem` / order `lineItems[]` entry (case-insensitive keys). */
export function purchaseInput(raw: JsonObject, idKey: "catalogItemId" | "offerId") {
  const id = strProp(raw, idKey) ?? strProp(raw, idKey === "offerId" ? "catalogItemId" : "offerId");
  if (id === undefined) throw pcErrors.invalidProperty(`lineItems[].${idKey} is required.`);
  return {
    catalogItemId: id,
    quantity: numProp(raw, "quantity") ?? raw.quantity ?? 1,
    billingCycle: strProp(raw, "billingCycle"),
    termDuration: strProp(raw, "termDuration"),
    friendlyName: strProp(raw, "friendlyName"),
    partnerIdOnRecord: partnerOnRecord(raw),
  };
}

/**
 * The purchase gates and limits, checked before anything is created:
 * MPA accepted (403 / 900124), MCA confirmed for the customer (403 / 13605), one Azure plan per
 * customer and partner (sandbox 400 / 900116, otherwise [U] 403 / 800020), and in sandbox mode:
 * at most 5 subscriptions per customer (403 / 800066), 25 licenses per subscription
 * (403 / 800067), 10 Azure plans per partner (400 / 900116).
 */
export function checkPurchase(
  emu: EmulatorCore,
  caller: PcCaller,
  customer: CustomerRecord,
  items: PurchaseItem[],
): void {
  if (!caller.partner.mpaAccepted) throw pcErrors.mpaNotAccepted();
  if (!hasCustomerAgreement(emu.state, customer.id)) throw pcErrors.mcaNotAccepted();
  const sandbox = emu.state.settings.sandbox;
  const pc = pcSections(emu.state);
  const pending = Object.values(pc.orders).filter((o) => o.provisionAt !== undefined);
  const live = Object.values(pc.subscriptions).filter((s) => s.resource.status !== "deleted");

  const customerSubs =
    live.filter((s) => s.customerId === customer.id).length +
    pending.filter((o) => o.customerId === customer.id).reduce((n, o) => n + o.items.length, 0);
  if (sandbox && customerSubs + items.length > SANDBOX_LIMITS.subscriptionsPerCustomer) {
    throw pcErrors.tooManySubscriptions(SANDBOX_LIMITS.subscriptionsPerCustomer);
  }
  if (sandbox) {
    const seats = items.find(
      (i) => i.offer.kind === "license" && i.quantity > SANDBOX_LIMITS.licensesPerSubscription,
    );
    if (seats) throw pcErrors.tooManySeats(SANDBOX_LIMITS.licensesPerSubscription);
  }

  const newPlans = items.filter((i) => i.offer.kind === "azurePlan").length;
  if (newPlans === 0) return;
  const pendingPlans = (o: OrderRecord) =>
    o.items.filter((i) => resolveCatalogItem(i.offerId).kind === "azurePlan").length;
  const plansOfCustomer = live.filter(
    (s) => isAzurePlan(s) && s.customerId === customer.id && s.partnerTenantId === caller.partnerTenantId,
  );
  const customerPlanCount =
    plansOfCustomer.length +
    pending
      .filter((o) => o.customerId === customer.id && o.partnerTenantId === caller.partnerTenantId)
      .reduce((n, o) => n + pendingPlans(o), 0);
  const perCustomer =
    caller.partner.kind === "indirectProvider"
      ? SANDBOX_LIMITS.azurePlansPerCustomerIndirect
      : SANDBOX_LIMITS.azurePlansPerCustomerDirect;
  if (sandbox) {
    if (customerPlanCount + newPlans > perCustomer) {
      throw pcErrors.azurePlanSandboxLimit(
        `a ${caller.partner.kind === "indirectProvider" ? "indirect provider" : "direct-bill partner"} can have at most ${perCustomer} Azure plan(s) per customer.`,
      );
    }
    const partnerPlans =
      live.filter((s) => isAzurePlan(s) && s.partnerTenantId === caller.partnerTenantId).length +
      pending
        .filter((o) => o.partnerTenantId === caller.partnerTenantId)
        .reduce((n, o) => n + pendingPlans(o), 0);
    if (partnerPlans + newPlans > SANDBOX_LIMITS.azurePlansPerPartner) {
      throw pcErrors.azurePlanSandboxLimit(
        `a sandbox partner can have at most ${SANDBOX_LIMITS.azurePlansPerPartner} Azure plans.`,
      );
    }
  } else if (caller.partner.kind !== "indirectProvider" && customerPlanCount + newPlans > 1) {
    throw pcErrors.azurePlanExists(plansOfCustomer[0]?.id ?? "(being provisioned)");
  }
}

/**
 * The reseller of record a line item names (cart `participants` `transaction_reseller`, order
 * `partnerIdOnRecord`), as its MPN id. The provider's own id is refused (404 / 2072, "Partner
 * Center REST error codes", https://learn.microsoft.com/partner-center/developer/error-codes);
 * otherwise it must be an active indirect reseller of the caller, the one rule of
 * {@link requireActiveReseller} (404 / 800015, 400 / 800016).
 */
export function resellerOfRecord(ctx: PcContext, partnerId: string): string {
  const named = partnerId.trim().toLowerCase();
  if (named === ctx.caller.partnerTenantId || named === ctx.caller.partner.mpnId.toLowerCase()) {
    throw pcErrors.providerAsPartnerOnRecord();
  }
  return requireActiveReseller(ctx, partnerId).mpnId;
}

/**
 * Places one order per order group (line items with the same billing cycle), fulfilled at once
 * or after the configured provisioning delay. Returns the orders.
 */
export function placeOrders(
  emu: EmulatorCore,
  caller: PcCaller,
  customer: CustomerRecord,
  groups: PurchaseItem[][],
): OrderRecord[] {
  const pc = pcSections(emu.state);
  const delay = provisioningDelayMs(emu.state);
  const now = emu.now();
  return groups.map((items) => {
    const id = shortId(emu);
    const resource: JsonObject = {
      id,
      alternateId: shortId(emu),
      referenceCustomerId: customer.id,
      billingCycle: items[0].billingCycle,
      currencyCode: "USD",
      currencySymbol: "$",
      lineItems: items.map((i) => orderLineItem(i)),
      creationDate: now.toISOString(),
      status: delay > 0 ? "pending" : "completed",
      transactionType: "UserPurchase",
    };
    const order: OrderRecord = {
      id,
      customerId: customer.id,
      partnerTenantId: caller.partnerTenantId,
      resource,
      items: items.map(({ offer: _offer, ...spec }) => spec),
    };
    pc.orders[id] = order;
    if (delay > 0) order.provisionAt = new Date(now.getTime() + delay).toISOString();
    else fulfillOrder(emu, order);
    return order;
  });
}

function orderLineItem(i: PurchaseItem): JsonObject {
  const [productId, skuId, availabilityId] = i.offerId.split(":");
  const out: JsonObject = { lineItemNumber: i.lineItemNumber, offerId: i.offerId };
  if (i.termDuration !== undefined) out.termDuration = i.termDuration;
  out.transactionType = "New";
  out.friendlyName = i.friendlyName ?? i.offer.offerName;
  out.quantity = i.quantity;
  // "Create an order for a customer of an indirect reseller" shows it after quantity.
  if (i.partnerIdOnRecord !== undefined) out.partnerIdOnRecord = i.partnerIdOnRecord;
  out.links = {
    product: link(`/products/${productId}`),
    sku: link(`/products/${productId}/skus/${skuId}`),
    availability: link(`/products/${productId}/skus/${skuId}/availabilities/${availabilityId}`),
  };
  return out;
}

/**
 * New-commerce order ids are short hex strings (e.g. `a68736758d9c` in the examples of "Check out
 * a cart", https://learn.microsoft.com/partner-center/developer/checkout-a-cart).
 */
function shortId(emu: EmulatorCore): string {
  return emu.newId().replace(/-/g, "").slice(0, 12);
}

/** `Order` as returned. */
export function orderView(o: OrderRecord): JsonObject {
  const base = `/customers/${o.customerId}/orders/${o.id}`;
  return {
    ...structuredClone(o.resource),
    links: { self: link(base), provisioningStatus: link(`${base}/provisioningstatus`) },
    attributes: attributes("Order"),
  };
}
