import { z } from "zod";
import { armOnBehalfOf } from "../../auth/actingIdentity";
import {
  type ArmRoleAssignment,
  deleteRoleAssignmentById,
  findRoleDefinitionsByName,
  getRoleAssignmentById,
  listRoleAssignmentsForPrincipal,
  normaliseScope,
  putRoleAssignment,
  roleDefinitionGuid,
  roleDefinitionResourceId,
} from "../../clients/arm/roleAssignments";
import { CspError, hasServiceCode, isCspError } from "../../errors";
import type { AuthTarget, ServiceClient } from "../../http/types";
import { accountSchemaCheck, containsUnknown, deterministicUuid, stripUndefined } from "../common";
import { validationError } from "../identity/errors";
import { account, guid, isGuid } from "../identity/schemas";
import type { DiffResult, HandlerContext, ResourceHandler } from "../types";

/**
 * RoleAssignment: an Azure RBAC role assignment in a customer subscription ("Assign Azure roles
 * using the REST API",
 * https://learn.microsoft.com/azure/role-based-access-control/role-assignments-rest), made by the
 * partner's admin agent through admin-on-behalf-of (app+user with the customer tenant as authority;
 * the Admin Agents group holds Owner on CSP subscriptions).
 *
 * - The role is given by name (`roleName`, resolved with `roleName eq '…'` at the scope) or by id
 *   (`roleDefinitionId`, a GUID or a full role definition id), exactly one of the two.
 * - `principalType` is a required input, always sent: ARM then skips the directory lookup that
 *   fails with `PrincipalNotFound` while a just-created principal replicates ("Troubleshoot Azure
 *   RBAC", https://learn.microsoft.com/azure/role-based-access-control/troubleshooting). A
 *   wrong type is rejected by ARM, so there is no silent default.
 * - The assignment name is `deterministicUuid("role-assignment", scope, roleGuid, principalId)`:
 *   a retry or a re-run PUTs the same name and never duplicates. A 409 `RoleAssignmentExists`
 *   (the same triple under another name) is adopted after listing the principal's assignments at
 *   the scope and finding it. `PrincipalNotFound` is retried with backoff up to a bound.
 * - Changing `tenantId` or `account` only changes who acts; `description` is updated in place;
 *   anything else replaces the assignment.
 */

export const PRINCIPAL_TYPES = ["User", "Group", "ServicePrincipal", "ForeignGroup"] as const;

/** The checked inputs: what {@link roleAssignmentSchema} yields (scope normalised, ids lower case). */
export type RoleAssignmentInputs = z.output<typeof roleAssignmentSchema>;

export interface RoleAssignmentOutputs extends RoleAssignmentInputs {
  /** Role definition GUID. */
  roleDefinitionGuid: string;
  /** Role definition id as ARM returns it. */
  roleDefinitionResourceId: string;
  /** Assignment name (GUID). */
  assignmentName: string;
  /** True when an existing identical assignment under another name was adopted. */
  adopted: boolean;
}

type Props = RoleAssignmentInputs & RoleAssignmentOutputs;

const GUID_TEXT = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const SCOPE = new RegExp(
  `^/subscriptions/${GUID_TEXT}(/resourceGroups/[^/]+(/providers/[^/]+/.+)?)?/?$`,
  "i",
);
const ROLE_DEFINITION_ID = new RegExp(
  `^(${GUID_TEXT}|(/subscriptions/${GUID_TEXT})?/providers/Microsoft\\.Authorization/roleDefinitions/${GUID_TEXT})$`,
  "i",
);

export const roleAssignmentSchema = z
  .object({
    account,
    tenantId: guid,
    scope: z
      .string()
      .trim()
      .regex(
        SCOPE,
        "must be /subscriptions/{subscriptionId} or a scope below it (…/resourceGroups/{name}[/providers/…])",
      )
      .transform(normaliseScope),
    roleName: z.string().trim().min(1, "must not be empty").optional(),
    roleDefinitionId: z
      .string()
      .trim()
      .regex(
        ROLE_DEFINITION_ID,
        "must be a role definition GUID or …/providers/Microsoft.Authorization/roleDefinitions/{guid}",
      )
      .optional(),
    principalId: guid,
    principalType: z.enum(PRINCIPAL_TYPES, {
      message: `must be one of ${PRINCIPAL_TYPES.join(", ")} (always sent, so a just-created principal does not fail with PrincipalNotFound)`,
    }),
    description: z.string().max(2048, "must be at most 2048 characters").optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const n = (v.roleName === undefined ? 0 : 1) + (v.roleDefinitionId === undefined ? 0 : 1);
    if (n !== 1) {
      ctx.addIssue({
        code: "custom",
        path: ["roleName"],
        message: "exactly one of roleName (e.g. Contributor) or roleDefinitionId must be set",
      });
    }
  });

/**
 * Waits before each retry of a PUT answered `PrincipalNotFound`; the length bounds the retries.
 * About a minute in total, Microsoft's guidance for replication after creating a principal
 * ("Troubleshoot Azure RBAC",
 * https://learn.microsoft.com/azure/role-based-access-control/troubleshooting). Waited through
 * `ctx.clock`, so tests record the waits instead of sleeping.
 */
export const PRINCIPAL_NOT_FOUND_DELAYS_MS: readonly number[] = [2_000, 4_000, 8_000, 16_000, 30_000];

/** The assignment name for a (scope, role, principal) triple. */
export function roleAssignmentName(scope: string, roleGuid: string, principalId: string): string {
  return deterministicUuid(
    "role-assignment",
    normaliseScope(scope).toLowerCase(),
    roleGuid.toLowerCase(),
    principalId.toLowerCase(),
  );
}

function createRoleAssignmentHandler(): ResourceHandler<RoleAssignmentInputs, RoleAssignmentOutputs> {
  const check = accountSchemaCheck(roleAssignmentSchema);

  async function diff(
    _id: string,
    olds: Props,
    news: RoleAssignmentInputs,
    ctx: HandlerContext,
  ): Promise<DiffResult> {
    const replaces: string[] = [];
    if (normaliseScope(olds.scope).toLowerCase() !== normaliseScope(news.scope).toLowerCase())
      replaces.push("scope");
    if (olds.principalId.toLowerCase() !== news.principalId.toLowerCase()) replaces.push("principalId");
    if (olds.principalType !== news.principalType) replaces.push("principalType");
    const roleChanged = await roleDiffers(olds, news, ctx);
    if (roleChanged) replaces.push(news.roleName !== undefined ? "roleName" : "roleDefinitionId");
    const inPlace =
      (olds.description ?? "") !== (news.description ?? "") ||
      olds.tenantId.toLowerCase() !== news.tenantId.toLowerCase() ||
      (olds.account ?? "") !== (news.account ?? "") ||
      (olds.roleName ?? "") !== (news.roleName ?? "") ||
      (olds.roleDefinitionId ?? "") !== (news.roleDefinitionId ?? "");
    // Same triple means the same deterministic name: the old one must go first, or the new
    // create would find it and the old delete would then remove the only assignment.
    const sameName = !replaces.some(
      (r) => r === "scope" || r === "principalId" || r === "roleName" || r === "roleDefinitionId",
    );
    return {
      changes: replaces.length > 0 || inPlace,
      replaces,
      ...(replaces.length > 0 && sameName ? { deleteBeforeReplace: true } : {}),
    };
  }

  /** Whether the declared role is another role than the assigned one (reads role definitions when a name must be resolved). */
  async function roleDiffers(olds: Props, news: RoleAssignmentInputs, ctx: HandlerContext): Promise<boolean> {
    const unknown = [news.roleName, news.roleDefinitionId, news.tenantId, news.account];
    if (unknown.some(containsUnknown)) return true;
    if (news.roleDefinitionId !== undefined)
      return roleDefinitionGuid(news.roleDefinitionId) !== olds.roleDefinitionGuid;
    if (news.roleName !== undefined && olds.roleName !== undefined) {
      return news.roleName.toLowerCase() !== olds.roleName.toLowerCase();
    }
    // Switched from an id to a name: the name must be resolved to compare (a read, no write).
    try {
      const api = ctx.api(news.account);
      return (await resolveRole(api.arm, armOnBehalfOf(news.tenantId), news)) !== olds.roleDefinitionGuid;
    } catch {
      return true;
    }
  }

  async function create(inputs: RoleAssignmentInputs, ctx: HandlerContext) {
    const arm = ctx.api(inputs.account).arm;
    const auth = armOnBehalfOf(inputs.tenantId);
    const scope = normaliseScope(inputs.scope);
    const roleGuid = await resolveRole(arm, auth, inputs);
    const name = roleAssignmentName(scope, roleGuid, inputs.principalId);
    const { assignment, adopted } = await putWithRecovery(arm, auth, inputs, scope, roleGuid, name, ctx);
    return { id: assignment.id, outs: outputs(inputs, assignment, roleGuid, adopted) };
  }

  async function putWithRecovery(
    arm: ServiceClient,
    auth: AuthTarget,
    inputs: RoleAssignmentInputs,
    scope: string,
    roleGuid: string,
    name: string,
    ctx: HandlerContext,
  ): Promise<{ assignment: ArmRoleAssignment; adopted: boolean }> {
    const properties = stripUndefined({
      roleDefinitionId: roleDefinitionResourceId(scope, roleGuid),
      principalId: inputs.principalId,
      principalType: inputs.principalType,
      description: inputs.description,
    });
    for (let attempt = 0; ; attempt++) {
      try {
        return { assignment: await putRoleAssignment(arm, auth, scope, name, properties), adopted: false };
      } catch (e) {
        if (hasServiceCode(e, "RoleAssignmentExists")) {
          const existing = await findSameAssignment(arm, auth, scope, roleGuid, inputs.principalId);
          if (existing) {
            ctx.log(
              `role assignment of ${inputs.principalId} at ${scope} already exists as ${existing.name}; adopting it (deleting this resource removes it)`,
            );
            return { assignment: existing, adopted: true };
          }
          throw e;
        }
        const delay = PRINCIPAL_NOT_FOUND_DELAYS_MS[attempt];
        if (hasServiceCode(e, "PrincipalNotFound") && delay !== undefined) {
          ctx.log(
            `principal ${inputs.principalId} not replicated yet; retrying the role assignment in ${Math.round(delay / 1000)} s`,
          );
          await ctx.clock.sleep(delay);
          continue;
        }
        throw e;
      }
    }
  }

  async function read(id: string, props: Props, ctx: HandlerContext) {
    const arm = ctx.api(props.account).arm;
    const assignment = await getRoleAssignmentById(arm, armOnBehalfOf(props.tenantId), id);
    if (!assignment) return {};
    const outs: RoleAssignmentOutputs = {
      ...outputs(
        props,
        assignment,
        roleDefinitionGuid(assignment.properties.roleDefinitionId),
        props.adopted ?? false,
      ),
    };
    // The role of an assignment cannot change: the declared role fields stay as they were.
    const inputs: RoleAssignmentInputs = stripUndefined({
      account: props.account,
      tenantId: props.tenantId,
      scope: props.scope,
      roleName: props.roleName,
      roleDefinitionId: props.roleDefinitionId,
      principalId: assignment.properties.principalId,
      principalType: (assignment.properties.principalType ??
        props.principalType) as RoleAssignmentInputs["principalType"],
      description: assignment.properties.description ?? undefined,
    });
    return { id, props: outs, inputs };
  }

  async function update(id: string, olds: Props, news: RoleAssignmentInputs, ctx: HandlerContext) {
    const arm = ctx.api(news.account).arm;
    const auth = armOnBehalfOf(news.tenantId);
    let assignment: ArmRoleAssignment | undefined;
    if ((olds.description ?? "") !== (news.description ?? "")) {
      const scope = normaliseScope(olds.scope);
      assignment = await putRoleAssignment(
        arm,
        auth,
        scope,
        olds.assignmentName,
        stripUndefined({
          roleDefinitionId: roleDefinitionResourceId(scope, olds.roleDefinitionGuid),
          principalId: olds.principalId,
          principalType: news.principalType,
          description: news.description ?? "",
        }),
      );
    } else {
      assignment = await getRoleAssignmentById(arm, auth, id);
    }
    if (!assignment) {
      throw new CspError({
        code: "CSP_API_ERROR",
        service: "arm",
        summary: `role assignment ${id} no longer exists`,
        hint: "run `pulumi refresh` so it is created again",
      });
    }
    return { outs: outputs(news, assignment, olds.roleDefinitionGuid, olds.adopted ?? false) };
  }

  async function remove(id: string, props: Props, ctx: HandlerContext) {
    await deleteRoleAssignmentById(ctx.api(props.account).arm, armOnBehalfOf(props.tenantId), id);
  }

  return { check, diff, create, read, update, delete: remove };
}

/** Role definition GUID from `roleDefinitionId`, or by resolving `roleName` at the scope. */
/**
 * Built-in role ids Microsoft publishes (the same in every tenant; "Azure built-in roles",
 * https://learn.microsoft.com/azure/role-based-access-control/built-in-roles):
 * these names resolve without a call. Any other name (custom roles) is looked up at the scope.
 */
const BUILT_IN_ROLE_IDS: Readonly<Record<string, string>> = {
  owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  "user access administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
};

async function resolveRole(
  arm: ServiceClient,
  auth: AuthTarget,
  inputs: RoleAssignmentInputs,
): Promise<string> {
  if (inputs.roleDefinitionId !== undefined) return roleDefinitionGuid(inputs.roleDefinitionId);
  const name = inputs.roleName!;
  if (isGuid(name)) return name.toLowerCase();
  const builtIn = BUILT_IN_ROLE_IDS[name.trim().toLowerCase()];
  if (builtIn) return builtIn;
  const defs = await findRoleDefinitionsByName(arm, auth, normaliseScope(inputs.scope), name);
  if (defs.length === 0) {
    throw validationError(
      `roleName: no role definition named "${name}" at ${inputs.scope}`,
      "use the exact role name as shown in the portal (e.g. Contributor, Reader, User Access Administrator) or set roleDefinitionId",
      "arm",
    );
  }
  // A custom role may share a built-in role's name at a lower scope: prefer the built-in one.
  const chosen = defs.find((d) => d.properties.type === "BuiltInRole") ?? defs[0]!;
  if (defs.length > 1 && !defs.some((d) => d.properties.type === "BuiltInRole")) {
    throw validationError(
      `roleName: ${defs.length} role definitions are named "${name}" at ${inputs.scope}`,
      "set roleDefinitionId to choose one",
      "arm",
    );
  }
  return roleDefinitionGuid(chosen.name || chosen.id);
}

/** The principal's assignment of this role at exactly this scope (after a 409 RoleAssignmentExists). */
async function findSameAssignment(
  arm: ServiceClient,
  auth: AuthTarget,
  scope: string,
  roleGuid: string,
  principalId: string,
): Promise<ArmRoleAssignment | undefined> {
  const list = await listRoleAssignmentsForPrincipal(arm, auth, scope, principalId);
  return list.find(
    (a) =>
      normaliseScope(a.properties.scope).toLowerCase() === scope.toLowerCase() &&
      roleDefinitionGuid(a.properties.roleDefinitionId) === roleGuid &&
      a.properties.principalId.toLowerCase() === principalId.toLowerCase(),
  );
}

function outputs(
  inputs: RoleAssignmentInputs,
  assignment: ArmRoleAssignment,
  roleGuid: string,
  adopted: boolean,
): RoleAssignmentOutputs {
  return stripUndefined({
    ...inputs,
    scope: normaliseScope(inputs.scope),
    principalId: inputs.principalId.toLowerCase(),
    roleDefinitionGuid: roleGuid,
    roleDefinitionResourceId: assignment.properties.roleDefinitionId,
    assignmentName: assignment.name,
    adopted,
  });
}

/** Whether an error is ARM's `PrincipalNotFound` (exported for tests and callers that pre-check). */
export function isPrincipalNotFound(e: unknown): boolean {
  return isCspError(e) && hasServiceCode(e, "PrincipalNotFound");
}

export const roleAssignmentHandler = createRoleAssignmentHandler();
