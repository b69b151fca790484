import {
  addServicePrincipal,
  assignAppRole,
  findServicePrincipalByAppId,
  grantDelegatedScopes,
} from "../common/directory";
import { isGuid, isObject, type JsonObject } from "../common/json";
import type { DirectoryServicePrincipal } from "../common/state";
import type { Route } from "../common/types";
import { GRAPH_APP_ID } from "../graph/firstParty";
import { customerTenant, requireCustomer } from "./customerAccess";
import { GDAP_RULES, requireGdapRole } from "./gdapAuthorization";
import { arrProp, requireBody, requireStr, strProp } from "./jsonBody";
import { pcErrorBody } from "./pcError";
import { pcErrors } from "./pcErrors";
import { type PcContext, pcRoute } from "./pcRoute";
import { type ApplicationConsentRecord, pcSections } from "./pcState";

/**
 * Partner Center application consents, the CPV / Secure Application Model way of consenting the
 * partner's multi-tenant app in a customer tenant, App+User only. Microsoft documents two
 * operations and no read ("Get customer consent as Control Panel Vendor",
 * https://learn.microsoft.com/en-us/partner-center/developer/control-panel-vendor-apis; the SDK's
 * consent object offers only `delete`, "IApplicationConsent Interface" in the Partner Center Java
 * SDK reference):
 * - `POST /v1/customers/{c}/applicationconsents` (acquire consent);
 * - `DELETE /v1/customers/{c}/applicationconsents/{applicationId}` (remove consent).
 * GET on either path is refused with 405 and an `Allow` header naming the documented method [U: the
 * status production gives an unsupported method here is not documented; 405 is what an HTTP service
 * answers for a known path and another method]. A consent's state is read in the customer tenant
 * through Graph, which is why the POST materialises it there.
 *
 * What a consent materialises in the customer tenant is described only informally by Microsoft
 * [U]; the emulator creates what a tenant-wide admin consent creates:
 * - a service principal of the application (`appOwnerOrganizationId` = the partner tenant);
 * - per resource (`enterpriseApplicationId`), one `AllPrincipals` oauth2PermissionGrant with the
 *   delegated scopes;
 * - an app role assignment for every listed value that is an app role of the resource (e.g. Graph
 *   `User.Read.All`), so the app can then call Graph app-only in the customer tenant.
 * Values the emulator's permission catalog does not know are granted as delegated scopes [U].
 *
 * A second POST for an application that already has a consent is refused ([U] 409 / 60015): the
 * published samples always DELETE first. DELETE removes the grants and keeps the service principal
 * [U: what production removes is not documented].
 *
 * GDAP (gdapAuthorization.ts): consenting needs Cloud Application Administrator, Application
 * Administrator or Privileged Role Administrator in the customer (checked first), and Privileged
 * Role Administrator when a grant holds Microsoft Graph application permissions (checked once the
 * grants are read, before anything is created).
 */
const consents = "/v1/customers/:customerId/applicationconsents";

export const applicationConsentRoutes: Route[] = [
  pcRoute("POST", consents, { auth: "appUser", rate: "consent" }, createConsent),
  methodNotAllowed("GET", consents, "POST"),
  methodNotAllowed("GET", `${consents}/:applicationId`, "DELETE"),
  pcRoute("DELETE", `${consents}/:applicationId`, { auth: "appUser", rate: "consent" }, (ctx) => {
    const customer = requireCustomer(ctx);
    requireGdapRole(ctx, customer.id, GDAP_RULES.removeConsent);
    const record = requireConsent(ctx);
    const tenant = customerTenant(ctx, customer);
    for (const id of record.oauth2PermissionGrantIds) delete tenant.oauth2PermissionGrants[id];
    for (const id of record.appRoleAssignmentIds) delete tenant.appRoleAssignments[id];
    delete pcSections(ctx.emu.state).applicationConsents[customer.id]?.[record.applicationId];
    // Documented as 200 (the article also lists 201).
    return { status: 200 };
  }),
];

/**
 * A method the path does not support: 405 with `Allow`, before any caller check (the method is
 * refused whoever asks) [U body: the Partner Center error format with the generic code 3000].
 */
function methodNotAllowed(method: Route["method"], path: string, allow: string): Route {
  return {
    method,
    path,
    handler: (req) => ({
      status: 405,
      headers: { Allow: allow },
      body: pcErrorBody(3000, `The requested resource does not support http method '${req.method}'.`),
    }),
  };
}

function requireConsent(ctx: PcContext): ApplicationConsentRecord {
  const customer = requireCustomer(ctx);
  const appId = (ctx.req.params.applicationId ?? "").toLowerCase();
  const record = pcSections(ctx.emu.state).applicationConsents[customer.id]?.[appId];
  if (!record) throw pcErrors.consentNotFound(appId);
  return record;
}

function createConsent(ctx: PcContext) {
  const customer = requireCustomer(ctx);
  requireGdapRole(ctx, customer.id, GDAP_RULES.consent);
  const tenant = customerTenant(ctx, customer);
  const body = requireBody(ctx.req.body);
  const applicationId = requireStr(body, "applicationId", "applicationId").toLowerCase();
  if (!isGuid(applicationId)) throw pcErrors.notAGuid("applicationId", applicationId);
  const partnerTenant = ctx.emu.state.directory[ctx.caller.partnerTenantId];
  const app = Object.values(partnerTenant?.applications ?? {}).find(
    (a) => a.appId.toLowerCase() === applicationId,
  );
  if (!app) throw pcErrors.applicationUnknown(applicationId);
  // A consent puts the app into another tenant: only multi-tenant apps can be there [U code].
  if (app.signInAudience === "AzureADMyOrg") throw pcErrors.applicationSingleTenant(applicationId);
  const rawGrants = arrProp(body, "applicationGrants");
  if (!rawGrants || rawGrants.length === 0)
    throw pcErrors.invalidProperty("applicationGrants is required and must not be empty.");

  // Validate everything before creating anything.
  const grants = rawGrants.map((g, i) => {
    if (!isObject(g)) throw pcErrors.invalidProperty(`applicationGrants[${i}] must be an object.`);
    const resourceAppId = requireStr(
      g,
      "enterpriseApplicationId",
      `applicationGrants[${i}].enterpriseApplicationId`,
    );
    const scope = requireStr(g, "scope", `applicationGrants[${i}].scope`);
    const resource = findServicePrincipalByAppId(tenant, resourceAppId);
    if (!resource) {
      throw pcErrors.grantInvalid(
        `applicationGrants[${i}].enterpriseApplicationId ${resourceAppId} is not a resource application of the customer tenant.`,
      );
    }
    const values = scope
      .split(/[,\s]+/)
      .map((v) => v.trim())
      .filter((v) => v !== "");
    if (values.length === 0)
      throw pcErrors.grantInvalid(`applicationGrants[${i}].scope lists no permission.`);
    return { resourceAppId: resource.appId, scope, resource, values };
  });
  const graphAppPermissions = grants.some(
    (g) => g.resource.appId.toLowerCase() === GRAPH_APP_ID && classify(g.resource, g.values).roles.length > 0,
  );
  if (graphAppPermissions) requireGdapRole(ctx, customer.id, GDAP_RULES.consentGraphApplicationPermissions);
  const byCustomer = pcSections(ctx.emu.state).applicationConsents;
  byCustomer[customer.id] ??= {};
  const store = byCustomer[customer.id];
  if (store[applicationId]) throw pcErrors.consentExists(applicationId);

  const now = ctx.emu.now();
  const client = addServicePrincipal(
    tenant,
    {
      appId: app.appId,
      displayName: app.displayName,
      appOwnerOrganizationId: ctx.caller.partnerTenantId,
      properties: {
        appDisplayName: app.displayName,
        accountEnabled: true,
        appRoleAssignmentRequired: false,
        signInAudience: app.signInAudience,
      },
    },
    now,
  );
  const grantIds: string[] = [];
  const assignmentIds: string[] = [];
  for (const g of grants) {
    const { delegated, roles } = classify(g.resource, g.values);
    if (delegated.length > 0) {
      const grant = grantDelegatedScopes(tenant, {
        clientId: client.id,
        resourceId: g.resource.id,
        scopes: delegated,
      });
      if (!grantIds.includes(grant.id)) grantIds.push(grant.id);
    }
    for (const roleId of roles) {
      const a = assignAppRole(
        tenant,
        { principalId: client.id, resourceId: g.resource.id, appRoleId: roleId },
        now,
      );
      if (!assignmentIds.includes(a.id)) assignmentIds.push(a.id);
    }
  }
  const record: ApplicationConsentRecord = {
    applicationId,
    displayName: strProp(body, "displayName") ?? app.displayName,
    applicationGrants: grants.map((g) => ({ enterpriseApplicationId: g.resourceAppId, scope: g.scope })),
    createdDateTime: now.toISOString(),
    servicePrincipalId: client.id,
    oauth2PermissionGrantIds: grantIds,
    appRoleAssignmentIds: assignmentIds,
  };
  store[applicationId] = record;
  return { status: 201, body: consentView(record) };
}

/**
 * Splits permission values into delegated scopes (canonical spelling) and app role ids. A value
 * that is both (Graph `User.Read.All`) yields both; an unknown value is treated as delegated [U].
 */
function classify(
  resource: DirectoryServicePrincipal,
  values: string[],
): { delegated: string[]; roles: string[] } {
  const delegated: string[] = [];
  const roles: string[] = [];
  for (const value of values) {
    const lower = value.toLowerCase();
    const scope = resource.oauth2PermissionScopes.find((s) => s.value.toLowerCase() === lower);
    const role = resource.appRoles.find((r) => r.value.toLowerCase() === lower);
    if (role && !roles.includes(role.id)) roles.push(role.id);
    if (scope || !role) {
      const canonical = scope?.value ?? value;
      if (!delegated.includes(canonical)) delegated.push(canonical);
    }
  }
  return { delegated, roles };
}

function consentView(r: ApplicationConsentRecord): JsonObject {
  return {
    applicationId: r.applicationId,
    displayName: r.displayName,
    applicationGrants: r.applicationGrants.map((g) => ({ ...g })),
  };
}
