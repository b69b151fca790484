import { isObject } from "../common/json";
import type {
  DirectoryApplication,
  DirectoryServicePrincipal,
  DirectoryTenant,
  EmulatorState,
} from "../common/state";
import type { EmulatorCore, EmuRequest, Route } from "../common/types";
import { findFirstPartyApp, MICROSOFT_SERVICES_TENANT_ID } from "./firstParty";
import { addressedByIdOrAppId, entityAnswer, filteredPage, idOrAppIdRoutes } from "./graphAnswers";
import type { GraphCaller } from "./graphCaller";
import { graphErrors } from "./graphErrors";
import { graphOk, graphRoute, jsonBody, reqString } from "./graphRoute";
import { contextUrl, selectOne } from "./odata";
import { removeServicePrincipal } from "./servicePrincipalCleanup";

/**
 * Microsoft Graph `servicePrincipals` ("Create servicePrincipal",
 * https://learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals): create by `appId`
 * (201), get (by id or `servicePrincipals(appId='…')`), list with `$filter=appId eq '…'`, PATCH of
 * a few settable properties (204), DELETE (204).
 */

const MULTI_TENANT_AUDIENCES = new Set(["AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount"]);

/** Properties a client may set on a service principal. */
const WRITABLE = new Set([
  "accountEnabled",
  "appRoleAssignmentRequired",
  "description",
  "homepage",
  "loginUrl",
  "logoutUrl",
  "notes",
  "notificationEmailAddresses",
  "preferredSingleSignOnMode",
  "replyUrls",
  "servicePrincipalNames",
  "tags",
]);

function appRoleView(r: { id: string; value: string }): Record<string, unknown> {
  return {
    allowedMemberTypes: ["Application"],
    description: r.value,
    displayName: r.value,
    id: r.id,
    isEnabled: true,
    origin: "Application",
    value: r.value,
  };
}

function scopeView(s: { id: string; value: string }): Record<string, unknown> {
  return {
    adminConsentDescription: s.value,
    adminConsentDisplayName: s.value,
    id: s.id,
    isEnabled: true,
    type: "Admin",
    userConsentDescription: null,
    userConsentDisplayName: null,
    value: s.value,
  };
}

/** Graph JSON of a service principal. */
export function servicePrincipalView(sp: DirectoryServicePrincipal): Record<string, unknown> {
  return {
    id: sp.id,
    deletedDateTime: null,
    accountEnabled: true,
    alternativeNames: [],
    appDisplayName: sp.displayName,
    appDescription: null,
    appId: sp.appId,
    applicationTemplateId: null,
    appOwnerOrganizationId: sp.appOwnerOrganizationId,
    appRoleAssignmentRequired: false,
    description: null,
    disabledByMicrosoftStatus: null,
    displayName: sp.displayName,
    homepage: null,
    loginUrl: null,
    logoutUrl: null,
    notes: null,
    notificationEmailAddresses: [],
    preferredSingleSignOnMode: null,
    preferredTokenSigningKeyThumbprint: null,
    replyUrls: [],
    servicePrincipalNames: [sp.appId],
    servicePrincipalType: "Application",
    signInAudience: "AzureADMultipleOrgs",
    tags: [],
    tokenEncryptionKeyId: null,
    info: {
      logoUrl: null,
      marketingUrl: null,
      privacyStatementUrl: null,
      supportUrl: null,
      termsOfServiceUrl: null,
    },
    samlSingleSignOnSettings: null,
    addIns: [],
    appRoles: sp.appRoles.map(appRoleView),
    keyCredentials: [],
    oauth2PermissionScopes: sp.oauth2PermissionScopes.map(scopeView),
    passwordCredentials: [],
    resourceSpecificApplicationPermissions: [],
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    ...sp.properties,
  };
}

/** The application an appId names, as seen from `tenant`: its own, a multi-tenant app elsewhere, or first-party. */
function resolveApplication(
  state: EmulatorState,
  tenant: DirectoryTenant,
  appId: string,
): { app?: DirectoryApplication; ownerTenantId: string; displayName: string } | undefined {
  const wanted = appId.toLowerCase();
  const own = Object.values(tenant.applications).find((a) => a.appId.toLowerCase() === wanted);
  if (own) return { app: own, ownerTenantId: tenant.id, displayName: own.displayName };
  for (const t of Object.values(state.directory)) {
    if (t.id === tenant.id) continue;
    const app = Object.values(t.applications).find((a) => a.appId.toLowerCase() === wanted);
    if (app && MULTI_TENANT_AUDIENCES.has(app.signInAudience)) {
      return { app, ownerTenantId: t.id, displayName: app.displayName };
    }
  }
  const fp = findFirstPartyApp(appId);
  if (fp) return { ownerTenantId: MICROSOFT_SERVICES_TENANT_ID, displayName: fp.displayName };
  return undefined;
}

function permissionList(value: unknown): { id: string; value: string }[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(isObject)
    .filter((r) => typeof r.id === "string" && typeof r.value === "string")
    .map((r) => ({ id: r.id as string, value: r.value as string }));
}

function findServicePrincipal(req: EmuRequest, tenant: DirectoryTenant): DirectoryServicePrincipal {
  return addressedByIdOrAppId(req, tenant.servicePrincipals);
}

/** Applies settable properties (kept in `properties`, which override the view's defaults). */
function applySettable(
  sp: DirectoryServicePrincipal,
  body: Record<string, unknown>,
  creating: boolean,
): void {
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith("@odata.") || (creating && key === "appId")) continue;
    if (!WRITABLE.has(key)) {
      if (key === "appId" || key === "id" || key === "appOwnerOrganizationId") {
        throw graphErrors.badRequest(`Property '${key}' is read-only and cannot be set.`);
      }
      throw graphErrors.badRequest(`Invalid property '${key}'.`);
    }
    sp.properties[key] = value;
  }
}

function create(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const body = jsonBody(req);
  const appId = reqString(body, "appId", "servicePrincipal");
  const tenant = caller.tenant;
  if (Object.values(tenant.servicePrincipals).some((s) => s.appId.toLowerCase() === appId.toLowerCase())) {
    // [U] code and status for a duplicate service principal: 409 Request_MultipleObjectsWithSameKeyValue assumed.
    throw graphErrors.sameKeyValue(
      `The service principal cannot be created, updated, or restored because the service principal name ${appId} is already in use.`,
    );
  }
  const resolved = resolveApplication(emu.state, tenant, appId);
  if (!resolved) {
    throw graphErrors.badRequest(
      `The appId '${appId}' of the service principal does not reference a valid application object.`,
    );
  }
  const fp = findFirstPartyApp(appId);
  const api = resolved.app && isObject(resolved.app.properties.api) ? resolved.app.properties.api : {};
  const sp: DirectoryServicePrincipal = {
    id: emu.newId(),
    appId: resolved.app?.appId ?? appId.toLowerCase(),
    displayName: resolved.displayName,
    appOwnerOrganizationId: resolved.ownerTenantId,
    createdDateTime: emu.now().toISOString(),
    oauth2PermissionScopes: fp
      ? fp.oauth2PermissionScopes.map((s) => ({ ...s }))
      : permissionList(api.oauth2PermissionScopes),
    appRoles: fp ? fp.appRoles.map((r) => ({ ...r })) : permissionList(resolved.app?.properties.appRoles),
    properties: {},
  };
  if (resolved.app) sp.properties.signInAudience = resolved.app.signInAudience;
  applySettable(sp, body, true);
  tenant.servicePrincipals[sp.id] = sp;
  emu.markDirty();
  return entityAnswer(req, contextUrl(req, "servicePrincipals/$entity"), servicePrincipalView(sp), 201, {
    location: `${req.baseUrl}/v1.0/directoryObjects/${sp.id}/Microsoft.DirectoryServices.ServicePrincipal`,
  });
}

function get(req: EmuRequest, _emu: EmulatorCore, caller: GraphCaller) {
  const sp = findServicePrincipal(req, caller.tenant);
  return entityAnswer(
    req,
    contextUrl(req, "servicePrincipals/$entity"),
    selectOne(req, servicePrincipalView(sp)),
  );
}

function list(req: EmuRequest, _emu: EmulatorCore, caller: GraphCaller) {
  const filterable = [
    "appId",
    "displayName",
    "id",
    "tags",
    "servicePrincipalNames",
    "appOwnerOrganizationId",
  ];
  return filteredPage(req, contextUrl(req, "servicePrincipals"), filterable, () =>
    Object.values(caller.tenant.servicePrincipals).map(servicePrincipalView),
  );
}

function update(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const sp = findServicePrincipal(req, caller.tenant);
  const draft = structuredClone(sp);
  applySettable(draft, jsonBody(req), false);
  caller.tenant.servicePrincipals[sp.id] = draft;
  emu.markDirty();
  return graphOk(req, 204);
}

function remove(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const sp = findServicePrincipal(req, caller.tenant);
  removeServicePrincipal(caller.tenant, sp.id);
  emu.markDirty();
  return graphOk(req, 204);
}

/** Routes of the `servicePrincipals` entity set (both `/servicePrincipals/{id}` and `/servicePrincipals(appId='…')`). */
export const servicePrincipalRoutes: Route[] = [
  graphRoute("POST", "/v1.0/servicePrincipals", "servicePrincipalsWrite", create),
  graphRoute("GET", "/v1.0/servicePrincipals", "applicationsRead", list),
  ...idOrAppIdRoutes("servicePrincipals", [
    ["GET", "", "applicationsRead", get],
    ["PATCH", "", "servicePrincipalsWrite", update],
    ["DELETE", "", "servicePrincipalsWrite", remove],
  ]),
];
