import { z } from "zod";
import {
  assignmentRoleIds,
  createAccessAssignment,
  deleteAccessAssignment,
  type GdapAccessAssignment,
  getAccessAssignment,
  listAccessAssignments,
  updateAccessAssignment,
} from "../../clients/graph/delegatedAdminAccessAssignments";
import {
  approvalLink,
  type GdapRelationship,
  relationshipRoleIds,
} from "../../clients/graph/delegatedAdminRelationships";
import { requireEtag } from "../../clients/graph/gdapEtag";
import { CspError, isCspError, isLostResponse } from "../../errors";
import type { ServiceClient } from "../../http/types";
import { containsUnknown, refusal, stripUndefined, validateAccountInputs } from "../common";
import { directoryRoleName, rolesAsDeclared } from "../directory/directoryRoleCatalog";
import { roleFailures, roleIdsOf } from "../directory/roleInputs";
import { isConflict, isPreconditionFailed, validationError } from "../identity/errors";
import { account, guid } from "../identity/schemas";
import { sameSet } from "../identity/sets";
import type { CheckFailure, CheckResult, HandlerContext, ResourceHandler } from "../types";
import { isUnknown } from "../types";
import { relationshipNow } from "./relationshipMemo";

/**
 * GdapAccessAssignment: gives a partner security group some of a GDAP relationship's roles (Graph
 * `…/delegatedAdminRelationships/{id}/accessAssignments`, "Create accessAssignments",
 * https://learn.microsoft.com/graph/api/delegatedadminrelationship-post-accessassignments;
 * app+user in the partner tenant).
 *
 * - Created only once the relationship is `active`: while the customer has not approved it,
 *   create fails with a clear message naming the approval link.
 * - `roles` must be a subset of the relationship's roles (check reads the relationship when its
 *   id is known). Role changes PATCH the assignment (with If-Match); group or relationship
 *   changes replace it. Delete uses If-Match.
 * - Safe to retry: one assignment per security group and relationship; create finds an existing
 *   one for the group (lost response, earlier run) and aligns its roles.
 * - Calls: check reads the relationship (roles, status) and hands it to create or update in the
 *   same process (relationshipMemo.ts); create lists the group's assignments, then POSTs; update
 *   reads the assignment for its ETag, then PATCHes; delete reads, then DELETEs with If-Match.
 */

export const gdapAccessAssignmentSchema = z
  .object({
    account,
    relationshipId: z
      .string()
      .trim()
      .regex(
        /^[0-9a-fA-F-]{36}(-[0-9a-fA-F-]{36})?$/,
        "must be a GDAP relationship id (GdapRelationship.relationshipId)",
      ),
    /** Security group in the partner tenant whose members get the roles. */
    securityGroupId: guid,
    /** Role names or template ids; a subset of the relationship's roles. */
    roles: z.array(z.string().trim().min(1, "must not be empty")).min(1, "must list at least one role"),
  })
  .strict();

export type GdapAccessAssignmentInputs = z.output<typeof gdapAccessAssignmentSchema>;

export interface GdapAccessAssignmentOutputs extends GdapAccessAssignmentInputs {
  accessAssignmentId: string;
  /** `pending`, `active`, ... */
  status: string;
  roleIds: string[];
}

type Props = GdapAccessAssignmentInputs & GdapAccessAssignmentOutputs;

const GONE = new Set(["deleted", "deleting"]);

async function check(
  olds: Partial<GdapAccessAssignmentInputs>,
  news: GdapAccessAssignmentInputs,
  ctx: HandlerContext,
): Promise<CheckResult<GdapAccessAssignmentInputs>> {
  const result = validateAccountInputs(
    gdapAccessAssignmentSchema,
    news,
    ctx.config,
    roleFailures(news.roles),
  );
  if (result.failures) return result;
  const inputs = result.inputs!;
  // An unchanged assignment was checked before it was created: a no-op preview or up costs no call.
  const known =
    !isUnknown(news.relationshipId) &&
    !isUnknown(news.account) &&
    Array.isArray(news.roles) &&
    !news.roles.some(isUnknown);
  const unchanged =
    known &&
    olds.relationshipId === inputs.relationshipId &&
    olds.account === inputs.account &&
    Array.isArray(olds.roles) &&
    Array.isArray(inputs.roles) &&
    !inputs.roles.some(isUnknown) &&
    sameSet(roleIdsOf(olds.roles), roleIdsOf(inputs.roles));
  if (unchanged) return { inputs };
  if (known) {
    // What this reads, create and update (next in this process) take from the memo.
    const relationship = await relationshipNow(ctx, inputs.account, inputs.relationshipId);
    if (!relationship) {
      return {
        failures: [
          refusal(
            "relationshipId",
            "must name an existing GDAP relationship (GdapRelationship.relationshipId): it was not found for this partner account",
            inputs.relationshipId,
          ),
        ],
      };
    }
    const outside = outsideRelationship(inputs.roles, relationship);
    if (outside.length > 0) return { failures: [subsetFailure(inputs.roles, outside, relationship)] };
    if (relationship.status !== "active" && !ENDED.has(relationship.status)) {
      return {
        inputs,
        awaitsApproval: waitingSentence(relationship.displayName, approvalLink(relationship.id)),
      };
    }
    return { inputs };
  }
  // A relationship whose id is not known yet is created by this update, and a new relationship
  // always waits for the customer's approval.
  if (isUnknown(news.relationshipId)) {
    return { inputs, awaitsApproval: waitingSentence("created by this update", "its approvalLink output") };
  }
  return { inputs };
}

const ENDED = new Set(["expired", "terminated", "terminationRequested", "terminating", "expiring"]);

/**
 * What a create of an access assignment waits for: the customer's approval of its relationship
 * ("Granular delegated admin privileges (GDAP) API overview": the customer approves at the
 * invitation link, then the partner creates access assignments,
 * https://learn.microsoft.com/graph/api/resources/delegatedadminrelationships-api-overview).
 */
function waitingSentence(relationship: string, where: string): string {
  return `waits for the customer's approval: a Global Administrator of the customer must approve the GDAP relationship (${relationship}) at ${where} before this access assignment, and the resources that depend on it (a CustomerTenant's users, directory roles and partner app consent), can be created; run \`pulumi up\` again after the approval`;
}

/** Declared roles the relationship does not hold. */
function outsideRelationship(roles: readonly string[], relationship: GdapRelationship): string[] {
  const held = new Set(relationshipRoleIds(relationship));
  return roleIdsOf(roles).filter((id) => !held.has(id));
}

function subsetFailure(
  roles: readonly string[],
  outside: string[],
  relationship: GdapRelationship,
): CheckFailure {
  const names = outside.map((id) => directoryRoleName(id) ?? id);
  const held = relationshipRoleIds(relationship).map((id) => directoryRoleName(id) ?? id);
  return refusal(
    "roles",
    `${names.join(", ")} ${names.length === 1 ? "is" : "are"} not among the roles of GDAP relationship "${relationship.displayName}" (${held.join(", ")}); an access assignment can only use roles the customer approved`,
    roles,
  );
}

async function diff(_id: string, olds: Props, news: GdapAccessAssignmentInputs) {
  const replaces: string[] = [];
  if ((olds.account ?? "") !== (news.account ?? "")) replaces.push("account");
  if (olds.relationshipId.toLowerCase() !== news.relationshipId.toLowerCase())
    replaces.push("relationshipId");
  if (olds.securityGroupId.toLowerCase() !== news.securityGroupId.toLowerCase())
    replaces.push("securityGroupId");
  const rolesChanged = containsUnknown(news.roles) || !sameSet(roleIdsOf(olds.roles), roleIdsOf(news.roles));
  return {
    changes: replaces.length > 0 || rolesChanged,
    replaces,
    // One assignment per group and relationship: with both unchanged, the old one goes first.
    ...(replaces.length > 0 && !replaces.includes("relationshipId") && !replaces.includes("securityGroupId")
      ? { deleteBeforeReplace: true }
      : {}),
  };
}

/**
 * The relationship, which must be active (as check read it moments ago in this process, or read
 * now); otherwise an error saying what the user must do.
 */
async function activeRelationship(
  ctx: HandlerContext,
  account: string | undefined,
  relationshipId: string,
): Promise<GdapRelationship> {
  const r = await relationshipNow(ctx, account, relationshipId);
  if (!r) {
    throw validationError(
      `GDAP relationship ${relationshipId} was not found`,
      "check relationshipId (use GdapRelationship.relationshipId) and the account",
      "graph",
    );
  }
  if (r.status === "active") return r;
  if (r.status === "approvalPending" || r.status === "approved" || r.status === "activating") {
    throw new CspError({
      code: "CSP_VALIDATION",
      service: "graph",
      summary: `waiting for the customer's approval: GDAP relationship "${r.displayName}" (${r.id}) is ${r.status}, and access can be assigned only once the customer has approved it and it is active. Until then this access assignment waits, and so do the resources that depend on it (a CustomerTenant's users, their directory roles and the partner app's consent)`,
      hint: `a Global Administrator of customer ${r.customer?.tenantId ?? ""} must approve it at ${approvalLink(r.id)}; then run \`pulumi up\` again`,
    });
  }
  throw validationError(
    `GDAP relationship "${r.displayName}" (${r.id}) is ${r.status}; access assignments need an active relationship`,
    r.status === "created"
      ? "lock the relationship for approval (GdapRelationship does this on create) and have the customer approve it"
      : "create a new relationship (expired or terminated relationships cannot be used)",
    "graph",
  );
}

/** Fails when the declared roles are not all among the relationship's. */
function requireSubset(roles: readonly string[], relationship: GdapRelationship): void {
  const outside = outsideRelationship(roles, relationship);
  if (outside.length > 0) {
    throw validationError(
      subsetFailure(roles, outside, relationship).reason,
      "remove those roles from this access assignment",
      "graph",
    );
  }
}

/**
 * Looks for the group's assignment before the POST. [U] Neither "Create accessAssignments"
 * (https://learn.microsoft.com/graph/api/delegatedadminrelationship-post-accessassignments) nor
 * the resource type's page says that the service refuses a second assignment of one security group
 * in one relationship, so a POST alone could duplicate the assignment an earlier run made (a crash
 * before the state was saved) or one made outside Pulumi: this list stays until a documented
 * refusal allows writing first. After a lost answer or a refusal, the list runs again. (A
 * relationship this process created cannot be active in it: the customer approves it first, and
 * the `up` after that approval cannot know whether an earlier run assigned the group.)
 */
async function create(inputs: GdapAccessAssignmentInputs, ctx: HandlerContext) {
  const graph = ctx.api(inputs.account).graph;
  const relationship = await activeRelationship(ctx, inputs.account, inputs.relationshipId);
  requireSubset(inputs.roles, relationship);
  const roleIds = roleIdsOf(inputs.roles);
  let assignment = await findForGroup(graph, inputs.relationshipId, inputs.securityGroupId);
  if (assignment) {
    ctx.log(
      `GDAP access assignment for group ${inputs.securityGroupId} already exists (${assignment.id}); adopting it`,
    );
    assignment = await alignRoles(graph, inputs.relationshipId, assignment, roleIds);
  } else {
    try {
      assignment = await createAccessAssignment(
        graph,
        inputs.relationshipId,
        inputs.securityGroupId,
        roleIds,
      );
    } catch (e) {
      if (!isLostResponse(e) && !isConflict(e) && !isBadRequest(e)) throw e;
      const found = await findForGroup(graph, inputs.relationshipId, inputs.securityGroupId);
      if (!found) throw e;
      assignment = await alignRoles(graph, inputs.relationshipId, found, roleIds);
    }
  }
  return { id: assignment.id, outs: outputs(inputs, assignment, roleIds) };
}

function isBadRequest(e: unknown): boolean {
  return isCspError(e) && e.status === 400;
}

async function findForGroup(
  graph: ServiceClient,
  relationshipId: string,
  groupId: string,
): Promise<GdapAccessAssignment | undefined> {
  const all = await listAccessAssignments(graph, relationshipId);
  return all.find(
    (a) => a.accessContainer.accessContainerId.toLowerCase() === groupId.toLowerCase() && !GONE.has(a.status),
  );
}

/**
 * Gives the assignment these roles: one PATCH with its ETag when they differ; the assignment as
 * it is then (its status is the one read before the PATCH, which changes only the roles).
 */
async function alignRoles(
  graph: ServiceClient,
  relationshipId: string,
  assignment: GdapAccessAssignment,
  roleIds: string[],
): Promise<GdapAccessAssignment> {
  if (sameSet(assignmentRoleIds(assignment), roleIds)) return assignment;
  try {
    await updateAccessAssignment(graph, relationshipId, assignment.id, etagOf(assignment), roleIds);
  } catch (e) {
    // 412 after the pipeline repeated a PATCH whose lost answer was applied (the ETag changed):
    // read again, done when the roles are there, otherwise once more with the current ETag.
    if (!isPreconditionFailed(e)) throw e;
    const now = await getAccessAssignment(graph, relationshipId, assignment.id);
    if (!now || GONE.has(now.status)) throw e;
    if (!sameSet(assignmentRoleIds(now), roleIds)) {
      await updateAccessAssignment(graph, relationshipId, now.id, etagOf(now), roleIds);
    }
  }
  return assignment;
}

function etagOf(a: GdapAccessAssignment): string {
  return requireEtag(a, "GDAP access assignment");
}

function outputs(
  inputs: GdapAccessAssignmentInputs,
  a: GdapAccessAssignment,
  roleIds: string[],
): GdapAccessAssignmentOutputs {
  return stripUndefined({
    ...inputs,
    securityGroupId: inputs.securityGroupId.toLowerCase(),
    accessAssignmentId: a.id,
    status: a.status,
    roleIds: [...roleIds].sort(),
  });
}

async function read(id: string, props: Props, ctx: HandlerContext) {
  const graph = ctx.api(props.account).graph;
  const a = await getAccessAssignment(graph, props.relationshipId, id);
  if (!a || GONE.has(a.status)) return {};
  const actualIds = assignmentRoleIds(a).sort();
  const roles = rolesAsDeclared(props.roles ?? [], actualIds);
  const outs = outputs({ ...props, roles }, a, actualIds);
  const inputs: GdapAccessAssignmentInputs = stripUndefined({
    account: props.account,
    relationshipId: props.relationshipId,
    securityGroupId: a.accessContainer.accessContainerId.toLowerCase(),
    roles,
  });
  return { id, props: outs, inputs };
}

async function update(id: string, _olds: Props, news: GdapAccessAssignmentInputs, ctx: HandlerContext) {
  const graph = ctx.api(news.account).graph;
  // check read the relationship moments ago in this process (the roles changed).
  const relationship = await relationshipNow(ctx, news.account, news.relationshipId);
  if (relationship) requireSubset(news.roles, relationship);
  const current = await getAccessAssignment(graph, news.relationshipId, id);
  if (!current || GONE.has(current.status)) {
    throw new CspError({
      code: "CSP_API_ERROR",
      service: "graph",
      summary: `GDAP access assignment ${id} no longer exists`,
      hint: "run `pulumi refresh`; the next `pulumi up` creates it again",
    });
  }
  const roleIds = roleIdsOf(news.roles);
  const updated = await alignRoles(graph, news.relationshipId, current, roleIds);
  return { outs: outputs(news, updated, roleIds) };
}

async function remove(id: string, props: Props, ctx: HandlerContext) {
  const graph = ctx.api(props.account).graph;
  const a = await getAccessAssignment(graph, props.relationshipId, id);
  if (!a || GONE.has(a.status)) return;
  try {
    await deleteAccessAssignment(graph, props.relationshipId, id, etagOf(a));
  } catch (e) {
    // 412 after the pipeline repeated a DELETE whose lost answer was applied: gone is the goal.
    if (!isPreconditionFailed(e)) throw e;
    const now = await getAccessAssignment(graph, props.relationshipId, id);
    if (!now || GONE.has(now.status)) return;
    await deleteAccessAssignment(graph, props.relationshipId, id, etagOf(now));
  }
}

export const gdapAccessAssignmentHandler: ResourceHandler<
  GdapAccessAssignmentInputs,
  GdapAccessAssignmentOutputs
> = {
  check,
  diff,
  create,
  read,
  update,
  delete: remove,
};
