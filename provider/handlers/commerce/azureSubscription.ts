import { getAlias, renameSubscription } from "../../clients/arm/subscriptions";
import { shown } from "../../purchaseMarker";
import type { ResourceHandler } from "../types";
import { isUnknown } from "../types";
import { actualDisplayName, createAzureSubscription } from "./azureSubscriptionCreate";
import {
  type AzureSubscriptionInputs,
  type AzureSubscriptionOutputs,
  checkAzureSubscription,
  describeDeletion,
  inputsOnly,
  outputs,
} from "./azureSubscriptionInputs";
import {
  type CancelOutcome,
  cancelAsCompromised,
  cancelThroughArm,
  findEntitlement,
} from "./azureSubscriptionLifecycle";

/**
 * AzureSubscription: an Azure subscription under the customer's Azure plan, created through ARM
 * `Microsoft.Subscription/aliases` with the customer's MPA billing scope ("Programmatically create
 * Azure subscriptions for a Microsoft Partner Agreement":
 * https://learn.microsoft.com/azure/cost-management-billing/manage/programmatically-create-subscription-microsoft-partner-agreement),
 * a billable purchase.
 *
 * - Create writes first (commerce/azureSubscriptionCreate.ts): the PUT of the alias, idempotent by
 *   its name; a new alias needs no further read.
 * - Refresh reads the Azure entitlement (one GET with the plan in the state); update renames and
 *   reads nothing.
 * - The alias name is deterministic: `deterministicUuid("azure-subscription", account,
 *   customerId, key)`, where `key` is a stable input (default: the display name at the first
 *   create, then kept even when the display name changes; Pulumi does not pass the resource name
 *   to dynamic providers). A retry or a re-run finds the same alias, so the same subscription.
 * - Rename is an update (ARM `Microsoft.Subscription/rename`).
 * - Delete cancels the subscription through ARM `Microsoft.Subscription/cancel`, the routine cancel
 *   of its Owners (see `commerce/azureSubscriptionLifecycle.ts`); Azure refuses while it holds
 *   resources. `onDelete: "cancelAsCompromised"` uses Partner Center's cancel for compromised or
 *   abused subscriptions instead. A cancelled subscription is disabled and deleted by Azure 90
 *   days later; creating the resource again before that finds the same alias and enables it again
 *   (ARM `Microsoft.Subscription/enable`, a purchase: acknowledgement applies). A subscription
 *   cancelled outside the program is planned as a replacement (delete-before-replace: nothing,
 *   then enable), which `pulumi preview` shows explicitly.
 */

export {
  AZURE_SUBSCRIPTION_TYPE,
  type AzureSubscriptionInputs,
  type AzureSubscriptionOnDelete,
  type AzureSubscriptionOutputs,
  defaultAliasName,
  type Workload,
} from "./azureSubscriptionInputs";

export const azureSubscriptionHandler: ResourceHandler<AzureSubscriptionInputs, AzureSubscriptionOutputs> = {
  purchase(inputs) {
    const name = shown(inputs.displayName, "(name not known yet)");
    const customer = shown(inputs.customerId, "created in this update");
    return `Azure subscription "${name}" (${inputs.workload ?? "Production"}) for customer ${customer}, billed by usage`;
  },
  check: checkAzureSubscription,

  async diff(_id, olds, news) {
    // A subscription cancelled outside the program: plan its reactivation as a replacement
    // (delete first: nothing to cancel; then create: reactivate), so the preview shows it.
    if ((olds.entitlementStatus ?? "").toLowerCase() === "inactive") {
      return { changes: true, replaces: ["entitlementStatus"], deleteBeforeReplace: true };
    }
    const renamed = !isUnknown(news.displayName) && news.displayName !== olds.displayName;
    const onDeleteChanged = describeDeletion(news.onDelete) !== olds.deletionBehavior;
    const pending = !olds.azureSubscriptionId || olds.provisioningState !== "Succeeded";
    return { changes: renamed || onDeleteChanged || pending };
  },

  create: createAzureSubscription,

  async read(id, props, ctx) {
    const api = ctx.api(props.account);
    const inputs = inputsOnly(props);
    let azureSubscriptionId = props.azureSubscriptionId;
    let provisioningState = props.provisioningState;
    if (!azureSubscriptionId || provisioningState !== "Succeeded") {
      const alias = await getAlias(api.arm, props.aliasName);
      if (!alias) {
        ctx.log(`AzureSubscription alias ${props.aliasName}: no longer exists; removed from the state`);
        return { id: "" };
      }
      azureSubscriptionId = alias.properties?.subscriptionId;
      provisioningState = alias.properties?.provisioningState;
      if (!azureSubscriptionId || provisioningState !== "Succeeded") {
        return {
          id,
          props: outputs(inputs, {
            aliasName: props.aliasName,
            displayName: props.displayName,
            ...(azureSubscriptionId ? { azureSubscriptionId } : {}),
            ...(props.billingScope ? { billingScope: props.billingScope } : {}),
            ...(provisioningState ? { provisioningState } : {}),
          }),
        };
      }
    }
    const found = await findEntitlement(api, props.customerId, azureSubscriptionId, props.planSubscriptionId);
    if (!found) {
      ctx.log(
        `AzureSubscription ${azureSubscriptionId}: no longer an Azure subscription of customer ${props.customerId}; removed from the state`,
      );
      return { id: "" };
    }
    // [U] The entitlement's friendlyName is taken to follow a rename in Azure (the emulator shows
    // one name on both sides); ARM is asked only when the entitlement carries no name.
    const displayName =
      found.entitlement.friendlyName ??
      (await actualDisplayName(api, props.customerId, azureSubscriptionId, found.entitlement)) ??
      props.displayName;
    const described = outputs(inputs, {
      aliasName: props.aliasName,
      azureSubscriptionId,
      displayName,
      entitlementStatus: found.entitlement.status,
      planSubscriptionId: found.plan,
      ...(props.billingScope ? { billingScope: props.billingScope } : {}),
      ...(provisioningState ? { provisioningState } : {}),
    });
    return { id, props: { ...described, workload: props.workload } };
  },

  async update(_id, olds, news, ctx) {
    const api = ctx.api(news.account);
    if (!olds.azureSubscriptionId || olds.provisioningState !== "Succeeded") {
      // A partial create: complete it (same alias, nothing bought twice).
      const created = await createAzureSubscription(
        { ...news, key: olds.key, aliasName: olds.aliasName },
        ctx,
      );
      return created.outs ? { outs: created.outs } : {};
    }
    const azureSubscriptionId = olds.azureSubscriptionId;
    if (news.displayName !== olds.displayName) {
      await renameSubscription(api.arm, news.customerId, azureSubscriptionId, news.displayName);
      ctx.log(
        `AzureSubscription ${azureSubscriptionId}: renamed from "${olds.displayName}" to "${news.displayName}"`,
      );
    }
    const outs = outputs(
      { ...news, key: olds.key },
      {
        aliasName: olds.aliasName,
        azureSubscriptionId,
        displayName: news.displayName,
        workload: olds.workload,
        provisioningState: "Succeeded",
        ...(olds.entitlementStatus ? { entitlementStatus: olds.entitlementStatus } : {}),
        ...(olds.planSubscriptionId ? { planSubscriptionId: olds.planSubscriptionId } : {}),
        ...(olds.billingScope ? { billingScope: olds.billingScope } : {}),
      },
    );
    return { outs };
  },

  async delete(_id, props, ctx) {
    const api = ctx.api(props.account);
    const id = props.azureSubscriptionId;
    if (!id) {
      ctx.log(
        `AzureSubscription alias ${props.aliasName}: never provisioned in this stack; nothing to cancel`,
      );
      return;
    }
    const compromised = props.onDelete === "cancelAsCompromised";
    const outcome: CancelOutcome = compromised
      ? await cancelAsCompromised(api, props.customerId, id, props.planSubscriptionId)
      : await cancelThroughArm(api, props.customerId, id, `the Azure subscription ${id}`);
    const messages: Record<CancelOutcome, string> = {
      gone: `already gone for customer ${props.customerId}`,
      alreadyCancelled: "already cancelled",
      cancelled: compromised
        ? 'cancelled as compromised (Partner Center cancel, reason "compromise"); Azure deletes it 90 days from now, and creating this resource again before that enables it again'
        : "cancelled (Azure Resource Manager cancel); Azure deletes it 90 days from now, and creating this resource again before that enables it again",
    };
    ctx.log(`AzureSubscription ${id}: ${messages[outcome]}`);
  },
};
