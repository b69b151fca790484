import { ENTRA_ROLES, type EntraRole } from "../common/entraRoles";
import { gdapAccess } from "../graph/gdapAccess";
import { pcErrors } from "./pcErrors";
import type { PcContext } from "./pcRoute";

/**
 * GDAP authorisation of Partner Center operations that act INSIDE a customer tenant (its users,
 * their directory roles, application consents). An admin agent's App+User call succeeds only when
 * the signed-in user holds, in that customer, one of the Entra roles the operation needs, through
 * an access assignment of an active GDAP relationship (see graph/gdapAccess.ts). The partner's own
 * operations (customers, carts, orders, subscriptions, agreements) and App-only calls are not
 * GDAP-gated. Global Administrator satisfies every rule (it holds every directory permission,
 * "Microsoft Entra built-in roles", https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference).
 *
 * The roles per operation are the "GDAP roles" sections of the Partner Center REST pages (linked on
 * each rule) and "Partner Center APIs DAP-to-GDAP transition"
 * (https://learn.microsoft.com/partner-center/developer/dap-api-impact).
 *
 * [U] The refusal's status and code: the pages say which roles are needed, not what the service
 * answers without them. The emulator answers 403 with code 900308 ("Insufficient privileges to
 * complete the operation", the code it already uses for a user who is not an admin agent), a
 * description naming the operation, the roles that would do and what the user holds, and `data` =
 * the template ids of the roles that would do.
 */

/** One operation's need: any one of `anyOf` (Global Administrator always does). */
export interface GdapRule {
  /** What the operation does, for the error text. */
  task: string;
  anyOf: readonly EntraRole[];
}

const R = ENTRA_ROLES;

/**
 * The roles that may consent an application in a customer: Cloud application administrator,
 * Application administrator, Privileged role administrator (see the `consent` rule below).
 */
const CONSENTING_ROLES = [
  R.cloudApplicationAdministrator,
  R.applicationAdministrator,
  R.privilegedRoleAdministrator,
] as const;

/** The GDAP rules of the Partner Center operations the emulator gates. */
export const GDAP_RULES = {
  /** "Get a list of all user accounts for a customer", https://learn.microsoft.com/partner-center/developer/get-a-list-of-all-user-accounts-for-a-customer */
  listUsers: {
    task: "list the customer's users",
    anyOf: [R.directoryReaders, R.globalReader, R.userAdministrator],
  },
  /**
   * "View deleted users for a customer" (https://learn.microsoft.com/partner-center/developer/view-a-deleted-user)
   * names no GDAP role. [U] The same roles as listing the active users.
   */
  listDeletedUsers: {
    task: "list the customer's deleted users",
    anyOf: [R.directoryReaders, R.globalReader, R.userAdministrator],
  },
  /** "Get a user account by ID", https://learn.microsoft.com/partner-center/developer/get-a-user-account-by-id */
  getUser: {
    task: "read a user of the customer",
    anyOf: [R.directoryReaders, R.globalReader, R.userAdministrator],
  },
  /** "Create user accounts for a customer", https://learn.microsoft.com/partner-center/developer/create-user-accounts-for-a-customer */
  createUser: { task: "create a user in the customer", anyOf: [R.userAdministrator, R.directoryWriters] },
  /** "Update user accounts for a customer", https://learn.microsoft.com/partner-center/developer/update-user-accounts-for-a-customer */
  updateUser: { task: "update a user of the customer", anyOf: [R.userAdministrator, R.directoryWriters] },
  /** "Reset user password for a customer", https://learn.microsoft.com/partner-center/developer/reset-user-password-for-a-customer */
  resetPassword: {
    task: "set the password of a user of the customer",
    anyOf: [R.userAdministrator, R.privilegedAuthenticationAdministrator],
  },
  /** "Restore a deleted user for a customer", https://learn.microsoft.com/partner-center/developer/restore-a-user-for-a-customer */
  restoreUser: {
    task: "restore a deleted user of the customer",
    anyOf: [R.userAdministrator, R.directoryWriters],
  },
  /** "Delete a user account for a customer", https://learn.microsoft.com/partner-center/developer/delete-user-accounts-for-a-customer */
  deleteUser: { task: "delete a user of the customer", anyOf: [R.userAdministrator] },
  /**
   * "Get user roles for a customer" (https://learn.microsoft.com/partner-center/developer/get-user-roles-for-a-customer):
   * a user's roles and a role's members.
   */
  readRoleMembers: {
    task: "read directory role members in the customer",
    anyOf: [
      R.directoryReaders,
      R.globalReader,
      R.userAdministrator,
      R.privilegedRoleAdministrator,
      R.directoryWriters,
    ],
  },
  /** "Set user roles for a customer", https://learn.microsoft.com/partner-center/developer/set-user-roles-for-a-customer */
  addRoleMember: {
    task: "add a user to a directory role in the customer",
    anyOf: [R.privilegedRoleAdministrator],
  },
  /** "Remove a customer user from a role", https://learn.microsoft.com/partner-center/developer/remove-customer-user-from-a-role */
  removeRoleMember: {
    task: "remove a user from a directory role in the customer",
    anyOf: [R.privilegedRoleAdministrator],
  },
  /**
   * Consent to delegated permissions, or to application permissions of a resource other than
   * Microsoft Graph ("Least privileged roles by task in Microsoft Entra ID", Enterprise
   * applications, https://learn.microsoft.com/entra/identity/role-based-access-control/delegate-by-task;
   * "Use the Exchange Online PowerShell v3 Module with GDAP and App Consent",
   * https://learn.microsoft.com/powershell/partnercenter/exchange-online-gdap-app, lists Global
   * admin, Privileged role admin and Cloud application admin for the Partner Center consent API).
   * [U] Partner Center applies Entra's consent rules to the consent it performs.
   */
  consent: { task: "consent an application in the customer", anyOf: CONSENTING_ROLES },
  /** Consent to application permissions of Microsoft Graph (delegate-by-task page above). */
  consentGraphApplicationPermissions: {
    task: "consent an application to Microsoft Graph application permissions in the customer",
    anyOf: [R.privilegedRoleAdministrator],
  },
  /** [U] Removing a consent (not documented): the roles that may consent. */
  removeConsent: { task: "remove an application consent in the customer", anyOf: CONSENTING_ROLES },
  /** [U] Reading consents (not documented): the roles that may consent, or read the directory. */
  readConsents: {
    task: "read the application consents of the customer",
    anyOf: [...CONSENTING_ROLES, R.directoryReaders, R.globalReader],
  },
} as const satisfies Record<string, GdapRule>;

/** Display name of a role template id (any role of ENTRA_ROLES), or the id. */
function roleName(id: string): string {
  return Object.values(ENTRA_ROLES).find((r) => r.id === id.toLowerCase())?.name ?? id;
}

/**
 * Requires that the App+User caller holds one of `rule`'s roles in `customerId` through GDAP;
 * otherwise throws the 403 described above. App-only callers are not checked here (the route's
 * own App+User requirement refuses them first).
 */
export function requireGdapRole(ctx: PcContext, customerId: string, rule: GdapRule): void {
  if (ctx.caller.kind !== "user") return;
  const access = gdapAccess(
    ctx.emu.state,
    ctx.caller.partnerTenantId,
    customerId,
    ctx.caller.objectId,
    ctx.emu.now(),
  );
  if (access.changed) ctx.emu.markDirty();
  const held = new Set(access.roleIds);
  if (held.has(R.globalAdministrator.id) || rule.anyOf.some((r) => held.has(r.id))) return;
  const wanted = rule.anyOf.map((r) => r.name);
  const holds = access.roleIds.map(roleName);
  const active = access.relationships.filter((r) => r.status === "active");
  const why =
    access.relationships.length === 0
      ? `the partner has no GDAP relationship with customer ${customerId}`
      : active.length === 0
        ? `no GDAP relationship with customer ${customerId} is active (${access.relationships
            .map((r) => `"${r.displayName}" is ${r.status}`)
            .join(", ")})`
        : holds.length === 0
          ? "the signed-in user is in no security group with an access assignment of an active GDAP relationship with this customer"
          : `through GDAP the signed-in user holds only ${holds.join(", ")} in this customer`;
  throw pcErrors.gdapRoleMissing(
    `Insufficient privileges to complete the operation: to ${rule.task} (customer ${customerId}), the signed-in user needs one of the GDAP roles ${wanted.join(", ")} (or Global Administrator) through an access assignment of an active GDAP relationship; ${why}.`,
    rule.anyOf.map((r) => r.id),
  );
}
