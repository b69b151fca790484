import { randomUUID } from "node:crypto";
import { AdminRefusal } from "../common/adminRefusal";
import { addUser, createTenant } from "../common/directory";
import { ENTRA_ROLES } from "../common/entraRoles";
import type { JsonObject } from "../common/json";
import type { CustomerRecord, EmulatorState } from "../common/state";
import type { Route } from "../common/types";
import { queryParam } from "./collections";
import { isDomainTaken } from "./customers";
import { newProfileEtag } from "./etags";
import {
  findPartner,
  isActiveReseller,
  relationshipsOf,
  requireActiveReseller,
} from "./partnerRelationships";
import { pcErrors } from "./pcErrors";
import { type PcContext, pcRoute } from "./pcRoute";
import { attributes } from "./resourceLinks";

/**
 * How customers reach a partner without being created by it: the partner sends the customer a
 * relationship request link, and the customer's Global Administrator accepts it.
 *
 * - `GET /v1/customers/relationshiprequests` (App+User only) answers the link: "Retrieve a
 *   relationship request URL" (https://learn.microsoft.com/partner-center/developer/request-reseller-relationship)
 *   shows `{url, attributes: {objectType: "RelationshipRequest"}}` with an `admin.microsoft.com`
 *   URL carrying `invType=ResellerRelationship&partnerId={partner tenant id}`. The REST reference
 *   ("Get relationship request link",
 *   https://learn.microsoft.com/rest/api/partner-center/manage-customer-accounts/get-relationship-request-link)
 *   adds the optional query parameters `indirectCloudSolutionProviderId` (the indirect provider
 *   related to the indirect reseller and the customer) and `indirectResellerId`.
 * - An indirect reseller's link names its indirect provider: [U] the URL format
 *   (`invType=IndirectResellerRelationship&partnerId={reseller}&indirectCSPId={provider}`) is the one
 *   Partner Center's own page hands out, not on Microsoft Learn; chosen: an indirect reseller must
 *   pass `indirectCloudSolutionProviderId` naming one of its active providers (400 / 2000
 *   otherwise), and an indirect provider may pass `indirectResellerId` naming its active reseller
 *   (404 / 800015, 400 / 800016 otherwise) to get that reseller's link.
 * - {@link acceptRelationshipRequest} stands for the customer accepting (an emulator admin action,
 *   like the GDAP approval): a new organization's tenant becomes a customer of the partner; for an
 *   indirect reseller's link, a customer of the indirect provider associated with the reseller
 *   (`associatedPartnerId`), which both then see, as for "Create a customer for an indirect
 *   reseller".
 */
export const relationshipRequestRoutes: Route[] = [
  pcRoute("GET", "/v1/customers/relationshiprequests", { auth: "appUser", rate: "customer" }, requestLink),
];

const ADMIN_PORTAL = "https://admin.microsoft.com/Adminportal/Home";

function requestLink(ctx: PcContext) {
  const me = ctx.caller.partner;
  let url: string;
  if (me.kind === "indirectReseller") {
    const providerId = queryParam(ctx.req, "indirectCloudSolutionProviderId");
    const provider = providerId ? findPartner(ctx.emu.state, providerId) : undefined;
    if (!provider || !isActiveReseller(ctx.emu.state, provider.tenantId, me.tenantId)) {
      const mine = relationshipsOf(ctx.emu.state)
        .filter((r) => r.resellerTenantId === me.tenantId && r.state === "Active")
        .map((r) => r.providerTenantId);
      throw pcErrors.invalidProperty(
        `An indirect reseller's relationship request names one of its active indirect providers in indirectCloudSolutionProviderId (got ${providerId ?? "nothing"}; active providers: ${mine.join(", ") || "none"}).`,
      );
    }
    url = indirectLink(me.tenantId, provider.tenantId);
  } else {
    const resellerId = queryParam(ctx.req, "indirectResellerId");
    url = resellerId
      ? indirectLink(requireActiveReseller(ctx, resellerId).tenantId, me.tenantId)
      : `${ADMIN_PORTAL}?invType=ResellerRelationship&partnerId=${me.tenantId}&msppId=0&DAP=false#/BillingAccounts/partner-invitation`;
  }
  return { status: 200, body: { url, attributes: attributes("RelationshipRequest") } };
}

function indirectLink(resellerTenantId: string, providerTenantId: string): string {
  return `${ADMIN_PORTAL}?invType=IndirectResellerRelationship&partnerId=${resellerTenantId}&msppId=0&indirectCSPId=${providerTenantId}&DAP=false#/BillingAccounts/partner-invitation`;
}

// ---- the customer accepts (emulator admin action) ------------------------------------------------

/** Why an acceptance was refused; `status` is what the admin API answers. */
export class RelationshipRequestError extends AdminRefusal {}

/** The organization that accepts: a new tenant `{domainPrefix}.onmicrosoft.com`. */
export interface AcceptingOrganization {
  companyName: string;
  domainPrefix: string;
  /** ISO country of the organization (default US). */
  country?: string;
}

/**
 * The customer's Global Administrator opens `url` (a link from `GET /v1/customers/relationshiprequests`)
 * and accepts. Creates the organization's tenant (with its admin) and the customer record:
 * partner = the link's partner, or for an indirect reseller's link the indirect provider, with
 * `associatedPartnerId` = the reseller (the relationship must still be active). Returns the
 * customer. The caller persists the state.
 */
export function acceptRelationshipRequest(
  state: EmulatorState,
  url: string,
  organization: AcceptingOrganization,
  now: Date,
): CustomerRecord {
  const link = parseLink(url);
  const partner = state.partnerCenter.partners[link.partnerId];
  if (!partner) throw new RelationshipRequestError(`No partner ${link.partnerId} sent this link.`, 404);
  let partnerTenantId = partner.tenantId;
  let associatedPartnerId: string | undefined;
  if (link.providerId !== undefined) {
    if (!isActiveReseller(state, link.providerId, partner.tenantId)) {
      throw new RelationshipRequestError(
        `${partner.companyName} is no longer an active indirect reseller of ${link.providerId}; ask it for a new link.`,
        409,
      );
    }
    partnerTenantId = link.providerId;
    associatedPartnerId = partner.tenantId;
  } else if (partner.kind === "indirectReseller") {
    throw new RelationshipRequestError("An indirect reseller's link must name its indirect provider.", 400);
  }
  const prefix = organization.domainPrefix.trim().toLowerCase();
  if (!/^[a-z0-9]{1,27}$/.test(prefix) || organization.companyName.trim() === "") {
    throw new RelationshipRequestError(
      "companyName and domainPrefix (1-27 letters or digits) are required.",
      400,
    );
  }
  const domain = `${prefix}.onmicrosoft.com`;
  if (isDomainTaken(state, domain)) throw new RelationshipRequestError(`The domain ${domain} is taken.`, 409);
  const id = randomUUID();
  const companyName = organization.companyName.trim();
  const country = (organization.country ?? "US").toUpperCase();
  const tenant = createTenant(state, { id, displayName: companyName, domain, kind: "customer" }, now);
  const admin = addUser(tenant, { userPrincipalName: `admin@${domain}`, displayName: "admin" }, now);
  tenant.directoryRoleMembers[ENTRA_ROLES.globalAdministrator.id] = [admin.id];
  const resource: JsonObject = {
    id,
    commerceId: randomUUID(),
    companyProfile: { tenantId: id, domain, companyName, address: { country } },
    billingProfile: {
      id: randomUUID(),
      email: `admin@${domain}`,
      culture: "en-US",
      language: "en",
      companyName,
      defaultAddress: { country },
      etag: newProfileEtag(),
    },
    relationshipToPartner: "reseller",
    allowDelegatedAccess: false,
    customDomains: [domain],
  };
  if (associatedPartnerId) resource.associatedPartnerId = associatedPartnerId;
  const record: CustomerRecord = {
    id,
    partnerTenantId,
    commerceId: resource.commerceId as string,
    resource,
    createdDateTime: now.toISOString(),
  };
  state.partnerCenter.customers[id] = record;
  return record;
}

function parseLink(url: string): { partnerId: string; providerId?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RelationshipRequestError("url is not a relationship request link.", 400);
  }
  const type = parsed.searchParams.get("invType");
  const partnerId = parsed.searchParams.get("partnerId")?.toLowerCase();
  if (!partnerId || (type !== "ResellerRelationship" && type !== "IndirectResellerRelationship")) {
    throw new RelationshipRequestError("url is not a relationship request link.", 400);
  }
  if (type === "ResellerRelationship") return { partnerId };
  const providerId = parsed.searchParams.get("indirectCSPId")?.toLowerCase();
  if (!providerId) throw new RelationshipRequestError("The link names no indirect provider.", 400);
  return { partnerId, providerId };
}
