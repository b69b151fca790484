import { customerCreation, partnerCenterUser } from "../../auth/actingIdentity";
import type { ServiceClient } from "../../http/types";
import { listPartnerCenter } from "../paging";

/**
 * Partner Center customer operations ("Customer resources",
 * https://learn.microsoft.com/partner-center/developer/customer-resources, and the pages named
 * below): create, get, find by domain, billing profile, domain availability, sandbox delete and
 * reseller-relationship removal. Plain typed functions over `ServiceClient.send`; the pipeline adds
 * auth, request ids, retries and errors.
 */

/**
 * `Address` ("Utility resources",
 * https://learn.microsoft.com/partner-center/developer/utility-resources). Partner Center answers
 * in camelCase.
 */
export interface PcAddress {
  firstName?: string;
  lastName?: string;
  addressLine1?: string;
  addressLine2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
  region?: string;
  phoneNumber?: string;
}

export interface PcAttributes {
  objectType?: string;
  etag?: string;
}

/**
 * `CustomerBillingProfile` ("Customer resources",
 * https://learn.microsoft.com/partner-center/developer/customer-resources; vectors 02/03).
 */
export interface PcBillingProfile {
  id?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  culture?: string;
  language?: string;
  companyName?: string;
  defaultAddress?: PcAddress;
  attributes?: PcAttributes;
}

/** `CustomerCompanyProfile` (vector 03). */
export interface PcCompanyProfile {
  tenantId?: string;
  domain?: string;
  companyName?: string;
  organizationRegistrationNumber?: string;
  address?: PcAddress;
  email?: string;
  attributes?: PcAttributes;
}

/** `Customer` as returned by create (vector 02), get (vector 03) and list (vector 04, slim). */
export interface PcCustomer {
  id: string;
  commerceId?: string;
  companyProfile?: PcCompanyProfile;
  billingProfile?: PcBillingProfile;
  relationshipToPartner?: string;
  allowDelegatedAccess?: boolean;
  associatedPartnerId?: string;
  customDomains?: string[];
  /** In the create response: whether Partner Center granted the Default GDAP relationship. */
  enableGDAPByDefault?: boolean;
  /**
   * Only in the create response: the generated initial admin ("Create a customer",
   * https://learn.microsoft.com/partner-center/developer/create-a-customer).
   */
  userCredentials?: { userName?: string; password?: string };
  attributes?: PcAttributes;
}

/** Body of `POST /v1/customers` ("Create a customer", https://learn.microsoft.com/partner-center/developer/create-a-customer). */
export interface PcCustomerCreateRequest {
  /**
   * Whether Partner Center grants the partner the Default GDAP relationship with the new customer
   * (true) or not (false). Required here on purpose: when the field is omitted, production grants
   * it ("GDAP frequently asked questions", https://learn.microsoft.com/partner-center/security/dap-faq,
   * since November 1, 2023), so a request must always say which it wants.
   */
  enableGDAPByDefault: boolean;
  companyProfile: { domain: string; companyName?: string; organizationRegistrationNumber?: string };
  billingProfile: {
    email: string;
    culture: string;
    language: string;
    companyName: string;
    defaultAddress: PcAddress;
  };
  associatedPartnerId?: string;
}

const CUSTOMERS = "/v1/customers";

function customerPath(customerId: string): string {
  return `${CUSTOMERS}/${encodeURIComponent(customerId)}`;
}

/**
 * `HEAD /v1/domains/{domain}`: 200 = taken, 404 = available ("Verify domain availability",
 * https://learn.microsoft.com/partner-center/developer/verify-domain-availability).
 * App-only is allowed.
 */
export async function isDomainTaken(pc: ServiceClient, domain: string): Promise<boolean> {
  const res = await pc.send({
    method: "HEAD",
    path: `/v1/domains/${encodeURIComponent(domain)}`,
    okStatuses: [404],
  });
  return res.status !== 404;
}

/**
 * `POST /v1/customers`. Documented as idempotent ("Create a customer",
 * https://learn.microsoft.com/partner-center/developer/create-a-customer) by `MS-RequestId`
 * ("Partner Center REST headers", https://learn.microsoft.com/partner-center/developer/headers: a
 * retry after a timeout reuses the value): the caller passes a deterministic key so that a retry
 * after a lost response, and a re-run after a crash, reuse it. An indirect provider creating a
 * customer for a reseller (`associatedPartnerId`) must use app+user ("Create a customer for an
 * indirect reseller using Partner Center APIs",
 * https://learn.microsoft.com/partner-center/developer/create-a-customer-for-an-indirect-reseller,
 * Prerequisites).
 */
export async function createCustomer(
  pc: ServiceClient,
  body: PcCustomerCreateRequest,
  idempotencyKey: string,
): Promise<PcCustomer> {
  const res = await pc.send<PcCustomer>({
    method: "POST",
    path: CUSTOMERS,
    body,
    idempotencyKey,
    auth: customerCreation(Boolean(body.associatedPartnerId)),
  });
  return res.body;
}

/** `GET /v1/customers/{id}`; `undefined` when Partner Center answers 404 (no such customer for this partner). */
export async function getCustomer(pc: ServiceClient, customerId: string): Promise<PcCustomer | undefined> {
  const res = await pc.send<PcCustomer>({ method: "GET", path: customerPath(customerId), okStatuses: [404] });
  return res.status === 404 ? undefined : res.body;
}

/**
 * The partner's customers whose domain equals `domain`. The customer search takes
 * `filter={"Field":"Domain","Value":...,"Operator":"starts_with"}`, the only operation the
 * customers endpoint supports ("Get a list of customers filtered by a search field":
 * https://learn.microsoft.com/partner-center/developer/get-a-customer-by-name), so the domain is
 * compared exactly here (case-insensitively).
 */
export async function findCustomersByDomain(pc: ServiceClient, domain: string): Promise<PcCustomer[]> {
  const items = await listPartnerCenter<PcCustomer>(pc, {
    method: "GET",
    path: CUSTOMERS,
    query: {
      size: 100,
      filter: JSON.stringify({ Field: "Domain", Value: domain, Operator: "starts_with" }),
    },
  });
  const wanted = domain.toLowerCase();
  return items.filter((c) => (c.companyProfile?.domain ?? "").toLowerCase() === wanted);
}

/** `GET /v1/customers/{id}/profiles/billing` (carries the ETag). */
export async function getBillingProfile(pc: ServiceClient, customerId: string): Promise<PcBillingProfile> {
  const res = await pc.send<PcBillingProfile>({
    method: "GET",
    path: `${customerPath(customerId)}/profiles/billing`,
  });
  return res.body;
}

/**
 * `PUT /v1/customers/{id}/profiles/billing` with `If-Match` ("Update a customer's billing profile",
 * https://learn.microsoft.com/partner-center/developer/update-a-customer-s-billing-profile). The
 * body is the full profile including `attributes.etag`; a stale ETag is 400 code 2055 ("Partner
 * Center REST error codes", https://learn.microsoft.com/partner-center/developer/error-codes).
 */
export async function putBillingProfile(
  pc: ServiceClient,
  customerId: string,
  profile: PcBillingProfile,
  etag: string,
): Promise<PcBillingProfile> {
  const res = await pc.send<PcBillingProfile>({
    method: "PUT",
    path: `${customerPath(customerId)}/profiles/billing`,
    headers: { "If-Match": quoteEtag(etag) },
    body: { ...profile, attributes: { ...profile.attributes, etag, objectType: "CustomerBillingProfile" } },
    // A PUT of the same full profile is safe to repeat.
    idempotent: true,
  });
  return res.body;
}

/**
 * `DELETE /v1/customers/{id}`: integration sandbox only ("Delete a customer account from the
 * integration sandbox",
 * https://learn.microsoft.com/partner-center/developer/delete-a-customer-account-from-the-integration-sandbox).
 * Answers 204; 404 is "already gone".
 */
export async function deleteSandboxCustomer(
  pc: ServiceClient,
  customerId: string,
): Promise<"deleted" | "absent"> {
  const res = await pc.send({ method: "DELETE", path: customerPath(customerId), okStatuses: [404] });
  return res.status === 404 ? "absent" : "deleted";
}

/**
 * Removes the reseller relationship: `PATCH /v1/customers/{id}` with
 * `relationshipToPartner: "none"`, App+User only. Documented on Microsoft Learn
 * ("Remove a reseller relationship with a customer"; SDK `ICustomer.PatchAsync`); the customer's
 * active subscriptions must be suspended first. Not on the Learn pages read: the body shape beyond
 * `relationshipToPartner` is our assumption [U].
 */
export async function removeResellerRelationship(pc: ServiceClient, customerId: string): Promise<PcCustomer> {
  const res = await pc.send<PcCustomer>({
    method: "PATCH",
    path: customerPath(customerId),
    body: { relationshipToPartner: "none", attributes: { objectType: "Customer" } },
    auth: partnerCenterUser(),
    idempotent: true,
  });
  return res.body;
}

/**
 * ETags are sent quoted in `If-Match` ("Test and debug with integration sandbox",
 * https://learn.microsoft.com/partner-center/developer/test-and-debug).
 */
export function quoteEtag(etag: string): string {
  return etag.startsWith('"') ? etag : `"${etag}"`;
}
