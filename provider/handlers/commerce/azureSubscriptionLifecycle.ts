import { cancelArmSubscription, getArmSubscription } from "../../clients/arm/subscriptions";
import type { CspApi } from "../../clients/cspApi";
import {
  AZURE_PLAN_CATALOG_ITEM,
  cancelAzureEntitlement,
  getAzureEntitlement,
  isAzurePlanSubscription,
  listAzureEntitlements,
  listSubscriptions,
  type PcAzureEntitlement,
} from "../../clients/partnerCenter/commerce";
import { hasServiceCode, isCspError } from "../../errors";
import { conflict } from "./errors";

/**
 * An Azure subscription of a customer's Azure plan seen from both sides: its Partner Center
 * entitlement (and plan), and its cancel, for AzureSubscription (read, delete) and AzurePlan
 * (teardown).
 *
 * The routine cancel is ARM's `Microsoft.Subscription/cancel` by an Owner of the subscription ("Cancel
 * and delete your Azure subscription", who can cancel an Azure plan subscription:
 * https://learn.microsoft.com/azure/cost-management-billing/manage/cancel-azure-subscription); the
 * partner's admin agents are Owners through admin-on-behalf-of ("Manage subscriptions and resources
 * under the Azure plan": https://learn.microsoft.com/partner-center/azure-plan-manage). The
 * subscription is then disabled; Azure deletes it 90 days later, and until then it can be enabled
 * again. Partner Center's cancel (`cancellationReason: "compromise"`) is for compromised or abused
 * subscriptions only ("Cancel an Azure subscription":
 * https://learn.microsoft.com/partner-center/developer/cancel-an-azure-subscription): used only when
 * the program asks for it.
 */

/** The entitlement of an Azure subscription and the plan it belongs to (the known plan first). */
export async function findEntitlement(
  api: CspApi,
  customerId: string,
  azureSubscriptionId: string,
  knownPlan?: string,
): Promise<{ plan: string; entitlement: PcAzureEntitlement } | undefined> {
  const pc = api.partnerCenter;
  if (knownPlan) {
    const entitlement = await getAzureEntitlement(pc, customerId, knownPlan, azureSubscriptionId);
    if (entitlement) return { plan: knownPlan, entitlement };
  }
  const plans = (await listSubscriptions(pc, customerId)).filter((s) =>
    isAzurePlanSubscription(s, AZURE_PLAN_CATALOG_ITEM),
  );
  const wanted = azureSubscriptionId.toLowerCase();
  for (const plan of plans) {
    const entitlement = (await listAzureEntitlements(pc, customerId, plan.id)).find(
      (e) => e.id.toLowerCase() === wanted,
    );
    if (entitlement) return { plan: plan.id, entitlement };
  }
  return undefined;
}

export type CancelOutcome = "cancelled" | "alreadyCancelled" | "gone";

/**
 * ARM states of a subscription that is cancelled already ("Azure subscription states":
 * https://learn.microsoft.com/azure/cost-management-billing/manage/subscription-states): `Disabled`,
 * `Expired`, and `Warned`, which a cancel by the user may show before `Disabled`.
 */
const CANCELLED_STATES = new Set(["disabled", "expired", "warned"]);

/**
 * Cancels through ARM as admin-on-behalf-of in the customer tenant: one POST. A subscription that
 * still holds resources is refused by Azure (400 `ResourcesExistingOnSubscription`): a conflict
 * naming what to do, nothing cancelled. Any other refusal (e.g. a repeated cancel after a lost
 * answer: a disabled subscription refuses actions) is checked against the subscription's state.
 */
export async function cancelThroughArm(
  api: CspApi,
  customerId: string,
  subscriptionId: string,
  label: string,
): Promise<CancelOutcome> {
  try {
    await cancelArmSubscription(api.arm, customerId, subscriptionId);
    return "cancelled";
  } catch (e) {
    if (hasServiceCode(e, "ResourcesExistingOnSubscription")) {
      throw conflict(
        "arm",
        `cannot cancel ${label} of customer ${customerId}: Azure cancels a subscription only once it holds no resources`,
        "delete its resources and resource groups first (back up what you keep), then run again; to stop managing the subscription without cancelling it, remove it from the stack with `pulumi state delete`",
      );
    }
    const status = isCspError(e) ? e.status : undefined;
    if (status === undefined || status >= 500 || status === 401 || status === 403 || status === 429) throw e;
    const current = await getArmSubscription(api.arm, customerId, subscriptionId);
    if (!current) return "gone";
    if (CANCELLED_STATES.has((current.state ?? "").toLowerCase())) return "alreadyCancelled";
    throw e;
  }
}

/**
 * Partner Center's cancel for a compromised or abused subscription (reason `compromise`): finds
 * the Azure plan when not known, skips an entitlement that is not active.
 */
export async function cancelAsCompromised(
  api: CspApi,
  customerId: string,
  subscriptionId: string,
  knownPlan: string | undefined,
): Promise<CancelOutcome> {
  const found = await findEntitlement(api, customerId, subscriptionId, knownPlan);
  if (!found) return "gone";
  if ((found.entitlement.status ?? "").toLowerCase() !== "active") return "alreadyCancelled";
  await cancelAzureEntitlement(api.partnerCenter, customerId, found.plan, subscriptionId, "compromise");
  return "cancelled";
}
