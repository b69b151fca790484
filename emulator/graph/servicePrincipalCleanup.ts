import type { DirectoryTenant } from "../common/state";

/**
 * Removes a service principal and everything that points at it in its tenant: delegated
 * permission grants where it is client or resource, and app role assignments where it is
 * principal or resource (the directory drops those links when the object goes away).
 */
export function removeServicePrincipal(tenant: DirectoryTenant, spId: string): void {
  delete tenant.servicePrincipals[spId];
  for (const g of Object.values(tenant.oauth2PermissionGrants)) {
    if (g.clientId === spId || g.resourceId === spId) delete tenant.oauth2PermissionGrants[g.id];
  }
  for (const a of Object.values(tenant.appRoleAssignments)) {
    if (a.principalId === spId || a.resourceId === spId) delete tenant.appRoleAssignments[a.id];
  }
}
