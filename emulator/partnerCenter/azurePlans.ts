import { randomUUID } from "node:crypto";
import type { AzureSubscriptionRecord, EmulatorState } from "../common/state";
import { AZURE_PLAN_CATALOG_ITEM_ID } from "./catalog";
import { pcSections, type SubscriptionRecord } from "./pcState";

/**
 * Azure plans and the Azure subscriptions under them ("Create an Azure plan",
 * https://learn.microsoft.com/partner-center/developer/create-azure-plan; "Get a list of Azure
 * entitlements for a subscription",
 * https://learn.microsoft.com/partner-center/developer/get-a-list-of-azure-entitlements-for-subscription).
 * An Azure subscription is one object seen twice: an ARM subscription and an Azure entitlement of
 * the customer's plan (`state.azure.subscriptions`, `planSubscriptionId`).
 */

/**
 * Sandbox: at most 3 Azure subscriptions per Azure plan ("Test and debug with integration sandbox",
 * https://learn.microsoft.com/partner-center/developer/test-and-debug).
 */
export const SANDBOX_AZURE_SUBSCRIPTIONS_PER_PLAN = 3;

/** Whether a Partner Center subscription is an Azure plan. */
export function isAzurePlan(s: SubscriptionRecord): boolean {
  return String(s.resource.offerId).toUpperCase() === AZURE_PLAN_CATALOG_ITEM_ID;
}

function activePlans(state: EmulatorState, customerId: string): SubscriptionRecord[] {
  const wanted = customerId.toLowerCase();
  return Object.values(pcSections(state).subscriptions)
    .filter((s) => s.customerId === wanted && isAzurePlan(s) && s.resource.status === "active")
    .sort((a, b) => String(a.resource.creationDate).localeCompare(String(b.resource.creationDate)));
}

/**
 * The customer's active Azure plan, if any: what ARM's MPA billing scope
 * (`/billingAccounts/{ba}/customers/{customerId}`) resolves to for aliases and billing reads.
 */
export function findActiveAzurePlan(
  state: EmulatorState,
  customerId: string,
): { subscriptionId: string } | undefined {
  const plan = activePlans(state, customerId)[0];
  return plan ? { subscriptionId: plan.id } : undefined;
}

/** Azure subscriptions (entitlements) of a plan, in creation order. */
export function azureSubscriptionsOfPlan(
  state: EmulatorState,
  planSubscriptionId: string,
): AzureSubscriptionRecord[] {
  const wanted = planSubscriptionId.toLowerCase();
  return Object.values(state.azure.subscriptions)
    .filter((s) => s.planSubscriptionId.toLowerCase() === wanted)
    .sort((a, b) => a.createdDateTime.localeCompare(b.createdDateTime));
}

/** Input of {@link addAzureEntitlement}. */
export interface AddAzureEntitlementInput {
  customerId: string;
  displayName: string;
  workload?: "Production" | "DevTest";
  /** Defaults to a new GUID. */
  subscriptionId?: string;
}

/**
 * Adds an Azure subscription under the customer's active Azure plan (the checkout's first one,
 * or one more from an ARM alias). Refused when the customer has no active plan, or in sandbox
 * mode when the plan already has 3 Azure subscriptions.
 */
export function addAzureEntitlement(
  state: EmulatorState,
  input: AddAzureEntitlementInput,
  now: Date,
): { record: AzureSubscriptionRecord } | { error: "noActivePlan" | "sandboxLimit" } {
  const plan = activePlans(state, input.customerId)[0];
  if (!plan) return { error: "noActivePlan" };
  return addToPlan(state, plan, input, now);
}

/** Adds an Azure subscription under a given plan (used by the checkout that creates the plan). */
export function addToPlan(
  state: EmulatorState,
  plan: SubscriptionRecord,
  input: AddAzureEntitlementInput,
  now: Date,
): { record: AzureSubscriptionRecord } | { error: "sandboxLimit" } {
  const existing = azureSubscriptionsOfPlan(state, plan.id).filter((s) => s.state !== "Deleted");
  if (state.settings.sandbox && existing.length >= SANDBOX_AZURE_SUBSCRIPTIONS_PER_PLAN)
    return { error: "sandboxLimit" };
  const record: AzureSubscriptionRecord = {
    subscriptionId: (input.subscriptionId ?? randomUUID()).toLowerCase(),
    displayName: input.displayName,
    tenantId: plan.customerId,
    state: "Enabled",
    workload: input.workload ?? "Production",
    partnerTenantId: plan.partnerTenantId,
    customerId: plan.customerId,
    planSubscriptionId: plan.id,
    entitlementStatus: "active",
    createdDateTime: now.toISOString(),
  };
  state.azure.subscriptions[record.subscriptionId] = record;
  return { record };
}

// --- cancel, enable and deletion of an Azure subscription ------------------------------------------

/**
 * Days a cancelled Azure subscription stays disabled before Azure deletes it: "The subscription is
 * automatically deleted 90 days after you cancel a subscription" ("Cancel and delete your Azure
 * subscription": https://learn.microsoft.com/azure/cost-management-billing/manage/cancel-azure-subscription).
 * "Azure subscription states" gives 1 to 90 days depending on the type [U: 90 for an Azure plan].
 */
export const CANCELLED_RETENTION_DAYS = 90;

/**
 * Cancels an Azure subscription, through ARM or Partner Center alike: the ARM state becomes
 * `Disabled` and the entitlement `inactive` at once ([U]: "Azure subscription states" lets a
 * cancelled subscription show `Warned` first; the emulator skips that phase).
 */
export function cancelAzureSubscription(sub: AzureSubscriptionRecord, now: Date): void {
  // A repeated cancel does not restart the retention period.
  if (sub.state !== "Disabled" || !sub.cancelledDateTime) sub.cancelledDateTime = now.toISOString();
  sub.state = "Disabled";
  sub.entitlementStatus = "inactive";
}

/** Enables a cancelled Azure subscription again (ARM enable or Partner Center reactivate). */
export function enableAzureSubscription(sub: AzureSubscriptionRecord): void {
  sub.state = "Enabled";
  sub.entitlementStatus = "active";
  delete sub.cancelledDateTime;
}

/**
 * Applies Azure's deletion of a subscription cancelled more than {@link CANCELLED_RETENTION_DAYS}
 * ago (`Deleted`: no operation is available any more). Lookups call it before answering; it
 * depends only on the clock, so it needs no persisting.
 */
export function settleCancellation(sub: AzureSubscriptionRecord, now: Date): AzureSubscriptionRecord {
  if (sub.state !== "Disabled" || !sub.cancelledDateTime) return sub;
  const ageMs = now.getTime() - Date.parse(sub.cancelledDateTime);
  if (ageMs >= CANCELLED_RETENTION_DAYS * 24 * 3600 * 1000) sub.state = "Deleted";
  return sub;
}

/** Why a cancelled Azure subscription cannot be enabled again. */
export interface EnableRefusal {
  kind: "deleted" | "planNotActive" | "sandboxLimit";
  text: string;
}

/**
 * Why a cancelled Azure subscription cannot be enabled again, or `undefined`: it was deleted, its
 * Azure plan is not active (a suspended plan has no active Azure subscription, see the plan's
 * PATCH), or a sandbox plan already has its maximum of active ones.
 */
export function enableRefusal(state: EmulatorState, sub: AzureSubscriptionRecord): EnableRefusal | undefined {
  if (sub.state === "Deleted") return { kind: "deleted", text: "the Azure subscription was deleted." };
  const plan = pcSections(state).subscriptions[sub.planSubscriptionId.toLowerCase()];
  if (plan?.resource.status !== "active")
    return { kind: "planNotActive", text: "the Azure plan is not active." };
  if (sub.entitlementStatus !== "active" && state.settings.sandbox) {
    const active = azureSubscriptionsOfPlan(state, plan.id).filter((a) => a.entitlementStatus === "active");
    if (active.length >= SANDBOX_AZURE_SUBSCRIPTIONS_PER_PLAN) {
      return {
        kind: "sandboxLimit",
        text: `a sandbox Azure plan has at most ${SANDBOX_AZURE_SUBSCRIPTIONS_PER_PLAN} active Azure subscriptions.`,
      };
    }
  }
  return undefined;
}
