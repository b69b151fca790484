import { randomUUID } from "node:crypto";
import type { GdapRelationshipRecord } from "../common/state";
import { addIsoDuration, parseIsoDuration } from "./isoDuration";

/**
 * GDAP (`delegatedAdminRelationship`) state and lifecycle shared by the Graph routes and the admin
 * approval action. Status lifecycle ("delegatedAdminRelationship resource type",
 * https://learn.microsoft.com/graph/api/resources/delegatedadminrelationship): created →
 * approvalPending → (approved → activating →) active → expiring → expired | terminationRequested →
 * terminating → terminated. The emulator collapses the transient states: approval makes a
 * relationship `active` at once; a termination request shows `terminationRequested` in its answer
 * and `terminated` on the next read. Access assignments: pending → active on the next read;
 * deleting → deleted on the next read.
 */

/**
 * Link a customer's Global Administrator opens to approve a relationship (format of the Microsoft
 * 365 admin center invitation page, [U] — not in the sources read).
 */
export function customerApprovalLink(relationshipId: string): string {
  return `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${relationshipId}`;
}

/** A fresh weak ETag in the shape Graph uses for GDAP objects: `W/"<base64 of '"<guid>"'>"`. */
export function newGdapEtag(): string {
  return `W/"${Buffer.from(`'"${randomUUID()}"'`).toString("base64")}"`;
}

/** Graph timestamp with 7 fractional digits, as in the GDAP samples (`2022-02-10T11:24:42.3148266Z`). */
export function gdapTime(d: Date): string {
  return `${d.toISOString().slice(0, 23)}0000Z`;
}

/** Role ids of a relationship's or an assignment's `accessDetails`. */
export function roleIdsOf(resource: Record<string, unknown>): string[] {
  const details = resource.accessDetails as { unifiedRoles?: { roleDefinitionId?: unknown }[] } | undefined;
  return (details?.unifiedRoles ?? [])
    .map((r) => r.roleDefinitionId)
    .filter((r): r is string => typeof r === "string")
    .map((r) => r.toLowerCase());
}

/**
 * Brings a relationship up to date at `now`: completes a requested termination, expires (or
 * auto-extends) an active relationship past its end, and advances its access assignments.
 * Returns whether anything changed.
 */
export function refreshRelationship(record: GdapRelationshipRecord, now: Date): boolean {
  const r = record.resource;
  let changed = false;
  const stamp = gdapTime(now);
  if (r.status === "terminationRequested" || r.status === "terminating") {
    r.status = "terminated";
    r.endDateTime = stamp;
    r.lastModifiedDateTime = stamp;
    changed = true;
  }
  if (
    r.status === "active" &&
    typeof r.endDateTime === "string" &&
    Date.parse(r.endDateTime) <= now.getTime()
  ) {
    const extend =
      typeof r.autoExtendDuration === "string" ? parseIsoDuration(r.autoExtendDuration) : undefined;
    if (extend && addIsoDuration(now, extend).getTime() > now.getTime()) {
      let end = new Date(Date.parse(r.endDateTime));
      while (end.getTime() <= now.getTime()) end = addIsoDuration(end, extend);
      r.endDateTime = gdapTime(end);
    } else {
      r.status = "expired";
    }
    r.lastModifiedDateTime = stamp;
    changed = true;
  }
  const ended = r.status === "terminated" || r.status === "expired";
  for (const a of Object.values(record.accessAssignments)) {
    const s = a.resource.status;
    let next: string | undefined;
    if (ended && s !== "deleted") next = "deleted";
    else if (s === "pending") next = "active";
    else if (s === "deleting") next = "deleted";
    if (next !== undefined) {
      a.resource.status = next;
      a.resource.lastModifiedDateTime = stamp;
      a.etag = newGdapEtag();
      changed = true;
    }
  }
  for (const req of Object.values(record.requests)) {
    if (
      req.status === "created" ||
      req.status === "pending" ||
      req.status === "notStarted" ||
      req.status === "running"
    ) {
      // Relationship requests end `succeeded`; long-running operations end `complete`.
      req.status = "action" in req ? "succeeded" : "complete";
      req.lastModifiedDateTime = stamp;
      changed = true;
    }
  }
  if (changed) record.etag = newGdapEtag();
  return changed;
}
