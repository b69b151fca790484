import { randomUUID } from "node:crypto";
import {
  createCustomerUser,
  listCustomerUsers,
  listDeletedCustomerUsers,
  type PcCustomerUser,
  restoreCustomerUser,
  updateCustomerUser,
} from "../../clients/partnerCenter/users";
import { hasServiceCode, isLostResponse } from "../../errors";
import type { ServiceClient } from "../../http/types";
import { stripUndefined } from "../common";
import { isConflict } from "../identity/errors";
import type { HandlerContext } from "../types";
import type { CustomerUserInputs } from "./customerUser";

/** How a CustomerUser create makes its user: POST first, then restore or adopt the holder of a taken UPN. */

/**
 * Creates the user without looking first, or takes over the one that already has the UPN: an
 * active user is adopted, a soft-deleted one restored (both then get the declared properties and
 * password; `isNew` is false for them).
 *
 * A UPN is unique in a tenant, so a create whose UPN is taken is refused with 409 Conflict
 * ("Partner Center REST error codes", https://learn.microsoft.com/partner-center/developer/error-codes;
 * [U] the service codes are not published: 60011 with the deleted user's id in `data` when a
 * soft-deleted user holds the UPN, another code, 60010, when an active one does). Only then is the
 * user looked up. That also covers a retry after a crash or a lost answer: the first create's user
 * answers the conflict and is adopted, so no run makes a second user.
 */
export async function createOrRecover(
  pc: ServiceClient,
  inputs: CustomerUserInputs,
  password: string,
  forceChangePassword: boolean,
  ctx: HandlerContext,
): Promise<{ user: PcCustomerUser; isNew: boolean }> {
  const upn = inputs.userPrincipalName;
  try {
    const user = await createCustomerUser(
      pc,
      inputs.customerId,
      {
        userPrincipalName: upn,
        firstName: inputs.firstName,
        lastName: inputs.lastName,
        displayName: inputs.displayName,
        usageLocation: inputs.usageLocation,
        passwordProfile: { password, forceChangePassword },
      },
      randomUUID(),
    );
    return { user, isNew: true };
  } catch (e) {
    if (!isConflict(e) && !isLostResponse(e)) throw e;
    const user = await recoverTakenUpn(pc, inputs, password, forceChangePassword, ctx, e);
    return { user, isNew: false };
  }
}

/** After a conflict or a lost answer: restores the soft-deleted holder of the UPN or adopts the active one. */
async function recoverTakenUpn(
  pc: ServiceClient,
  inputs: CustomerUserInputs,
  password: string,
  forceChangePassword: boolean,
  ctx: HandlerContext,
  cause: unknown,
): Promise<PcCustomerUser> {
  const upn = inputs.userPrincipalName;
  const deletedId = hasServiceCode(cause, "60011")
    ? (cause as { details?: string[] }).details?.[0]
    : undefined;
  if (deletedId) return restore(pc, inputs, deletedId, password, forceChangePassword, ctx);
  // The create may have happened without us seeing the answer, or the UPN is another user's.
  const active = await findActiveUser(pc, inputs.customerId, upn);
  if (active) {
    ctx.log(
      `customer user ${upn} exists after an unanswered or conflicting create (id ${active.id}); adopting it and applying the declared properties`,
    );
    return applyDeclared(pc, inputs, active.id, password, forceChangePassword);
  }
  const deleted = await findDeletedUser(pc, inputs.customerId, upn);
  if (deleted) return restore(pc, inputs, deleted.id, password, forceChangePassword, ctx);
  throw cause;
}

async function restore(
  pc: ServiceClient,
  inputs: CustomerUserInputs,
  userId: string,
  password: string,
  forceChangePassword: boolean,
  ctx: HandlerContext,
): Promise<PcCustomerUser> {
  ctx.log(
    `customer user ${inputs.userPrincipalName} was soft-deleted (id ${userId}); restoring it instead of creating a new user`,
  );
  await restoreCustomerUser(pc, inputs.customerId, userId);
  return applyDeclared(pc, inputs, userId, password, forceChangePassword);
}

/** PATCHes profile and password to the declared values. */
async function applyDeclared(
  pc: ServiceClient,
  inputs: CustomerUserInputs,
  userId: string,
  password: string,
  forceChangePassword: boolean,
): Promise<PcCustomerUser> {
  const updated = await updateCustomerUser(
    pc,
    inputs.customerId,
    userId,
    stripUndefined({
      firstName: inputs.firstName,
      lastName: inputs.lastName,
      displayName: inputs.displayName,
      usageLocation: inputs.usageLocation,
      passwordProfile: { password, forceChangePassword },
    }),
  );
  return {
    ...updated,
    id: updated?.id ?? userId,
    userPrincipalName: updated?.userPrincipalName ?? inputs.userPrincipalName,
  };
}

export async function findActiveUser(
  pc: ServiceClient,
  customerId: string,
  upn: string,
): Promise<PcCustomerUser | undefined> {
  const users = await listCustomerUsers(pc, customerId);
  return users.find((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase() && u.state !== "inactive");
}

async function findDeletedUser(
  pc: ServiceClient,
  customerId: string,
  upn: string,
): Promise<PcCustomerUser | undefined> {
  const users = await listDeletedCustomerUsers(pc, customerId);
  return users.find((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase());
}
