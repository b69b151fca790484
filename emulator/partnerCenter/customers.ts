import { addUser, createTenant } from "../common/directory";
import { ENTRA_ROLES } from "../common/entraRoles";
import { hashSecret } from "../common/hashSecret";
import { isObject, type JsonObject } from "../common/json";
import type { CustomerRecord, EmulatorState } from "../common/state";
import type { EmulatorCore, EmuRequest, Route } from "../common/types";
import { endRelationshipsWithTenant, grantDefaultGdap } from "../graph/gdapDefault";
import { pageOf, queryParam } from "./collections";
import { ORG_REGISTRATION_REQUIRED, PHONE_REQUIRED } from "./countries";
import { canManage, requireCustomer } from "./customerAccess";
import { readBillingProfile, readEnableGdapByDefault } from "./customerBody";
import {
  billingProfileView,
  companyProfileView,
  createdCustomerView,
  customerListItem,
  customerView,
} from "./customerViews";
import { newProfileEtag, parseIfMatch } from "./etags";
import { objProp, prop, requireBody, requireStr, strProp } from "./jsonBody";
import { requireActiveReseller } from "./partnerRelationships";
import { generatePassword } from "./passwords";
import type { PcCaller } from "./pcCaller";
import { pcErrors } from "./pcErrors";
import { type PcContext, pcRoute } from "./pcRoute";
import { pcSections } from "./pcState";

/**
 * Customers ("Customer resources",
 * https://learn.microsoft.com/partner-center/developer/customer-resources, and the pages named
 * below): create, get, list with paging and search, billing and company profiles, sandbox-only
 * delete, and the domain availability check.
 *
 * Creating a customer creates its directory tenant (initial domain from `companyProfile.domain`,
 * `<prefix>.onmicrosoft.com` when only a prefix is given) with an `admin` user holding Global
 * Administrator; the generated password is returned once and only its hash is kept. Unless the body
 * says `enableGDAPByDefault: false`, the partner also gets the Default GDAP relationship with the
 * new customer (see emulator/graph/gdapDefault.ts).
 */

/**
 * Sandbox limit: 75 customers per partner ("Test and debug with integration sandbox",
 * https://learn.microsoft.com/partner-center/developer/test-and-debug).
 */
export const SANDBOX_MAX_CUSTOMERS = 75;

/**
 * [U] Initial-domain prefixes: letters and digits, at most 27 characters. The real limit is not
 * in the sources read; this is the emulator's choice.
 */
const DOMAIN_PREFIX = /^[a-z0-9]{1,27}$/i;

export const customerRoutes: Route[] = [
  pcRoute(
    "POST",
    "/v1/customers",
    {
      auth: "appOrUser",
      rate: "customer",
      replay: { redact: redactCredentials, rehydrate: reissueAdminPassword },
    },
    createCustomer,
  ),
  pcRoute("GET", "/v1/customers", { auth: "appOrUser", rate: "customer" }, listCustomers),
  pcRoute("GET", "/v1/customers/:customerId", { auth: "appOrUser", rate: "customer" }, (ctx) => ({
    status: 200,
    body: customerView(requireCustomer(ctx)),
  })),
  pcRoute("DELETE", "/v1/customers/:customerId", { auth: "appOrUser", rate: "customer" }, deleteCustomer),
  pcRoute("PATCH", "/v1/customers/:customerId", { auth: "appUser", rate: "customer" }, removeRelationship),
  pcRoute(
    "GET",
    "/v1/customers/:customerId/profiles/billing",
    { auth: "appOrUser", rate: "customer" },
    (ctx) => ({
      status: 200,
      body: billingProfileView(requireCustomer(ctx)),
    }),
  ),
  pcRoute(
    "PUT",
    "/v1/customers/:customerId/profiles/billing",
    { auth: "appOrUser", rate: "customer" },
    putBillingProfile,
  ),
  pcRoute(
    "GET",
    "/v1/customers/:customerId/profiles/company",
    { auth: "appOrUser", rate: "customer" },
    (ctx) => ({
      status: 200,
      body: companyProfileView(requireCustomer(ctx)),
    }),
  ),
  pcRoute("HEAD", "/v1/domains/:domain", { auth: "appOrUser" }, (ctx) => ({
    // 200 = taken, 404 = available, empty bodies ("Verify domain availability",
    // https://learn.microsoft.com/partner-center/developer/verify-domain-availability).
    status: isDomainTaken(ctx.emu.state, fullDomain(ctx.req.params.domain ?? "")) ? 200 : 404,
  })),
];

// ---- create -----------------------------------------------------------------------------------

function createCustomer(ctx: PcContext) {
  const { emu, caller } = ctx;
  const body = requireBody(ctx.req.body);
  const companyIn = objProp(body, "companyProfile");
  const billingIn = objProp(body, "billingProfile");
  if (!companyIn) throw pcErrors.invalidProperty("companyProfile is required.");
  if (!billingIn) throw pcErrors.invalidProperty("billingProfile is required.");
  if (
    prop(body, "userCredentials") !== undefined &&
    prop(objProp(body, "userCredentials"), "password") !== undefined
  ) {
    // "If passing userCredentials password isn't accepted." (create-a-customer.md)
    throw pcErrors.invalidProperty(
      "userCredentials.password isn't accepted: the service generates the admin password.",
    );
  }
  const domain = fullDomain(requireStr(companyIn, "domain", "companyProfile.domain"));
  const billing = readBillingProfile(billingIn, "billingProfile");
  const country = billing.defaultAddress.country as string;
  const orgReg = strProp(companyIn, "organizationRegistrationNumber");
  if (ORG_REGISTRATION_REQUIRED.has(country) && (orgReg === undefined || orgReg.trim() === "")) {
    throw pcErrors.orgRegistrationMissing(country);
  }
  if (PHONE_REQUIRED.has(country) && !billing.defaultAddress.phoneNumber)
    throw pcErrors.phoneMissing(country);

  const associatedPartnerId = strProp(body, "associatedPartnerId");
  if (associatedPartnerId !== undefined && associatedPartnerId !== "") {
    checkIndirectReseller(ctx, associatedPartnerId);
  }
  if (emu.state.settings.sandbox) {
    const count = Object.values(emu.state.partnerCenter.customers).filter(
      (c) => c.partnerTenantId === caller.partnerTenantId,
    ).length;
    if (count >= SANDBOX_MAX_CUSTOMERS) {
      throw pcErrors.sandboxLimit(`a sandbox partner can have at most ${SANDBOX_MAX_CUSTOMERS} customers.`);
    }
  }
  if (isDomainTaken(emu.state, domain)) throw pcErrors.domainTaken(domain);

  const now = emu.now();
  const id = emu.newId();
  const companyName = billing.companyName as string;
  const tenant = createTenant(emu.state, { id, displayName: companyName, domain, kind: "customer" }, now);
  const password = generatePassword();
  const admin = addUser(
    tenant,
    {
      userPrincipalName: `admin@${domain}`,
      displayName: "admin",
      passwordHash: hashSecret(password),
      forceChangePasswordNextSignIn: true,
    },
    now,
  );
  tenant.directoryRoleMembers[ENTRA_ROLES.globalAdministrator.id] = [admin.id];

  const address = billing.defaultAddress;
  const companyProfile: JsonObject = { tenantId: id, domain, companyName };
  const companyAddress: JsonObject = { country: address.country };
  for (const k of ["region", "city", "addressLine1", "addressLine2", "postalCode"]) {
    if (address[k] !== undefined && address[k] !== "") companyAddress[k] = address[k];
  }
  companyAddress.phoneNumber = address.phoneNumber ?? "";
  companyProfile.address = companyAddress;
  companyProfile.email = billing.email;
  if (orgReg) companyProfile.organizationRegistrationNumber = orgReg;

  const resource: JsonObject = {
    id,
    commerceId: emu.newId(),
    companyProfile,
    // The billing contact defaults to the address's names (vector 03 shows both sets of names).
    billingProfile: {
      id: emu.newId(),
      firstName: billing.firstName ?? billing.defaultAddress.firstName,
      lastName: billing.lastName ?? billing.defaultAddress.lastName,
      ...billing,
      etag: newProfileEtag(),
    },
    relationshipToPartner: "reseller",
    allowDelegatedAccess: true,
    customDomains: [domain],
    enableGDAPByDefault: readEnableGdapByDefault(body),
  };
  if (associatedPartnerId) resource.associatedPartnerId = associatedPartnerId;
  const record: CustomerRecord = {
    id,
    partnerTenantId: caller.partnerTenantId,
    commerceId: resource.commerceId as string,
    resource,
    createdDateTime: now.toISOString(),
  };
  emu.state.partnerCenter.customers[id] = record;
  if (resource.enableGDAPByDefault === true) {
    grantDefaultGdap(emu.state, caller.partner, { tenantId: id, displayName: companyName }, now, emu.newId);
  }
  return { status: 201, body: createdCustomerView(record, password) };
}

/**
 * Creating a customer for an indirect reseller (`associatedPartnerId`) is App+User only, and only
 * for an indirect provider whose active indirect reseller it names ("Create a customer for an
 * indirect reseller": "The indirect reseller must have a partnership with the indirect provider",
 * https://learn.microsoft.com/partner-center/developer/create-a-customer-for-an-indirect-reseller).
 * Otherwise 404 / 800015 or 400 / 800016, see {@link requireActiveReseller}.
 */
function checkIndirectReseller(ctx: PcContext, associatedPartnerId: string): void {
  if (ctx.caller.kind !== "user") throw pcErrors.appOnlyNotSupported();
  requireActiveReseller(ctx, associatedPartnerId);
}

/** Initial domain from `companyProfile.domain`: a bare prefix gets `.onmicrosoft.com`. */
export function fullDomain(input: string): string {
  const d = input.trim().toLowerCase();
  const full = d.includes(".") ? d : `${d}.onmicrosoft.com`;
  const prefix = full.split(".")[0];
  if (
    !DOMAIN_PREFIX.test(prefix) ||
    !/^[a-z0-9.-]+$/.test(full) ||
    full.includes("..") ||
    full.endsWith(".")
  ) {
    throw pcErrors.invalidProperty(
      `companyProfile.domain ${input} is not a valid domain: the prefix must be 1 to 27 letters or digits (e.g. contoso or contoso.onmicrosoft.com).`,
    );
  }
  return full;
}

/** Whether any directory tenant (partner or customer) already uses the domain. */
export function isDomainTaken(state: EmulatorState, domain: string): boolean {
  const wanted = domain.toLowerCase();
  return Object.values(state.directory).some((t) => t.domains.some((d) => d.toLowerCase() === wanted));
}

// ---- replay of a create: the password is never stored -------------------------------------------

function redactCredentials(body: unknown): unknown {
  const creds = isObject(body) ? objProp(body, "userCredentials") : undefined;
  if (creds) creds.password = null;
  return body;
}

/**
 * A replayed create (same `MS-RequestId`, e.g. after a lost response) cannot show the original
 * password, which was never stored: the admin's password is reset to a new generated one that is
 * returned instead, so the caller still gets working credentials exactly once per answer.
 */
function reissueAdminPassword(stored: unknown, _req: EmuRequest, emu: EmulatorCore): unknown {
  if (!isObject(stored)) return stored;
  const creds = objProp(stored, "userCredentials");
  const id = strProp(stored, "id");
  const tenant = id ? emu.state.directory[id] : undefined;
  const customer = id ? emu.state.partnerCenter.customers[id] : undefined;
  if (!creds || !tenant || !customer) return stored;
  const domain = (customer.resource.companyProfile as JsonObject).domain as string;
  const admin = Object.values(tenant.users).find(
    (u) => u.userPrincipalName.toLowerCase() === `admin@${domain}`,
  );
  if (!admin) return stored;
  const password = generatePassword();
  admin.passwordHash = hashSecret(password);
  admin.forceChangePasswordNextSignIn = true;
  creds.password = password;
  emu.markDirty();
  return stored;
}

// ---- list / search ----------------------------------------------------------------------------

function listCustomers(ctx: PcContext) {
  const filterText = queryParam(ctx.req, "filter");
  const matches = filterText === undefined ? () => true : customerFilter(filterText, ctx.caller);
  const all = Object.values(ctx.emu.state.partnerCenter.customers)
    .filter((c) => canManage(ctx.caller, c) && matches(c))
    .sort((a, b) => a.createdDateTime.localeCompare(b.createdDateTime) || a.id.localeCompare(b.id));
  const page = pageOf(ctx.req, all.map(customerListItem), "/v1/customers", `customers|${filterText ?? ""}`, {
    defaultSize: 200,
    maxSize: 500,
    extraQuery: filterText === undefined ? undefined : `filter=${encodeURIComponent(filterText)}`,
  });
  return { status: 200, body: page };
}

/**
 * Customer search: `filter={"Field":"CompanyName"|"Domain"|"IndirectReseller"|
 * "IndirectCloudSolutionProvider","Value":"…","Operator":"starts_with"}` (URL-encoded JSON).
 * StartsWith "is the only field filter operation supported by the customers end point" ("Get a list
 * of customers filtered by a search field":
 * https://learn.microsoft.com/partner-center/developer/get-a-customer-by-name): any other operator
 * is refused. [U] The service's own refusal text (quoted in the Partner Center SDK's tests, kept in
 * pcErrors.badSearchOperator) says it "only allows starts with and equals"; chosen: the stricter
 * documented rule, so the client is proven to send starts_with. Comparison ignores case [U].
 */
function customerFilter(text: string, caller: PcCaller): (c: CustomerRecord) => boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw pcErrors.invalidProperty("filter must be a URL-encoded JSON object {Field, Value, Operator}.");
  }
  const field = (strProp(parsed, "field") ?? "").toLowerCase();
  const value = (strProp(parsed, "value") ?? "").toLowerCase();
  const operator = (strProp(parsed, "operator") ?? "").toLowerCase();
  if (operator !== "starts_with") throw pcErrors.badSearchOperator();
  const test = (v: unknown) => typeof v === "string" && v.toLowerCase().startsWith(value);
  switch (field) {
    case "companyname":
      return (c) => test((c.resource.companyProfile as JsonObject).companyName);
    case "domain":
      return (c) => test((c.resource.companyProfile as JsonObject).domain);
    case "indirectreseller":
      return (c) => test(c.resource.associatedPartnerId);
    case "indirectcloudsolutionprovider":
      return (c) => c.partnerTenantId !== caller.partnerTenantId && test(c.partnerTenantId);
    default:
      throw pcErrors.invalidProperty(
        `filter Field must be CompanyName, Domain, IndirectReseller or IndirectCloudSolutionProvider (got ${strProp(parsed, "field") ?? "nothing"}).`,
      );
  }
}

// ---- profiles ---------------------------------------------------------------------------------

function putBillingProfile(ctx: PcContext) {
  const customer = requireCustomer(ctx);
  const body = requireBody(ctx.req.body);
  const current = customer.resource.billingProfile as JsonObject;
  const sent = parseIfMatch(ctx.req.headers["if-match"]) ?? strProp(objProp(body, "attributes"), "etag");
  if (sent === undefined) throw pcErrors.etagRequired();
  if (sent !== current.etag) throw pcErrors.staleEtag();
  const updated = readBillingProfile(body, "billingProfile");
  // [U] The country is fixed when the customer is created: "Update a customer's billing profile"
  // (https://learn.microsoft.com/partner-center/developer/update-a-customer-s-billing-profile)
  // does not say it may change, and Partner Center's own customer page does not let it change
  // (the customer's tenant, offers and prices are per country). Chosen: refused, 400 / 2000.
  const countryOf = (p: unknown) => strProp(objProp(p, "defaultAddress"), "country")?.toUpperCase();
  const before = countryOf(current);
  const after = countryOf(updated);
  if (before && after && before !== after) throw pcErrors.countryFixed(before, after);
  customer.resource.billingProfile = { id: current.id, ...updated, etag: newProfileEtag() };
  return { status: 200, body: billingProfileView(customer) };
}

// ---- delete -----------------------------------------------------------------------------------

/**
 * `DELETE /v1/customers/{id}`: integration sandbox only ("Delete a customer account from the
 * integration sandbox",
 * https://learn.microsoft.com/partner-center/developer/delete-a-customer-account-from-the-integration-sandbox),
 * 204. Removes the relationship and the customer tenant with everything bought for it.
 */
function deleteCustomer(ctx: PcContext) {
  const customer = requireCustomer(ctx);
  if (!ctx.emu.state.settings.sandbox) throw pcErrors.deleteOnlyInSandbox();
  const state = ctx.emu.state;
  const pc = pcSections(state);
  const id = customer.id;
  for (const [k, cart] of Object.entries(pc.carts)) if (cart.customerId === id) delete pc.carts[k];
  for (const [k, order] of Object.entries(pc.orders)) if (order.customerId === id) delete pc.orders[k];
  for (const [k, sub] of Object.entries(pc.subscriptions))
    if (sub.customerId === id) delete pc.subscriptions[k];
  delete pc.agreements[id];
  delete pc.applicationConsents[id];
  for (const k of Object.keys(pc.customerUserExtras))
    if (k.startsWith(`${id}/`)) delete pc.customerUserExtras[k];
  for (const [subId, sub] of Object.entries(state.azure.subscriptions)) {
    if (sub.customerId !== id && sub.tenantId !== id) continue;
    delete state.azure.subscriptions[subId];
    const prefix = `/subscriptions/${subId.toLowerCase()}`;
    for (const key of Object.keys(state.azure.roleAssignments)) {
      if (key.toLowerCase().startsWith(prefix)) delete state.azure.roleAssignments[key];
    }
  }
  endRelationshipsWithTenant(state, id, ctx.emu.now());
  delete state.directory[id];
  delete state.partnerCenter.customers[id];
  return { status: 204 };
}

// ---- remove the reseller relationship -----------------------------------------------------------

/**
 * `PATCH /v1/customers/{id}` with `relationshipToPartner: "none"` (App+User only, S1
 * `remove-a-reseller-relationship-with-a-customer.md`): the production way to let go of a
 * customer, whose tenant cannot be deleted. Every subscription must be suspended first. The
 * customer and its tenant stay; the partner no longer manages it (its reads then answer
 * 403 / 20002). The answer is the documented PascalCase body with nulls.
 */
function removeRelationship(ctx: PcContext) {
  const customer = requireCustomer(ctx);
  const body = requireBody(ctx.req.body);
  const wanted = strProp(body, "relationshipToPartner");
  if (wanted?.toLowerCase() !== "none") {
    throw pcErrors.invalidProperty(
      `Only relationshipToPartner "none" (remove the reseller relationship) can be patched on a customer (got ${wanted ?? "nothing"}).`,
    );
  }
  const active = Object.values(pcSections(ctx.emu.state).subscriptions).filter(
    (s) => s.customerId === customer.id && s.resource.status === "active",
  );
  if (active.length > 0) throw pcErrors.activeSubscriptionsBlockRemoval(active.map((s) => s.id));
  customer.resource.relationshipToPartner = "none";
  delete customer.resource.associatedPartnerId;
  customer.partnerTenantId = "";
  return {
    status: 200,
    body: {
      Id: null,
      CommerceId: null,
      CompanyProfile: null,
      BillingProfile: null,
      RelationshipToPartner: "none",
      AllowDelegatedAccess: null,
      UserCredentials: null,
      CustomDomains: null,
      AssociatedPartnerId: null,
      Attributes: { ObjectType: "Customer" },
    },
  };
}
