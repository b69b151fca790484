import type { JsonObject } from "../common/json";
import type { CustomerRecord } from "../common/state";
import { attributes, link } from "./resourceLinks";

/** How the emulator's Partner Center shows a customer and its profiles in its answers. */

// ---- views ------------------------------------------------------------------------------------

/** `Customer` as `GET /v1/customers/{id}` returns it (vector 03). */
export function customerView(c: CustomerRecord): JsonObject {
  const r = c.resource;
  const out: JsonObject = {
    id: c.id,
    commerceId: c.commerceId,
    companyProfile: companyProfileView(c),
    billingProfile: billingProfileView(c),
    relationshipToPartner: r.relationshipToPartner,
    allowDelegatedAccess: r.allowDelegatedAccess,
    customDomains: [...((r.customDomains as string[]) ?? [])],
  };
  if (r.associatedPartnerId !== undefined) out.associatedPartnerId = r.associatedPartnerId;
  out.links = { self: link(`/customers/${c.id}`) };
  out.attributes = attributes("Customer");
  return out;
}

/** The 201 answer of a create (vector 02), with the generated admin credentials. */
export function createdCustomerView(c: CustomerRecord, password: string): JsonObject {
  const r = c.resource;
  const company = r.companyProfile as JsonObject;
  const { etag, firstName: _f, lastName: _l, ...billing } = r.billingProfile as JsonObject;
  const out: JsonObject = {
    id: c.id,
    commerceId: c.commerceId,
    companyProfile: {
      tenantId: company.tenantId,
      domain: company.domain,
      attributes: attributes("CustomerCompanyProfile"),
    },
    billingProfile: { ...billing, attributes: attributes("CustomerBillingProfile", etag as string) },
    enableGDAPByDefault: r.enableGDAPByDefault,
    relationshipToPartner: r.relationshipToPartner,
  };
  if (r.associatedPartnerId !== undefined) out.associatedPartnerId = r.associatedPartnerId;
  out.userCredentials = { userName: "admin", password };
  out.attributes = attributes("Customer");
  return out;
}

/** The slim list item (vector 04). */
export function customerListItem(c: CustomerRecord): JsonObject {
  const company = c.resource.companyProfile as JsonObject;
  return {
    id: c.id,
    companyProfile: {
      tenantId: company.tenantId,
      domain: company.domain,
      companyName: company.companyName,
      attributes: attributes("CustomerCompanyProfile"),
    },
    relationshipToPartner: c.resource.relationshipToPartner,
    attributes: attributes("Customer"),
  };
}

export function billingProfileView(c: CustomerRecord): JsonObject {
  const { etag, ...profile } = c.resource.billingProfile as JsonObject;
  return {
    ...profile,
    defaultAddress: { ...(profile.defaultAddress as JsonObject) },
    links: { self: link(`/customers/${c.id}/profiles/billing`) },
    attributes: attributes("CustomerBillingProfile", etag as string),
  };
}

export function companyProfileView(c: CustomerRecord): JsonObject {
  const company = c.resource.companyProfile as JsonObject;
  return {
    ...company,
    links: { self: link(`/customers/${c.id}/profiles/company`) },
    attributes: attributes("CustomerCompanyProfile"),
  };
}
