import { findPrincipal, grantId } from "../common/directory";
import type { AppRoleAssignmentRecord, DirectoryServicePrincipal, DirectoryTenant } from "../common/state";
import type { EmulatorCore, EmuRequest, Route } from "../common/types";
import { entityAnswer, filteredPage } from "./graphAnswers";
import type { GraphCaller } from "./graphCaller";
import { graphErrors } from "./graphErrors";
import { graphOk, graphRoute, jsonBody, reqString } from "./graphRoute";
import { contextUrl } from "./odata";

/**
 * App role assignments (application permissions granted to a principal; "Grant an appRoleAssignment
 * for a service principal",
 * https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto):
 * `/servicePrincipals/{resourceId}/appRoleAssignedTo` (assignments OF the resource's roles) and
 * `/servicePrincipals/{principalId}/appRoleAssignments` (assignments held BY the principal): create
 * (201), list, get, delete (204).
 */

/** The default app role id, used to assign an app that defines no roles. */
const DEFAULT_APP_ROLE_ID = "00000000-0000-0000-0000-000000000000";

/** Graph JSON of an app role assignment. */
export function appRoleAssignmentView(a: AppRoleAssignmentRecord): Record<string, unknown> {
  return {
    id: a.id,
    deletedDateTime: null,
    appRoleId: a.appRoleId,
    createdDateTime: a.createdDateTime,
    principalDisplayName: a.principalDisplayName,
    principalId: a.principalId,
    principalType: a.principalType,
    resourceDisplayName: a.resourceDisplayName,
    resourceId: a.resourceId,
  };
}

type Side = "appRoleAssignedTo" | "appRoleAssignments";

function findSp(tenant: DirectoryTenant, id: string): DirectoryServicePrincipal {
  const sp = tenant.servicePrincipals[id];
  if (!sp) throw graphErrors.resourceNotFound(id);
  return sp;
}

/** Assignments on the given side of a service principal. */
function assignmentsOf(tenant: DirectoryTenant, spId: string, side: Side): AppRoleAssignmentRecord[] {
  return Object.values(tenant.appRoleAssignments).filter((a) =>
    side === "appRoleAssignedTo" ? a.resourceId === spId : a.principalId === spId,
  );
}

function context(req: EmuRequest, side: Side, entity: boolean): string {
  return contextUrl(req, `servicePrincipals('${req.params.id}')/${side}${entity ? "/$entity" : ""}`);
}

function createOn(side: Side) {
  return (req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) => {
    const t = caller.tenant;
    const sp = findSp(t, req.params.id);
    const body = jsonBody(req);
    const principalId = reqString(body, "principalId", "appRoleAssignment");
    const resourceId = reqString(body, "resourceId", "appRoleAssignment");
    const appRoleId = reqString(body, "appRoleId", "appRoleAssignment");
    if (side === "appRoleAssignedTo" && resourceId !== sp.id) {
      throw graphErrors.badRequest(
        "The resourceId in the request body must match the service principal in the URL.",
      );
    }
    if (side === "appRoleAssignments" && principalId !== sp.id) {
      throw graphErrors.badRequest(
        "The principalId in the request body must match the service principal in the URL.",
      );
    }
    const resource = t.servicePrincipals[resourceId];
    if (!resource)
      throw graphErrors.badRequest(`Invalid value specified for property 'resourceId': '${resourceId}'.`);
    const principal = findPrincipal(t, principalId);
    if (!principal) throw graphErrors.resourceNotFound(principalId);
    const roleKnown = resource.appRoles.some((r) => r.id.toLowerCase() === appRoleId.toLowerCase());
    if (!roleKnown && !(appRoleId === DEFAULT_APP_ROLE_ID && resource.appRoles.length === 0)) {
      throw graphErrors.badRequest("Permission being assigned was not found on application");
    }
    const exists = Object.values(t.appRoleAssignments).some(
      (a) =>
        a.principalId === principalId &&
        a.resourceId === resourceId &&
        a.appRoleId.toLowerCase() === appRoleId.toLowerCase(),
    );
    if (exists) throw graphErrors.badRequest("Permission being assigned already exists on the object");
    const record: AppRoleAssignmentRecord = {
      id: grantId(),
      appRoleId,
      principalId,
      principalType: principal.type,
      principalDisplayName: principal.displayName,
      resourceId,
      resourceDisplayName: resource.displayName,
      createdDateTime: emu.now().toISOString(),
    };
    t.appRoleAssignments[record.id] = record;
    emu.markDirty();
    return entityAnswer(req, context(req, side, true), appRoleAssignmentView(record), 201);
  };
}

function listOn(side: Side) {
  return (req: EmuRequest, _emu: EmulatorCore, caller: GraphCaller) => {
    findSp(caller.tenant, req.params.id);
    const filterable = ["principalId", "resourceId", "appRoleId", "principalType"];
    return filteredPage(req, context(req, side, false), filterable, () =>
      assignmentsOf(caller.tenant, req.params.id, side).map(appRoleAssignmentView),
    );
  };
}

function findOn(req: EmuRequest, tenant: DirectoryTenant, side: Side): AppRoleAssignmentRecord {
  findSp(tenant, req.params.id);
  const a = assignmentsOf(tenant, req.params.id, side).find((x) => x.id === req.params.assignmentId);
  if (!a) throw graphErrors.resourceNotFound(req.params.assignmentId);
  return a;
}

function getOn(side: Side) {
  return (req: EmuRequest, _emu: EmulatorCore, caller: GraphCaller) => {
    const a = findOn(req, caller.tenant, side);
    return entityAnswer(req, context(req, side, true), appRoleAssignmentView(a));
  };
}

function deleteOn(side: Side) {
  return (req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) => {
    const a = findOn(req, caller.tenant, side);
    delete caller.tenant.appRoleAssignments[a.id];
    emu.markDirty();
    return graphOk(req, 204);
  };
}

/** Routes of both navigation properties. */
export const appRoleAssignmentRoutes: Route[] = (
  ["appRoleAssignedTo", "appRoleAssignments"] as const
).flatMap((side) => [
  graphRoute("POST", `/v1.0/servicePrincipals/:id/${side}`, "appRoleAssignmentsWrite", createOn(side)),
  graphRoute("GET", `/v1.0/servicePrincipals/:id/${side}`, "appRoleAssignmentsRead", listOn(side)),
  graphRoute(
    "GET",
    `/v1.0/servicePrincipals/:id/${side}/:assignmentId`,
    "appRoleAssignmentsRead",
    getOn(side),
  ),
  graphRoute(
    "DELETE",
    `/v1.0/servicePrincipals/:id/${side}/:assignmentId`,
    "appRoleAssignmentsWrite",
    deleteOn(side),
  ),
]);
