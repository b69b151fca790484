import type { AzureSubscriptionRecord } from "../common/state";
import type { EmulatorCore, EmuRequest, Route } from "../common/types";
import {
  cancelAzureSubscription,
  enableAzureSubscription,
  enableRefusal,
  settleCancellation,
} from "../partnerCenter/azurePlans";
import type { ArmCaller } from "./armCaller";
import { effectiveRoleIds, requireAction, requireWritable, subscriptionFor } from "./armCaller";
import { armErrors } from "./armErrors";
import { armBody, armOk, armRoute, propCI } from "./armRoute";
import { findBuiltInRole, OWNER_ROLE_ID, roleAllows } from "./builtInRoles";

/**
 * Subscriptions (Microsoft.Resources GET/list) and the Microsoft.Subscription actions cancel,
 * enable and rename (api-version 2021-10-01 in azure-rest-api-specs `specification/subscription`).
 * An Azure subscription is also an entitlement of the customer's Azure plan in Partner Center:
 * cancel sets the entitlement `inactive`, enable sets it `active` again, rename changes the name
 * both APIs show. A cancelled subscription is `Disabled` for 90 days, then `Deleted` (404).
 */

/** ARM JSON of a subscription. */
export function subscriptionView(s: AzureSubscriptionRecord): Record<string, unknown> {
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: "RoleBased",
    managedByTenants: [],
    subscriptionId: s.subscriptionId,
    tenantId: s.tenantId,
    displayName: s.displayName,
    state: s.state,
    subscriptionPolicies: {
      locationPlacementId: "Public_2014-09-01",
      // Quota id of subscriptions bought through CSP [U].
      quotaId: "CSP_2015-05-01",
      spendingLimit: "Off",
    },
  };
}

/** The addressed subscription, once the caller may perform `action` on it (404, 401, 403 otherwise). */
function permittedSubscription(
  req: EmuRequest,
  emu: EmulatorCore,
  caller: ArmCaller,
  action: string,
): AzureSubscriptionRecord {
  const sub = subscriptionFor(emu, caller, req.params.sub);
  requireAction(emu, caller, sub, `/subscriptions/${sub.subscriptionId}`, action);
  return sub;
}

/** The answer of a Microsoft.Subscription action: 200 `{subscriptionId}`, after marking the change. */
function actionDone(req: EmuRequest, emu: EmulatorCore, sub: AzureSubscriptionRecord, changed: boolean) {
  if (changed) emu.markDirty();
  return armOk(req, 200, { subscriptionId: sub.subscriptionId });
}

function get(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const sub = permittedSubscription(req, emu, caller, "Microsoft.Resources/subscriptions/read");
  return armOk(req, 200, subscriptionView(sub));
}

function list(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const tid = caller.claims.tid.toLowerCase();
  const value = Object.values(emu.state.azure.subscriptions)
    .map((s) => settleCancellation(s, emu.now()))
    .filter((s) => s.tenantId.toLowerCase() === tid && s.state !== "Deleted")
    .filter((s) =>
      [...effectiveRoleIds(emu, caller, s, `/subscriptions/${s.subscriptionId}`)].some((id) => {
        const role = findBuiltInRole(id);
        return role !== undefined && roleAllows(role, "Microsoft.Resources/subscriptions/read");
      }),
    )
    .map(subscriptionView);
  return armOk(req, 200, { value });
}

/**
 * `POST …/Microsoft.Subscription/cancel` ("Subscription - Cancel", 2021-10-01: 200
 * `{subscriptionId}`). Only an Owner of the subscription may cancel an Azure plan subscription
 * ("Cancel and delete your Azure subscription", who can cancel:
 * https://learn.microsoft.com/azure/cost-management-billing/manage/cancel-azure-subscription); the
 * partner's admin agents are Owners through admin-on-behalf-of; anyone else gets 403 [U: code
 * `AuthorizationFailed`; Azure/azure-rest-api-specs#15635 shows the service answering "Only
 * subscription owners can perform this operation" even to a role holding the cancel action]. A
 * cancelled (disabled) subscription
 * refuses actions, a second cancel included (see {@link requireWritable}). Azure refuses to cancel
 * a subscription that still holds resources: 400 `ResourcesExistingOnSubscription` (the code and
 * text ARM answers, as reported in Azure/terraform-azurerm-lz-vending#405; the Learn page asks to
 * delete resources and resource groups first, and Azure/azure-rest-api-specs#9042 calls the
 * refusal by design) [U: whether an empty resource group counts; the emulator counts any].
 * `IgnoreResourceCheck=true` skips the check [U: honoured by the service per
 * Azure/azure-sdk-for-python#10814, absent from the 2021-10-01 description; the provider never
 * sends it].
 */
function cancel(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const sub = permittedSubscription(req, emu, caller, "Microsoft.Subscription/cancel/action");
  if (!effectiveRoleIds(emu, caller, sub, `/subscriptions/${sub.subscriptionId}`).has(OWNER_ROLE_ID)) {
    throw armErrors.ownersOnlyCancel(caller.name, caller.claims.oid, sub.subscriptionId);
  }
  requireWritable(sub);
  const ignoreResourceCheck = [...req.query.entries()].some(
    ([k, v]) => k.toLowerCase() === "ignoreresourcecheck" && v.toLowerCase() === "true",
  );
  if (Object.keys(sub.resourceGroups ?? {}).length > 0 && !ignoreResourceCheck) {
    throw armErrors.resourcesExist();
  }
  cancelAzureSubscription(sub, emu.now());
  return actionDone(req, emu, sub, true);
}

/**
 * `POST …/Microsoft.Subscription/enable` ("Subscription - Enable", 2021-10-01: 200
 * `{subscriptionId}`): a cancelled subscription is enabled again until Azure deletes it (then 404).
 * [U] An enabled subscription answers 200 and stays as it is. [U] codes of the refusals, the same
 * as an alias PUT's: 400 `InvalidBillingScope` when the Azure plan is not active, 400
 * `SubscriptionQuotaExceeded` over a sandbox plan's limit.
 */
function enable(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const sub = permittedSubscription(req, emu, caller, "Microsoft.Subscription/enable/action");
  if (sub.state === "Enabled") return actionDone(req, emu, sub, false);
  const refused = enableRefusal(emu.state, sub);
  if (refused) {
    const why = `The subscription '${sub.subscriptionId}' cannot be enabled: ${refused.text}`;
    throw refused.kind === "planNotActive"
      ? armErrors.invalidBillingScope(why)
      : armErrors.quotaExceeded(why);
  }
  enableAzureSubscription(sub);
  return actionDone(req, emu, sub, true);
}

/**
 * `POST …/Microsoft.Subscription/rename` body `{subscriptionName}` ("Subscription - Rename":
 * https://learn.microsoft.com/rest/api/subscription/subscription/rename); refused while disabled.
 */
function rename(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const sub = permittedSubscription(req, emu, caller, "Microsoft.Subscription/rename/action");
  requireWritable(sub);
  const newName = propCI(armBody(req), "subscriptionName");
  if (typeof newName !== "string" || newName.trim() === "" || newName.length > 64) {
    throw armErrors.invalidSubscriptionName(
      "subscriptionName must be a non-empty name of at most 64 characters.",
    );
  }
  sub.displayName = newName;
  return actionDone(req, emu, sub, true);
}

const SUB_ACTIONS = "/subscriptions/:sub/providers/Microsoft.Subscription";

/** Routes of subscriptions and their Microsoft.Subscription actions. */
export const subscriptionRoutes: Route[] = [
  armRoute("GET", "/subscriptions", "armToken", list),
  armRoute("GET", "/subscriptions/:sub", "armToken", get),
  armRoute("POST", `${SUB_ACTIONS}/cancel`, "armToken", cancel),
  armRoute("POST", `${SUB_ACTIONS}/enable`, "armToken", enable),
  armRoute("POST", `${SUB_ACTIONS}/rename`, "armToken", rename),
];
