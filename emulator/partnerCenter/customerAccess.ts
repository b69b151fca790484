import type { CustomerRecord, DirectoryTenant } from "../common/state";
import { requireGuid } from "./jsonBody";
import type { PcCaller } from "./pcCaller";
import { pcErrors } from "./pcErrors";
import type { PcContext } from "./pcRoute";

/**
 * Whether the caller's partner account may manage a customer: the partner that created it, or
 * the indirect reseller it was created for (`associatedPartnerId`).
 */
export function canManage(caller: PcCaller, customer: CustomerRecord): boolean {
  if (customer.partnerTenantId === caller.partnerTenantId) return true;
  const associated = customer.resource.associatedPartnerId;
  if (typeof associated !== "string") return false;
  const a = associated.toLowerCase();
  return a === caller.partnerTenantId || a === caller.partner.mpnId.toLowerCase();
}

/**
 * The customer named by the `customerId` route parameter: 400 / 800002 when it is not a GUID,
 * 404 when unknown, 403 / 20002 when it belongs to another partner.
 */
export function requireCustomer(
  ctx: PcContext,
  raw: string | undefined = ctx.req.params.customerId,
): CustomerRecord {
  const id = requireGuid(raw, "Customer ID");
  const customer = ctx.emu.state.partnerCenter.customers[id];
  if (!customer) throw pcErrors.customerNotFound(id);
  if (!canManage(ctx.caller, customer)) throw pcErrors.noRelationship(ctx.caller.partner.mpnId, id);
  return customer;
}

/** The directory tenant of a customer (created with it). */
export function customerTenant(ctx: PcContext, customer: CustomerRecord): DirectoryTenant {
  const tenant = ctx.emu.state.directory[customer.id];
  if (!tenant) throw pcErrors.customerNotFound(customer.id);
  return tenant;
}
