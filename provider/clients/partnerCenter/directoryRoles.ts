import { partnerCenterUser } from "../../auth/actingIdentity";
import type { ServiceClient } from "../../http/types";
import { listPartnerCenter } from "../paging";

/**
 * Partner Center directory roles of a customer tenant and their user members ("Get user roles for a
 * customer", https://learn.microsoft.com/partner-center/developer/get-user-roles-for-a-customer;
 * "Set user roles for a customer",
 * https://learn.microsoft.com/partner-center/developer/set-user-roles-for-a-customer; vectors
 * 16/17). App+user only. Role ids are Entra role template ids.
 */

/** `DirectoryRole`. */
export interface PcDirectoryRole {
  id: string;
  name: string;
  attributes?: { objectType?: string };
}

/** `UserMember`. */
export interface PcUserMember {
  id: string;
  displayName?: string;
  userPrincipalName?: string;
  roleId?: string;
  attributes?: { objectType?: string };
}

function rolesPath(customerId: string): string {
  return `/v1/customers/${encodeURIComponent(customerId)}/directoryroles`;
}

/** The customer's directory roles. */
export async function listDirectoryRoles(pc: ServiceClient, customerId: string): Promise<PcDirectoryRole[]> {
  return listPartnerCenter<PcDirectoryRole>(pc, {
    method: "GET",
    path: rolesPath(customerId),
    auth: partnerCenterUser(),
  });
}

/** Roles a user holds. */
export async function listUserDirectoryRoles(
  pc: ServiceClient,
  customerId: string,
  userId: string,
): Promise<PcDirectoryRole[]> {
  return listPartnerCenter<PcDirectoryRole>(pc, {
    method: "GET",
    path: `/v1/customers/${encodeURIComponent(customerId)}/users/${encodeURIComponent(userId)}/directoryroles`,
    auth: partnerCenterUser(),
  });
}

/** Members of one role. */
export async function listRoleMembers(
  pc: ServiceClient,
  customerId: string,
  roleId: string,
): Promise<PcUserMember[]> {
  return listPartnerCenter<PcUserMember>(pc, {
    method: "GET",
    path: `${rolesPath(customerId)}/${encodeURIComponent(roleId)}/usermembers`,
    auth: partnerCenterUser(),
  });
}

/**
 * Adds a user to a role (201 `UserMember`). Adding a member twice is answered with a conflict by
 * the service; callers treat 409 as "already a member" after checking.
 */
export async function addRoleMember(
  pc: ServiceClient,
  customerId: string,
  roleId: string,
  member: { id: string; displayName?: string; userPrincipalName?: string },
): Promise<PcUserMember> {
  const res = await pc.send<PcUserMember>({
    method: "POST",
    path: `${rolesPath(customerId)}/${encodeURIComponent(roleId)}/usermembers`,
    body: {
      Id: member.id,
      DisplayName: member.displayName,
      UserPrincipalName: member.userPrincipalName,
      Attributes: { ObjectType: "UserMember" },
    },
    // Adding the same member again changes nothing (at worst a conflict the caller handles).
    idempotent: true,
    auth: partnerCenterUser(),
  });
  return res.body;
}

/** Removes a user from a role. `false` when it was not a member (404). */
export async function removeRoleMember(
  pc: ServiceClient,
  customerId: string,
  roleId: string,
  userId: string,
): Promise<boolean> {
  const res = await pc.send({
    method: "DELETE",
    path: `${rolesPath(customerId)}/${encodeURIComponent(roleId)}/usermembers/${encodeURIComponent(userId)}`,
    auth: partnerCenterUser(),
    okStatuses: [404],
  });
  return res.status !== 404;
}
