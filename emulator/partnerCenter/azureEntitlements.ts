import type { AzureSubscriptionRecord } from "../common/state";
import type { Route } from "../common/types";
import { azureSubscriptionsOfPlan, isAzurePlan, SANDBOX_AZURE_SUBSCRIPTIONS_PER_PLAN } from "./azurePlans";
import { collection } from "./collections";
import { type JsonObject, requireBody, strProp } from "./jsonBody";
import { pcErrors } from "./pcErrors";
import { type PcContext, pcRoute } from "./pcRoute";
import { link } from "./resourceLinks";
import { requireSubscription } from "./subscriptions";

/**
 * Azure entitlements: the Azure subscriptions of an Azure plan (reference 3.5; vector 14).
 * Cancel (`{"cancellationReason":"compromise"}`) makes the entitlement `inactive` and disables the
 * ARM subscription; reactivate answers 202 and enables it again. The real service takes about 10
 * minutes to show the new status; the emulator applies it at once.
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
    const items = azureSubscriptionsOfPlan(ctx.emu.state, plan.id).map((a) => entitlementListItem(a));
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
    entitlement.entitlementStatus = "inactive";
    if (entitlement.state !== "Deleted") entitlement.state = "Disabled";
    return { status: 200, body: entitlementView(entitlement) };
  }),
  pcRoute("POST", `${base}/:entitlementId/reactivate`, { auth: "appOrUser", rate: "subscription" }, (ctx) => {
    const plan = requirePlan(ctx);
    const entitlement = requireEntitlement(ctx);
    if (plan.resource.status !== "active") throw pcErrors.cannotReactivate("the Azure plan is not active.");
    if (entitlement.state === "Deleted")
      throw pcErrors.cannotReactivate("the Azure subscription was deleted.");
    if (entitlement.entitlementStatus !== "active" && ctx.emu.state.settings.sandbox) {
      const active = azureSubscriptionsOfPlan(ctx.emu.state, plan.id).filter(
        (a) => a.entitlementStatus === "active",
      );
      if (active.length >= SANDBOX_AZURE_SUBSCRIPTIONS_PER_PLAN) {
        throw pcErrors.cannotReactivate(
          `a sandbox Azure plan has at most ${SANDBOX_AZURE_SUBSCRIPTIONS_PER_PLAN} active Azure subscriptions.`,
        );
      }
    }
    entitlement.entitlementStatus = "active";
    entitlement.state = "Enabled";
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
  return record;
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
