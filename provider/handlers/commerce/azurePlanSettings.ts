import type { CspApi } from "../../clients/cspApi";
import {
  getSubscription,
  listAzureEntitlements,
  type PcAzureEntitlement,
  type PcSubscription,
  patchSubscription,
} from "../../clients/partnerCenter/commerce";
import { hasServiceCode } from "../../errors";
import type { HandlerContext } from "../types";
import type { AzurePlanInputs, AzurePlanStatus } from "./azurePlan";
import { conflict, providerRefusal } from "./errors";

/**
 * The Azure plan's settings in Partner Center: `friendlyName` and `status` through a PATCH of the
 * whole subscription with If-Match ("Update a subscription by ID", "Suspend a subscription"), and
 * the rule that a plan is suspended only when no Azure subscription under it is active.
 */

export function activeEntitlements(entitlements: PcAzureEntitlement[]): PcAzureEntitlement[] {
  return entitlements.filter((e) => (e.status ?? "").toLowerCase() === "active");
}

/**
 * Applies `friendlyName` / `status` with a PATCH of the full subscription (GET for the ETag,
 * If-Match, one more round on a stale ETag 2055). Suspending is refused while Azure
 * subscriptions under the plan are active (Partner Center allows suspending an Azure plan only
 * without active usage assets, "Create an Azure plan", managing the plan).
 */
/** "the Azure subscription X (the plan's own, created by its checkout) is" / "2 Azure subscriptions (X, Y) are". */
export function activeList(active: { id: string }[], ownId: string | undefined): string {
  const names = active.map((e) =>
    ownId && e.id.toLowerCase() === ownId.toLowerCase()
      ? `${e.id} (the plan's own first subscription, created by its checkout, not an AzureSubscription resource)`
      : e.id,
  );
  return active.length === 1
    ? `the Azure subscription ${names[0]} is`
    : `${active.length} Azure subscriptions (${names.join(", ")}) are`;
}

export async function applyPlanSettings(
  api: CspApi,
  customerId: string,
  subscriptionId: string,
  desired: { friendlyName?: string; status?: AzurePlanStatus },
  ctx: HandlerContext,
  /** Set when the suspension is the plan's delete: what the plan's checkout created, and the delete's advice. */
  deleting?: { ownAzureSubscriptionId?: string },
  /**
   * What the caller read moments ago: the plan's record (used instead of a first GET; a stale
   * ETag still costs one more round, 2055), and whether it has just cancelled every active Azure
   * subscription under the plan (then the suspend is not preceded by another list: Partner Center
   * refuses to suspend a plan with active Azure subscriptions, 900115, "Partner Center REST error
   * codes", https://learn.microsoft.com/partner-center/developer/error-codes).
   */
  known: { current?: PcSubscription; noneActive?: boolean } = {},
): Promise<PcSubscription> {
  for (let attempt = 0; ; attempt++) {
    const current =
      attempt === 0 && known.current
        ? known.current
        : await getSubscription(api.partnerCenter, customerId, subscriptionId);
    if (!current) {
      throw providerRefusal(
        `the Azure plan subscription ${subscriptionId} of customer ${customerId} no longer exists`,
        "run `pulumi refresh` to drop it from the stack",
        "CSP_API_ERROR",
      );
    }
    const renamed = desired.friendlyName !== undefined && desired.friendlyName !== current.friendlyName;
    const status = (current.status ?? "").toLowerCase();
    const restatus = desired.status !== undefined && desired.status !== status;
    if (!renamed && !restatus) return current;
    if (restatus && desired.status === "suspended" && !(attempt === 0 && known.noneActive)) {
      const active = activeEntitlements(
        await listAzureEntitlements(api.partnerCenter, customerId, subscriptionId),
      );
      if (active.length > 0) {
        throw conflict(
          "partnerCenter",
          `cannot suspend the Azure plan ${subscriptionId} of customer ${customerId}: ${activeList(active, deleting?.ownAzureSubscriptionId)} active under it, and Partner Center suspends an Azure plan only when none is`,
          deleting
            ? 'to cancel them with the plan (their workloads stop), declare the plan again with onDelete: "cancelSubscriptionsAndSuspend", run `pulumi up` so the stack records it, then remove the plan; to keep the plan and what runs under it, declare it with onDelete: "leave" the same way (it stays billable); or cancel the subscriptions in the Azure portal or Partner Center first'
            : "cancel them first (remove their AzureSubscription resources, or cancel them in the Azure portal or Partner Center), then suspend the plan",
        );
      }
    }
    const body: PcSubscription = {
      ...current,
      ...(renamed ? { friendlyName: desired.friendlyName } : {}),
      ...(restatus ? { status: desired.status } : {}),
    };
    try {
      const updated = await patchSubscription(api.partnerCenter, customerId, body);
      if (restatus) {
        ctx.log(
          desired.status === "suspended"
            ? `AzurePlan ${subscriptionId}: suspended (customer ${customerId})`
            : `AzurePlan ${subscriptionId}: reactivated (status active; customer ${customerId})`,
        );
      }
      return { ...body, ...updated };
    } catch (e) {
      if (attempt === 0 && hasServiceCode(e, "2055")) continue;
      throw e;
    }
  }
}

export function desiredSettings(inputs: AzurePlanInputs): { friendlyName?: string; status: AzurePlanStatus } {
  return {
    ...(inputs.friendlyName !== undefined ? { friendlyName: inputs.friendlyName } : {}),
    status: inputs.status ?? "active",
  };
}
