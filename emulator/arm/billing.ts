import type { CustomerRecord, EmulatorState, PartnerRecord } from "../common/state";
import type { EmulatorCore, EmuRequest, Route } from "../common/types";
import { findActiveAzurePlan } from "../partnerCenter/azurePlans";
import type { ArmCaller } from "./armCaller";
import { requirePartnerAdminAgent } from "./armCaller";
import { armErrors } from "./armErrors";
import { armOk, armRoute } from "./armRoute";

/**
 * Microsoft.Billing for a CSP partner (the first two steps of "Programmatically create Azure
 * subscriptions for a Microsoft Partner Agreement with the latest APIs",
 * https://learn.microsoft.com/azure/cost-management-billing/manage/programmatically-create-subscription-microsoft-partner-agreement):
 * the partner's Microsoft Partner Agreement billing account and its customers that have an active
 * Azure plan (the MPA billing scope of subscription aliases). Caller: an admin agent of the partner
 * tenant (app+user).
 */

const BA = "/providers/Microsoft.Billing/billingAccounts";

/** ARM JSON of the partner's MPA billing account. */
export function billingAccountView(p: PartnerRecord): Record<string, unknown> {
  return {
    id: `${BA}/${p.billingAccountName}`,
    name: p.billingAccountName,
    type: "Microsoft.Billing/billingAccounts",
    properties: {
      accountStatus: "Active",
      accountType: "Partner",
      agreementType: "MicrosoftPartnerAgreement",
      displayName: p.companyName,
      hasReadAccess: true,
    },
  };
}

function companyName(c: CustomerRecord): string {
  const profile = c.resource.companyProfile as { companyName?: unknown } | undefined;
  return typeof profile?.companyName === "string" ? profile.companyName : c.id;
}

/** ARM JSON of a billing-account customer. */
export function billingCustomerView(
  p: PartnerRecord,
  c: CustomerRecord,
  expandResellers: boolean,
): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    billingProfileDisplayName: p.companyName,
    // Billing profile id format [U].
    billingProfileId: `${BA}/${p.billingAccountName}/billingProfiles/${p.mpnId}`,
    displayName: companyName(c),
    enabledAzurePlans: [{ skuDescription: "Microsoft Azure Plan", skuId: "0001" }],
  };
  if (expandResellers) properties.resellers = [];
  return {
    id: `${BA}/${p.billingAccountName}/customers/${c.id}`,
    name: c.id,
    type: "Microsoft.Billing/billingAccounts/customers",
    properties,
  };
}

/** The caller's partner record (admin agent of a partner tenant with an accepted MPA). */
function partnerOf(emu: EmulatorCore, caller: ArmCaller, scope: string): PartnerRecord | undefined {
  const tid = requirePartnerAdminAgent(emu, caller, "Microsoft.Billing/billingAccounts/read", scope);
  const p = emu.state.partnerCenter.partners[tid];
  return p?.mpaAccepted ? p : undefined;
}

function accountFor(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller): PartnerRecord {
  const name = req.params.ba;
  const p = partnerOf(emu, caller, `${BA}/${name}`);
  if (!p || p.billingAccountName.toLowerCase() !== name.toLowerCase()) {
    throw armErrors.billingAccountNotFound(name);
  }
  return p;
}

/** Customers of a partner with an active Azure plan. */
export function billingCustomersOf(state: EmulatorState, partnerTenantId: string): CustomerRecord[] {
  return Object.values(state.partnerCenter.customers).filter(
    (c) => c.partnerTenantId === partnerTenantId && findActiveAzurePlan(state, c.id) !== undefined,
  );
}

function listAccounts(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const p = partnerOf(emu, caller, BA);
  return armOk(req, 200, { value: p ? [billingAccountView(p)] : [] });
}

function getAccount(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  return armOk(req, 200, billingAccountView(accountFor(req, emu, caller)));
}

function listCustomers(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const p = accountFor(req, emu, caller);
  const expand = /resellers/i.test(req.query.get("$expand") ?? "");
  const value = billingCustomersOf(emu.state, p.tenantId).map((c) => billingCustomerView(p, c, expand));
  return armOk(req, 200, { value });
}

function getCustomer(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const p = accountFor(req, emu, caller);
  const c = billingCustomersOf(emu.state, p.tenantId).find(
    (x) => x.id.toLowerCase() === req.params.customerId.toLowerCase(),
  );
  if (!c) {
    throw armErrors.billingCustomerNotFound(req.params.customerId, p.billingAccountName);
  }
  const expand = /resellers/i.test(req.query.get("$expand") ?? "");
  return armOk(req, 200, billingCustomerView(p, c, expand));
}

/** Routes of billing accounts and billing-account customers. */
export const billingRoutes: Route[] = [
  armRoute("GET", BA, "armToken", listAccounts),
  armRoute("GET", `${BA}/:ba`, "armToken", getAccount),
  armRoute("GET", `${BA}/:ba/customers`, "armToken", listCustomers),
  armRoute("GET", `${BA}/:ba/customers/:customerId`, "armToken", getCustomer),
];
