import { findPrincipal } from "../common/directory";
import { isGuid, isObject } from "../common/json";
import type { AzureSubscriptionRecord, RoleAssignmentRecord } from "../common/state";
import type { EmulatorCore, EmuRequest, Route } from "../common/types";
import { type ArmCaller, requireAction, requireWritable, scopeWithin, subscriptionFor } from "./armCaller";
import { armErrors } from "./armErrors";
import { armBody, armOk, armRoute, propCI } from "./armRoute";
import { findBuiltInRole } from "./builtInRoles";

/**
 * Azure RBAC role assignments at subscription and resource group scope ("Assign Azure roles using
 * the REST API", https://learn.microsoft.com/azure/role-based-access-control/role-assignments-rest;
 * vector 23): PUT (201 created / 200 same name and content), GET, DELETE (200 with the body / 204
 * when absent), list with `$filter=atScope()`, `principalId eq '…'` or `assignedTo('…')`. Writes
 * need `Microsoft.Authorization/roleAssignments/write` at or above the scope (Owner, User Access
 * Administrator, RBAC Administrator; the partner's admin agents hold Owner on CSP subscriptions).
 */

const RA = "providers/Microsoft.Authorization/roleAssignments";
const PRINCIPAL_TYPES = new Set(["User", "Group", "ServicePrincipal", "ForeignGroup", "Device"]);

/**
 * Canonical scope of the request: `/subscriptions/{s}`, `…/resourceGroups/{rg}`, or a resource
 * below it (`…/providers/{namespace}/{type}/{name}`, set by the resource-scope routes).
 */
function scopeOf(req: EmuRequest, sub: AzureSubscriptionRecord): string {
  const base = `/subscriptions/${sub.subscriptionId}`;
  if (req.params.rg === undefined) return base;
  const rg = `${base}/resourceGroups/${req.params.rg}`;
  return req.params.resource === undefined ? rg : `${rg}/providers/${req.params.resource}`;
}

/** ARM JSON of a role assignment (2022-04-01 shape). */
export function roleAssignmentView(a: RoleAssignmentRecord): Record<string, unknown> {
  const subscription = /^\/subscriptions\/[^/]+/i.exec(a.scope)?.[0] ?? "";
  return {
    properties: {
      roleDefinitionId: `${subscription}/providers/Microsoft.Authorization/roleDefinitions/${a.roleDefinitionId}`,
      principalId: a.principalId,
      principalType: a.principalType,
      scope: a.scope,
      condition: null,
      conditionVersion: null,
      createdOn: a.createdOn,
      updatedOn: a.updatedOn,
      createdBy: a.createdBy,
      updatedBy: a.createdBy,
      delegatedManagedIdentityResourceId: null,
      description: a.description ?? null,
    },
    id: a.id,
    type: "Microsoft.Authorization/roleAssignments",
    name: a.name,
  };
}

interface ParsedBody {
  roleGuid: string;
  principalId: string;
  principalType?: string;
  description?: string;
}

function parseBody(req: EmuRequest): ParsedBody {
  const body = armBody(req);
  const props = propCI(body, "properties");
  if (!isObject(props)) {
    throw armErrors.invalidContent("The request content must contain a 'properties' object.");
  }
  const roleDefinitionId = propCI(props, "roleDefinitionId");
  const principalId = propCI(props, "principalId");
  if (typeof roleDefinitionId !== "string" || roleDefinitionId === "") {
    throw armErrors.invalidContent("The 'roleDefinitionId' property is required.");
  }
  if (typeof principalId !== "string" || !isGuid(principalId)) {
    throw armErrors.invalidPrincipalId();
  }
  const principalType = propCI(props, "principalType");
  if (
    principalType !== undefined &&
    principalType !== null &&
    (typeof principalType !== "string" || !PRINCIPAL_TYPES.has(principalType))
  ) {
    throw armErrors.invalidContent(`The principalType '${String(principalType)}' is not valid.`);
  }
  const condition = propCI(props, "condition");
  if (condition !== undefined && condition !== null) {
    throw armErrors.notModelled("Role assignment conditions are not modelled by the emulator.");
  }
  const description = propCI(props, "description");
  const roleGuid = roleDefinitionId
    .split("/")
    .filter((s) => s !== "")
    .pop()!
    .toLowerCase();
  const parsed: ParsedBody = { roleGuid, principalId: principalId.toLowerCase() };
  if (typeof principalType === "string") parsed.principalType = principalType;
  if (typeof description === "string") parsed.description = description;
  return parsed;
}

function put(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const sub = subscriptionFor(emu, caller, req.params.sub);
  const scope = scopeOf(req, sub);
  requireAction(emu, caller, sub, scope, "Microsoft.Authorization/roleAssignments/write");
  requireWritable(sub);
  const name = req.params.name;
  if (!isGuid(name)) {
    throw armErrors.invalidRoleAssignmentId(name);
  }
  const body = parseBody(req);
  if (!findBuiltInRole(body.roleGuid)) {
    throw armErrors.roleDefinitionNotFound(400, body.roleGuid);
  }
  const now = emu.now();
  // Principal lookup in the subscription's directory, skipped when principalType is given ("Assign
  // Azure roles using the REST API",
  // https://learn.microsoft.com/azure/role-based-access-control/role-assignments-rest: specify the
  // principal type for a new principal); during the configured replication delay a freshly created
  // principal is not found yet.
  const tenant = emu.state.directory[sub.tenantId];
  const principal = tenant ? findPrincipal(tenant, body.principalId) : undefined;
  let principalType = body.principalType;
  if (principalType === undefined) {
    const replicated =
      principal !== undefined &&
      now.getTime() - Date.parse(principal.createdDateTime) >= emu.state.settings.replicationDelayMs;
    if (!principal || !replicated) throw armErrors.principalNotFound(body.principalId, sub.tenantId);
    principalType = principal.type;
  } else if (
    principal &&
    principal.type !== principalType &&
    !(principalType === "ForeignGroup" && principal.type === "Group")
  ) {
    throw armErrors.unmatchedPrincipalType(body.principalId, principal.type, principalType);
  }
  const id = `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
  const key = id.toLowerCase();
  const existing = emu.state.azure.roleAssignments[key];
  if (existing) {
    if (existing.roleDefinitionId !== body.roleGuid || existing.principalId !== body.principalId) {
      throw armErrors.roleAssignmentUpdateNotPermitted();
    }
    if (body.description !== undefined && body.description !== existing.description) {
      existing.description = body.description;
      existing.updatedOn = now.toISOString();
      emu.markDirty();
    }
    return armOk(req, 200, roleAssignmentView(existing));
  }
  const duplicate = Object.values(emu.state.azure.roleAssignments).some(
    (a) =>
      a.scope.toLowerCase() === scope.toLowerCase() &&
      a.roleDefinitionId === body.roleGuid &&
      a.principalId === body.principalId,
  );
  if (duplicate) throw armErrors.roleAssignmentExists();
  const record: RoleAssignmentRecord = {
    id,
    name: name.toLowerCase(),
    scope,
    roleDefinitionId: body.roleGuid,
    principalId: body.principalId,
    principalType,
    createdOn: now.toISOString(),
    updatedOn: now.toISOString(),
    createdBy: caller.claims.oid,
  };
  if (body.description !== undefined) record.description = body.description;
  emu.state.azure.roleAssignments[key] = record;
  emu.markDirty();
  return armOk(req, 201, roleAssignmentView(record));
}

function readAccess(
  req: EmuRequest,
  emu: EmulatorCore,
  caller: ArmCaller,
): { caller: ArmCaller; sub: AzureSubscriptionRecord; scope: string } {
  const sub = subscriptionFor(emu, caller, req.params.sub);
  const scope = scopeOf(req, sub);
  requireAction(emu, caller, sub, scope, "Microsoft.Authorization/roleAssignments/read");
  return { caller, sub, scope };
}

function get(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const { scope } = readAccess(req, emu, caller);
  const a = emu.state.azure.roleAssignments[`${scope}/${RA}/${req.params.name}`.toLowerCase()];
  if (!a) throw armErrors.roleAssignmentNotFound(req.params.name);
  return armOk(req, 200, roleAssignmentView(a));
}

function remove(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const sub = subscriptionFor(emu, caller, req.params.sub);
  const scope = scopeOf(req, sub);
  requireAction(emu, caller, sub, scope, "Microsoft.Authorization/roleAssignments/delete");
  requireWritable(sub);
  const key = `${scope}/${RA}/${req.params.name}`.toLowerCase();
  const a = emu.state.azure.roleAssignments[key];
  if (!a) return armOk(req, 204);
  delete emu.state.azure.roleAssignments[key];
  emu.markDirty();
  return armOk(req, 200, roleAssignmentView(a));
}

interface ListFilter {
  atScope: boolean;
  principalId?: string;
  assignedTo?: string;
}

function parseListFilter(filter: string | null): ListFilter {
  const out: ListFilter = { atScope: false };
  if (filter === null || filter.trim() === "") return out;
  for (const clause of filter.split(/\s+and\s+/i)) {
    const c = clause.trim();
    const byPrincipal = /^principalId\s+eq\s+'([0-9a-f-]{36})'$/i.exec(c);
    const assignedTo = /^assignedTo\('([0-9a-f-]{36})'\)$/i.exec(c);
    if (/^atScope\(\)$/i.test(c)) out.atScope = true;
    else if (byPrincipal) out.principalId = byPrincipal[1].toLowerCase();
    else if (assignedTo) out.assignedTo = assignedTo[1].toLowerCase();
    else throw armErrors.unsupportedFilter("UnsupportedQuery", filter);
  }
  return out;
}

function list(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const { sub, scope } = readAccess(req, emu, caller);
  const f = parseListFilter(req.query.get("$filter"));
  let principals: Set<string> | undefined;
  if (f.principalId) principals = new Set([f.principalId]);
  if (f.assignedTo) {
    // assignedTo: the principal and the groups it is a member of.
    principals = new Set([f.assignedTo]);
    const tenant = emu.state.directory[sub.tenantId];
    for (const g of Object.values(tenant?.groups ?? {}))
      if (g.memberIds.includes(f.assignedTo)) principals.add(g.id);
  }
  const value = Object.values(emu.state.azure.roleAssignments)
    .filter((a) => scopeWithin(scope, a.scope) || (!f.atScope && scopeWithin(a.scope, scope)))
    .filter((a) => principals === undefined || principals.has(a.principalId))
    .map(roleAssignmentView);
  return armOk(req, 200, { value });
}

/** Handlers, also used by the resource-scope routes. */
export const roleAssignmentHandlers = { put, get, remove, list };

/** Routes of role assignments at subscription and resource group scope. */
export const roleAssignmentRoutes: Route[] = [
  "/subscriptions/:sub",
  "/subscriptions/:sub/resourceGroups/:rg",
].flatMap((prefix) => [
  armRoute("GET", `${prefix}/${RA}`, "armToken", list),
  armRoute("PUT", `${prefix}/${RA}/:name`, "armToken", put),
  armRoute("GET", `${prefix}/${RA}/:name`, "armToken", get),
  armRoute("DELETE", `${prefix}/${RA}/:name`, "armToken", remove),
]);
