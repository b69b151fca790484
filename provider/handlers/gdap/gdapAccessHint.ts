import { listAccessAssignments } from "../../clients/graph/delegatedAdminAccessAssignments";
import {
  approvalLink,
  type GdapRelationship,
  listRelationshipsWithCustomer,
  relationshipRoleIds,
} from "../../clients/graph/delegatedAdminRelationships";
import { CspError, isCspError } from "../../errors";
import { directoryRoleName, resolveDirectoryRole } from "../directory/directoryRoleCatalog";
import type { HandlerContext, ResourceHandler } from "../types";

/**
 * What to do when Partner Center refuses an admin agent's call inside a customer tenant for lack of
 * a GDAP role. Partner Center lets an admin agent manage a customer's users, their directory roles
 * and application consents only with a role the operation's page names, held in that customer
 * through an access assignment of an active GDAP relationship to a security group the agent is a
 * member of. The roles per call, from the "GDAP roles" sections of the Partner Center REST pages:
 *
 * | Call | Roles (any one; Global Administrator too) | Page |
 * | --- | --- | --- |
 * | GET users, GET users/{id} | Directory Readers, Global Reader, User Administrator | https://learn.microsoft.com/partner-center/developer/get-a-list-of-all-user-accounts-for-a-customer, …/get-a-user-account-by-id |
 * | POST users | User Administrator, Directory Writers | https://learn.microsoft.com/partner-center/developer/create-user-accounts-for-a-customer |
 * | PATCH users/{id} (update, restore, password) | User Administrator (Directory Writers: update and restore; Privileged Authentication Administrator: password) | …/update-user-accounts-for-a-customer, …/restore-a-user-for-a-customer, …/reset-user-password-for-a-customer |
 * | DELETE users/{id} | User Administrator | …/delete-user-accounts-for-a-customer |
 * | GET users/{id}/directoryroles, GET directoryroles/{id}/usermembers | Directory Readers, Global Reader, User Administrator, Privileged Role Administrator, Directory Writers | …/get-user-roles-for-a-customer |
 * | POST, DELETE directoryroles/{id}/usermembers | Privileged Role Administrator | …/set-user-roles-for-a-customer, …/remove-customer-user-from-a-role |
 * | applicationconsents | Cloud Application Administrator, Application Administrator; Microsoft Graph application permissions: Privileged Role Administrator | "Least privileged roles by task in Microsoft Entra ID", https://learn.microsoft.com/entra/identity/role-based-access-control/delegate-by-task |
 *
 * The hint names those roles and, after reading the partner's GDAP relationships with the
 * customer, through which relationship or security group to get one.
 */

interface Need {
  /** Role names, any one of which does. */
  roles: string[];
  /** A further condition to mention. */
  note?: string;
}

const READ_USERS = ["Directory Readers", "Global Reader", "User Administrator"];
const READ_ROLES = [
  "Directory Readers",
  "Global Reader",
  "User Administrator",
  "Privileged Role Administrator",
  "Directory Writers",
];
const CONSENT = [
  "Cloud Application Administrator",
  "Application Administrator",
  "Privileged Role Administrator",
];

/** The roles a Partner Center call inside a customer needs (table above), or undefined for other calls. */
export function gdapNeedOf(method: string, path: string): Need | undefined {
  const m = /^\/v1\/customers\/[^/]+\/(users|directoryroles|applicationconsents)(\/[^?]*)?$/i.exec(path);
  if (!m) return undefined;
  const family = m[1].toLowerCase();
  const rest = (m[2] ?? "").toLowerCase();
  const verb = method.toUpperCase();
  if (family === "applicationconsents") {
    return {
      roles: CONSENT,
      note: "consenting Microsoft Graph application permissions needs Privileged Role Administrator",
    };
  }
  if (rest.includes("usermembers")) {
    return verb === "GET" ? { roles: READ_ROLES } : { roles: ["Privileged Role Administrator"] };
  }
  if (family === "users" && rest.endsWith("/directoryroles")) return { roles: READ_ROLES };
  if (family === "directoryroles") return undefined;
  if (verb === "GET") return { roles: READ_USERS };
  if (verb === "POST") return { roles: ["User Administrator", "Directory Writers"] };
  return { roles: ["User Administrator"] };
}

/**
 * The method and path of the call a Partner Center error names (`POST /v1/... failed: ...`; the
 * path may carry the prefix of a custom endpoint, e.g. the emulator's `/partnercenter`).
 */
function callOf(e: CspError): { method: string; path: string } | undefined {
  const m = /^([A-Z]+) \S*?(\/v1\/\S+) failed:/.exec(e.summary);
  return m ? { method: m[1], path: m[2] } : undefined;
}

/** Whether `e` is Partner Center refusing a call inside a customer for lack of a GDAP role. */
export function isGdapRefusal(e: unknown): e is CspError {
  if (!isCspError(e) || e.service !== "partnerCenter" || e.status !== 403) return false;
  const call = callOf(e);
  return call !== undefined && gdapNeedOf(call.method, call.path) !== undefined;
}

/**
 * Runs `operation`; a GDAP refusal from Partner Center is rethrown with a hint saying which role is
 * missing and through which relationship or group to get it.
 */
export async function withGdapHint<T>(
  ctx: HandlerContext,
  account: string | undefined,
  customerId: string,
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await operation();
  } catch (e) {
    throw await gdapHinted(e, ctx, account, customerId);
  }
}

/** The handler, its create, read, update and delete rethrowing GDAP refusals with the hint. */
export function withGdapHints<I extends { account?: string; customerId: string }, O extends object>(
  h: ResourceHandler<I, O>,
): ResourceHandler<I, O> {
  return {
    ...h,
    create: (inputs, ctx) =>
      withGdapHint(ctx, inputs.account, inputs.customerId, () => h.create(inputs, ctx)),
    read: (id, props, ctx) =>
      withGdapHint(ctx, props.account, props.customerId, () => h.read(id, props, ctx)),
    update: (id, olds, news, ctx) =>
      withGdapHint(ctx, news.account, news.customerId, () => h.update(id, olds, news, ctx)),
    delete: (id, props, ctx) =>
      withGdapHint(ctx, props.account, props.customerId, () => h.delete(id, props, ctx)),
  };
}

/** `e` with the GDAP hint when it is a GDAP refusal; `e` itself otherwise. */
export async function gdapHinted(
  e: unknown,
  ctx: HandlerContext,
  account: string | undefined,
  customerId: string,
): Promise<unknown> {
  if (!isGdapRefusal(e)) return e;
  const call = callOf(e)!;
  const need = gdapNeedOf(call.method, call.path)!;
  let advice: string;
  try {
    const relationships = await listRelationshipsWithCustomer(ctx.api(account).graph, customerId);
    advice = await adviceFor(ctx, account, need, relationships);
  } catch {
    advice = `declare a GDAP relationship with customer ${customerId} holding one of these roles (GdapRelationship, or gdap.roles of a CustomerTenant), have the customer approve it, and assign the role to a security group the admin agent is a member of (GdapAccessAssignment, or gdap.accessAssignments)`;
  }
  const wanted = `${need.roles.join(", ")} (or Global Administrator)`;
  const hint = `the signed-in admin agent needs one of the GDAP roles ${wanted} in customer ${customerId}${need.note ? `; ${need.note}` : ""}: ${advice}`;
  return new CspError({
    code: e.code,
    service: e.service,
    summary: e.summary,
    hint,
    cause: e,
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.serviceCode !== undefined ? { serviceCode: e.serviceCode } : {}),
    ...(e.requestId !== undefined ? { requestId: e.requestId } : {}),
    ...(e.correlationId !== undefined ? { correlationId: e.correlationId } : {}),
    ...(e.details !== undefined ? { details: e.details } : {}),
  });
}

/** Which relationship or group could give one of the needed roles. */
async function adviceFor(
  ctx: HandlerContext,
  account: string | undefined,
  need: Need,
  relationships: GdapRelationship[],
): Promise<string> {
  const wanted = new Set(need.roles.map((r) => resolveDirectoryRole(r) ?? r));
  const holding = (r: GdapRelationship) => relationshipRoleIds(r).filter((id) => wanted.has(id));
  const name = (id: string) => directoryRoleName(id) ?? id;
  const active = relationships.find((r) => r.status === "active" && holding(r).length > 0);
  if (active) {
    const assignments = await listAccessAssignments(ctx.api(account).graph, active.id);
    const granting = assignments.filter(
      (a) =>
        (a.status === "active" || a.status === "pending") &&
        (a.accessDetails?.unifiedRoles ?? []).some((u) => wanted.has(u.roleDefinitionId.toLowerCase())),
    );
    const roles = holding(active).map(name).join(", ");
    if (granting.length > 0) {
      const groups = granting.map((a) => a.accessContainer.accessContainerId).join(", ");
      return `GDAP relationship "${active.displayName}" (${active.id}) grants ${roles} to security group ${groups}: add the admin agent this account signs in as to that group (it must stay in AdminAgents too)`;
    }
    return `GDAP relationship "${active.displayName}" (${active.id}) is active and holds ${roles}: assign it to a security group the admin agent is a member of (GdapAccessAssignment with relationshipId "${active.id}", or gdap.accessAssignments of a CustomerTenant), then run \`pulumi up\` again`;
  }
  const waiting = relationships.find(
    (r) =>
      ["created", "approvalPending", "approved", "activating"].includes(r.status) && holding(r).length > 0,
  );
  if (waiting) {
    return `GDAP relationship "${waiting.displayName}" (${waiting.id}) holds ${holding(waiting).map(name).join(", ")} but is ${waiting.status}: a Global Administrator of the customer must approve it at ${approvalLink(waiting.id)}; then assign the role to a security group of the admin agent (GdapAccessAssignment) and run \`pulumi up\` again`;
  }
  const existing = relationships.length
    ? ` (the relationships with this customer, ${relationships.map((r) => `"${r.displayName}" ${r.status}`).join(", ")}, hold none of them while active)`
    : " (the partner has no GDAP relationship with this customer)";
  return `no usable GDAP relationship gives one${existing}: declare one holding the role (GdapRelationship, or gdap.roles of a CustomerTenant), have the customer approve it, and assign the role to a security group the admin agent is a member of (GdapAccessAssignment, or gdap.accessAssignments)`;
}
