import type { Route } from "../common/types";
import { azureSubscriptionsOfPlan, isAzurePlan } from "./azurePlans";
import { normalizeBillingCycle, resolveCatalogItem } from "./catalog";
import { collection, queryParam } from "./collections";
import { requireCustomer } from "./customerAccess";
import { parseIfMatch } from "./etags";
import { boolProp, hasProp, numProp, objProp, requireBody, strProp } from "./jsonBody";
import { isLicenseSubscription, patchLicenseSubscription } from "./licenseTerms";
import { pcErrors } from "./pcErrors";
import { type PcContext, pcRoute } from "./pcRoute";
import { pcSections, type SubscriptionRecord } from "./pcState";
import { SANDBOX_LIMITS } from "./purchases";
import { currentEtag, subscriptionView } from "./subscriptionRecords";

/**
 * Subscriptions ("Subscription resources", https://learn.microsoft.com/partner-center/developer/subscription-resources;
 * vector 13): list (optionally by `order_id`), get, PATCH
 * (friendly name, status `suspended`/`active`, quantity, auto-renew; for new-commerce license
 * subscriptions also `deleted` = cancel, with the window rules of `licenseTerms.ts`) with the etag
 * check (`If-Match`, stale: 400 / 2055), and the App+User-only provisioning status.
 */
export const subscriptionRoutes: Route[] = [
  pcRoute(
    "GET",
    "/v1/customers/:customerId/subscriptions",
    { auth: "appOrUser", rate: "subscription" },
    (ctx) => {
      const customer = requireCustomer(ctx);
      const orderId = queryParam(ctx.req, "order_id")?.toLowerCase();
      const items = Object.values(pcSections(ctx.emu.state).subscriptions)
        .filter(
          (s) =>
            s.customerId === customer.id && (orderId === undefined || String(s.resource.orderId) === orderId),
        )
        .sort((a, b) => String(a.resource.creationDate).localeCompare(String(b.resource.creationDate)))
        .map(subscriptionView);
      return { status: 200, body: collection(items, `/customers/${customer.id}/subscriptions`) };
    },
  ),
  pcRoute(
    "GET",
    "/v1/customers/:customerId/subscriptions/:subscriptionId",
    { auth: "appOrUser", rate: "subscription" },
    (ctx) => ({ status: 200, body: subscriptionView(requireSubscription(ctx)) }),
  ),
  pcRoute(
    "PATCH",
    "/v1/customers/:customerId/subscriptions/:subscriptionId",
    { auth: "appOrUser", rate: "subscription" },
    patchSubscription,
  ),
  pcRoute(
    "GET",
    "/v1/customers/:customerId/subscriptions/:subscriptionId/provisioningstatus",
    { auth: "appUser", rate: "subscription" },
    (ctx) => {
      const s = requireSubscription(ctx);
      const [, skuId] = String(s.resource.offerId).split(":");
      return {
        status: 200,
        body: {
          skuId,
          status: "success",
          quantity: s.resource.quantity,
          endDate: s.resource.commitmentEndDate,
          attributes: { objectType: "SubscriptionProvisioningStatus" },
        },
      };
    },
  ),
];

/** The subscription of the route's customer (404 / 20003 otherwise). */
export function requireSubscription(ctx: PcContext): SubscriptionRecord {
  const customer = requireCustomer(ctx);
  const id = (ctx.req.params.subscriptionId ?? "").toLowerCase();
  const s = pcSections(ctx.emu.state).subscriptions[id];
  if (!s || s.customerId !== customer.id) throw pcErrors.subscriptionNotFound(id);
  return s;
}

/**
 * PATCH takes the full subscription ("Update a subscription by ID",
 * https://learn.microsoft.com/partner-center/developer/update-a-subscription-by-id); only the
 * fields that differ matter. An etag is checked when sent (`If-Match` or `attributes.etag`); the
 * docs show it on suspend but do not make it mandatory [U].
 */
function patchSubscription(ctx: PcContext) {
  const s = requireSubscription(ctx);
  const body = requireBody(ctx.req.body);
  const r = s.resource;
  if (r.status === "deleted") throw pcErrors.subscriptionDeleted(s.id);
  const sent = parseIfMatch(ctx.req.headers["if-match"]) ?? strProp(objProp(body, "attributes"), "etag");
  if (sent !== undefined && sent !== currentEtag(s)) throw pcErrors.staleEtag();
  const azure = isAzurePlan(s);

  const cycle = strProp(body, "billingCycle");
  if (cycle !== undefined && normalizeBillingCycle(cycle) !== r.billingCycle)
    throw pcErrors.billingCycleChange();

  const quantity = numProp(body, "quantity");
  if (quantity !== undefined && quantity !== r.quantity) {
    if (azure) throw pcErrors.quantityNotUpdatable();
    const offer = resolveCatalogItem(String(r.offerId));
    if (!Number.isInteger(quantity) || quantity < offer.minimumQuantity || quantity > offer.maximumQuantity) {
      throw pcErrors.quantityNotAllowed(0);
    }
    if (ctx.emu.state.settings.sandbox && quantity > SANDBOX_LIMITS.licensesPerSubscription) {
      throw pcErrors.tooManySeats(SANDBOX_LIMITS.licensesPerSubscription);
    }
  }

  const friendlyName = strProp(body, "friendlyName");
  if (friendlyName !== undefined && (friendlyName.trim() === "" || friendlyName.length > 50)) {
    throw pcErrors.invalidProperty("friendlyName must be 1 to 50 characters.");
  }
  if (isLicenseSubscription(s)) {
    // Window rules, cancellation, suspension and auto-renew of new-commerce seats (licenseTerms.ts).
    patchLicenseSubscription(ctx.emu, s, body);
    if (friendlyName !== undefined) r.friendlyName = friendlyName;
    s.version += 1;
    return { status: 200, body: subscriptionView(s) };
  }

  const statusText = strProp(body, "status");
  let status = r.status as string;
  if (statusText !== undefined && statusText.toLowerCase() !== status) {
    const wanted = statusText.toLowerCase();
    if (wanted !== "suspended" && wanted !== "active") throw pcErrors.statusNotUpdatable(statusText);
    if (wanted === "suspended" && azure) {
      // Documented: an Azure plan is suspended only without active Azure subscriptions (900115).
      const active = azureSubscriptionsOfPlan(ctx.emu.state, s.id).filter(
        (a) => a.entitlementStatus === "active" && a.state !== "Deleted",
      );
      if (active.length > 0) throw pcErrors.planHasActiveSubscriptions(active.map((a) => a.subscriptionId));
    }
    status = wanted;
  }

  if (friendlyName !== undefined) r.friendlyName = friendlyName;
  if (quantity !== undefined) r.quantity = quantity;
  const autoRenew = boolProp(body, "autoRenewEnabled");
  if (!azure && hasProp(body, "autoRenewEnabled") && autoRenew !== undefined) r.autoRenewEnabled = autoRenew;
  if (status !== r.status) {
    r.status = status;
    r.suspensionReasons = status === "suspended" ? ["CustomerCancellation"] : [];
  }
  s.version += 1;
  return { status: 200, body: subscriptionView(s) };
}
