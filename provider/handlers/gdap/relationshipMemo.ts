import { type GdapRelationship, getRelationship } from "../../clients/graph/delegatedAdminRelationships";
import type { HandlerContext } from "../types";

/**
 * The GDAP relationship a provider process has just read, handed from one step to the next
 * through the account's process memo (`ctx.api(account).memo`): during `pulumi up` the engine
 * runs GdapRelationship's create, then GdapAccessAssignment's check, then its create, in one
 * provider process, and each of them needs the relationship's roles and status.
 *
 * Only an `active` relationship is taken from the memo. Its roles are fixed once the customer
 * approved them ("delegatedAdminRelationship resource type": displayName, duration and roles are
 * set only in the `created` status,
 * https://learn.microsoft.com/graph/api/resources/delegatedadminrelationship), and it leaves
 * `active` only when someone terminates it or it expires, which a write on it then answers with an
 * error. Any other status is read again: the customer's approval changes it at any moment.
 */

/** How long a read is trusted: the steps of one `up` that need it follow one another within it. */
export const RELATIONSHIP_MEMO_TTL_MS = 30_000;

function key(id: string): string {
  return `gdapRelationship:${id.toLowerCase()}`;
}

/** Records what a step just read (or made) of the relationship. */
export function rememberRelationship(ctx: HandlerContext, account: string | undefined, r: GdapRelationship) {
  ctx.api(account).memo.set(key(r.id), r, { ttlMs: RELATIONSHIP_MEMO_TTL_MS });
}

/** Drops what the process knows of the relationship (after a write that changes it). */
export function forgetRelationship(ctx: HandlerContext, account: string | undefined, id: string) {
  ctx.api(account).memo.forget(key(id));
}

/**
 * The relationship (`undefined` when it does not exist): the active relationship this process
 * read within {@link RELATIONSHIP_MEMO_TTL_MS}, otherwise one GET, remembered.
 */
export async function relationshipNow(
  ctx: HandlerContext,
  account: string | undefined,
  id: string,
): Promise<GdapRelationship | undefined> {
  const memo = ctx.api(account).memo;
  if (memo.has(key(id))) {
    const known = await memo.get<GdapRelationship | undefined>(key(id), async () => undefined);
    if (known?.status === "active") return known;
    memo.forget(key(id));
  }
  const r = await memo.get(key(id), () => getRelationship(ctx.api(account).graph, id), {
    ttlMs: RELATIONSHIP_MEMO_TTL_MS,
  });
  if (!r) memo.forget(key(id));
  return r;
}
