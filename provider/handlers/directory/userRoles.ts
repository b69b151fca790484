import {
  addRoleMember,
  listUserDirectoryRoles,
  removeRoleMember,
} from "../../clients/partnerCenter/directoryRoles";
import type { PcCustomerUser } from "../../clients/partnerCenter/users";
import type { ServiceClient } from "../../http/types";
import { isConflict, isNotFound } from "../identity/errors";
import { setChanges } from "../identity/sets";
import { directoryRoleName } from "./directoryRoleCatalog";

/** The directory roles of a CustomerUser, reconciled as a set through directory role members. */

/**
 * Adds missing and removes extra role memberships; returns the resulting template ids. `held`:
 * the roles the user is known to hold without asking (none, for a user this create just made);
 * otherwise they are read first ("Get user roles for a customer",
 * https://learn.microsoft.com/partner-center/developer/get-user-roles-for-a-customer).
 */
export async function reconcileRoles(
  pc: ServiceClient,
  customerId: string,
  user: PcCustomerUser,
  desiredIds: string[],
  held?: readonly string[],
): Promise<string[]> {
  const current = held
    ? held.map((r) => r.toLowerCase())
    : (await listUserDirectoryRoles(pc, customerId, user.id)).map((r) => r.id.toLowerCase());
  const { toAdd, toRemove } = setChanges(desiredIds, current);
  for (const roleId of toAdd) {
    try {
      await addRoleMember(pc, customerId, roleId, {
        id: user.id,
        displayName: user.displayName,
        userPrincipalName: user.userPrincipalName,
      });
    } catch (e) {
      // Already a member (a retried add, or a concurrent change): the goal is reached.
      if (!isConflict(e)) throw withRoleContext(e, roleId);
    }
  }
  for (const roleId of toRemove) await removeRoleMember(pc, customerId, roleId, user.id);
  return [...desiredIds].sort();
}

function withRoleContext(e: unknown, roleId: string): unknown {
  if (isNotFound(e) && e instanceof Error) {
    e.message += ` (directory role ${directoryRoleName(roleId) ?? roleId} is not available in the customer tenant)`;
  }
  return e;
}
