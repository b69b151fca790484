import { isObject } from "../common/json";
import type { EmulatorCore, EmuRequest, Route } from "../common/types";
import { addAzureEntitlement } from "../partnerCenter/azurePlans";
import { type ArmCaller, requirePartnerAdminAgent } from "./armCaller";
import { armErrors } from "./armErrors";
import { armBody, armOk, armRoute, propCI } from "./armRoute";

/**
 * `Microsoft.Subscription/aliases` for CSP ("Programmatically create Azure subscriptions for a
 * Microsoft Partner Agreement with the latest APIs",
 * https://learn.microsoft.com/azure/cost-management-billing/manage/programmatically-create-subscription-microsoft-partner-agreement;
 * "Alias - Create", https://learn.microsoft.com/rest/api/subscription/2021-10-01/alias/create;
 * vector 24): PUT creates an Azure subscription under the MPA billing scope of a customer's active
 * Azure plan, and is idempotent by alias name (a repeated PUT answers the same alias and
 * subscription). Long-running: the first answer is 201 with `provisioningState: "Accepted"`; any
 * later request shows `Succeeded`. GET, list, DELETE (removes the alias only, never the
 * subscription).
 */

const ALIASES = "/providers/Microsoft.Subscription/aliases";

/** What the emulator keeps per alias in `state.azure.aliases` (keyed by lower-cased alias name). */
interface AliasRecord {
  name: string;
  partnerTenantId: string;
  subscriptionId: string;
  displayName: string;
  workload: string;
  billingScope: string;
  resellerId: string | null;
  provisioningState: "Accepted" | "Succeeded" | "Failed";
  createdTime: string;
  createdBy: string;
  [key: string]: unknown;
}

function aliasView(a: AliasRecord): Record<string, unknown> {
  return {
    id: `${ALIASES}/${a.name}`,
    name: a.name,
    type: "Microsoft.Subscription/aliases",
    properties: {
      subscriptionId: a.subscriptionId,
      displayName: a.displayName,
      provisioningState: a.provisioningState,
      acceptOwnershipUrl: null,
      acceptOwnershipState: null,
      billingScope: a.billingScope,
      workload: a.workload,
      resellerId: a.resellerId,
      subscriptionOwnerId: null,
      managementGroupId: null,
      createdTime: a.createdTime,
      tags: null,
    },
    systemData: {
      createdBy: a.createdBy,
      createdByType: "User",
      createdAt: a.createdTime,
      lastModifiedBy: a.createdBy,
      lastModifiedByType: "User",
      lastModifiedAt: a.createdTime,
    },
  };
}

/** Normal form of a billing scope for comparisons (with or without the `/providers/Microsoft.Billing` prefix). */
function normaliseBillingScope(scope: string): string {
  return scope.replace(/^\/providers\/Microsoft\.Billing/i, "").toLowerCase();
}

/** The caller's alias (lower-cased name), advanced from Accepted to Succeeded when read again. */
function findAlias(emu: EmulatorCore, tid: string, name: string): AliasRecord | undefined {
  const a = emu.state.azure.aliases[name.toLowerCase()] as AliasRecord | undefined;
  if (!a || a.partnerTenantId !== tid) return undefined;
  if (a.provisioningState === "Accepted") {
    a.provisioningState = "Succeeded";
    emu.markDirty();
  }
  return a;
}

function put(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const name = req.params.alias;
  const tid = requirePartnerAdminAgent(
    emu,
    caller,
    "Microsoft.Subscription/aliases/write",
    `${ALIASES}/${name}`,
  );
  const body = armBody(req);
  const props = propCI(body, "properties");
  if (!isObject(props)) throw armErrors.invalidContent("The request content must contain 'properties'.");
  const billingScope = propCI(props, "billingScope");
  const displayName = propCI(props, "displayName");
  const workloadIn = propCI(props, "workload") ?? "Production";
  const resellerId = propCI(props, "resellerId");
  if (typeof billingScope !== "string" || billingScope === "") {
    throw armErrors.invalidBillingScope("properties.billingScope is required.");
  }
  const stored = emu.state.azure.aliases[name.toLowerCase()] as AliasRecord | undefined;
  if (stored) {
    if (
      stored.partnerTenantId !== tid ||
      normaliseBillingScope(stored.billingScope) !== normaliseBillingScope(billingScope)
    ) {
      // [U] code for reusing an alias name with another billing scope.
      throw armErrors.aliasExists(name);
    }
    // Idempotent by alias name: same alias, same subscription (safe to retry after a lost answer).
    return armOk(req, 200, aliasView(findAlias(emu, tid, name)!));
  }
  if (typeof displayName !== "string" || displayName.trim() === "" || displayName.length > 64) {
    throw armErrors.invalidSubscriptionName(
      "properties.displayName must be a non-empty name of at most 64 characters.",
    );
  }
  const workload = typeof workloadIn === "string" ? workloadIn.toLowerCase() : "";
  if (workload !== "production" && workload !== "devtest") {
    throw armErrors.invalidWorkload();
  }
  const m = /^(?:\/providers\/Microsoft\.Billing)?\/billingAccounts\/([^/]+)\/customers\/([^/]+)$/i.exec(
    billingScope,
  );
  if (!m) {
    throw armErrors.invalidBillingScope(
      `The billing scope '${billingScope}' is not valid; a CSP partner uses /providers/Microsoft.Billing/billingAccounts/{billingAccountName}/customers/{customerId}.`,
    );
  }
  const partner = emu.state.partnerCenter.partners[tid];
  if (m[1].toLowerCase() !== partner.billingAccountName.toLowerCase()) {
    throw armErrors.authorizationFailed(
      caller.name,
      caller.claims.oid,
      "Microsoft.Subscription/aliases/write",
      billingScope,
    );
  }
  const customerId = m[2].toLowerCase();
  const customer = emu.state.partnerCenter.customers[customerId];
  if (!customer || customer.partnerTenantId !== tid) {
    throw armErrors.invalidBillingScope(`Customer '${m[2]}' is not a customer of billing account '${m[1]}'.`);
  }
  const now = emu.now();
  const result = addAzureEntitlement(
    emu.state,
    {
      customerId,
      displayName,
      workload: workload === "devtest" ? "DevTest" : "Production",
      subscriptionId: emu.newId(),
    },
    now,
  );
  if ("error" in result) {
    if (result.error === "noActivePlan") {
      // [U] code: the customer has no active Azure plan to bill the subscription to.
      throw armErrors.invalidBillingScope(
        `Customer '${customerId}' has no active Azure plan; purchase an Azure plan in Partner Center first.`,
      );
    }
    // [U] code: sandbox (integration) accounts allow 3 Azure subscriptions per Azure plan ("Test
    // and debug with integration sandbox",
    // https://learn.microsoft.com/partner-center/developer/test-and-debug).
    throw armErrors.quotaExceeded(
      "The Azure plan already has the maximum number of Azure subscriptions allowed for an integration sandbox account (3).",
    );
  }
  const alias: AliasRecord = {
    name,
    partnerTenantId: tid,
    subscriptionId: result.record.subscriptionId,
    displayName,
    workload: result.record.workload,
    billingScope,
    resellerId: typeof resellerId === "string" ? resellerId : null,
    provisioningState: "Accepted",
    createdTime: now.toISOString(),
    createdBy: caller.claims.upn ?? caller.claims.oid,
  };
  emu.state.azure.aliases[name.toLowerCase()] = alias;
  emu.markDirty();
  return armOk(req, 201, aliasView(alias), { "retry-after": "8" });
}

function get(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const tid = requirePartnerAdminAgent(
    emu,
    caller,
    "Microsoft.Subscription/aliases/read",
    `${ALIASES}/${req.params.alias}`,
  );
  const a = findAlias(emu, tid, req.params.alias);
  if (!a) throw armErrors.aliasNotFound(req.params.alias);
  return armOk(req, 200, aliasView(a));
}

function list(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const tid = requirePartnerAdminAgent(emu, caller, "Microsoft.Subscription/aliases/read", ALIASES);
  const value = Object.values(emu.state.azure.aliases)
    .map((a) => a as AliasRecord)
    .filter((a) => a.partnerTenantId === tid)
    .map((a) => aliasView(findAlias(emu, tid, a.name)!));
  return armOk(req, 200, { value });
}

function remove(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const tid = requirePartnerAdminAgent(
    emu,
    caller,
    "Microsoft.Subscription/aliases/delete",
    `${ALIASES}/${req.params.alias}`,
  );
  const a = findAlias(emu, tid, req.params.alias);
  if (!a) return armOk(req, 204);
  delete emu.state.azure.aliases[req.params.alias.toLowerCase()];
  emu.markDirty();
  return armOk(req, 200);
}

/** Routes of subscription aliases. */
export const aliasRoutes: Route[] = [
  armRoute("GET", ALIASES, "armToken", list),
  armRoute("PUT", `${ALIASES}/:alias`, "armToken", put),
  armRoute("GET", `${ALIASES}/:alias`, "armToken", get),
  armRoute("DELETE", `${ALIASES}/:alias`, "armToken", remove),
];
