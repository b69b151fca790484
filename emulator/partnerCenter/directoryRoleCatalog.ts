import { ENTRA_ROLES } from "../common/entraRoles";

/**
 * Directory roles Partner Center exposes for customer tenants. Their ids are the Entra ID role
 * template ids (the role ids in the examples of "Get user roles for a customer",
 * https://learn.microsoft.com/partner-center/developer/get-user-roles-for-a-customer, are template
 * ids); Helpdesk Administrator, User Administrator, Exchange Administrator and Global Reader are
 * [C] (that page and the examples of "Create delegatedAdminRelationship",
 * https://learn.microsoft.com/graph/api/tenantrelationship-post-delegatedadminrelationships), the
 * others are the well-known template ids [U: not checked against a Learn page].
 */

export const DIRECTORY_ROLES: { id: string; name: string }[] = [
  ENTRA_ROLES.globalAdministrator,
  ENTRA_ROLES.userAdministrator,
  ENTRA_ROLES.helpdeskAdministrator,
  ENTRA_ROLES.billingAdministrator,
  ENTRA_ROLES.globalReader,
  ENTRA_ROLES.applicationAdministrator,
  ENTRA_ROLES.cloudApplicationAdministrator,
  ENTRA_ROLES.exchangeAdministrator,
  ENTRA_ROLES.securityAdministrator,
  ENTRA_ROLES.privilegedRoleAdministrator,
];

export function findDirectoryRole(id: string): { id: string; name: string } | undefined {
  const wanted = id.toLowerCase();
  return DIRECTORY_ROLES.find((r) => r.id === wanted);
}
