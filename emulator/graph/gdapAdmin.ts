import { AdminRefusal } from "../common/adminRefusal";
import type { EmulatorState } from "../common/state";
import { gdapTime, newGdapEtag, refreshRelationship } from "./gdapModel";
import { addIsoDuration, parseIsoDuration } from "./isoDuration";

/** Why an approval was refused (unknown id, wrong status, no customer). */
export class GdapApprovalError extends AdminRefusal {}

/**
 * Emulator admin action standing in for the customer's Global Administrator approving a GDAP
 * relationship: `approvalPending` → `active`, with `activatedDateTime = now` and
 * `endDateTime = now + duration`. Approving an already active relationship returns it unchanged
 * (idempotent). Throws {@link GdapApprovalError} otherwise. The caller persists the state.
 */
export function approveRelationship(state: EmulatorState, id: string, now: Date): Record<string, unknown> {
  const rec = state.gdap[id];
  if (!rec) throw new GdapApprovalError(`GDAP relationship '${id}' does not exist.`, 404);
  refreshRelationship(rec, now);
  const r = rec.resource;
  if (r.status === "active") return { "@odata.etag": rec.etag, ...r };
  if (r.status !== "approvalPending") {
    throw new GdapApprovalError(
      `GDAP relationship '${id}' is '${String(r.status)}'; only a relationship locked for approval (approvalPending) can be approved. Post a lockForApproval request first.`,
      409,
    );
  }
  const customer = r.customer as { tenantId?: string } | null | undefined;
  if (!customer?.tenantId) {
    throw new GdapApprovalError(`GDAP relationship '${id}' names no customer tenant to approve it.`, 400);
  }
  const duration = parseIsoDuration(String(r.duration));
  if (!duration) throw new GdapApprovalError(`GDAP relationship '${id}' has an invalid duration.`, 400);
  const stamp = gdapTime(now);
  r.status = "active";
  r.activatedDateTime = stamp;
  r.endDateTime = gdapTime(addIsoDuration(now, duration));
  r.lastModifiedDateTime = stamp;
  if (!r.customer || typeof (r.customer as { displayName?: unknown }).displayName !== "string") {
    const t = state.directory[customer.tenantId];
    r.customer = { tenantId: customer.tenantId, displayName: t?.displayName ?? null };
  }
  rec.etag = newGdapEtag();
  return { "@odata.etag": rec.etag, ...r };
}
