import { grantId } from "../common/directory";
import type { DirectoryTenant, OAuth2PermissionGrantRecord } from "../common/state";
import type { EmulatorCore, EmuRequest, Route } from "../common/types";
import { entityAnswer, filteredPage } from "./graphAnswers";
import type { GraphCaller } from "./graphCaller";
import { graphErrors } from "./graphErrors";
import { graphOk, graphRoute, jsonBody, optString, reqString } from "./graphRoute";
import { contextUrl, selectOne } from "./odata";

/**
 * Microsoft Graph `oauth2PermissionGrants` (delegated permission grants, "Create
 * oAuth2PermissionGrant", https://learn.microsoft.com/graph/api/oauth2permissiongrant-post): create
 * (201), get, list with `$filter` on clientId / resourceId / consentType / principalId, PATCH of
 * `scope` (204), DELETE (204).
 */

/** Graph JSON of a grant (v1.0 shape). */
export function grantView(g: OAuth2PermissionGrantRecord): Record<string, unknown> {
  return {
    clientId: g.clientId,
    consentType: g.consentType,
    id: g.id,
    principalId: g.principalId,
    resourceId: g.resourceId,
    scope: g.scope,
  };
}

function findGrant(tenant: DirectoryTenant, id: string): OAuth2PermissionGrantRecord {
  const g = tenant.oauth2PermissionGrants[id];
  if (!g) throw graphErrors.resourceNotFound(id);
  return g;
}

function create(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const body = jsonBody(req);
  const t = caller.tenant;
  const clientId = reqString(body, "clientId", "oAuth2PermissionGrant");
  const resourceId = reqString(body, "resourceId", "oAuth2PermissionGrant");
  const consentType = reqString(body, "consentType", "oAuth2PermissionGrant");
  const principalId = optString(body, "principalId") ?? null;
  // Scope values are not checked against the resource's published scopes: the emulator's catalog
  // of first-party scopes is a subset [U whether the live service validates them].
  const scope = optString(body, "scope") ?? "";
  if (consentType !== "AllPrincipals" && consentType !== "Principal") {
    throw graphErrors.badRequest(
      "Invalid value specified for property 'consentType' of resource 'OAuth2PermissionGrant'.",
    );
  }
  if (consentType === "AllPrincipals" && principalId !== null) {
    throw graphErrors.badRequest("principalId must be null when consentType is AllPrincipals.");
  }
  if (consentType === "Principal" && (principalId === null || !t.users[principalId])) {
    throw graphErrors.badRequest("principalId must reference a user when consentType is Principal.");
  }
  if (!t.servicePrincipals[clientId])
    throw graphErrors.badRequest(`Invalid value specified for property 'clientId': '${clientId}'.`);
  if (!t.servicePrincipals[resourceId]) {
    throw graphErrors.badRequest(`Invalid value specified for property 'resourceId': '${resourceId}'.`);
  }
  const duplicate = Object.values(t.oauth2PermissionGrants).some(
    (g) =>
      g.clientId === clientId &&
      g.resourceId === resourceId &&
      g.consentType === consentType &&
      g.principalId === principalId,
  );
  if (duplicate) {
    throw graphErrors.sameKeyValue("Permission entry already exists.");
  }
  const grant: OAuth2PermissionGrantRecord = {
    id: grantId(),
    clientId,
    consentType,
    principalId,
    resourceId,
    scope,
  };
  t.oauth2PermissionGrants[grant.id] = grant;
  emu.markDirty();
  return entityAnswer(req, contextUrl(req, "oauth2PermissionGrants/$entity"), grantView(grant), 201);
}

function get(req: EmuRequest, _emu: EmulatorCore, caller: GraphCaller) {
  const g = findGrant(caller.tenant, req.params.id);
  return entityAnswer(req, contextUrl(req, "oauth2PermissionGrants/$entity"), selectOne(req, grantView(g)));
}

function list(req: EmuRequest, _emu: EmulatorCore, caller: GraphCaller) {
  const filterable = ["clientId", "resourceId", "consentType", "principalId", "id"];
  return filteredPage(req, contextUrl(req, "oauth2PermissionGrants"), filterable, () =>
    Object.values(caller.tenant.oauth2PermissionGrants).map(grantView),
  );
}

function update(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const g = findGrant(caller.tenant, req.params.id);
  const body = jsonBody(req);
  for (const key of Object.keys(body)) {
    if (key !== "scope")
      throw graphErrors.badRequest(`Property '${key}' cannot be updated; only 'scope' can.`);
  }
  const scope = optString(body, "scope");
  if (scope !== undefined) g.scope = scope;
  emu.markDirty();
  return graphOk(req, 204);
}

function remove(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const g = findGrant(caller.tenant, req.params.id);
  delete caller.tenant.oauth2PermissionGrants[g.id];
  emu.markDirty();
  return graphOk(req, 204);
}

/** Routes of the `oauth2PermissionGrants` entity set. */
export const oauth2PermissionGrantRoutes: Route[] = [
  graphRoute("POST", "/v1.0/oauth2PermissionGrants", "grantsWrite", create),
  graphRoute("GET", "/v1.0/oauth2PermissionGrants", "grantsRead", list),
  graphRoute("GET", "/v1.0/oauth2PermissionGrants/:id", "grantsRead", get),
  graphRoute("PATCH", "/v1.0/oauth2PermissionGrants/:id", "grantsWrite", update),
  graphRoute("DELETE", "/v1.0/oauth2PermissionGrants/:id", "grantsWrite", remove),
];
