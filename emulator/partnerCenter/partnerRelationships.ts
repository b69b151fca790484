import type { JsonObject } from "../common/json";
import type { EmulatorState, IndirectRelationshipRecord, PartnerRecord } from "../common/state";
import type { Route } from "../common/types";
import { collection, queryParam } from "./collections";
import { pcErrors } from "./pcErrors";
import { type PcContext, pcRoute } from "./pcRoute";
import { attributes } from "./resourceLinks";

/**
 * The indirect model (two-tier CSP): an indirect provider sells through indirect resellers, each
 * linked to it by a relationship.
 *
 * - `GET /v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf` (App+User only):
 *   "Retrieve a list of indirect resellers"
 *   (https://learn.microsoft.com/partner-center/developer/retrieve-a-list-of-indirect-resellers)
 *   lists the signed-in provider's resellers; `IsIndirectResellerOf` lists a signed-in reseller's
 *   providers. Each item is a `PartnerRelationship` ("Relationships resources",
 *   https://learn.microsoft.com/partner-center/developer/relationships-resources): id (the other
 *   partner's tenant id), name, relationshipType, state, mpnId, location.
 * - {@link requireActiveReseller}: the rule behind a customer created for a reseller
 *   (`associatedPartnerId`, "Create a customer for an indirect reseller": the reseller "must have
 *   a partnership with the indirect provider",
 *   https://learn.microsoft.com/partner-center/developer/create-a-customer-for-an-indirect-reseller)
 *   and a purchase naming a reseller of record (cart `participants` `transaction_reseller`,
 *   "Create a cart", https://learn.microsoft.com/partner-center/developer/create-a-cart; order
 *   `partnerIdOnRecord`, "Create an order for a customer of an indirect reseller",
 *   https://learn.microsoft.com/partner-center/developer/create-an-order-for-a-customer-of-an-indirect-reseller).
 *   The refusals use the documented codes ("Partner Center REST error codes",
 *   https://learn.microsoft.com/partner-center/developer/error-codes): 404 / 800015 "PartnerID
 *   isn't found", 400 / 800016 "PartnerID isn't a valid Indirect Reseller".
 */
export const partnerRelationshipRoutes: Route[] = [
  pcRoute("GET", "/v1/relationships", { auth: "appUser" }, listRelationships),
];

function listRelationships(ctx: PcContext) {
  const type = (queryParam(ctx.req, "relationship_type") ?? "").toLowerCase();
  const state = ctx.emu.state;
  const me = ctx.caller.partnerTenantId;
  const partner = (tenantId: string) => state.partnerCenter.partners[tenantId];
  let items: JsonObject[];
  if (type === "isindirectcloudsolutionproviderof") {
    // [U] A partner that is not an indirect provider gets an empty list (the docs do not say).
    items = relationshipsOf(state)
      .filter((r) => r.providerTenantId === me)
      .map((r) =>
        relationshipView(
          r.resellerTenantId,
          partner(r.resellerTenantId),
          r,
          "is_indirect_cloud_solution_provider_of",
        ),
      );
  } else if (type === "isindirectresellerof") {
    items = relationshipsOf(state)
      .filter((r) => r.resellerTenantId === me)
      .map((r) =>
        relationshipView(r.providerTenantId, partner(r.providerTenantId), r, "is_indirect_reseller_of"),
      );
  } else {
    // [U] 400 / 2000: relationship_type is documented as required, with these two values.
    throw pcErrors.invalidProperty(
      `relationship_type must be IsIndirectCloudSolutionProviderOf (your indirect resellers) or IsIndirectResellerOf (your indirect providers) (got ${queryParam(ctx.req, "relationship_type") ?? "nothing"}).`,
    );
  }
  return { status: 200, body: collection(items) };
}

/** `PartnerRelationship` of the other partner, in the published key order (relationshipType as in the sample). */
function relationshipView(
  otherTenantId: string,
  other: PartnerRecord | undefined,
  r: IndirectRelationshipRecord,
  relationshipType: string,
): JsonObject {
  return {
    id: otherTenantId,
    name: other?.companyName ?? "",
    relationshipType,
    state: r.state,
    mpnId: other?.mpnId ?? "",
    // [U] The emulator keeps no partner location; every seeded partner is in the US.
    location: "US",
    attributes: attributes("PartnerRelationship"),
  };
}

/** Every provider-reseller relationship (none in a state saved before they were modelled). */
export function relationshipsOf(state: EmulatorState): IndirectRelationshipRecord[] {
  return state.partnerCenter.indirectRelationships ?? [];
}

/** The partner a partner id names: its tenant id or its MPN id (PartnerID), case-insensitive. */
export function findPartner(state: EmulatorState, partnerId: string): PartnerRecord | undefined {
  const wanted = partnerId.trim().toLowerCase();
  return Object.values(state.partnerCenter.partners).find(
    (p) => p.tenantId.toLowerCase() === wanted || p.mpnId.toLowerCase() === wanted,
  );
}

/** Whether `resellerTenantId` is an indirect reseller of `providerTenantId` with an active relationship. */
export function isActiveReseller(
  state: EmulatorState,
  providerTenantId: string,
  resellerTenantId: string,
): boolean {
  return relationshipsOf(state).some(
    (r) =>
      r.providerTenantId === providerTenantId &&
      r.resellerTenantId === resellerTenantId &&
      r.state === "Active",
  );
}

/**
 * The indirect reseller `partnerId` (tenant id or MPN id) names, when it is an active indirect
 * reseller of the calling indirect provider. Otherwise: 404 / 800015 when no partner has that id,
 * 400 / 800016 when the caller is no indirect provider, or the partner is not its active reseller.
 */
export function requireActiveReseller(ctx: PcContext, partnerId: string): PartnerRecord {
  const state = ctx.emu.state;
  if (ctx.caller.partner.kind !== "indirectProvider") throw pcErrors.notIndirectReseller(partnerId);
  const reseller = findPartner(state, partnerId);
  if (!reseller) throw pcErrors.partnerIdNotFound(partnerId);
  if (
    reseller.kind !== "indirectReseller" ||
    !isActiveReseller(state, ctx.caller.partnerTenantId, reseller.tenantId)
  ) {
    throw pcErrors.notIndirectReseller(partnerId);
  }
  return reseller;
}
