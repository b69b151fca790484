import type { JsonObject } from "../common/json";
import type { DirectoryTenant, DirectoryUser } from "../common/state";
import type { Route } from "../common/types";
import { collection } from "./collections";
import { requireUser, userScope } from "./customerUsers";
import { DIRECTORY_ROLES, findDirectoryRole } from "./directoryRoleCatalog";
import { GDAP_RULES } from "./gdapAuthorization";
import { requireBody, strProp } from "./jsonBody";
import { pcErrors } from "./pcErrors";
import { type PcContext, pcRoute } from "./pcRoute";
import { attributes } from "./resourceLinks";

/**
 * Directory roles of a customer tenant and their user members ("Get user roles for a customer",
 * https://learn.microsoft.com/partner-center/developer/get-user-roles-for-a-customer; "Set user
 * roles for a customer",
 * https://learn.microsoft.com/partner-center/developer/set-user-roles-for-a-customer; vectors 16,
 * 17), all App+User only. Memberships are `directoryRoleMembers` of the customer's directory
 * tenant.
 *
 * GDAP (gdapAuthorization.ts): reading members needs a reader role, adding or removing one
 * Privileged Role Administrator. [U] The role catalogue itself (GET directoryroles) is not gated:
 * "Partner Center APIs DAP-to-GDAP transition" (https://learn.microsoft.com/partner-center/developer/dap-api-impact)
 * says DAP's removal has no impact on it.
 */
const roles = "/v1/customers/:customerId/directoryroles";

export const directoryRoleRoutes: Route[] = [
  pcRoute("GET", roles, { auth: "appUser" }, (ctx) => {
    userScope(ctx);
    return { status: 200, body: collection(DIRECTORY_ROLES.map(roleView)) };
  }),
  pcRoute("GET", "/v1/customers/:customerId/users/:userId/directoryroles", { auth: "appUser" }, (ctx) => {
    const { tenant } = userScope(ctx, GDAP_RULES.readRoleMembers);
    const user = requireUser(tenant, ctx.req.params.userId, false);
    const items = DIRECTORY_ROLES.filter((r) =>
      (tenant.directoryRoleMembers[r.id] ?? []).includes(user.id),
    ).map(roleView);
    return { status: 200, body: collection(items) };
  }),
  pcRoute("GET", `${roles}/:roleId/usermembers`, { auth: "appUser" }, (ctx) => {
    const { tenant } = userScope(ctx, GDAP_RULES.readRoleMembers);
    const role = requireRole(ctx);
    const items = (tenant.directoryRoleMembers[role.id] ?? [])
      .map((id) => tenant.users[id])
      .filter((u): u is DirectoryUser => u !== undefined && u.state === "active")
      .map((u) => memberView(u, role.id));
    return { status: 200, body: collection(items) };
  }),
  pcRoute("POST", `${roles}/:roleId/usermembers`, { auth: "appUser" }, (ctx) => {
    const { tenant } = userScope(ctx, GDAP_RULES.addRoleMember);
    const role = requireRole(ctx);
    const body = requireBody(ctx.req.body);
    const user = requireUser(tenant, strProp(body, "id"), false);
    tenant.directoryRoleMembers[role.id] ??= [];
    const members = tenant.directoryRoleMembers[role.id];
    if (members.includes(user.id)) throw pcErrors.alreadyRoleMember(user.id, role.id);
    members.push(user.id);
    return { status: 201, body: memberView(user, role.id) };
  }),
  pcRoute("DELETE", `${roles}/:roleId/usermembers/:userId`, { auth: "appUser" }, (ctx) => {
    const { tenant } = userScope(ctx, GDAP_RULES.removeRoleMember);
    const role = requireRole(ctx);
    removeMember(tenant, role.id, (ctx.req.params.userId ?? "").toLowerCase());
    return { status: 204 };
  }),
];

function requireRole(ctx: PcContext): { id: string; name: string } {
  const role = findDirectoryRole(ctx.req.params.roleId ?? "");
  if (!role) throw pcErrors.roleNotFound(ctx.req.params.roleId ?? "");
  return role;
}

function removeMember(tenant: DirectoryTenant, roleId: string, userId: string): void {
  const members = tenant.directoryRoleMembers[roleId] ?? [];
  const i = members.indexOf(userId);
  if (i < 0) throw pcErrors.notRoleMember(userId, roleId);
  members.splice(i, 1);
}

function roleView(r: { id: string; name: string }): JsonObject {
  return { name: r.name, id: r.id, attributes: attributes("DirectoryRole") };
}

/** `UserMember` (vector 17). */
function memberView(u: DirectoryUser, roleId: string): JsonObject {
  return {
    displayName: u.displayName,
    userPrincipalName: u.userPrincipalName,
    roleId,
    id: u.id,
    attributes: attributes("UserMember"),
  };
}
