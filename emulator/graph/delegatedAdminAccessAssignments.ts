import { isObject } from "../common/json";
import type { GdapRelationshipRecord } from "../common/state";
import type { EmulatorCore, EmuRequest, Route } from "../common/types";
import { accessDetailsOf, checkIfMatch, findRelationship, GDAP_BASE, parseUnifiedRoles } from "./gdapCommon";
import { gdapTime, newGdapEtag, roleIdsOf } from "./gdapModel";
import { entityAnswer, filteredPage } from "./graphAnswers";
import type { GraphCaller } from "./graphCaller";
import { graphErrors } from "./graphErrors";
import { graphOk, graphRoute, jsonBody } from "./graphRoute";

/**
 * GDAP access assignments (`…/delegatedAdminRelationships/{id}/accessAssignments`, "Create
 * accessAssignments",
 * https://learn.microsoft.com/graph/api/delegatedadminrelationship-post-accessassignments, vector
 * 21): create (only on an active relationship; container = security group of the partner tenant;
 * roles ⊆ the relationship's roles) → 201 `pending`, active on the next read; get; list; PATCH
 * (If-Match) → 202 + Location of a long-running operation (200 with the object when nothing
 * changes); DELETE (If-Match) → 204, `deleting` then `deleted` on the next read.
 */

type Assignment = GdapRelationshipRecord["accessAssignments"][string];

function ctx(req: EmuRequest, fragment: string): string {
  return `${req.baseUrl}/v1.0/tenantRelationships/$metadata#${fragment}`;
}

/** An access assignment as one entity. */
function assignmentAnswer(req: EmuRequest, a: Assignment, status = 200, headers?: Record<string, string>) {
  return entityAnswer(req, ctx(req, "accessAssignments/$entity"), assignmentView(a), status, headers);
}

function assignmentView(a: Assignment): Record<string, unknown> {
  return {
    "@odata.type": "#microsoft.graph.delegatedAdminAccessAssignment",
    "@odata.etag": a.etag,
    ...a.resource,
  };
}

function checkRolesWithin(rec: GdapRelationshipRecord, roleIds: string[]): void {
  const allowed = new Set(roleIdsOf(rec.resource));
  const extra = roleIds.filter((r) => !allowed.has(r));
  if (extra.length > 0) {
    throw graphErrors.gdapBadRequest(
      `The roles ${extra.join(", ")} are not part of the relationship's accessDetails; an access assignment can only use roles of its relationship.`,
    );
  }
}

function findAssignment(rec: GdapRelationshipRecord, id: string): Assignment {
  const a = rec.accessAssignments[id];
  if (!a) throw graphErrors.gdapNotFound(`The access assignment '${id}' was not found.`);
  return a;
}

function create(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const rec = findRelationship(emu, caller, req.params.id);
  if (rec.resource.status !== "active") {
    throw graphErrors.gdapBadRequest(
      `Access assignments can only be created on an active relationship; this relationship is '${String(rec.resource.status)}'. The customer must approve it first.`,
    );
  }
  const body = jsonBody(req);
  const container = body.accessContainer;
  if (!isObject(container) || typeof container.accessContainerId !== "string") {
    throw graphErrors.gdapBadRequest("accessContainer.accessContainerId is required.");
  }
  if (container.accessContainerType !== undefined && container.accessContainerType !== "securityGroup") {
    throw graphErrors.gdapBadRequest("accessContainer.accessContainerType must be 'securityGroup'.");
  }
  const groupId = container.accessContainerId.toLowerCase();
  if (!caller.tenant.groups[groupId]) {
    throw graphErrors.gdapBadRequest(
      `The access container '${container.accessContainerId}' is not a security group of the partner tenant.`,
    );
  }
  const roleIds = parseUnifiedRoles(body.accessDetails);
  checkRolesWithin(rec, roleIds);
  const duplicate = Object.values(rec.accessAssignments).some((a) => {
    const c = a.resource.accessContainer as { accessContainerId?: string };
    return (
      c.accessContainerId === groupId && a.resource.status !== "deleted" && a.resource.status !== "deleting"
    );
  });
  if (duplicate) {
    // [U] code/status for a second assignment of the same group in one relationship.
    throw graphErrors.gdapBadRequest(
      `The security group '${groupId}' already has an access assignment in this relationship.`,
    );
  }
  const stamp = gdapTime(emu.now());
  const id = emu.newId();
  const a: Assignment = {
    etag: newGdapEtag(),
    resource: {
      id,
      status: "pending",
      createdDateTime: stamp,
      lastModifiedDateTime: stamp,
      accessContainer: { accessContainerId: groupId, accessContainerType: "securityGroup" },
      accessDetails: accessDetailsOf(roleIds),
    },
  };
  rec.accessAssignments[id] = a;
  emu.markDirty();
  return assignmentAnswer(req, a, 201, {
    location: `${req.baseUrl}${GDAP_BASE}/${req.params.id}/accessAssignments/${id}`,
  });
}

function get(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const rec = findRelationship(emu, caller, req.params.id);
  const a = findAssignment(rec, req.params.assignmentId);
  return assignmentAnswer(req, a);
}

function list(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const rec = findRelationship(emu, caller, req.params.id);
  const context = ctx(req, `delegatedAdminRelationships('${req.params.id}')/accessAssignments`);
  return filteredPage(req, context, ["status", "id", "accessContainer/accessContainerId"], () =>
    Object.values(rec.accessAssignments).map(assignmentView),
  );
}

function update(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const rec = findRelationship(emu, caller, req.params.id);
  const a = findAssignment(rec, req.params.assignmentId);
  checkIfMatch(req, a.etag);
  const body = jsonBody(req);
  for (const k of Object.keys(body)) {
    if (k !== "accessDetails" && !k.startsWith("@odata."))
      throw graphErrors.gdapBadRequest(`Property '${k}' cannot be updated.`);
  }
  if (a.resource.status !== "active" && a.resource.status !== "pending") {
    throw graphErrors.gdapBadRequest(
      `The access assignment cannot be updated in status '${String(a.resource.status)}'.`,
    );
  }
  if (rec.resource.status !== "active") {
    throw graphErrors.gdapBadRequest(
      `The relationship is '${String(rec.resource.status)}'; access assignments can only change while it is active.`,
    );
  }
  if (!("accessDetails" in body)) return assignmentAnswer(req, a);
  const roleIds = parseUnifiedRoles(body.accessDetails);
  checkRolesWithin(rec, roleIds);
  const current = roleIdsOf(a.resource);
  const same = current.length === roleIds.length && roleIds.every((r) => current.includes(r));
  if (same) {
    // Identical values: 200 with the unchanged object (Graph "Update delegatedAdminAccessAssignment").
    return assignmentAnswer(req, a);
  }
  const stamp = gdapTime(emu.now());
  a.resource.accessDetails = accessDetailsOf(roleIds);
  a.resource.lastModifiedDateTime = stamp;
  a.etag = newGdapEtag();
  const op = {
    id: emu.newId(),
    operationType: "delegatedAdminAccessAssignmentUpdate",
    data: JSON.stringify({ id: a.resource.id, accessDetails: a.resource.accessDetails }),
    status: "notStarted",
    createdDateTime: stamp,
    lastModifiedDateTime: stamp,
  };
  rec.requests[op.id] = op;
  emu.markDirty();
  return graphOk(
    req,
    202,
    {},
    { location: `${req.baseUrl}${GDAP_BASE}/${req.params.id}/operations/${op.id}`, "retry-after": "10" },
  );
}

function remove(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const rec = findRelationship(emu, caller, req.params.id);
  const a = findAssignment(rec, req.params.assignmentId);
  checkIfMatch(req, a.etag);
  if (a.resource.status === "deleted" || a.resource.status === "deleting") {
    throw graphErrors.gdapBadRequest("The access assignment is already deleted.");
  }
  a.resource.status = "deleting";
  a.resource.lastModifiedDateTime = gdapTime(emu.now());
  a.etag = newGdapEtag();
  emu.markDirty();
  return graphOk(req, 204);
}

/** Routes of GDAP access assignments. */
export const delegatedAdminAccessAssignmentRoutes: Route[] = [
  graphRoute("POST", `${GDAP_BASE}/:id/accessAssignments`, "gdapWrite", create),
  graphRoute("GET", `${GDAP_BASE}/:id/accessAssignments`, "gdapRead", list),
  graphRoute("GET", `${GDAP_BASE}/:id/accessAssignments/:assignmentId`, "gdapRead", get),
  graphRoute("PATCH", `${GDAP_BASE}/:id/accessAssignments/:assignmentId`, "gdapWrite", update),
  graphRoute("DELETE", `${GDAP_BASE}/:id/accessAssignments/:assignmentId`, "gdapWrite", remove),
];
