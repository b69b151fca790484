import type { EmulatorState, GdapRelationshipRecord } from "../common/state";
import { refreshRelationship, roleIdsOf } from "./gdapModel";

/**
 * What a partner user may do in a customer tenant through GDAP: the Entra roles they hold there.
 *
 * Microsoft's model ("Introduction to granular delegated admin privileges (GDAP)",
 * https://learn.microsoft.com/partner-center/gdap-introduction, and "delegatedAdminAccessAssignment
 * resource type", https://learn.microsoft.com/graph/api/resources/delegatedadminaccessassignment):
 * a customer approves a relationship that lists roles; the partner then assigns some of those roles
 * to security groups of its own tenant; a partner user holds, in that customer, the roles of every
 * assignment whose group they belong to, as long as the relationship is active.
 *
 * Effective roles = union, over the ACTIVE relationships between the partner and the customer, of
 * the roles of their active access assignments whose security group has the user as a member,
 * each intersected with the roles of its relationship.
 *
 * [U] Membership is direct membership of the assignment's group; the docs read do not say whether
 * nested groups count, the emulator does not follow them.
 * [U] An assignment still `pending` counts as effective: the emulator makes it `active` on the next
 * read anyway (gdapModel.ts), and production activates it within minutes.
 */

/** One relationship between a partner and a customer, as the authorisation saw it. */
export interface GdapRelationshipSummary {
  id: string;
  displayName: string;
  status: string;
  /** Roles the customer approved (lower-cased template ids). */
  roleIds: string[];
  /** Active assignments: group id, whether the user is a member, roles it grants. */
  assignments: { groupId: string; userIsMember: boolean; roleIds: string[] }[];
}

/** The effective roles of a partner user in a customer, and the relationships behind them. */
export interface GdapAccess {
  /** Lower-cased role template ids the user holds in the customer tenant. */
  roleIds: string[];
  relationships: GdapRelationshipSummary[];
}

const EFFECTIVE_ASSIGNMENT = new Set(["active", "pending"]);

/** Relationships of `partnerTenantId` with `customerTenantId`. */
function relationshipsBetween(
  state: EmulatorState,
  partnerTenantId: string,
  customerTenantId: string,
): GdapRelationshipRecord[] {
  const customer = customerTenantId.toLowerCase();
  return Object.values(state.gdap).filter((rec) => {
    const c = rec.resource.customer as { tenantId?: string } | null | undefined;
    return (
      rec.partnerTenantId.toLowerCase() === partnerTenantId.toLowerCase() &&
      typeof c?.tenantId === "string" &&
      c.tenantId.toLowerCase() === customer
    );
  });
}

/**
 * The GDAP access of `userId` (a user of the partner tenant) in `customerTenantId`. With `now`,
 * the relationships are first brought up to date (expiry, termination); `changed` then says
 * whether the state changed (the caller marks it dirty).
 */
export function gdapAccess(
  state: EmulatorState,
  partnerTenantId: string,
  customerTenantId: string,
  userId: string,
  now?: Date,
): GdapAccess & { changed: boolean } {
  const partner = state.directory[partnerTenantId.toLowerCase()] ?? state.directory[partnerTenantId];
  const roles = new Set<string>();
  const relationships: GdapRelationshipSummary[] = [];
  let changed = false;
  for (const rec of relationshipsBetween(state, partnerTenantId, customerTenantId)) {
    if (now && refreshRelationship(rec, now)) changed = true;
    const approved = roleIdsOf(rec.resource);
    const summary: GdapRelationshipSummary = {
      id: String(rec.resource.id),
      displayName: String(rec.resource.displayName ?? rec.resource.id),
      status: String(rec.resource.status),
      roleIds: approved,
      assignments: [],
    };
    relationships.push(summary);
    if (rec.resource.status !== "active") continue;
    for (const a of Object.values(rec.accessAssignments)) {
      if (!EFFECTIVE_ASSIGNMENT.has(String(a.resource.status))) continue;
      const container = a.resource.accessContainer as { accessContainerId?: string } | undefined;
      const groupId = (container?.accessContainerId ?? "").toLowerCase();
      const granted = roleIdsOf(a.resource).filter((r) => approved.includes(r));
      const member = partner?.groups[groupId]?.memberIds.includes(userId) ?? false;
      summary.assignments.push({ groupId, userIsMember: member, roleIds: granted });
      if (member) for (const r of granted) roles.add(r);
    }
  }
  return { roleIds: [...roles], relationships, changed };
}

/** Ids of Entra roles `userId` holds in `customerTenantId` through active GDAP access assignments. */
export function gdapRolesForUser(
  state: EmulatorState,
  partnerTenantId: string,
  customerTenantId: string,
  userId: string,
): string[] {
  return gdapAccess(state, partnerTenantId, customerTenantId, userId).roleIds;
}
