import { ENTRA_ROLES } from "../common/entraRoles";
import type { EmulatorState, GdapRelationshipRecord, PartnerRecord } from "../common/state";
import { accessDetailsOf } from "./gdapCommon";
import { gdapTime, newGdapEtag } from "./gdapModel";
import { addIsoDuration, parseIsoDuration } from "./isoDuration";

/**
 * The Default GDAP relationship: what Partner Center grants the partner when it creates a customer
 * with `enableGDAPByDefault` true, or without the field.
 *
 * Documented:
 * - "Create a customer" (https://learn.microsoft.com/partner-center/developer/create-a-customer):
 *   the create body's boolean `enableGDAPByDefault`; true creates GDAP by default, false does not.
 * - "GDAP frequently asked questions" (https://learn.microsoft.com/partner-center/security/dap-faq):
 *   since November 1, 2023 a production create that omits the field gets the Default GDAP too
 *   (no DAP any more); the roles depend on the partner type (table below); partners must still
 *   assign their security groups to it themselves, so it comes without access assignments.
 *
 * Chosen where the docs are silent [U]:
 * - status `active` from the start, without a customer approval (the customer is new and its
 *   administrator is the partner's generated one; partners and distributors describe it as granted
 *   without the customer's intervention);
 * - duration `P730D` (the longest a relationship may last, the default of partner requests) and
 *   auto-extend `P180D` (it holds no Global Administrator, so it may be extended; we assume it is,
 *   the stricter case for a partner who does not want standing access);
 * - name `Default_<partner>_<customer>_<number>` within the 50-character limit, the shape seen in
 *   the field; the number keeps names unique among the partner's relationships;
 * - the omitted field means true in the integration sandbox too (the FAQ's sandbox row predates
 *   November 2023);
 * - only the partner that creates the customer gets it (an indirect provider creating a customer
 *   for a reseller gets it, not the reseller).
 */

const R = ENTRA_ROLES;

/** Roles of the Default GDAP for indirect resellers (FAQ table: without the two application roles). */
const RESELLER_ROLES = [
  R.directoryReaders.id,
  R.directoryWriters.id,
  R.licenseAdministrator.id,
  R.serviceSupportAdministrator.id,
  R.userAdministrator.id,
  R.privilegedRoleAdministrator.id,
  R.helpdeskAdministrator.id,
  R.privilegedAuthenticationAdministrator.id,
  R.globalReader.id,
];

/** Role template ids of the Default GDAP for a partner of this kind (FAQ table). */
export function defaultGdapRoleIds(kind: PartnerRecord["kind"]): string[] {
  if (kind === "indirectReseller") return [...RESELLER_ROLES];
  // Direct bill partners and indirect providers: also Cloud Application and Application Administrator.
  return [...RESELLER_ROLES, R.cloudApplicationAdministrator.id, R.applicationAdministrator.id];
}

export const DEFAULT_GDAP_DURATION = "P730D";
export const DEFAULT_GDAP_AUTO_EXTEND = "P180D";
const MAX_DISPLAY_NAME = 50;

/** Letters and digits only, at most `max` of them. */
function namePart(text: string, max: number): string {
  return text.replace(/[^A-Za-z0-9]/g, "").slice(0, max) || "x";
}

/** `Default_<partner>_<customer>_<number>`, unique among the partner's relationships [U]. */
function defaultName(state: EmulatorState, partner: PartnerRecord, customerName: string): string {
  const taken = new Set(
    Object.values(state.gdap)
      .filter((r) => r.partnerTenantId === partner.tenantId)
      .map((r) => String(r.resource.displayName).toLowerCase()),
  );
  const stem = `Default_${namePart(partner.companyName, 12)}_${namePart(customerName, 12)}_`;
  for (let n = 1; ; n++) {
    // The stem is at most 34 characters, so the name stays within the limit.
    const name = `${stem}${n}`.slice(0, MAX_DISPLAY_NAME);
    if (!taken.has(name.toLowerCase())) return name;
  }
}

/**
 * Records the Default GDAP relationship between `partner` and a customer it just created, in the
 * same store as the relationships partners create through Graph: Graph lists and reads it like
 * any other. Active at once, no access assignments (see the module comment).
 */
export function grantDefaultGdap(
  state: EmulatorState,
  partner: PartnerRecord,
  customer: { tenantId: string; displayName: string },
  now: Date,
  newId: () => string,
): GdapRelationshipRecord {
  const id = `${customer.tenantId}-${newId()}`;
  const stamp = gdapTime(now);
  const resource: Record<string, unknown> = {
    id,
    displayName: defaultName(state, partner, customer.displayName),
    duration: DEFAULT_GDAP_DURATION,
    customer: { tenantId: customer.tenantId, displayName: customer.displayName },
    accessDetails: accessDetailsOf(defaultGdapRoleIds(partner.kind)),
    status: "active",
    autoExtendDuration: DEFAULT_GDAP_AUTO_EXTEND,
    createdDateTime: stamp,
    lastModifiedDateTime: stamp,
    activatedDateTime: stamp,
    endDateTime: gdapTime(addIsoDuration(now, parseIsoDuration(DEFAULT_GDAP_DURATION)!)),
  };
  const record: GdapRelationshipRecord = {
    partnerTenantId: partner.tenantId,
    resource,
    etag: newGdapEtag(),
    accessAssignments: {},
    requests: {},
  };
  state.gdap[id] = record;
  return record;
}

/**
 * A deleted customer tenant ends every live relationship with it [U: not documented; a
 * relationship with a tenant that no longer exists cannot stay active]. Access assignments follow
 * on the next read (`refreshRelationship`).
 */
export function endRelationshipsWithTenant(state: EmulatorState, tenantId: string, now: Date): void {
  const wanted = tenantId.toLowerCase();
  const stamp = gdapTime(now);
  for (const rec of Object.values(state.gdap)) {
    const customer = rec.resource.customer as { tenantId?: string } | null | undefined;
    if (customer?.tenantId?.toLowerCase() !== wanted) continue;
    if (rec.resource.status === "terminated" || rec.resource.status === "expired") continue;
    rec.resource.status = "terminated";
    rec.resource.endDateTime = stamp;
    rec.resource.lastModifiedDateTime = stamp;
    rec.etag = newGdapEtag();
  }
}
