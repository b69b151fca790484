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
} from "../clients/graph/delegatedAdminRelationships";
import { CspError, isCspError, isLostResponse } from "../errors";
import type { ServiceClient } from "../http/types";
import { accountFailures } from "./commerce/fields";
import { containsUnknown, partialCreate, stripUndefined, validateInputs } from "./common";
import {
  GLOBAL_ADMINISTRATOR_ROLE_ID,
  resolveDirectoryRole,
  rolesAsDeclared,
} from "./directory/directoryRoleCatalog";
import { roleFailures, roleIdsOf } from "./directory/roleInputs";
import { isPreconditionFailed } from "./identity/errors";
import { daysToDuration, durationDays } from "./identity/isoDuration";
import { account, guid, text } from "./identity/schemas";
import { sameSet } from "./identity/sets";
import { registerHandler } from "./registry";
import type { DiffResult, HandlerContext, ResourceHandler } from "./types";

/**
 * GdapRelationship: a granular delegated admin relationship with a customer (Graph
 * `tenantRelationships/delegatedAdminRelationships`, "Create delegatedAdminRelationship",
 * https://learn.microsoft.com/graph/api/tenantrelationship-post-delegatedadminrelationships;
 * app+user in the partner tenant).
 *
 * - Create POSTs the relationship and locks it for approval; outputs carry `status` and the
 *   customer's `approvalLink` (a Global Administrator of the customer approves there).
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
 * - Delete: DELETE (with If-Match) while `created`/`approvalPending`, terminate while active.
 */

export const AUTO_EXTEND_VALUES = ["PT0S", "P0D", "P180D"] as const;

export interface GdapRelationshipInputs {
  account?: string;
  /** At most 50 characters, unique among the partner's relationships. */
  displayName: string;
  customerTenantId: string;
  /** Shown to the customer; informational. */
  customerDisplayName?: string;
  /** ISO 8601, from P1D to P2Y (normalised to `P{days}D`). */
  duration: string;
  /** Role names (e.g. "Helpdesk Administrator") or template ids. */
  roles: string[];
  /** `PT0S` (default, no auto-extend), `P0D` or `P180D`. */
  autoExtendDuration?: string;
}

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

const MAX_DAYS = 730;
const GONE = new Set(["expired", "terminated"]);
/** Statuses in which a relationship is ended by a `terminate` request. */
const TERMINABLE = new Set(["approved", "activating", "active", "expiring"]);

const schema = z
  .object({
    account,
    displayName: text(50),
    customerTenantId: guid,
    customerDisplayName: text(256).optional(),
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
    roles: z.array(z.string().trim().min(1, "must not be empty")).min(1, "must list at least one role"),
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

async function check(
  _olds: Partial<GdapRelationshipInputs>,
  news: GdapRelationshipInputs,
  ctx: HandlerContext,
) {
  const result = validateInputs(schema as unknown as z.ZodType<GdapRelationshipInputs>, news);
  const failures = [
    ...(result.failures ?? []),
    ...roleFailures(news.roles),
    ...accountFailures(news.account, ctx.config),
  ];
  const autoExtend =
    typeof news.autoExtendDuration === "string" ? news.autoExtendDuration.trim().toUpperCase() : "PT0S";
  const roles = Array.isArray(news.roles) ? news.roles.filter((r): r is string => typeof r === "string") : [];
  if (autoExtend === "P180D" && roles.some((r) => resolveDirectoryRole(r) === GLOBAL_ADMINISTRATOR_ROLE_ID)) {
    failures.push({
      property: "autoExtendDuration",
      reason:
        "autoExtendDuration: must be PT0S when roles include Global Administrator: Microsoft does not auto-extend relationships that hold Global Administrator; remove that role or set autoExtendDuration to PT0S",
    });
  }
  if (failures.length > 0) return { failures };
  return result;
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
  const relationship = await findOrCreate(graph, inputs, ctx);
  try {
    let current = relationship;
    if (current.status === "created") current = await lockForApproval(graph, current);
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

async function findOrCreate(
  graph: ServiceClient,
  inputs: GdapRelationshipInputs,
  ctx: HandlerContext,
): Promise<GdapRelationship> {
  const existing = await findLive(graph, inputs);
  if (existing) {
    ctx.log(
      `GDAP relationship "${inputs.displayName}" already exists (${existing.id}, ${existing.status}); adopting it`,
    );
    return existing;
  }
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
    if (!isLostResponse(e)) throw e;
    const found = await findLive(graph, inputs);
    if (!found) throw e;
    return found;
  }
}

/**
 * The partner's live (not expired/terminated) relationship with this name. A live relationship of
 * the same name for another customer is a conflict the user must resolve.
 */
async function findLive(
  graph: ServiceClient,
  inputs: GdapRelationshipInputs,
): Promise<GdapRelationship | undefined> {
  const live = (await findRelationshipsByName(graph, inputs.displayName)).filter(
    (r) => !GONE.has(r.status) && r.status !== "terminating",
  );
  const other = live.find(
    (r) => (r.customer?.tenantId ?? "").toLowerCase() !== inputs.customerTenantId.toLowerCase(),
  );
  if (other) {
    throw new CspError({
      code: "CSP_CONFLICT",
      service: "graph",
      summary: `the GDAP relationship name "${inputs.displayName}" is already used by relationship ${other.id} with customer ${other.customer?.tenantId ?? "(unknown)"}`,
      hint: "relationship names are unique among the partner's relationships: choose another displayName",
    });
  }
  return live[0];
}

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
  const outs: GdapRelationshipOutputs = {
    ...outputs({ ...props, ...observed }, r),
    ...observed,
  } as GdapRelationshipOutputs;
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
 * PATCHes `autoExtendDuration` with `If-Match`. A 412 follows when the pipeline repeated a PATCH
 * whose answer was lost but which was applied (the ETag changed): read again, done when the value
 * is there, otherwise once more with the current ETag.
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
  return (await getRelationship(graph, r.id)) ?? r;
}

function etagOf(r: GdapRelationship): string {
  const etag = r["@odata.etag"];
  if (!etag) {
    throw new CspError({
      code: "CSP_API_ERROR",
      service: "graph",
      summary: `GDAP relationship ${r.id} was returned without an etag`,
      hint: "run the operation again",
    });
  }
  return etag;
}

async function remove(id: string, props: Props, ctx: HandlerContext) {
  const graph = ctx.api(props.account).graph;
  const r = await getRelationship(graph, id);
  if (!r) return;
  switch (r.status) {
    case "created":
      await deleteRelationship(graph, id, etagOf(r));
      return;
    case "approvalPending":
      try {
        await deleteRelationship(graph, id, etagOf(r));
      } catch (e) {
        if (!isCspError(e) || e.status === undefined || e.status >= 500) throw e;
        // [U] Graph documents DELETE for `created` only. An unapproved relationship cannot be
        // withdrawn then; it lapses when the customer does not approve it.
        ctx.log(
          `GDAP relationship "${props.displayName}" (${id}) awaits approval and cannot be withdrawn (${e.message}); it is removed from the stack and lapses if the customer does not approve it`,
        );
      }
      return;
    case "approved":
    case "activating":
    case "active":
    case "expiring":
      try {
        await postRelationshipRequest(graph, id, "terminate");
      } catch (e) {
        if (!isLostResponse(e)) throw e;
        // The request may have been applied: read the status before asking again.
        const now = await getRelationship(graph, id);
        if (now && TERMINABLE.has(now.status)) await postRelationshipRequest(graph, id, "terminate");
      }
      ctx.log(`GDAP relationship "${props.displayName}" (${id}) termination requested`);
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

registerHandler("GdapRelationship", gdapRelationshipHandler);
