import { gdapUser } from "../../auth/actingIdentity";
import type { ServiceClient } from "../../http/types";
import { deleteIfPresent } from "../deleteIfPresent";
import { listGraph } from "../paging";
import { type GdapUnifiedRole, relationshipPath } from "./delegatedAdminRelationships";
import { withEtag } from "./gdapEtag";

/**
 * GDAP access assignments ("Create accessAssignments",
 * https://learn.microsoft.com/graph/api/delegatedadminrelationship-post-accessassignments; statuses
 * from "delegatedAdminAccessAssignment resource type",
 * https://learn.microsoft.com/graph/api/resources/delegatedadminaccessassignment): which partner
 * security group gets which of the relationship's roles. App+user in the partner tenant. Created
 * `pending`, then `active`; `deleting`/`deleted`/`error` after. PATCH and DELETE take `If-Match` [U
 * exact requirement; we always send it].
 */

export type GdapAccessAssignmentStatus = "pending" | "active" | "deleting" | "deleted" | "error" | string;

export interface GdapAccessAssignment {
  id: string;
  status: GdapAccessAssignmentStatus;
  accessContainer: { accessContainerId: string; accessContainerType: "securityGroup" | string };
  accessDetails: { unifiedRoles: GdapUnifiedRole[] };
  createdDateTime?: string;
  lastModifiedDateTime?: string;
  "@odata.etag"?: string;
}

function assignmentsPath(relationshipId: string): string {
  return `${relationshipPath(relationshipId)}/accessAssignments`;
}

function assignmentPath(relationshipId: string, id: string): string {
  return `${assignmentsPath(relationshipId)}/${encodeURIComponent(id)}`;
}

/** Creates an assignment (201, `pending`). Not idempotent: the caller finds it by group after a lost answer. */
export async function createAccessAssignment(
  graph: ServiceClient,
  relationshipId: string,
  securityGroupId: string,
  roleIds: string[],
): Promise<GdapAccessAssignment> {
  const res = await graph.send<GdapAccessAssignment>({
    method: "POST",
    path: assignmentsPath(relationshipId),
    body: {
      accessContainer: { accessContainerId: securityGroupId, accessContainerType: "securityGroup" },
      accessDetails: { unifiedRoles: roleIds.map((roleDefinitionId) => ({ roleDefinitionId })) },
    },
    auth: gdapUser(),
  });
  return withEtag(res.body, res.headers);
}

/** The assignment, or `undefined` (404). */
export async function getAccessAssignment(
  graph: ServiceClient,
  relationshipId: string,
  id: string,
): Promise<GdapAccessAssignment | undefined> {
  const res = await graph.send<GdapAccessAssignment>({
    method: "GET",
    path: assignmentPath(relationshipId, id),
    auth: gdapUser(),
    okStatuses: [404],
  });
  return res.status === 404 ? undefined : withEtag(res.body, res.headers);
}

/** Every assignment of a relationship. */
export async function listAccessAssignments(
  graph: ServiceClient,
  relationshipId: string,
): Promise<GdapAccessAssignment[]> {
  return listGraph<GdapAccessAssignment>(graph, {
    method: "GET",
    path: assignmentsPath(relationshipId),
    auth: gdapUser(),
  });
}

/** Replaces the roles of an assignment (`If-Match`). */
export async function updateAccessAssignment(
  graph: ServiceClient,
  relationshipId: string,
  id: string,
  etag: string,
  roleIds: string[],
): Promise<void> {
  await graph.send({
    method: "PATCH",
    path: assignmentPath(relationshipId, id),
    headers: { "If-Match": etag },
    body: { accessDetails: { unifiedRoles: roleIds.map((roleDefinitionId) => ({ roleDefinitionId })) } },
    auth: gdapUser(),
    idempotent: true,
  });
}

/** Deletes an assignment (`If-Match`). `false` when absent. */
export async function deleteAccessAssignment(
  graph: ServiceClient,
  relationshipId: string,
  id: string,
  etag: string,
): Promise<boolean> {
  return deleteIfPresent(graph, {
    path: assignmentPath(relationshipId, id),
    headers: { "If-Match": etag },
    auth: gdapUser(),
  });
}

/** Role template ids of an assignment, lower case. */
export function assignmentRoleIds(a: GdapAccessAssignment): string[] {
  return (a.accessDetails?.unifiedRoles ?? []).map((u) => u.roleDefinitionId.toLowerCase());
}
