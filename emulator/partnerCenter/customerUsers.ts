import { addUser } from "../common/directory";
import { hashSecret } from "../common/hashSecret";
import type { JsonObject } from "../common/json";
import type { DirectoryTenant, DirectoryUser } from "../common/state";
import type { EmuRequest, Route } from "../common/types";
import { pageOf, queryParam } from "./collections";
import { ISO_COUNTRIES } from "./countries";
import { customerTenant, requireCustomer } from "./customerAccess";
import { GDAP_RULES, type GdapRule, requireGdapRole } from "./gdapAuthorization";
import { boolProp, objProp, requireBody, requireStr, strProp } from "./jsonBody";
import { satisfiesPasswordPolicy } from "./passwords";
import { pcErrors } from "./pcErrors";
import { type PcContext, pcRoute } from "./pcRoute";
import { pcSections } from "./pcState";
import { attributes, link } from "./resourceLinks";

/**
 * Customer users ("Create user accounts for a customer",
 * https://learn.microsoft.com/partner-center/developer/create-user-accounts-for-a-customer, and its
 * sibling pages; vector 15), all App+User only. They are the directory users of the customer tenant
 * (`state.directory[customerId].users`, the objects Graph lists).
 *
 * Delete is a soft delete: `state: "inactive"` with `softDeletionTime`; the user can be restored
 * with PATCH `{"State":"active"}` for 30 days (emulator time) and is purged afterwards. Deleted
 * users are listed only through `filter={"Field":"UserState","Value":"Inactive","Operator":"equals"}`.
 * Creating a user whose user principal name belongs to a deleted one is refused ([U] 409 / 60011,
 * with the deleted user's id in `data`) so that the caller restores it instead.
 *
 * Every operation needs a GDAP role in the customer (gdapAuthorization.ts, `GDAP_RULES`), checked
 * once the customer is known and before anything else.
 */

/**
 * Deleted users are kept 30 days ("Delete a user account for a customer",
 * https://learn.microsoft.com/partner-center/developer/delete-user-accounts-for-a-customer).
 */
export const SOFT_DELETE_RETENTION_MS = 30 * 24 * 3600 * 1000;

const users = "/v1/customers/:customerId/users";

/** Passwords are echoed in the create answer (as the service does) but never stored. */
const passwordReplay = {
  redact: (body: unknown) => {
    const profile = objProp(body, "passwordProfile");
    if (profile) profile.password = null;
    return body;
  },
  rehydrate: (stored: unknown, req: EmuRequest) => {
    const profile = objProp(stored, "passwordProfile");
    const sent = strProp(objProp(req.body, "passwordProfile"), "password");
    if (profile && sent !== undefined) profile.password = sent;
    return stored;
  },
};

export const customerUserRoutes: Route[] = [
  pcRoute("POST", users, { auth: "appUser", replay: passwordReplay }, createUser),
  pcRoute("GET", users, { auth: "appUser" }, listUsers),
  pcRoute("GET", `${users}/:userId`, { auth: "appUser" }, (ctx) => {
    const { customerId, tenant } = userScope(ctx, GDAP_RULES.getUser);
    const user = requireUser(tenant, ctx.req.params.userId, false);
    return { status: 200, body: userView(ctx, customerId, user, { links: true }) };
  }),
  pcRoute("PATCH", `${users}/:userId`, { auth: "appUser" }, patchUser),
  // [D] "Reset user password for a customer"
  // (https://learn.microsoft.com/partner-center/developer/reset-user-password-for-a-customer) shows
  // this URL; same semantics as PATCH.
  pcRoute("PATCH", `${users}/:userId/resetpassword`, { auth: "appUser" }, patchUser),
  pcRoute("DELETE", `${users}/:userId`, { auth: "appUser" }, (ctx) => {
    const { tenant } = userScope(ctx, GDAP_RULES.deleteUser);
    const user = requireUser(tenant, ctx.req.params.userId, false);
    user.state = "inactive";
    user.softDeletionTime = ctx.emu.now().toISOString();
    return { status: 204 };
  }),
];

/**
 * The customer and its tenant, after purging users deleted more than 30 days ago; with `rule`, the
 * caller's GDAP role in the customer is checked first.
 */
export function userScope(ctx: PcContext, rule?: GdapRule): { customerId: string; tenant: DirectoryTenant } {
  const customer = requireCustomer(ctx);
  if (rule) requireGdapRole(ctx, customer.id, rule);
  const tenant = customerTenant(ctx, customer);
  purgeDeletedUsers(ctx, customer.id, tenant);
  return { customerId: customer.id, tenant };
}

function purgeDeletedUsers(ctx: PcContext, customerId: string, tenant: DirectoryTenant): void {
  const now = ctx.emu.now().getTime();
  const extras = pcSections(ctx.emu.state).customerUserExtras;
  for (const user of Object.values(tenant.users)) {
    if (user.state !== "inactive" || user.softDeletionTime === undefined) continue;
    if (now - Date.parse(user.softDeletionTime) < SOFT_DELETE_RETENTION_MS) continue;
    delete tenant.users[user.id];
    delete extras[`${customerId}/${user.id}`];
    for (const members of Object.values(tenant.directoryRoleMembers)) {
      const i = members.indexOf(user.id);
      if (i >= 0) members.splice(i, 1);
    }
    for (const group of Object.values(tenant.groups)) {
      group.memberIds = group.memberIds.filter((m) => m !== user.id);
    }
    ctx.emu.markDirty();
  }
}

/** A user of the tenant by id; deleted (inactive) users only when `allowDeleted`. 404 / 60002 otherwise. */
export function requireUser(
  tenant: DirectoryTenant,
  raw: string | undefined,
  allowDeleted: boolean,
): DirectoryUser {
  const id = (raw ?? "").toLowerCase();
  const user = tenant.users[id];
  if (!user || (!allowDeleted && user.state !== "active")) throw pcErrors.userNotFound(id);
  return user;
}

function createUser(ctx: PcContext) {
  const { customerId, tenant } = userScope(ctx, GDAP_RULES.createUser);
  const body = requireBody(ctx.req.body);
  const upn = requireStr(body, "userPrincipalName", "userPrincipalName").trim();
  const displayName = requireStr(body, "displayName", "displayName");
  const profile = objProp(body, "passwordProfile");
  const password = strProp(profile, "password");
  if (password === undefined || password === "")
    throw pcErrors.invalidProperty("passwordProfile.password is required.");
  checkUpn(tenant, upn);
  const existing = findByUpn(tenant, upn);
  if (existing?.state === "active") throw pcErrors.upnTaken(upn, existing.id);
  if (existing) throw pcErrors.upnSoftDeleted(upn, existing.id);
  if (!satisfiesPasswordPolicy(password)) throw pcErrors.passwordPolicy();
  const usageLocation = readUsageLocation(body);
  const forceChange = boolProp(profile, "forceChangePassword") ?? true;
  const user = addUser(
    tenant,
    {
      userPrincipalName: upn,
      displayName,
      givenName: strProp(body, "firstName"),
      surname: strProp(body, "lastName"),
      usageLocation,
      passwordHash: hashSecret(password),
      forceChangePasswordNextSignIn: forceChange,
    },
    ctx.emu.now(),
  );
  const extras: { immutableId?: string; phoneNumber?: string } = {};
  const immutableId = strProp(body, "immutableId");
  const phone = strProp(body, "phoneNumber");
  if (immutableId !== undefined) extras.immutableId = immutableId;
  if (phone !== undefined) extras.phoneNumber = phone;
  if (immutableId !== undefined || phone !== undefined) {
    pcSections(ctx.emu.state).customerUserExtras[`${customerId}/${user.id}`] = extras;
  }
  // The create answer is documented as 200 OK ("Create user accounts for a customer",
  // https://learn.microsoft.com/partner-center/developer/create-user-accounts-for-a-customer; [D]:
  // 201 would be plausible).
  return { status: 200, body: userView(ctx, customerId, user, { password: { password, forceChange } }) };
}

function patchUser(ctx: PcContext) {
  const { customerId, tenant } = userScope(ctx);
  const user = requireUser(tenant, ctx.req.params.userId, true);
  const body = requireBody(ctx.req.body);
  for (const rule of patchRules(user, body)) requireGdapRole(ctx, customerId, rule);
  const wantedState = strProp(body, "state")?.toLowerCase();
  if (wantedState !== undefined && wantedState !== "active" && wantedState !== "inactive") {
    throw pcErrors.invalidProperty(`State must be active or inactive (got ${strProp(body, "state")}).`);
  }
  if (wantedState === "inactive" && user.state === "active") {
    throw pcErrors.invalidProperty(
      "Delete a user with DELETE /v1/customers/{customer}/users/{user}, not with State inactive.",
    );
  }
  const restoring = user.state === "inactive" && wantedState === "active";
  if (user.state === "inactive" && !restoring) throw pcErrors.userNotFound(user.id);

  const upn = strProp(body, "userPrincipalName")?.trim();
  const targetUpn = upn ?? user.userPrincipalName;
  if (upn !== undefined) checkUpn(tenant, upn);
  const clash = findByUpn(tenant, targetUpn, user.id);
  if (clash && (upn !== undefined || restoring)) {
    if (clash.state === "active") throw pcErrors.upnTaken(targetUpn, clash.id);
    if (upn !== undefined) throw pcErrors.upnSoftDeleted(targetUpn, clash.id);
  }
  const profile = objProp(body, "passwordProfile");
  const password = strProp(profile, "password");
  if (password !== undefined && !satisfiesPasswordPolicy(password)) throw pcErrors.passwordPolicy();
  const usageLocation = readUsageLocation(body);

  if (restoring) {
    user.state = "active";
    delete user.softDeletionTime;
  }
  if (upn !== undefined) user.userPrincipalName = upn;
  const displayName = strProp(body, "displayName");
  if (displayName !== undefined && displayName.trim() !== "") user.displayName = displayName;
  const firstName = strProp(body, "firstName");
  const lastName = strProp(body, "lastName");
  if (firstName !== undefined) user.givenName = firstName;
  if (lastName !== undefined) user.surname = lastName;
  if (usageLocation !== undefined) user.usageLocation = usageLocation;
  let echo: { password: string; forceChange: boolean } | undefined;
  if (password !== undefined) {
    const forceChange = boolProp(profile, "forceChangePassword") ?? true;
    user.passwordHash = hashSecret(password);
    user.forceChangePasswordNextSignIn = forceChange;
    echo = { password, forceChange };
  }
  const extras = pcSections(ctx.emu.state).customerUserExtras;
  const key = `${customerId}/${user.id}`;
  const phone = strProp(body, "phoneNumber");
  if (phone !== undefined) extras[key] = { ...(extras[key] ?? {}), phoneNumber: phone };
  return { status: 200, body: userView(ctx, customerId, user, { links: true, password: echo }) };
}

/**
 * The GDAP rules a PATCH needs, from what it changes: a restore (State active on a deleted user), a
 * password (reset), other properties (update). [U] A PATCH doing several needs each one's role.
 */
function patchRules(user: DirectoryUser, body: JsonObject): GdapRule[] {
  const rules: GdapRule[] = [];
  if (user.state === "inactive" && strProp(body, "state")?.toLowerCase() === "active") {
    rules.push(GDAP_RULES.restoreUser);
  }
  if (strProp(objProp(body, "passwordProfile"), "password") !== undefined)
    rules.push(GDAP_RULES.resetPassword);
  const others = Object.keys(body).filter(
    (k) => !["state", "passwordprofile", "attributes", "id"].includes(k.toLowerCase()),
  );
  if (others.length > 0) rules.push(GDAP_RULES.updateUser);
  return rules.length > 0 ? rules : [GDAP_RULES.updateUser];
}

function listUsers(ctx: PcContext) {
  const filterText = queryParam(ctx.req, "filter");
  const deleted = filterText !== undefined && /"inactive"/i.test(filterText);
  const { customerId, tenant } = userScope(ctx, deleted ? GDAP_RULES.listDeletedUsers : GDAP_RULES.listUsers);
  let wanted: "active" | "inactive" = "active";
  if (filterText !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(filterText);
    } catch {
      throw pcErrors.invalidProperty("filter must be a URL-encoded JSON object {Field, Value, Operator}.");
    }
    const field = strProp(parsed, "field")?.toLowerCase();
    const value = strProp(parsed, "value")?.toLowerCase();
    const operator = strProp(parsed, "operator")?.toLowerCase();
    if (field !== "userstate" || (value !== "active" && value !== "inactive")) {
      throw pcErrors.invalidProperty(
        'The user filter supports {"Field":"UserState","Value":"Active"|"Inactive","Operator":"equals"}.',
      );
    }
    if (operator !== "equals")
      throw pcErrors.invalidProperty("The UserState filter only supports the equals operator.");
    wanted = value;
  }
  const all = Object.values(tenant.users)
    .filter((u) => u.state === wanted)
    .sort((a, b) => a.createdDateTime.localeCompare(b.createdDateTime) || a.id.localeCompare(b.id))
    .map((u) => userView(ctx, customerId, u, { links: true }));
  const page = pageOf(ctx.req, all, `/v1/customers/${customerId}/users`, `users|${customerId}|${wanted}`, {
    defaultSize: 100,
    maxSize: 500,
    extraQuery: filterText === undefined ? undefined : `filter=${encodeURIComponent(filterText)}`,
  });
  return { status: 200, body: page };
}

/**
 * Entra ID's username policy ("Password policies and account restrictions in Microsoft Entra ID",
 * https://learn.microsoft.com/entra/identity/authentication/concept-sspr-policy#username-policies):
 * before the "@" only A–Z a–z 0–9 ' . - _ ! # ^ ~, at most 64 characters, no period right before
 * the "@"; at most 48 characters after it and 113 in all. [U] A leading period or two in a row are
 * refused too (the page is silent; dot-atom rules).
 */
const UPN_NAME = /^(?=.{1,64}$)[A-Za-z0-9'_!#^~-](?:\.?[A-Za-z0-9'_!#^~-])*$/;

function checkUpn(tenant: DirectoryTenant, upn: string): void {
  const at = upn.lastIndexOf("@");
  const local = at > 0 ? upn.slice(0, at) : "";
  const domain = at > 0 ? upn.slice(at + 1).toLowerCase() : "";
  if (!UPN_NAME.test(local) || domain.length > 48 || upn.length > 113) throw pcErrors.upnInvalid(upn);
  if (!tenant.domains.some((d) => d.toLowerCase() === domain)) {
    throw pcErrors.upnDomainInvalid(upn, tenant.domains);
  }
}

function findByUpn(tenant: DirectoryTenant, upn: string, exceptId?: string): DirectoryUser | undefined {
  const wanted = upn.toLowerCase();
  const matches = Object.values(tenant.users).filter(
    (u) => u.id !== exceptId && u.userPrincipalName.toLowerCase() === wanted,
  );
  return matches.find((u) => u.state === "active") ?? matches[0];
}

function readUsageLocation(body: JsonObject): string | undefined {
  const v = strProp(body, "usageLocation");
  if (v === undefined) return undefined;
  const code = v.toUpperCase();
  if (!ISO_COUNTRIES.has(code)) {
    throw pcErrors.invalidProperty(`usageLocation must be an ISO 3166-1 alpha-2 country code (got ${v}).`);
  }
  return code;
}

/** `CustomerUser` (vector 15 key order). */
export function userView(
  ctx: PcContext,
  customerId: string,
  user: DirectoryUser,
  options: { links?: boolean; password?: { password: string; forceChange: boolean } },
): JsonObject {
  const extras = pcSections(ctx.emu.state).customerUserExtras[`${customerId}/${user.id}`] ?? {};
  const out: JsonObject = {};
  if (user.usageLocation !== undefined) out.usageLocation = user.usageLocation;
  out.id = user.id;
  out.userPrincipalName = user.userPrincipalName;
  if (user.givenName !== undefined) out.firstName = user.givenName;
  if (user.surname !== undefined) out.lastName = user.surname;
  out.displayName = user.displayName;
  if (extras.immutableId !== undefined) out.immutableId = extras.immutableId;
  if (options.password) {
    out.passwordProfile = {
      forceChangePassword: options.password.forceChange,
      password: options.password.password,
    };
  }
  if (extras.phoneNumber !== undefined) out.phoneNumber = extras.phoneNumber;
  out.lastDirectorySyncTime = null;
  out.userDomainType = "none";
  out.state = user.state;
  out.softDeletionTime = user.softDeletionTime ?? null;
  if (options.links) out.links = { self: link(`/customers/${customerId}/users/${user.id}`) };
  out.attributes = attributes("CustomerUser");
  return out;
}
