import type { AuthTarget, ServiceClient } from "../../http/types";
import { deleteIfPresent } from "../deleteIfPresent";
import { listGraph } from "../paging";

/**
 * Microsoft Graph app role assignments ("Grant an appRoleAssignment for a service principal",
 * https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto): application
 * permissions granted to a client service principal on a resource service principal. Assignment ids
 * are opaque strings.
 */

export interface GraphAppRoleAssignment {
  id: string;
  appRoleId: string;
  principalId: string;
  principalType?: string;
  resourceId: string;
  resourceDisplayName?: string;
}

function spPath(id: string): string {
  return `/v1.0/servicePrincipals/${encodeURIComponent(id)}`;
}

/** App roles held by a client service principal, on every resource. */
export async function listAppRoleAssignments(
  graph: ServiceClient,
  auth: AuthTarget,
  clientSpId: string,
): Promise<GraphAppRoleAssignment[]> {
  return listGraph<GraphAppRoleAssignment>(graph, {
    method: "GET",
    path: `${spPath(clientSpId)}/appRoleAssignments`,
    auth,
  });
}

/**
 * Grants an app role (`POST /servicePrincipals/{resource}/appRoleAssignedTo`, 201). Not idempotent:
 * a second grant of the same role fails; the caller re-lists after a lost answer.
 */
export async function assignAppRole(
  graph: ServiceClient,
  auth: AuthTarget,
  resourceSpId: string,
  clientSpId: string,
  appRoleId: string,
): Promise<GraphAppRoleAssignment> {
  const res = await graph.send<GraphAppRoleAssignment>({
    method: "POST",
    path: `${spPath(resourceSpId)}/appRoleAssignedTo`,
    body: { principalId: clientSpId, resourceId: resourceSpId, appRoleId },
    auth,
  });
  return res.body;
}

/** Removes an app role assignment. `false` when absent. */
export async function removeAppRoleAssignment(
  graph: ServiceClient,
  auth: AuthTarget,
  resourceSpId: string,
  assignmentId: string,
): Promise<boolean> {
  return deleteIfPresent(graph, {
    path: `${spPath(resourceSpId)}/appRoleAssignedTo/${encodeURIComponent(assignmentId)}`,
    auth,
  });
}
