import { partnerCenterUser } from "../../auth/actingIdentity";
import type { ServiceClient } from "../../http/types";
import { deleteIfPresent } from "../deleteIfPresent";
import { listPartnerCenter } from "../paging";

/**
 * Partner Center customer users ("Create user accounts for a customer",
 * https://learn.microsoft.com/partner-center/developer/create-user-accounts-for-a-customer, and its
 * sibling pages). Every operation is app+user only (each page's Prerequisites), so every call here
 * runs as the admin agent.
 *
 * Documented facts: create `POST /v1/customers/{c}/users` (the doc shows 200; 201 is accepted too),
 * delete is a soft delete (`state: "inactive"`, `softDeletionTime`, restorable 30 days: "Delete a
 * user account for a customer",
 * https://learn.microsoft.com/partner-center/developer/delete-user-accounts-for-a-customer),
 * restore is `PATCH {State: "active"}`, deleted users are listed only through the `UserState`
 * filter, password reset is a `PATCH` with `passwordProfile`.
 */

export interface PcPasswordProfile {
  password?: string;
  forceChangePassword?: boolean;
}

/** `CustomerUser` (vector 15). */
export interface PcCustomerUser {
  id: string;
  userPrincipalName: string;
  firstName?: string;
  lastName?: string;
  displayName?: string;
  usageLocation?: string;
  immutableId?: string;
  passwordProfile?: PcPasswordProfile;
  userDomainType?: string;
  state?: "active" | "inactive" | string;
  softDeletionTime?: string | null;
  attributes?: { objectType?: string };
}

/** Body of a user create. */
export interface PcCustomerUserCreate {
  userPrincipalName: string;
  firstName?: string;
  lastName?: string;
  displayName: string;
  usageLocation: string;
  passwordProfile: { password: string; forceChangePassword: boolean };
}

/** Fields a PATCH may change. */
export type PcCustomerUserPatch = Partial<
  Pick<PcCustomerUser, "firstName" | "lastName" | "displayName" | "usageLocation" | "userPrincipalName">
> & { passwordProfile?: PcPasswordProfile; state?: "active" };

function usersPath(customerId: string): string {
  return `/v1/customers/${encodeURIComponent(customerId)}/users`;
}

function userPath(customerId: string, userId: string): string {
  return `${usersPath(customerId)}/${encodeURIComponent(userId)}`;
}

/**
 * Creates a user. `idempotencyKey` is sent as `MS-RequestId` and reused by the pipeline on its
 * own retries (a lost response within one call does not create a second user).
 */
export async function createCustomerUser(
  pc: ServiceClient,
  customerId: string,
  user: PcCustomerUserCreate,
  idempotencyKey: string,
): Promise<PcCustomerUser> {
  const res = await pc.send<PcCustomerUser>({
    method: "POST",
    path: usersPath(customerId),
    body: { ...user, attributes: { objectType: "CustomerUser" } },
    idempotencyKey,
    auth: partnerCenterUser(),
  });
  return res.body;
}

/** The user, or `undefined` when Partner Center does not know it (404). */
export async function getCustomerUser(
  pc: ServiceClient,
  customerId: string,
  userId: string,
): Promise<PcCustomerUser | undefined> {
  const res = await pc.send<PcCustomerUser>({
    method: "GET",
    path: userPath(customerId, userId),
    auth: partnerCenterUser(),
    okStatuses: [404],
  });
  return res.status === 404 ? undefined : res.body;
}

/** Active users of the customer (every page). */
export async function listCustomerUsers(pc: ServiceClient, customerId: string): Promise<PcCustomerUser[]> {
  return listPartnerCenter<PcCustomerUser>(pc, {
    method: "GET",
    path: usersPath(customerId),
    query: { size: 500 },
    auth: partnerCenterUser(),
  });
}

/** Soft-deleted users (restorable for 30 days), through the documented `UserState` filter. */
export async function listDeletedCustomerUsers(
  pc: ServiceClient,
  customerId: string,
): Promise<PcCustomerUser[]> {
  return listPartnerCenter<PcCustomerUser>(pc, {
    method: "GET",
    path: usersPath(customerId),
    query: {
      size: 500,
      filter: JSON.stringify({ Field: "UserState", Value: "Inactive", Operator: "equals" }),
    },
    auth: partnerCenterUser(),
  });
}

/** Changes the given fields (a partial `CustomerUser`). PATCH of the same values is harmless to repeat. */
export async function updateCustomerUser(
  pc: ServiceClient,
  customerId: string,
  userId: string,
  patch: PcCustomerUserPatch,
): Promise<PcCustomerUser> {
  const res = await pc.send<PcCustomerUser>({
    method: "PATCH",
    path: userPath(customerId, userId),
    body: { ...patch, attributes: { objectType: "CustomerUser" } },
    idempotent: true,
    auth: partnerCenterUser(),
  });
  return res.body;
}

/**
 * Restores a soft-deleted user (`PATCH {State: "active"}`: "Restore a deleted user for a customer",
 * https://learn.microsoft.com/partner-center/developer/restore-a-user-for-a-customer).
 */
export async function restoreCustomerUser(
  pc: ServiceClient,
  customerId: string,
  userId: string,
): Promise<PcCustomerUser> {
  return updateCustomerUser(pc, customerId, userId, { state: "active" });
}

/** Soft-deletes a user. `false` when it was already gone (404). */
export async function deleteCustomerUser(
  pc: ServiceClient,
  customerId: string,
  userId: string,
): Promise<boolean> {
  return deleteIfPresent(pc, {
    path: userPath(customerId, userId),
    auth: partnerCenterUser(),
  });
}
