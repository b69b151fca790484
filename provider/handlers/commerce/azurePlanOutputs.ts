import type { CspApi } from "../../clients/cspApi";
import {
  AZURE_PLAN_CATALOG_ITEM,
  listAzureEntitlements,
  type PcAzureEntitlement,
  type PcSubscription,
} from "../../clients/partnerCenter/commerce";
import type { CspConfig } from "../../configTypes";
import { stripUndefined } from "../common";
import type { AzurePlanInputs, AzurePlanOnDelete, PlanState } from "./azurePlan";

/**
 * What the Azure plan resource records: its outputs from the plan's Partner Center subscription
 * (and its first Azure subscription), and what its delete does (`deletionBehavior`).
 */

export function catalogItemOf(inputs: Pick<AzurePlanInputs, "catalogItemId">): string {
  return inputs.catalogItemId ?? AZURE_PLAN_CATALOG_ITEM;
}

/**
 * What a delete does. An explicit `onDelete` wins; otherwise an integration sandbox cancels the
 * plan's Azure subscriptions and suspends it (so a sandbox stack can be destroyed; not for an
 * adopted plan), and production only suspends, which fails while Azure subscriptions are active
 * (a destroy must not silently cancel a customer's running subscriptions).
 */
export function deletionMode(
  onDelete: AzurePlanOnDelete | undefined,
  adopted: boolean,
  config: CspConfig,
): AzurePlanOnDelete {
  if (onDelete) return onDelete;
  return config.sandbox && !adopted ? "cancelSubscriptionsAndSuspend" : "suspend";
}

export function describeDeletion(mode: AzurePlanOnDelete): string {
  switch (mode) {
    case "suspend":
      return "suspend: deleting this resource suspends the Azure plan (a plan cannot be un-bought; it can be reactivated later); it fails while Azure subscriptions under the plan are active";
    case "cancelSubscriptionsAndSuspend":
      return "cancelSubscriptionsAndSuspend: deleting this resource cancels every active Azure subscription under the plan (Azure Resource Manager cancel, which Azure refuses while a subscription holds resources), then suspends the plan (a plan cannot be un-bought)";
    default:
      return "leave: deleting this resource only stops managing the Azure plan; it stays active and billable";
  }
}

/** The outputs with `deletionBehavior` for the current configuration. */
export function withDeletion(outs: PlanState, config: CspConfig): PlanState {
  return { ...outs, deletionBehavior: describeDeletion(deletionMode(outs.onDelete, outs.adopted, config)) };
}

export function pickAzureSubscription(
  entitlements: PcAzureEntitlement[],
  previous?: string,
): string | undefined {
  if (previous && entitlements.some((e) => e.id.toLowerCase() === previous.toLowerCase())) return previous;
  return (entitlements.find((e) => (e.status ?? "").toLowerCase() === "active") ?? entitlements[0])?.id;
}

export function planOutputs(
  inputs: AzurePlanInputs,
  sub: PcSubscription,
  extra: { orderId?: string; azureSubscriptionId?: string; adopted: boolean },
): PlanState {
  return stripUndefined({
    ...inputsWithout(inputs),
    subscriptionId: sub.id,
    status: sub.status ?? "active",
    orderId: sub.orderId ?? extra.orderId,
    azureSubscriptionId: extra.azureSubscriptionId,
    friendlyName: sub.friendlyName,
    catalogItemId: catalogItemOf(inputs),
    adopted: extra.adopted,
    deletionBehavior: "",
  });
}

/** Outputs of an order whose subscription is not provisioned yet. */
export function pendingOutputs(inputs: AzurePlanInputs, orderId: string, adopted: boolean): PlanState {
  return stripUndefined({
    ...inputsWithout(inputs),
    status: "pending",
    orderId,
    catalogItemId: catalogItemOf(inputs),
    adopted,
    deletionBehavior: "",
  });
}

/** Inputs without the keys that are also outputs (the outputs carry what Partner Center holds). */
export function inputsWithout(inputs: AzurePlanInputs): Omit<AzurePlanInputs, "status" | "friendlyName"> {
  const { status: _status, friendlyName: _friendlyName, ...rest } = inputs;
  const out: Record<string, unknown> = { ...rest };
  for (const k of ["subscriptionId", "orderId", "azureSubscriptionId", "adopted", "deletionBehavior"])
    delete out[k];
  return out as Omit<AzurePlanInputs, "status" | "friendlyName">;
}

/**
 * The plan's subscription plus its first Azure subscription, as outputs. The first Azure
 * subscription is listed once, when the plan is recorded; afterwards the state holds its id (it
 * stays the plan's first even once cancelled), so refresh and update read nothing more.
 */
export async function describePlan(
  api: CspApi,
  inputs: AzurePlanInputs,
  sub: PcSubscription,
  extra: { orderId?: string; previousAzureSubscriptionId?: string; adopted: boolean },
): Promise<PlanState> {
  const azureSubscriptionId =
    extra.previousAzureSubscriptionId ??
    pickAzureSubscription(await listAzureEntitlements(api.partnerCenter, inputs.customerId, sub.id));
  return planOutputs(inputs, sub, {
    adopted: extra.adopted,
    ...(extra.orderId ? { orderId: extra.orderId } : {}),
    ...(azureSubscriptionId ? { azureSubscriptionId } : {}),
  });
}
