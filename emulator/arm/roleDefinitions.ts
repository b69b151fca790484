import type { EmulatorCore, EmuRequest, Route } from "../common/types";
import type { ArmCaller } from "./armCaller";
import { requireAction, subscriptionFor } from "./armCaller";
import { armErrors } from "./armErrors";
import { armOk, armRoute } from "./armRoute";
import { BUILT_IN_ROLES, type BuiltInRole, findBuiltInRole } from "./builtInRoles";

/**
 * Built-in role definitions ("Azure built-in roles",
 * https://learn.microsoft.com/azure/role-based-access-control/built-in-roles): list with
 * `$filter=roleName eq '…'` (what the Azure CLI sends) or `type eq 'BuiltInRole'`, and get by GUID,
 * at tenant, subscription or resource group scope.
 */

const RD = "providers/Microsoft.Authorization/roleDefinitions";
// Built-in roles carry fixed creation dates in the real service; one stable value here.
const BUILT_IN_CREATED_ON = "2015-02-02T21:55:09.8806423Z";

/** ARM JSON of a built-in role definition, addressed under `idScope` (`""` or `/subscriptions/{id}`). */
export function roleDefinitionView(role: BuiltInRole, idScope: string): Record<string, unknown> {
  return {
    properties: {
      roleName: role.roleName,
      type: "BuiltInRole",
      description: role.description,
      assignableScopes: ["/"],
      permissions: [
        { actions: role.actions, notActions: role.notActions, dataActions: [], notDataActions: [] },
      ],
      createdOn: BUILT_IN_CREATED_ON,
      updatedOn: BUILT_IN_CREATED_ON,
      createdBy: null,
      updatedBy: null,
    },
    id: `${idScope}/providers/Microsoft.Authorization/roleDefinitions/${role.id}`,
    type: "Microsoft.Authorization/roleDefinitions",
    name: role.id,
  };
}

/** Resolves the scope of the request and checks read access; returns the id scope for role definition ids. */
function readScope(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller): string {
  const subId = req.params.sub;
  if (subId === undefined) return "";
  const sub = subscriptionFor(emu, caller, subId);
  const base = `/subscriptions/${sub.subscriptionId}`;
  const rg = `${base}/resourceGroups/${req.params.rg}`;
  const scope =
    req.params.rg === undefined
      ? base
      : req.params.resource === undefined
        ? rg
        : `${rg}/providers/${req.params.resource}`;
  requireAction(emu, caller, sub, scope, "Microsoft.Authorization/roleDefinitions/read");
  return base;
}

function parseFilter(filter: string | null): { roleName?: string; type?: string } {
  if (filter === null || filter.trim() === "") return {};
  const out: { roleName?: string; type?: string } = {};
  for (const clause of filter.split(/\s+and\s+/i)) {
    const c = clause.trim();
    if (/^atScopeAndBelow\(\)$/i.test(c)) continue;
    const m = /^(roleName|type)\s+eq\s+'((?:[^']|'')*)'$/i.exec(c);
    if (!m) throw armErrors.unsupportedFilter("InvalidFilterInQueryString", filter);
    const value = m[2].replace(/''/g, "'");
    if (m[1].toLowerCase() === "rolename") out.roleName = value;
    else out.type = value;
  }
  return out;
}

function list(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const idScope = readScope(req, emu, caller);
  const f = parseFilter(req.query.get("$filter"));
  const value = BUILT_IN_ROLES.filter(
    (r) =>
      (f.roleName === undefined || r.roleName.toLowerCase() === f.roleName.toLowerCase()) &&
      (f.type === undefined || f.type.toLowerCase() === "builtinrole"),
  ).map((r) => roleDefinitionView(r, idScope));
  return armOk(req, 200, { value });
}

function get(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const idScope = readScope(req, emu, caller);
  const role = findBuiltInRole(req.params.roleId);
  if (!role) {
    throw armErrors.roleDefinitionNotFound(404, req.params.roleId);
  }
  return armOk(req, 200, roleDefinitionView(role, idScope));
}

/** Handlers, also used by the resource-scope routes. */
export const roleDefinitionHandlers = { list, get };

/** Routes of role definitions at tenant, subscription and resource group scope. */
export const roleDefinitionRoutes: Route[] = [
  "",
  "/subscriptions/:sub",
  "/subscriptions/:sub/resourceGroups/:rg",
].flatMap((prefix) => [
  armRoute("GET", `${prefix}/${RD}`, "armToken", list),
  armRoute("GET", `${prefix}/${RD}/:roleId`, "armToken", get),
]);
