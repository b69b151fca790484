import type { CspApi } from "../provider/clients/cspApi";
import {
  assignmentRoleIds,
  listAccessAssignments,
} from "../provider/clients/graph/delegatedAdminAccessAssignments";
import {
  approvalLink,
  type GdapRelationship,
  getRelationship,
  relationshipRoleIds,
} from "../provider/clients/graph/delegatedAdminRelationships";
import { listGraph } from "../provider/clients/paging";
import { directoryRoleName, resolveDirectoryRole } from "../provider/handlers/directory/directoryRoleCatalog";
import { type CheckResult, fail, failFrom, pass } from "./doctorChecks";

/** The doctor's GDAP checks: a customer's GDAP relationships, their roles and access assignments. */
const GDAP_RELATIONSHIPS = "/v1.0/tenantRelationships/delegatedAdminRelationships";

export async function gdapCustomerCheck(
  api: CspApi,
  customerId: string,
  roles: string[],
  now: () => number,
): Promise<CheckResult> {
  try {
    // [U] `$filter` on customer/tenantId is not documented: list and filter here.
    const all = await listGraph<GdapRelationship>(api.graph, {
      method: "GET",
      path: GDAP_RELATIONSHIPS,
      auth: { mode: "user" },
    });
    const mine = all.filter((r) => r.customer?.tenantId?.toLowerCase() === customerId.toLowerCase());
    const active = mine.filter((r) => r.status === "active");
    if (active.length === 0) {
      if (mine.length === 0) {
        return fail(
          "gdap",
          `no GDAP relationship with customer ${customerId}`,
          "declare a GdapRelationship for the customer, have the customer approve it, then a GdapAccessAssignment for your admin agents' security group",
        );
      }
      // Report the most advanced one.
      return evaluateRelationship(api, mine[0]!, roles, now);
    }
    const evaluated: CheckResult[] = [];
    for (const r of active) {
      const result = await evaluateRelationship(api, r, roles, now);
      if (result.status === "PASS") return result;
      evaluated.push(result);
    }
    return evaluated[0]!;
  } catch (e) {
    return failFrom(
      "gdap",
      e,
      "check the admin agent's DelegatedAdminRelationship.ReadWrite.All consent in the partner tenant",
    );
  }
}

export async function gdapRelationshipCheck(
  api: CspApi,
  id: string,
  roles: string[],
  customerId: string | undefined,
  now: () => number,
): Promise<CheckResult> {
  try {
    const relationship = await getRelationship(api.graph, id);
    if (!relationship) {
      return fail(
        "gdap",
        `GDAP relationship ${id} does not exist for this partner`,
        "check the relationship id",
      );
    }
    const result = await evaluateRelationship(api, relationship, roles, now);
    const other = relationship.customer?.tenantId;
    if (customerId && other && other.toLowerCase() !== customerId.toLowerCase()) {
      return fail(
        "gdap",
        `${result.detail}; but it is with customer ${other}, not ${customerId}`,
        "check --gdap-relationship and --customer",
      );
    }
    return result;
  } catch (e) {
    return failFrom("gdap", e, "check the relationship id and the admin agent's GDAP permissions");
  }
}

async function evaluateRelationship(
  api: CspApi,
  r: GdapRelationship,
  required: string[],
  now: () => number,
): Promise<CheckResult> {
  const who = `GDAP relationship ${r.id} "${r.displayName}"${r.customer?.tenantId ? ` with ${r.customer.displayName ?? r.customer.tenantId}` : ""}`;
  const roleIds = relationshipRoleIds(r);
  const roleNames = roleIds.map((id) => directoryRoleName(id) ?? id);
  if (r.status !== "active") {
    const fixes: Record<string, string> = {
      created:
        "lock it for approval (GdapRelationship does this) and send the customer's Global Administrator the approval link",
      approvalPending: `the customer's Global Administrator must approve it: ${approvalLink(r.id)}`,
      approved: "approval is being processed: check again in a few minutes",
      activating: "activation is in progress: check again in a few minutes",
    };
    return fail(
      "gdap",
      `${who} is ${r.status}, not active (roles: ${roleNames.join(", ") || "none"})`,
      fixes[r.status] ?? "create a new GDAP relationship with the customer (this one can no longer be used)",
    );
  }
  const missing = required
    .map((name) => ({ name, id: resolveDirectoryRole(name) }))
    .filter((x) => !x.id || !roleIds.includes(x.id));
  if (missing.length > 0) {
    return fail(
      "gdap",
      `${who} is active but lacks ${missing.map((m) => (m.id ? m.name : `${m.name} (unknown role)`)).join(", ")} (has: ${roleNames.join(", ") || "none"})`,
      "create a new relationship with the missing roles (roles of an active relationship cannot be changed) and have the customer approve it",
    );
  }
  const assignments = (await listAccessAssignments(api.graph, r.id)).filter((a) => a.status === "active");
  const assigned = new Set(assignments.flatMap((a) => assignmentRoleIds(a)));
  if (assignments.length === 0) {
    return fail(
      "gdap",
      `${who} is active (roles: ${roleNames.join(", ")}) but no security group holds its roles (no active access assignment)`,
      "declare a GdapAccessAssignment giving the roles to your admin agents' security group",
    );
  }
  const unassigned = required
    .map((name) => ({ name, id: resolveDirectoryRole(name)! }))
    .filter((x) => !assigned.has(x.id));
  if (unassigned.length > 0) {
    return fail(
      "gdap",
      `${who} is active, but ${unassigned.map((u) => u.name).join(", ")} is not given to any security group (assigned: ${[...assigned].map((id) => directoryRoleName(id) ?? id).join(", ")})`,
      "add the roles to a GdapAccessAssignment for your admin agents' security group",
    );
  }
  const end = r.endDateTime ? Date.parse(r.endDateTime) : Number.NaN;
  const days = Number.isFinite(end) ? Math.floor((end - now()) / 86_400_000) : undefined;
  const ending =
    days === undefined
      ? ""
      : `, ends ${r.endDateTime}${days < 30 ? ` (in ${days} days${r.autoExtendDuration && r.autoExtendDuration !== "PT0S" ? `, auto-extends by ${r.autoExtendDuration}` : ": renew it soon"})` : ""}`;
  return pass(
    "gdap",
    `${who} is active with roles ${roleNames.join(", ")}; ${assignments.length} active access assignment(s)${ending}`,
  );
}
