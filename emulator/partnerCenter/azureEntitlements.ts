import type { JsonObject } from "../common/json";
import type { AzureSubscriptionRecord } from "../common/state";
import type { Route } from "../common/types";
import {
  azureSubscriptionsOfPlan,
  cancelAzureSubscription,
  enableAzureSubscription,
  enableRefusal,
  isAzurePlan,
  settleCancellation,
} from "./azurePlans";
import { collection } from "./collections";
import { requireBody, strProp } from "./jsonBody";
import { pcErrors } from "./pcErrors";
import { type PcContext, pcRoute } from "./pcRoute";
import { link } from "./resourceLinks";
import { requireSubscription } from "./subscriptions";

/**
 * Azure entitlements: the Azure subscriptions of an Azure plan ("Get an Azure entitlement for a
 * subscription": https://learn.microsoft.com/partner-center/developer/get-an-azure-entitlement-for-a-subscription).
 * An entitlement is the same object as the ARM subscription: its `status` is `inactive` while the
 * subscription is cancelled, whichever API cancelled it (ARM `Microsoft.Subscription/cancel`, the
 * routine cancel, or the cancel below).
 *
 * Cancel (`{"cancellationReason":"compromise"}`) is Partner Center's cancel for compromised or
 * abused subscriptions ("Cancel an Azure subscription":
 * https://learn.microsoft.com/partner-center/developer/cancel-an-azure-subscription); reactivate
 * answers 202 ("Reactivate an Azure subscription":
 * https://learn.microsoft.com/partner-center/developer/reactivate-an-azure-subscription). Both
 * pages give about 10 minutes for the new status to show; the emulator applies it at once.
 */

/**
 * Accepted cancellation reasons: `compromise` is the documented value; the article's wording
 * ("If compromise or abuse") suggests `abuse` too [U]. Anything else is 400 / 900307.
 */
const CANCELLATION_REASONS = new Set(["compromise", "abuse"]);

const base = "/v1/customers/:customerId/subscriptions/:subscriptionId/azureentitlements";

export const azureEntitlementRoutes: Route[] = [
  pcRoute("GET", base, { auth: "appOrUser", rate: "subscription" }, (ctx) => {
    const plan = requirePlan(ctx);
    const items = azureSubscriptionsOfPlan(ctx.emu.state, plan.id).map((a) =>
      entitlementListItem(settleCancellation(a, ctx.emu.now())),
    );
    return { status: 200, body: collection(items) };
  }),
  pcRoute("GET", `${base}/:entitlementId`, { auth: "appOrUser", rate: "subscription" }, (ctx) => ({
    status: 200,
    body: entitlementView(requireEntitlement(ctx)),
  })),
  pcRoute("POST", `${base}/:entitlementId/cancel`, { auth: "appOrUser", rate: "subscription" }, (ctx) => {
    const entitlement = requireEntitlement(ctx);
    if (ctx.req.body === undefined) throw pcErrors.cancellationContentRequired();
    const body = requireBody(ctx.req.body);
    const reason = strProp(body, "cancellationReason");
    if (reason === undefined || !CANCELLATION_REASONS.has(reason.toLowerCase())) {
      throw pcErrors.cancellationReasonInvalid(reason ?? "");
    }
    if (entitlement.state === "Deleted") entitlement.entitlementStatus = "inactive";
    else cancelAzureSubscription(entitlement, ctx.emu.now());
    return { status: 200, body: entitlementView(entitlement) };
  }),
  pcRoute("POST", `${base}/:entitlementId/reactivate`, { auth: "appOrUser", rate: "subscription" }, (ctx) => {
    const entitlement = requireEntitlement(ctx);
    const refused = enableRefusal(ctx.emu.state, entitlement);
    if (refused) throw pcErrors.cannotReactivate(refused.text);
    enableAzureSubscription(entitlement);
    return { status: 202 };
  }),
];

function requirePlan(ctx: PcContext) {
  const plan = requireSubscription(ctx);
  if (!isAzurePlan(plan))
    throw pcErrors.entitlementNotFound(ctx.req.params.entitlementId ?? "(none: not an Azure plan)");
  return plan;
}

function requireEntitlement(ctx: PcContext): AzureSubscriptionRecord {
  const plan = requirePlan(ctx);
  const id = (ctx.req.params.entitlementId ?? "").toLowerCase();
  const record = ctx.emu.state.azure.subscriptions[id];
  if (!record || record.planSubscriptionId.toLowerCase() !== plan.id) throw pcErrors.entitlementNotFound(id);
  return settleCancellation(record, ctx.emu.now());
}

function entitlementListItem(a: AzureSubscriptionRecord): JsonObject {
  return {
    id: a.subscriptionId,
    friendlyName: a.displayName,
    status: a.entitlementStatus,
    subscriptionId: a.planSubscriptionId,
  };
}

function entitlementView(a: AzureSubscriptionRecord): JsonObject {
  return {
    ...entitlementListItem(a),
    links: {
      self: link(
        `/customers/${a.customerId}/subscriptions/${a.planSubscriptionId}/azureEntitlements/${a.subscriptionId}`,
      ),
    },
  };
}
