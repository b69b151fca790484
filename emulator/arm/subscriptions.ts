import type { AzureSubscriptionRecord } from "../common/state";
import type { EmulatorCore, EmuRequest, Route } from "../common/types";
import { effectiveRoleIds, requireAction, requireArmCaller, subscriptionFor } from "./armCaller";
import { ArmError } from "./armError";
import { armBody, armOk, armRoute, propCI } from "./armRoute";
import { findBuiltInRole, roleAllows } from "./builtInRoles";

/**
 * Subscriptions (Microsoft.Resources GET/list) and the Microsoft.Subscription actions cancel,
 * enable and rename (reference 3.6 item 5). An Azure subscription is also an entitlement of the
 * customer's Azure plan in Partner Center: cancel sets the entitlement `inactive`, enable sets it
 * `active` again, rename changes the name both APIs show.
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

function get(req: EmuRequest, emu: EmulatorCore) {
  const caller = requireArmCaller(req);
  const sub = subscriptionFor(emu, caller, req.params.sub);
  requireAction(
    emu,
    caller,
    sub,
    `/subscriptions/${sub.subscriptionId}`,
    "Microsoft.Resources/subscriptions/read",
  );
  return armOk(req, 200, subscriptionView(sub));
}

function list(req: EmuRequest, emu: EmulatorCore) {
  const caller = requireArmCaller(req);
  const tid = caller.claims.tid.toLowerCase();
  const value = Object.values(emu.state.azure.subscriptions)
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

function action(name: "cancel" | "enable" | "rename") {
  return (req: EmuRequest, emu: EmulatorCore) => {
    const caller = requireArmCaller(req);
    const sub = subscriptionFor(emu, caller, req.params.sub);
    requireAction(
      emu,
      caller,
      sub,
      `/subscriptions/${sub.subscriptionId}`,
      `Microsoft.Subscription/${name}/action`,
    );
    if (name === "rename") {
      const newName = propCI(armBody(req), "subscriptionName");
      if (typeof newName !== "string" || newName.trim() === "" || newName.length > 64) {
        throw new ArmError(
          400,
          "InvalidSubscriptionName",
          "subscriptionName must be a non-empty name of at most 64 characters.",
        );
      }
      sub.displayName = newName;
    } else if (name === "cancel") {
      // Cancelling is repeatable: an already disabled subscription stays disabled.
      sub.state = "Disabled";
      sub.entitlementStatus = "inactive";
    } else {
      sub.state = "Enabled";
      sub.entitlementStatus = "active";
    }
    emu.markDirty();
    return armOk(req, 200, { subscriptionId: sub.subscriptionId });
  };
}

const SUB_ACTIONS = "/subscriptions/:sub/providers/Microsoft.Subscription";

/** Routes of subscriptions and their Microsoft.Subscription actions. */
export const subscriptionRoutes: Route[] = [
  armRoute("GET", "/subscriptions", list),
  armRoute("GET", "/subscriptions/:sub", get),
  armRoute("POST", `${SUB_ACTIONS}/cancel`, action("cancel")),
  armRoute("POST", `${SUB_ACTIONS}/enable`, action("enable")),
  armRoute("POST", `${SUB_ACTIONS}/rename`, action("rename")),
];
