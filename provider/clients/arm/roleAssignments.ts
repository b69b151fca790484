import type { AuthTarget, ServiceClient } from "../../http/types";
import { listArm } from "../paging";

/**
 * Azure RBAC role assignments and role definitions ("Assign Azure roles using the REST API",
 * https://learn.microsoft.com/azure/role-based-access-control/role-assignments-rest;
 * `api-version=2022-04-01`).
 * The caller passes the identity: admin-on-behalf-of (app+user with the customer tenant as
 * authority) for CSP subscriptions.
 *
 * Documented: PUT under a client-chosen GUID name answers 201 (created) / 200; an assignment
 * with the same (scope, role, principal) under another name answers 409 `RoleAssignmentExists`;
 * `PrincipalNotFound` (400) right after the principal was created unless `principalType` is
 * sent; DELETE answers 200 with the body or 204 when absent.
 */

export const AUTHORIZATION_API_VERSION = "2022-04-01";

export interface ArmRoleAssignment {
  id: string;
  name: string;
  type?: string;
  properties: {
    roleDefinitionId: string;
    principalId: string;
    principalType?: string;
    scope: string;
    description?: string | null;
    createdOn?: string;
    updatedOn?: string;
    createdBy?: string | null;
  };
}

export interface ArmRoleDefinition {
  id: string;
  name: string;
  type?: string;
  properties: { roleName: string; type?: string; description?: string; assignableScopes?: string[] };
}

/** `/{scope}` without a trailing slash, always starting with `/`. */
export function normaliseScope(scope: string): string {
  const s = `/${scope.trim().replace(/^\/+/, "").replace(/\/+$/, "")}`;
  return s;
}

/** The `/subscriptions/{id}` part of a scope (role definitions are addressed per subscription). */
export function subscriptionOfScope(scope: string): string | undefined {
  const m = /^\/subscriptions\/([^/]+)/i.exec(normaliseScope(scope));
  return m ? `/subscriptions/${m[1]}` : undefined;
}

/** The role definition GUID at the end of a role definition id (or the GUID itself). */
export function roleDefinitionGuid(roleDefinitionId: string): string {
  const parts = roleDefinitionId.split("/").filter((p) => p.length > 0);
  return (parts[parts.length - 1] ?? roleDefinitionId).toLowerCase();
}

/** Fully qualified role definition id at a subscription (the form ARM's own examples send, vector 23). */
export function roleDefinitionResourceId(scope: string, guid: string): string {
  const sub = subscriptionOfScope(scope);
  return `${sub ?? ""}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

export function roleAssignmentPath(scope: string, name: string): string {
  return `${normaliseScope(scope)}/providers/Microsoft.Authorization/roleAssignments/${encodeURIComponent(name)}`;
}

/** Creates (or re-puts) an assignment under `name`. PUT is idempotent under the same name. */
export async function putRoleAssignment(
  arm: ServiceClient,
  auth: AuthTarget,
  scope: string,
  name: string,
  properties: { roleDefinitionId: string; principalId: string; principalType: string; description?: string },
): Promise<ArmRoleAssignment> {
  const res = await arm.send<ArmRoleAssignment>({
    method: "PUT",
    path: roleAssignmentPath(scope, name),
    query: { "api-version": AUTHORIZATION_API_VERSION },
    body: { properties },
    auth,
    idempotent: true,
  });
  return res.body;
}

/** The assignment by fully qualified id, or `undefined` (404). */
export async function getRoleAssignmentById(
  arm: ServiceClient,
  auth: AuthTarget,
  id: string,
): Promise<ArmRoleAssignment | undefined> {
  const res = await arm.send<ArmRoleAssignment>({
    method: "GET",
    path: normaliseScope(id),
    query: { "api-version": AUTHORIZATION_API_VERSION },
    auth,
    okStatuses: [404],
  });
  return res.status === 404 ? undefined : res.body;
}

/** Deletes by fully qualified id. `false` when it did not exist (204/404). */
export async function deleteRoleAssignmentById(
  arm: ServiceClient,
  auth: AuthTarget,
  id: string,
): Promise<boolean> {
  const res = await arm.send({
    method: "DELETE",
    path: normaliseScope(id),
    query: { "api-version": AUTHORIZATION_API_VERSION },
    auth,
    okStatuses: [404],
  });
  return res.status === 200;
}

/** Assignments of `principalId` visible at `scope` (`$filter=principalId eq '…'`; includes inherited ones). */
export async function listRoleAssignmentsForPrincipal(
  arm: ServiceClient,
  auth: AuthTarget,
  scope: string,
  principalId: string,
): Promise<ArmRoleAssignment[]> {
  return listArm<ArmRoleAssignment>(arm, {
    method: "GET",
    path: `${normaliseScope(scope)}/providers/Microsoft.Authorization/roleAssignments`,
    query: { "api-version": AUTHORIZATION_API_VERSION, $filter: `principalId eq '${principalId}'` },
    auth,
  });
}

/** Role definitions named `roleName` at `scope` (`$filter=roleName eq '…'`, as the Azure CLI does). */
export async function findRoleDefinitionsByName(
  arm: ServiceClient,
  auth: AuthTarget,
  scope: string,
  roleName: string,
): Promise<ArmRoleDefinition[]> {
  const defs = await listArm<ArmRoleDefinition>(arm, {
    method: "GET",
    path: `${normaliseScope(scope)}/providers/Microsoft.Authorization/roleDefinitions`,
    query: {
      "api-version": AUTHORIZATION_API_VERSION,
      $filter: `roleName eq '${roleName.replace(/'/g, "''")}'`,
    },
    auth,
  });
  return defs.filter((d) => d.properties.roleName.toLowerCase() === roleName.toLowerCase());
}

/** A role definition by GUID at `scope`, or `undefined` (404). */
export async function getRoleDefinition(
  arm: ServiceClient,
  auth: AuthTarget,
  scope: string,
  guid: string,
): Promise<ArmRoleDefinition | undefined> {
  const res = await arm.send<ArmRoleDefinition>({
    method: "GET",
    path: `${normaliseScope(scope)}/providers/Microsoft.Authorization/roleDefinitions/${encodeURIComponent(guid)}`,
    query: { "api-version": AUTHORIZATION_API_VERSION },
    auth,
    okStatuses: [404],
  });
  return res.status === 404 ? undefined : res.body;
}
