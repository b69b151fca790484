import { z } from "zod";
import { graphDirectoryAuth } from "../../auth/actingIdentity";
import type { CspApi } from "../../clients/cspApi";
import {
  assignAppRole,
  type GraphAppRoleAssignment,
  listAppRoleAssignments,
  removeAppRoleAssignment,
} from "../../clients/graph/appRoleAssignments";
import {
  createAllPrincipalsGrant,
  deleteGrant,
  findAllPrincipalsGrant,
  type GraphOAuth2PermissionGrant,
  grantScopes,
  updateGrantScopes,
} from "../../clients/graph/oauth2PermissionGrants";
import type { GraphServicePrincipal } from "../../clients/graph/servicePrincipals";
import { hasServiceCode, isLostResponse } from "../../errors";
import type { AuthTarget, ServiceClient } from "../../http/types";
import { accountSchemaCheck, containsUnknown, stripUndefined, withDefaults } from "../common";
import { isConflict, isNotFound, validationError } from "../identity/errors";
import { account, guid } from "../identity/schemas";
import { sameSet, setChanges, uniqueSorted } from "../identity/sets";
import type { HandlerContext, ResourceHandler } from "../types";
import { forgetServicePrincipal, servicePrincipal } from "./servicePrincipalMemo";
import { unknownKeys } from "./unknowns";

/**
 * PermissionGrant: admin consent inside a tenant through Graph ("Create oAuth2PermissionGrant",
 * https://learn.microsoft.com/graph/api/oauth2permissiongrant-post; "Grant an appRoleAssignment for
 * a service principal",
 * https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto) for a client
 * application on a resource application, both given by app id:
 * - `delegatedScopes`: the tenant-wide (`AllPrincipals`) oauth2PermissionGrant's scopes;
 * - `appRoles`: application permissions (app role assignments), by name (e.g. `User.Read.All`),
 *   resolved through the resource service principal's `appRoles`.
 * Both are reconciled as sets: this resource owns the full delegated grant and every app role the
 * client holds on that resource (do not also manage the same client/resource pair elsewhere, e.g.
 * through ApplicationConsent of the same app). Runs app-only in a customer `tenantId`, as the
 * admin agent in the partner tenant (see provider/auth/actingIdentity.ts).
 *
 * Calls: both service principals come from what the process already read
 * (`servicePrincipalMemo.ts`; the client's is remembered by the ApplicationRegistration
 * that created it). Create writes without looking first: a tenant holds one `AllPrincipals` grant
 * per client and resource, and a second POST is refused with a conflict ("Create
 * oAuth2PermissionGrant", https://learn.microsoft.com/graph/api/oauth2permissiongrant-post; [U] the
 * page does not name the status: 409, or `Request_MultipleObjectsWithSameKeyValue`, is taken as
 * "exists"), and a second assignment of an app role is refused with "Permission being assigned
 * already exists" (400); either, or a lost answer, is settled by reading what exists. Create adds
 * what is declared and does not look for other grants of the pair: a refresh shows them, and the
 * next update removes them. Delete addresses the grant by the id in the state.
 */

/**
 * The checked inputs (what {@link permissionGrantSchema} yields): `tenantId` is the tenant where the grant is
 * made (a customer tenant where the partner app is consented); `clientAppId` the app id of the
 * client application (its service principal must exist in the tenant); `resourceAppId` the app id
 * of the resource, e.g. Microsoft Graph `00000003-0000-0000-c000-000000000000`.
 */
export type PermissionGrantInputs = z.output<typeof permissionGrantSchema>;

export interface PermissionGrantOutputs extends PermissionGrantInputs {
  delegatedScopes: string[];
  appRoles: string[];
  clientServicePrincipalId: string;
  resourceServicePrincipalId: string;
  /** Id of the oauth2PermissionGrant, when there are delegated scopes. */
  delegatedGrantId?: string;
  /** Ids of the app roles granted. */
  appRoleIds: string[];
}

type Props = PermissionGrantInputs & PermissionGrantOutputs;

const PERMISSION = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]+$/, "must be a permission name such as User.Read.All");

export const permissionGrantSchema = z
  .object({
    account,
    tenantId: guid,
    clientAppId: guid,
    resourceAppId: guid,
    delegatedScopes: z.array(PERMISSION).optional(),
    appRoles: z.array(PERMISSION).optional(),
  })
  .strict()
  .refine((v) => (v.delegatedScopes ?? []).length + (v.appRoles ?? []).length > 0, {
    path: ["delegatedScopes"],
    message: "delegatedScopes or appRoles must list at least one permission",
  });

/**
 * The schema's check; the lists as a refresh stores them: unique and sorted (permissions are sets),
 * an omitted one empty. A list holding a value not known yet (preview) is left as it is.
 */
const check = accountSchemaCheck(permissionGrantSchema, (inputs) => {
  const filled = withDefaults(inputs, { delegatedScopes: [], appRoles: [] });
  const asSet = (list: string[] | undefined) =>
    list === undefined || containsUnknown(list) ? list : uniqueSorted(list);
  return { ...filled, delegatedScopes: asSet(filled.delegatedScopes), appRoles: asSet(filled.appRoles) };
});

async function diff(_id: string, olds: Props, news: PermissionGrantInputs) {
  const unknown = unknownKeys(news, [
    "account",
    "tenantId",
    "clientAppId",
    "resourceAppId",
    "delegatedScopes",
    "appRoles",
  ]);
  const replaces = (["account", "tenantId", "clientAppId", "resourceAppId"] as const).filter(
    (k) => unknown.includes(k) || (olds[k] ?? "").toLowerCase() !== (news[k] ?? "").toLowerCase(),
  );
  const changed =
    unknown.includes("delegatedScopes") ||
    unknown.includes("appRoles") ||
    !sameSet(olds.delegatedScopes ?? [], news.delegatedScopes ?? []) ||
    !sameSet(olds.appRoles ?? [], news.appRoles ?? []);
  return { changes: replaces.length > 0 || changed, replaces: [...replaces] };
}

function grantId(inputs: PermissionGrantInputs): string {
  return `${inputs.tenantId}/${inputs.clientAppId}/${inputs.resourceAppId}`.toLowerCase();
}

async function create(inputs: PermissionGrantInputs, ctx: HandlerContext) {
  return { id: grantId(inputs), outs: await reconcile(inputs, ctx, "create") };
}

async function update(_id: string, _olds: Props, news: PermissionGrantInputs, ctx: HandlerContext) {
  return { outs: await reconcile(news, ctx, "update") };
}

interface Principals {
  client: GraphServicePrincipal;
  resource: GraphServicePrincipal;
}

async function principals(api: CspApi, auth: AuthTarget, inputs: PermissionGrantInputs): Promise<Principals> {
  const [client, resource] = await Promise.all([
    servicePrincipal(api, auth, inputs.clientAppId),
    servicePrincipal(api, auth, inputs.resourceAppId),
  ]);
  if (!client) {
    throw validationError(
      `client application ${inputs.clientAppId} has no service principal in tenant ${inputs.tenantId}`,
      "create the application's service principal first (ApplicationRegistration creates one; a partner application gets one through ApplicationConsent) and make this resource depend on it",
      "graph",
    );
  }
  if (!resource) {
    throw validationError(
      `resource application ${inputs.resourceAppId} has no service principal in tenant ${inputs.tenantId}`,
      "check resourceAppId (Microsoft Graph is 00000003-0000-0000-c000-000000000000); a third-party resource must be added to the tenant first",
      "graph",
    );
  }
  return { client, resource };
}

/** App role ids for the declared names; an unknown name is an error naming the input. */
function resolveAppRoles(resource: GraphServicePrincipal, names: readonly string[]): Map<string, string> {
  const byValue = new Map((resource.appRoles ?? []).map((r) => [r.value.toLowerCase(), r.id.toLowerCase()]));
  const out = new Map<string, string>();
  names.forEach((name, i) => {
    const id = byValue.get(name.toLowerCase());
    if (!id) {
      throw validationError(
        `appRoles[${i}]: "${name}" is not an application permission of ${resource.displayName ?? resource.appId}`,
        `use one of its app roles (e.g. ${[...byValue.keys()].slice(0, 5).join(", ") || "none are exposed"}); delegated permissions belong in delegatedScopes`,
        "graph",
      );
    }
    out.set(name, id);
  });
  return out;
}

function checkScopes(resource: GraphServicePrincipal, names: readonly string[]): void {
  const exposed = new Set((resource.oauth2PermissionScopes ?? []).map((s) => s.value.toLowerCase()));
  if (exposed.size === 0) return; // The resource does not publish its scopes: let Graph judge.
  names.forEach((name, i) => {
    if (!exposed.has(name.toLowerCase())) {
      throw validationError(
        `delegatedScopes[${i}]: "${name}" is not a delegated permission of ${resource.displayName ?? resource.appId}`,
        "use a delegated permission the resource exposes; application permissions belong in appRoles",
        "graph",
      );
    }
  });
}

/**
 * Makes the grant what `inputs` declare. `create`: writes first (nothing of this resource exists
 * yet); `update`: reads the grant and the app roles of the pair, then changes what differs.
 */
async function reconcile(
  inputs: PermissionGrantInputs,
  ctx: HandlerContext,
  step: "create" | "update",
): Promise<PermissionGrantOutputs> {
  const api = ctx.api(inputs.account);
  const graph = api.graph;
  const auth = graphDirectoryAuth(api.partnerTenantId, inputs.tenantId);
  const { client, resource } = await principals(api, auth, inputs);
  const scopes = uniqueSorted(inputs.delegatedScopes ?? []);
  const roleNames = uniqueSorted(inputs.appRoles ?? []);
  // Validate in the user's order so failures name the right index.
  checkScopes(resource, inputs.delegatedScopes ?? []);
  const roleIds = resolveAppRoles(resource, inputs.appRoles ?? []);

  const desiredRoleIds = uniqueSorted([...roleIds.values()]);
  let grant: GraphOAuth2PermissionGrant | undefined;
  if (step === "create") {
    grant = await createDelegated(graph, auth, client.id, resource.id, scopes);
    for (const roleId of desiredRoleIds) await addAppRole(graph, auth, client.id, resource.id, roleId);
  } else {
    grant = await reconcileDelegated(graph, auth, client.id, resource.id, scopes);
    await reconcileAppRoles(graph, auth, client.id, resource.id, desiredRoleIds);
  }
  return stripUndefined({
    ...inputs,
    tenantId: inputs.tenantId.toLowerCase(),
    clientAppId: inputs.clientAppId.toLowerCase(),
    resourceAppId: inputs.resourceAppId.toLowerCase(),
    delegatedScopes: scopes,
    appRoles: roleNames,
    clientServicePrincipalId: client.id,
    resourceServicePrincipalId: resource.id,
    delegatedGrantId: grant?.id,
    appRoleIds: desiredRoleIds,
  });
}

/** Create: POSTs the grant; "exists" or a lost answer is settled by reading the pair's grant. */
async function createDelegated(
  graph: ServiceClient,
  auth: AuthTarget,
  clientSpId: string,
  resourceSpId: string,
  scopes: string[],
): Promise<GraphOAuth2PermissionGrant | undefined> {
  if (scopes.length === 0) return undefined;
  try {
    return await createAllPrincipalsGrant(graph, auth, clientSpId, resourceSpId, scopes);
  } catch (e) {
    if (!isLostResponse(e) && !isConflict(e) && !hasServiceCode(e, "Request_MultipleObjectsWithSameKeyValue"))
      throw e;
    return alignExisting(graph, auth, clientSpId, resourceSpId, scopes, e);
  }
}

/** The pair's existing grant, set to `scopes`; `cause` is thrown when there is none. */
async function alignExisting(
  graph: ServiceClient,
  auth: AuthTarget,
  clientSpId: string,
  resourceSpId: string,
  scopes: string[],
  cause: unknown,
): Promise<GraphOAuth2PermissionGrant> {
  const found = await findAllPrincipalsGrant(graph, auth, clientSpId, resourceSpId);
  if (!found) throw cause;
  if (!sameSet(grantScopes(found), scopes)) await updateGrantScopes(graph, auth, found.id, scopes);
  return { ...found, scope: scopes.join(" ") };
}

async function reconcileDelegated(
  graph: ServiceClient,
  auth: AuthTarget,
  clientSpId: string,
  resourceSpId: string,
  scopes: string[],
): Promise<GraphOAuth2PermissionGrant | undefined> {
  const existing = await findAllPrincipalsGrant(graph, auth, clientSpId, resourceSpId);
  if (scopes.length === 0) {
    if (existing) await deleteGrant(graph, auth, existing.id);
    return undefined;
  }
  if (existing) {
    if (!sameSet(grantScopes(existing), scopes)) await updateGrantScopes(graph, auth, existing.id, scopes);
    return { ...existing, scope: scopes.join(" ") };
  }
  // None yet: created as create does (a concurrent create or a lost answer settled the same way).
  return createDelegated(graph, auth, clientSpId, resourceSpId, scopes);
}

async function reconcileAppRoles(
  graph: ServiceClient,
  auth: AuthTarget,
  clientSpId: string,
  resourceSpId: string,
  desiredIds: string[],
): Promise<void> {
  const current = await rolesOn(graph, auth, clientSpId, resourceSpId);
  const { toAdd, toRemove } = setChanges(
    desiredIds,
    current.map((a) => a.appRoleId),
  );
  for (const roleId of toAdd) await addAppRole(graph, auth, clientSpId, resourceSpId, roleId);
  for (const roleId of toRemove) {
    for (const a of current.filter((x) => x.appRoleId.toLowerCase() === roleId.toLowerCase())) {
      await removeAppRoleAssignment(graph, auth, resourceSpId, a.id);
    }
  }
}

/** Assigns one app role; "already exists" or a lost answer is settled by listing the client's roles. */
async function addAppRole(
  graph: ServiceClient,
  auth: AuthTarget,
  clientSpId: string,
  resourceSpId: string,
  roleId: string,
): Promise<void> {
  try {
    await assignAppRole(graph, auth, resourceSpId, clientSpId, roleId);
  } catch (e) {
    // Lost answer or "already exists" (Graph: 400/409 "Permission being assigned already exists"):
    // only a fresh list tells whether the role is held.
    if (!isLostResponse(e) && !isConflict(e) && !hasServiceCode(e, "Request_BadRequest")) throw e;
    const now = await rolesOn(graph, auth, clientSpId, resourceSpId);
    if (!now.some((a) => a.appRoleId.toLowerCase() === roleId.toLowerCase())) throw e;
  }
}

async function rolesOn(
  graph: ServiceClient,
  auth: AuthTarget,
  clientSpId: string,
  resourceSpId: string,
): Promise<GraphAppRoleAssignment[]> {
  const all = await listAppRoleAssignments(graph, auth, clientSpId);
  return all.filter((a) => a.resourceId.toLowerCase() === resourceSpId.toLowerCase());
}

/**
 * What the pair holds now: the `AllPrincipals` grant and the app roles, read in parallel with the
 * principals the process knows. A principal remembered but gone answers the roles list with 404:
 * it is then read again, and a pair without principals is gone.
 */
async function observe(
  api: CspApi,
  auth: AuthTarget,
  props: Props,
): Promise<
  { principals: Principals; grant?: GraphOAuth2PermissionGrant; roles: GraphAppRoleAssignment[] } | undefined
> {
  for (let attempt = 0; ; attempt++) {
    const [client, resource] = await Promise.all([
      servicePrincipal(api, auth, props.clientAppId),
      servicePrincipal(api, auth, props.resourceAppId),
    ]);
    if (!client || !resource) return undefined;
    try {
      const [grant, roles] = await Promise.all([
        findAllPrincipalsGrant(api.graph, auth, client.id, resource.id),
        rolesOn(api.graph, auth, client.id, resource.id),
      ]);
      return { principals: { client, resource }, ...(grant ? { grant } : {}), roles };
    } catch (e) {
      if (!isNotFound(e) || attempt > 0) throw e;
      forgetServicePrincipal(api, auth, props.clientAppId);
      forgetServicePrincipal(api, auth, props.resourceAppId);
    }
  }
}

async function read(id: string, props: Props, ctx: HandlerContext) {
  const api = ctx.api(props.account);
  const auth = graphDirectoryAuth(api.partnerTenantId, props.tenantId);
  const found = await observe(api, auth, props);
  if (!found) return {};
  const { client, resource } = found.principals;
  const grant = found.grant;
  const roleValueById = new Map((resource.appRoles ?? []).map((r) => [r.id.toLowerCase(), r.value]));
  const appRoleIds = uniqueSorted(found.roles.map((a) => a.appRoleId.toLowerCase()));
  const appRoles = uniqueSorted(appRoleIds.map((rid) => roleValueById.get(rid) ?? rid));
  const delegatedScopes = uniqueSorted(grantScopes(grant));
  const outs: PermissionGrantOutputs = stripUndefined({
    ...props,
    delegatedScopes,
    appRoles,
    clientServicePrincipalId: client.id,
    resourceServicePrincipalId: resource.id,
    delegatedGrantId: grant?.id,
    appRoleIds,
  });
  if (!grant) delete outs.delegatedGrantId;
  const inputs: PermissionGrantInputs = stripUndefined({
    account: props.account,
    tenantId: props.tenantId,
    clientAppId: props.clientAppId,
    resourceAppId: props.resourceAppId,
    delegatedScopes,
    appRoles,
  });
  return { id, props: outs, inputs };
}

/**
 * Removes the grant by the id in the state and the app roles this resource assigned (listed only
 * when it assigned some). A grant id the service no longer knows, or none in the state, is settled
 * by reading the pair's grant: the resource owns the pair's delegated grant, whatever its id.
 */
async function remove(_id: string, props: Props, ctx: HandlerContext) {
  const api = ctx.api(props.account);
  const graph = api.graph;
  const auth = graphDirectoryAuth(api.partnerTenantId, props.tenantId);
  const clientSpId = props.clientServicePrincipalId;
  const resourceSpId = props.resourceServicePrincipalId;
  if (!clientSpId || !resourceSpId) return removeByLookup(api, auth, props);
  const deleted = props.delegatedGrantId ? await deleteGrant(graph, auth, props.delegatedGrantId) : false;
  if (!deleted) {
    const grant = await findAllPrincipalsGrant(graph, auth, clientSpId, resourceSpId);
    if (grant) await deleteGrant(graph, auth, grant.id);
  }
  const managed = new Set((props.appRoleIds ?? []).map((r) => r.toLowerCase()));
  if (managed.size === 0) return;
  let held: GraphAppRoleAssignment[];
  try {
    held = await rolesOn(graph, auth, clientSpId, resourceSpId);
  } catch (e) {
    if (isNotFound(e)) return; // The client's principal is gone, and its assignments with it.
    throw e;
  }
  for (const a of held) {
    if (managed.has(a.appRoleId.toLowerCase()))
      await removeAppRoleAssignment(graph, auth, resourceSpId, a.id);
  }
}

/** Delete of a state without principal ids: the principals are looked up first. */
async function removeByLookup(api: CspApi, auth: AuthTarget, props: Props): Promise<void> {
  const found = await observe(api, auth, props);
  if (!found) return; // Gone with its service principal.
  const { resource } = found.principals;
  if (found.grant) await deleteGrant(api.graph, auth, found.grant.id);
  const managed = new Set((props.appRoleIds ?? []).map((r) => r.toLowerCase()));
  for (const a of found.roles) {
    if (managed.has(a.appRoleId.toLowerCase()))
      await removeAppRoleAssignment(api.graph, auth, resource.id, a.id);
  }
}

export const permissionGrantHandler: ResourceHandler<PermissionGrantInputs, PermissionGrantOutputs> = {
  check,
  diff,
  create,
  read,
  update,
  delete: remove,
};
