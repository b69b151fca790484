import { z } from "zod";
import {
  approvalLink,
  createRelationship,
  deleteRelationship,
  findRelationshipsByName,
  type GdapRelationship,
  getRelationship,
  postRelationshipRequest,
  relationshipRoleIds,
  updateRelationship,
} from "../../clients/graph/delegatedAdminRelationships";
import { requireEtag } from "../../clients/graph/gdapEtag";
import { CspError, isCspError, isLostResponse } from "../../errors";
import type { ServiceClient } from "../../http/types";
import {
  containsUnknown,
  partialCreate,
  refusal,
  stripUndefined,
  validateAccountInputs,
  withDefaults,
} from "../common";
import {
  GLOBAL_ADMINISTRATOR_ROLE_ID,
  resolveDirectoryRole,
  rolesAsDeclared,
} from "../directory/directoryRoleCatalog";
import { roleFailures, roleIdsOf } from "../directory/roleInputs";
import { isNotFound, isPreconditionFailed } from "../identity/errors";
import { account, guid, text } from "../identity/schemas";
import { sameSet } from "../identity/sets";
import type { CheckResult, DiffResult, HandlerContext, ResourceHandler } from "../types";
import { daysToDuration, durationDays } from "./isoDuration";
import { forgetRelationship, rememberRelationship } from "./relationshipMemo";

/**
 * GdapRelationship: a granular delegated admin relationship with a customer (Graph
 * `tenantRelationships/delegatedAdminRelationships`, "Create delegatedAdminRelationship",
 * https://learn.microsoft.com/graph/api/tenantrelationship-post-delegatedadminrelationships;
 * app+user in the partner tenant).
 *
 * - Create POSTs the relationship (without looking for it first: the name is unique, so the
 *   service refuses a second one and we adopt the first) and locks it for approval; outputs carry
 *   `status` and the customer's `approvalLink` (a Global Administrator of the customer approves
 *   there). `status` is what create (or the last refresh) read: an approval the customer gives
 *   later shows after `pulumi refresh`.
 * - Refresh follows the status (approvalPending → active → expiring → expired, or terminated) and
 *   shows drift of the name, duration, roles and auto-extend. An expired or terminated
 *   relationship is gone: refresh drops it from the stack and the next `up` creates a new one.
 * - Global Administrator cannot be combined with auto-extend: Microsoft disables auto-extend for
 *   relationships holding that role, so `check` FAILS on `autoExtendDuration` other than
 *   `PT0S`/`P0D` together with Global Administrator (a clear error instead of a value the service
 *   would silently not honour).
 * - After the lock the customer approves exactly these roles, duration and name: changing them
 *   replaces the relationship (terminate/delete the old one, create a new one that needs a new
 *   approval). Only `autoExtendDuration` changes in place.
 * - Delete: terminate (one request, no read first) once approved; DELETE (with If-Match) while
 *   `created`/`approvalPending`.
 */

export const AUTO_EXTEND_VALUES = ["PT0S", "P0D", "P180D"] as const;

const MAX_DAYS = 730;
const GONE = new Set(["expired", "terminated"]);
/** Statuses in which a relationship is ended by a `terminate` request. */
const TERMINABLE = new Set(["approved", "activating", "active", "expiring"]);

/** The inputs: at most 50 characters of name, unique among the partner's relationships. */
export const gdapRelationshipSchema = z
  .object({
    account,
    displayName: text(50),
    customerTenantId: guid,
    /** Shown to the customer; informational. */
    customerDisplayName: text(256).optional(),
    /** ISO 8601, from P1D to P2Y (normalised to `P{days}D`). */
    duration: z
      .string()
      .trim()
      .superRefine((s, ctx) => {
        const days = durationDays(s);
        if (days === undefined)
          ctx.addIssue({ code: "custom", message: "must be an ISO 8601 duration such as P730D or P2Y" });
        else if (days < 1 || days > MAX_DAYS) {
          ctx.addIssue({
            code: "custom",
            message: `must be between P1D and P2Y (730 days); ${s} is ${days} days`,
          });
        }
      })
      .transform((s) => daysToDuration(durationDays(s) ?? 0)),
    /** Role names (e.g. "Helpdesk Administrator") or template ids. */
    roles: z.array(z.string().trim().min(1, "must not be empty")).min(1, "must list at least one role"),
    /** `PT0S` (default, no auto-extend), `P0D` or `P180D`. */
    autoExtendDuration: z
      .string()
      .trim()
      .transform((s) => s.toUpperCase())
      .refine((s) => (AUTO_EXTEND_VALUES as readonly string[]).includes(s), {
        message: `must be one of ${AUTO_EXTEND_VALUES.join(", ")}`,
      })
      .optional(),
  })
  .strict();

export type GdapRelationshipInputs = z.output<typeof gdapRelationshipSchema>;

export interface GdapRelationshipOutputs extends GdapRelationshipInputs {
  relationshipId: string;
  /** `created`, `approvalPending`, `active`, `expiring`, ... */
  status: string;
  /** Where the customer approves the relationship. */
  approvalLink: string;
  roleIds: string[];
  autoExtendDuration: string;
  createdDateTime?: string;
  activatedDateTime?: string;
  endDateTime?: string;
}

type Props = GdapRelationshipInputs & GdapRelationshipOutputs;

async function check(
  _olds: Partial<GdapRelationshipInputs>,
  news: GdapRelationshipInputs,
  ctx: HandlerContext,
): Promise<CheckResult<GdapRelationshipInputs>> {
  const result = validateAccountInputs(gdapRelationshipSchema, news, ctx.config, roleFailures(news.roles));
  const failures = [...(result.failures ?? [])];
  const autoExtend =
    typeof news.autoExtendDuration === "string" ? news.autoExtendDuration.trim().toUpperCase() : "PT0S";
  const roles = Array.isArray(news.roles) ? news.roles.filter((r): r is string => typeof r === "string") : [];
  if (autoExtend === "P180D" && roles.some((r) => resolveDirectoryRole(r) === GLOBAL_ADMINISTRATOR_ROLE_ID)) {
    failures.push(
      refusal(
        "autoExtendDuration",
        "must be PT0S when roles include Global Administrator: Microsoft does not auto-extend relationships that hold Global Administrator; remove that role or set autoExtendDuration to PT0S",
        news.autoExtendDuration,
      ),
    );
  }
  if (failures.length > 0) return { failures };
  // Graph's default when omitted, as a refresh stores it.
  return result.inputs
    ? { ...result, inputs: withDefaults(result.inputs, { autoExtendDuration: "PT0S" }) }
    : result;
}

async function diff(_id: string, olds: Props, news: GdapRelationshipInputs): Promise<DiffResult> {
  const replaces: string[] = [];
  if ((olds.account ?? "") !== (news.account ?? "")) replaces.push("account");
  if (olds.customerTenantId.toLowerCase() !== news.customerTenantId.toLowerCase())
    replaces.push("customerTenantId");
  if (olds.displayName !== news.displayName) replaces.push("displayName");
  if (durationDays(olds.duration) !== durationDays(news.duration)) replaces.push("duration");
  if (containsUnknown(news.roles) || !sameSet(roleIdsOf(olds.roles), roleIdsOf(news.roles))) {
    replaces.push("roles");
  }
  const autoExtendChanged =
    normaliseAutoExtend(olds.autoExtendDuration) !== normaliseAutoExtend(news.autoExtendDuration);
  const infoChanged = (olds.customerDisplayName ?? "") !== (news.customerDisplayName ?? "");
  return {
    changes: replaces.length > 0 || autoExtendChanged || infoChanged,
    replaces,
    // The display name is unique: with the same name the old relationship must go first.
    ...(replaces.length > 0 && !replaces.includes("displayName") ? { deleteBeforeReplace: true } : {}),
  };
}

/** `P0D` and `PT0S` both mean "no auto-extend". */
function normaliseAutoExtend(value: string | undefined): string {
  const v = (value ?? "PT0S").toUpperCase();
  return v === "P0D" ? "PT0S" : v;
}

async function create(inputs: GdapRelationshipInputs, ctx: HandlerContext) {
  const graph = ctx.api(inputs.account).graph;
  const relationship = await postOrAdopt(graph, inputs, ctx);
  try {
    let current = relationship;
    if (current.status === "created") current = await lockForApproval(graph, current);
    // Handed to the access assignments' check and create, which follow in this process.
    rememberRelationship(ctx, inputs.account, current);
    const outs = outputs(inputs, current);
    if (outs.status === "approvalPending") {
      ctx.log(
        `GDAP relationship "${inputs.displayName}" awaits the customer's approval: a Global Administrator of customer ${inputs.customerTenantId} approves it at ${outs.approvalLink}`,
      );
    }
    return { id: current.id, outs };
  } catch (e) {
    throw partialCreate(e, relationship.id, outputs(inputs, relationship));
  }
}

/**
 * POSTs the relationship without looking first: its display name "must be unique across all
 * delegated admin relationships of the partner" ("Create delegatedAdminRelationship",
 * https://learn.microsoft.com/graph/api/tenantrelationship-post-delegatedadminrelationships), so
 * the service refuses a second relationship of the same name, the one an earlier run made (a
 * crash before the state was saved) or a repeated request whose first answer was lost. [U] The
 * status of that refusal is not documented: we take any 400 or 409, and a lost answer, as "perhaps
 * it exists" and look the name up; nothing found means the refusal was about something else.
 */
async function postOrAdopt(
  graph: ServiceClient,
  inputs: GdapRelationshipInputs,
  ctx: HandlerContext,
): Promise<GdapRelationship> {
  const body = {
    displayName: inputs.displayName,
    duration: daysToDuration(durationDays(inputs.duration)!),
    customer: stripUndefined({ tenantId: inputs.customerTenantId, displayName: inputs.customerDisplayName }),
    accessDetails: {
      unifiedRoles: roleIdsOf(inputs.roles).map((roleDefinitionId) => ({ roleDefinitionId })),
    },
    autoExtendDuration: (inputs.autoExtendDuration ?? "PT0S").toUpperCase(),
  };
  try {
    return await createRelationship(graph, body);
  } catch (e) {
    if (!isLostResponse(e) && !isRefused(e)) throw e;
    const found = await findLive(graph, inputs, e);
    if (!found) throw e;
    ctx.log(
      `GDAP relationship "${inputs.displayName}" already exists (${found.id}, ${found.status}); adopting it`,
    );
    return found;
  }
}

/** The service refused the request as it stands (400, 409): a rule or the object's status. */
function isRefused(e: unknown): boolean {
  return isCspError(e) && (e.status === 400 || e.status === 409);
}

/**
 * The partner's live (not ended) relationship with this name. A live relationship of the same
 * name for another customer, or (after a refused create) only ended ones holding the name, is a
 * conflict the user must resolve.
 */
async function findLive(
  graph: ServiceClient,
  inputs: GdapRelationshipInputs,
  refusal: unknown,
): Promise<GdapRelationship | undefined> {
  const named = await findRelationshipsByName(graph, inputs.displayName);
  const live = named.filter((r) => !GONE.has(r.status) && r.status !== "terminating");
  const other = live.find(
    (r) => (r.customer?.tenantId ?? "").toLowerCase() !== inputs.customerTenantId.toLowerCase(),
  );
  if (other) {
    throw nameTaken(
      inputs.displayName,
      `relationship ${other.id} with customer ${other.customer?.tenantId ?? "(unknown)"}`,
    );
  }
  if (live.length === 0 && named.length > 0 && isRefused(refusal)) {
    throw nameTaken(inputs.displayName, `relationship ${named[0]!.id}, which is ${named[0]!.status}`);
  }
  return live[0];
}

function nameTaken(displayName: string, holder: string): CspError {
  return new CspError({
    code: "CSP_CONFLICT",
    service: "graph",
    summary: `the GDAP relationship name "${displayName}" is already used by ${holder}`,
    hint: "relationship names are unique among all the partner's relationships, ended ones included: choose another displayName",
  });
}

/**
 * Locks the relationship for approval, then reads it: its status and dates as the service has them
 * (`approvalPending`, or already `active` when the customer approved at once).
 */
async function lockForApproval(
  graph: ServiceClient,
  relationship: GdapRelationship,
): Promise<GdapRelationship> {
  try {
    await postRelationshipRequest(graph, relationship.id, "lockForApproval");
  } catch (e) {
    if (!isLostResponse(e)) throw e;
    // The request may have been applied: read the status before asking again.
    const now = await getRelationship(graph, relationship.id);
    if (now?.status === "created") await postRelationshipRequest(graph, relationship.id, "lockForApproval");
  }
  return (await getRelationship(graph, relationship.id)) ?? relationship;
}

function outputs(inputs: GdapRelationshipInputs, r: GdapRelationship): GdapRelationshipOutputs {
  return stripUndefined({
    ...inputs,
    duration: daysToDuration(durationDays(inputs.duration) ?? 0),
    customerTenantId: inputs.customerTenantId.toLowerCase(),
    relationshipId: r.id,
    status: r.status,
    approvalLink: approvalLink(r.id),
    roleIds: relationshipRoleIds(r).sort(),
    autoExtendDuration: r.autoExtendDuration ?? (inputs.autoExtendDuration ?? "PT0S").toUpperCase(),
    createdDateTime: r.createdDateTime,
    activatedDateTime: r.activatedDateTime || undefined,
    endDateTime: r.endDateTime || undefined,
  });
}

async function read(id: string, props: Props, ctx: HandlerContext) {
  const graph = ctx.api(props.account).graph;
  const r = await getRelationship(graph, id);
  if (!r) return {};
  if (GONE.has(r.status)) {
    ctx.log(
      `GDAP relationship "${props.displayName}" (${id}) is ${r.status}; removing it from the stack (the next update creates a new one)`,
    );
    return {};
  }
  const roles = rolesAsDeclared(props.roles ?? [], relationshipRoleIds(r));
  const observed = stripUndefined({
    displayName: r.displayName,
    duration: daysToDuration(durationDays(r.duration) ?? durationDays(props.duration) ?? 0),
    roles,
    autoExtendDuration: r.autoExtendDuration ?? props.autoExtendDuration,
  });
  const outs: GdapRelationshipOutputs = { ...outputs({ ...props, ...observed }, r), ...observed };
  const inputs: GdapRelationshipInputs = stripUndefined({
    account: props.account,
    customerTenantId: props.customerTenantId,
    customerDisplayName: props.customerDisplayName,
    ...observed,
  });
  return { id, props: outs, inputs };
}

async function update(id: string, olds: Props, news: GdapRelationshipInputs, ctx: HandlerContext) {
  const graph = ctx.api(news.account).graph;
  forgetRelationship(ctx, news.account, id);
  let r = await getRelationship(graph, id);
  if (!r) {
    throw new CspError({
      code: "CSP_API_ERROR",
      service: "graph",
      summary: `GDAP relationship ${id} no longer exists`,
      hint: "run `pulumi refresh`; the next `pulumi up` creates it again",
    });
  }
  // A create whose lock for approval failed is recorded as a partial create with status
  // `created`; the engine's next run updates it: finish the create.
  if (r.status === "created") {
    r = await lockForApproval(graph, r);
    if (r.status === "approvalPending") {
      ctx.log(
        `GDAP relationship "${news.displayName}" awaits the customer's approval: a Global Administrator of customer ${news.customerTenantId} approves it at ${approvalLink(r.id)}`,
      );
    }
  }
  if (normaliseAutoExtend(olds.autoExtendDuration) !== normaliseAutoExtend(news.autoExtendDuration)) {
    r = await setAutoExtend(graph, r, (news.autoExtendDuration ?? "PT0S").toUpperCase());
  }
  return { outs: outputs(news, r) };
}

/**
 * PATCHes `autoExtendDuration` with `If-Match`; the relationship as it is then (the PATCH changes
 * nothing else). A 412 follows when the pipeline repeated a PATCH whose answer was lost but which
 * was applied (the ETag changed): read again, done when the value is there, otherwise once more
 * with the current ETag.
 */
async function setAutoExtend(
  graph: ServiceClient,
  r: GdapRelationship,
  value: string,
): Promise<GdapRelationship> {
  try {
    await updateRelationship(graph, r.id, etagOf(r), { autoExtendDuration: value });
  } catch (e) {
    if (!isPreconditionFailed(e)) throw e;
    const now = await getRelationship(graph, r.id);
    if (!now) throw e;
    if (normaliseAutoExtend(now.autoExtendDuration) !== normaliseAutoExtend(value)) {
      await updateRelationship(graph, r.id, etagOf(now), { autoExtendDuration: value });
    }
  }
  return { ...r, autoExtendDuration: value };
}

function etagOf(r: GdapRelationship): string {
  return requireEtag(r, "GDAP relationship");
}

/**
 * Ends the relationship. One `terminate` request without reading first when the state says it
 * went past `created`: that request is what an approved relationship needs, and the service refuses
 * it for any other status ("delegatedAdminRelationship resource type": `terminationRequested` is
 * reached through the `terminate` action,
 * https://learn.microsoft.com/graph/api/resources/delegatedadminrelationship; [U] the refusal's
 * status, 400 or 409 taken). A refusal, a lost answer or a state saying `created` lead to a read
 * and the step its status calls for.
 */
async function remove(id: string, props: Props, ctx: HandlerContext) {
  const graph = ctx.api(props.account).graph;
  forgetRelationship(ctx, props.account, id);
  if (props.status !== "created") {
    try {
      await postRelationshipRequest(graph, id, "terminate");
      ctx.log(`GDAP relationship "${props.displayName}" (${id}) termination requested`);
      return;
    } catch (e) {
      if (isNotFound(e)) return;
      if (!isLostResponse(e) && !isRefused(e)) throw e;
      const now = await getRelationship(graph, id);
      if (!now) return;
      if (TERMINABLE.has(now.status)) {
        // Refused while terminable: not a status question, the refusal stands.
        if (!isLostResponse(e)) throw e;
        // The lost request was not applied: ask again.
        await postRelationshipRequest(graph, id, "terminate");
        ctx.log(`GDAP relationship "${props.displayName}" (${id}) termination requested`);
        return;
      }
      return endByStatus(graph, now, props, ctx);
    }
  }
  const r = await getRelationship(graph, id);
  if (r) await endByStatus(graph, r, props, ctx);
}

/** Ends a relationship that `terminate` does not apply to, by its status. */
async function endByStatus(graph: ServiceClient, r: GdapRelationship, props: Props, ctx: HandlerContext) {
  switch (r.status) {
    case "created":
      await deleteRelationship(graph, r.id, etagOf(r));
      return;
    case "approvalPending":
      try {
        await deleteRelationship(graph, r.id, etagOf(r));
      } catch (e) {
        if (!isCspError(e) || e.status === undefined || e.status >= 500) throw e;
        // [U] Graph documents DELETE for `created` only. An unapproved relationship cannot be
        // withdrawn then; it lapses when the customer does not approve it.
        ctx.log(
          `GDAP relationship "${props.displayName}" (${r.id}) awaits approval and cannot be withdrawn (${e.message}); it is removed from the stack and lapses if the customer does not approve it`,
        );
      }
      return;
    case "approved":
    case "activating":
    case "active":
    case "expiring":
      await postRelationshipRequest(graph, r.id, "terminate");
      ctx.log(`GDAP relationship "${props.displayName}" (${r.id}) termination requested`);
      return;
    default:
      // terminationRequested, terminating, terminated, expired: nothing left to do.
      return;
  }
}

export const gdapRelationshipHandler: ResourceHandler<GdapRelationshipInputs, GdapRelationshipOutputs> = {
  check,
  diff,
  create,
  read,
  update,
  delete: remove,
};
