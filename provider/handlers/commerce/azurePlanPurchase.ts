import type { CspApi } from "../../clients/cspApi";
import {
  isAzurePlanSubscription,
  isCatalogItemAvailable,
  listOrders,
  listSubscriptions,
  type PcOrder,
  type PcSubscription,
  parseCatalogItemId,
} from "../../clients/partnerCenter/commerce";
import type { CspConfig } from "../../configTypes";
import { stripUndefined } from "../common";
import type { HandlerContext } from "../types";
import type { AzurePlanInputs } from "./azurePlan";
import { type CartPurchase, cartWasOrdered, orderThroughCart } from "./cartCheckout";
import { CHECK_TO_CREATE_TTL_MS, readCustomer } from "./processFacts";

/**
 * Finding or buying the customer's Azure plan: whether the catalog item is offered, the plan or
 * order the customer already has (never buy twice), and the purchase through cart and checkout
 * ("Create an Azure plan", https://learn.microsoft.com/partner-center/developer/create-azure-plan).
 */

// --- catalog ------------------------------------------------------------------------------------

type CatalogVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Whether the catalog item is offered to the customer in the customer's country (read-only). The
 * verdict of a check is kept for the create that follows it, and the customer's record is the one
 * its own create or a read moments ago returned (processFacts.ts).
 */
export function verifyCatalogItem(
  api: CspApi,
  customerId: string,
  catalogItemId: string,
): Promise<CatalogVerdict> {
  return api.memo.get(
    `catalog-verdict:${customerId.toLowerCase()}:${catalogItemId.toLowerCase()}`,
    () => catalogVerdict(api, customerId, catalogItemId),
    { ttlMs: CHECK_TO_CREATE_TTL_MS },
  );
}

async function catalogVerdict(
  api: CspApi,
  customerId: string,
  catalogItemId: string,
): Promise<CatalogVerdict> {
  const item = parseCatalogItemId(catalogItemId);
  if (!item) return { ok: false, reason: `catalogItemId ${catalogItemId} is not product:sku:availability` };
  const customer = await readCustomer(api, customerId);
  if (!customer) {
    return {
      ok: false,
      reason: `customer ${customerId} is not a customer of partner account "${api.account}"`,
    };
  }
  const country =
    customer.billingProfile?.defaultAddress?.country ?? customer.companyProfile?.address?.country ?? "US";
  if (!(await isCatalogItemAvailable(api.partnerCenter, customerId, item, country))) {
    return {
      ok: false,
      reason: `catalog item ${catalogItemId} is not available to customer ${customerId} in ${country} (product ${item.productId}, SKU ${item.skuId}, availability ${item.availabilityId})`,
    };
  }
  return { ok: true };
}

export function orderIsForPlan(order: PcOrder, catalogItemId: string): boolean {
  const wanted = catalogItemId.toLowerCase();
  const status = (order.status ?? "").toLowerCase();
  return (
    status !== "cancelled" && (order.lineItems ?? []).some((l) => (l.offerId ?? "").toLowerCase() === wanted)
  );
}

/** Finds the customer's existing Azure plan, or an order for one (never buy twice). */
export async function findExisting(
  api: CspApi,
  customerId: string,
  catalogItemId: string,
): Promise<{ plan?: PcSubscription; order?: PcOrder }> {
  const plans = (await listSubscriptions(api.partnerCenter, customerId)).filter(
    (s) => isAzurePlanSubscription(s, catalogItemId) && (s.status ?? "").toLowerCase() !== "deleted",
  );
  if (plans.length > 0) {
    plans.sort((a, b) => rank(a) - rank(b));
    return { plan: plans[0]! };
  }
  const orders = (await listOrders(api.partnerCenter, customerId)).filter((o) =>
    orderIsForPlan(o, catalogItemId),
  );
  return orders.length > 0 ? { order: orders[0]! } : {};
}

export function rank(s: PcSubscription): number {
  const status = (s.status ?? "").toLowerCase();
  return status === "active" ? 0 : status === "suspended" ? 1 : 2;
}

/**
 * The plan's cart (commerce/cartCheckout.ts derives its `MS-RequestId` from it): a renamed plan
 * after a run stopped between cart and checkout is a new request, never a reused id.
 */
export function cartPurchase(inputs: AzurePlanInputs, catalogItemId: string): CartPurchase {
  return {
    customerId: inputs.customerId,
    account: inputs.account,
    lineItems: [
      stripUndefined({
        id: 0,
        catalogItemId,
        quantity: 1,
        billingCycle: "one_time",
        friendlyName: inputs.friendlyName,
        // The reseller of record: "Create a cart" (https://learn.microsoft.com/partner-center/developer/create-a-cart)
        // names it in the line item's participants with the key transaction_reseller.
        participants: inputs.partnerIdOnRecord
          ? [{ key: "transaction_reseller", value: inputs.partnerIdOnRecord }]
          : undefined,
      }),
    ],
    cartNamespace: "azure-plan-cart",
    checkoutNamespace: "azure-plan-checkout",
    what: "the Azure plan",
  };
}

/**
 * Whether the customer's existing plan (or order) was bought by this program: a run that bought it
 * and died before the engine recorded it leaves the plan behind, and the re-run must record it as
 * bought (its delete then cancels and suspends what it bought), not adopted (see `cartWasOrdered`).
 */
export async function boughtByThisProgram(
  api: CspApi,
  inputs: AzurePlanInputs,
  catalogItemId: string,
  config: CspConfig,
): Promise<boolean> {
  // A stack that may not buy did not buy it, and asks nothing (no cart).
  if (!config.allowPurchases) return false;
  return cartWasOrdered(api, cartPurchase(inputs, catalogItemId));
}

/** Cart + checkout with deterministic request ids; the purchase itself (commerce/cartCheckout.ts). */
export async function orderPlan(
  api: CspApi,
  inputs: AzurePlanInputs,
  catalogItemId: string,
  ctx: HandlerContext,
): Promise<PcOrder> {
  ctx.log(`AzurePlan: ordering an Azure plan (${catalogItemId}) for customer ${inputs.customerId}`);
  return orderThroughCart(api, cartPurchase(inputs, catalogItemId), async () => {
    const existing = await findExisting(api, inputs.customerId, catalogItemId);
    if (existing.order) return existing.order;
    if (existing.plan) {
      return {
        id: existing.plan.orderId ?? "",
        lineItems: [{ offerId: catalogItemId, subscriptionId: existing.plan.id }],
      };
    }
    return undefined;
  });
}
