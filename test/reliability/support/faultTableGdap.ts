import type { EmulatorState } from "../../../emulator/index";
import { gdapAccessAssignmentHandler } from "../../../provider/handlers/gdap/gdapAccessAssignment";
import { gdapRelationshipHandler } from "../../../provider/handlers/gdap/gdapRelationship";
import { createTestCustomer } from "../../support/identityFixtures";
import { erase, type FaultLane, type Json } from "./faultKit";
import type { FaultRow, Finding, Held, Prepared } from "./faultTableKit";
import { checkedInputs, count, create, HELPDESK, same, uniqueName } from "./faultTableKit";

/**
 * Fault-matrix rows of GDAP: every write of GdapRelationship and GdapAccessAssignment (create,
 * update, delete).
 */

const USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1";

const GDAP_BASE = "/v1.0/tenantRelationships/delegatedAdminRelationships";

function liveRelationships(s: EmulatorState, displayName: string) {
  return Object.entries(s.gdap).filter(
    ([, r]) =>
      r.resource["displayName"] === displayName &&
      !["terminated", "expired", "terminating", "terminationRequested"].includes(
        String(r.resource["status"]),
      ),
  );
}

function liveAssignments(s: EmulatorState, relationshipId: string, groupId: string) {
  const rel = s.gdap[relationshipId];
  return Object.values(rel?.accessAssignments ?? {}).filter(
    (a) =>
      (a.resource["accessContainer"] as { accessContainerId?: string }).accessContainerId === groupId &&
      !["deleted", "deleting"].includes(String(a.resource["status"])),
  );
}

function roleIdsOfResource(resource: Record<string, unknown>): string[] {
  const roles = (resource["accessDetails"] as { unifiedRoles?: { roleDefinitionId: string }[] } | undefined)
    ?.unifiedRoles;
  return (roles ?? []).map((r) => r.roleDefinitionId.toLowerCase()).sort();
}

function gdapInputs(customerId: string, displayName: string, autoExtendDuration = "PT0S"): Json {
  return {
    displayName,
    customerTenantId: customerId,
    duration: "P730D",
    roles: ["Helpdesk Administrator", "User Administrator"],
    autoExtendDuration,
  };
}

/** A GDAP relationship the customer approved (status active), made through the handler. */
async function activeRelationship(lane: FaultLane, customerId: string, autoExtend = "PT0S"): Promise<Held> {
  const rel = await create(
    erase(gdapRelationshipHandler),
    gdapInputs(customerId, uniqueName("fm "), autoExtend),
    lane.setup,
  );
  await lane.t.emu.admin.approveGdapRelationship(rel.id);
  const read = await gdapRelationshipHandler.read(rel.id, rel.state as never, lane.setup);
  return { ...rel, state: { ...rel.state, ...(read.props as unknown as Json) } };
}

async function newRelationship(lane: FaultLane): Promise<Prepared> {
  const { customerId } = await createTestCustomer(lane.setup, "fault");
  const name = uniqueName("fm ");
  const inputs = await checkedInputs(
    erase(gdapRelationshipHandler),
    {},
    gdapInputs(customerId, name),
    lane.setup,
  );
  return { ids: { customerId, name }, inputs };
}

function relationshipFindings(
  s: EmulatorState,
  p: Prepared,
  result: Held,
  status: string,
  autoExtend = "PT0S",
): Finding[] {
  const live = liveRelationships(s, p.ids["name"]!);
  return [
    count(`GDAP relationships named "${p.ids["name"]}"`, live.length, 1),
    ...same("relationship id", live[0]?.[0], result.id),
    ...same("relationship status", live[0]?.[1].resource["status"], status),
    ...same("state status", result.state["status"], status),
    ...same("auto-extend", live[0]?.[1].resource["autoExtendDuration"], autoExtend),
  ];
}

export const gdapRows: FaultRow[] = [
  {
    resource: "GdapRelationship",
    operation: "create",
    step: "relationship POST",
    handler: erase(gdapRelationshipHandler),
    service: "graph",
    method: "POST",
    pattern: () => `^${GDAP_BASE}$`,
    repeatable: false,
    prepare: newRelationship,
    expect: (s, p, result) => relationshipFindings(s, p, result, "approvalPending"),
  },
  {
    resource: "GdapRelationship",
    operation: "create",
    step: "lockForApproval request",
    handler: erase(gdapRelationshipHandler),
    service: "graph",
    method: "POST",
    pattern: () => `^${GDAP_BASE}/[^/]+/requests$`,
    repeatable: false,
    prepare: newRelationship,
    expect: (s, p, result) => relationshipFindings(s, p, result, "approvalPending"),
  },
  {
    resource: "GdapRelationship",
    operation: "update",
    step: "auto-extend PATCH (If-Match)",
    handler: erase(gdapRelationshipHandler),
    service: "graph",
    method: "PATCH",
    pattern: (p) => `^${GDAP_BASE}/${p.ids["relationshipId"]}$`,
    repeatable: true,
    async prepare(lane) {
      const { customerId } = await createTestCustomer(lane.setup, "fault");
      const existing = await activeRelationship(lane, customerId);
      const name = String(existing.inputs["displayName"]);
      const inputs = await checkedInputs(
        erase(gdapRelationshipHandler),
        existing.inputs,
        gdapInputs(customerId, name, "P180D"),
        lane.setup,
      );
      return { ids: { customerId, name, relationshipId: existing.id }, inputs, existing };
    },
    expect: (s, p, result) => relationshipFindings(s, p, result, "active", "P180D"),
  },
  {
    resource: "GdapRelationship",
    operation: "delete",
    step: "terminate request",
    handler: erase(gdapRelationshipHandler),
    service: "graph",
    method: "POST",
    pattern: (p) => `^${GDAP_BASE}/${p.ids["relationshipId"]}/requests$`,
    repeatable: false,
    async prepare(lane) {
      const { customerId } = await createTestCustomer(lane.setup, "fault");
      const existing = await activeRelationship(lane, customerId);
      return {
        ids: { customerId, name: String(existing.inputs["displayName"]), relationshipId: existing.id },
        inputs: existing.inputs,
        existing,
      };
    },
    expect: (s, p) => [
      count(
        `live GDAP relationships named "${p.ids["name"]}"`,
        liveRelationships(s, p.ids["name"]!).length,
        0,
      ),
      count(
        "relationships ending (termination requested or later)",
        Object.values(s.gdap).filter((r) => r.resource["displayName"] === p.ids["name"]).length,
        1,
      ),
    ],
  },
];

async function accessSetup(lane: FaultLane): Promise<{ relationshipId: string; groupId: string }> {
  const { customerId } = await createTestCustomer(lane.setup, "fault");
  const rel = await activeRelationship(lane, customerId);
  return { relationshipId: rel.id, groupId: lane.t.emu.seed.adminAgentsGroupId };
}

function accessInputs(a: { relationshipId: string; groupId: string }, roles: string[]): Json {
  return { relationshipId: a.relationshipId, securityGroupId: a.groupId, roles };
}

async function heldAccess(lane: FaultLane, roles: string[]): Promise<Prepared> {
  const a = await accessSetup(lane);
  const existing = await create(
    erase(gdapAccessAssignmentHandler),
    accessInputs(a, ["Helpdesk Administrator"]),
    lane.setup,
  );
  const inputs = await checkedInputs(
    erase(gdapAccessAssignmentHandler),
    existing.inputs,
    accessInputs(a, roles),
    lane.setup,
  );
  return { ids: { ...a, assignmentId: existing.id }, inputs, existing };
}

function accessFindings(s: EmulatorState, p: Prepared, result: Held, roleIds: string[]): Finding[] {
  const live = liveAssignments(s, p.ids["relationshipId"]!, p.ids["groupId"]!);
  return [
    count("access assignments of the group", live.length, 1),
    ...same("assignment id", live[0]?.resource["id"], result.id),
    ...same("assigned roles", live[0] ? roleIdsOfResource(live[0].resource) : undefined, [...roleIds].sort()),
  ];
}

export const accessRows: FaultRow[] = [
  {
    resource: "GdapAccessAssignment",
    operation: "create",
    handler: erase(gdapAccessAssignmentHandler),
    service: "graph",
    method: "POST",
    pattern: (p) => `^${GDAP_BASE}/${p.ids["relationshipId"]}/accessAssignments$`,
    repeatable: false,
    async prepare(lane) {
      const a = await accessSetup(lane);
      const inputs = await checkedInputs(
        erase(gdapAccessAssignmentHandler),
        {},
        accessInputs(a, ["Helpdesk Administrator"]),
        lane.setup,
      );
      return { ids: a, inputs };
    },
    expect: (s, p, result) => accessFindings(s, p, result, [HELPDESK]),
  },
  {
    resource: "GdapAccessAssignment",
    operation: "update",
    step: "roles PATCH (If-Match)",
    handler: erase(gdapAccessAssignmentHandler),
    service: "graph",
    method: "PATCH",
    pattern: (p) => `^${GDAP_BASE}/${p.ids["relationshipId"]}/accessAssignments/${p.ids["assignmentId"]}$`,
    repeatable: true,
    prepare: (lane) => heldAccess(lane, ["Helpdesk Administrator", "User Administrator"]),
    expect: (s, p, result) => accessFindings(s, p, result, [HELPDESK, USER_ADMIN]),
  },
  {
    resource: "GdapAccessAssignment",
    operation: "delete",
    step: "DELETE (If-Match)",
    handler: erase(gdapAccessAssignmentHandler),
    service: "graph",
    method: "DELETE",
    pattern: (p) => `^${GDAP_BASE}/${p.ids["relationshipId"]}/accessAssignments/${p.ids["assignmentId"]}$`,
    repeatable: true,
    prepare: (lane) => heldAccess(lane, ["Helpdesk Administrator"]),
    expect: (s, p) => [
      count(
        "access assignments of the group",
        liveAssignments(s, p.ids["relationshipId"]!, p.ids["groupId"]!).length,
        0,
      ),
    ],
  },
];
