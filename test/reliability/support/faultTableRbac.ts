import { randomUUID } from "node:crypto";
import type { EmulatorState } from "../../../emulator/index";
import { createCustomerUser } from "../../../provider/clients/partnerCenter/users";
import { roleAssignmentHandler } from "../../../provider/handlers/rbac/roleAssignment";
import { buyAzurePlan, createTestCustomer } from "../../support/identityFixtures";
import { erase, type FaultLane, type Json } from "./faultKit";
import type { FaultRow, Finding, Held, Prepared } from "./faultTableKit";
import { checkedInputs, count, create, same } from "./faultTableKit";

/**
 * Fault-matrix rows of Azure RBAC: every write of RoleAssignment (create, update, delete).
 */

const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

function roleAssignmentsOf(s: EmulatorState, principalId: string) {
  return Object.values(s.azure.roleAssignments).filter((a) => a.principalId === principalId);
}

async function rbacSetup(
  lane: FaultLane,
): Promise<{ customerId: string; scope: string; principalId: string }> {
  const { customerId, domain } = await createTestCustomer(lane.setup, "fault", { emu: lane.t.emu });
  const subscriptionId = await buyAzurePlan(lane.setup, lane.t.emu, customerId);
  const user = await createCustomerUser(
    lane.setup.api().partnerCenter,
    customerId,
    {
      userPrincipalName: `rbac@${domain}`,
      displayName: "RBAC principal",
      usageLocation: "US",
      passwordProfile: { password: `Pw-${randomUUID()}`, forceChangePassword: true },
    },
    randomUUID(),
  );
  return { customerId, scope: `/subscriptions/${subscriptionId}`, principalId: user.id };
}

function rbacInputs(
  r: { customerId: string; scope: string; principalId: string },
  description?: string,
): Json {
  return {
    tenantId: r.customerId,
    scope: r.scope,
    roleName: "Reader",
    principalId: r.principalId,
    principalType: "User",
    ...(description ? { description } : {}),
  };
}

async function heldAssignment(lane: FaultLane, description?: string): Promise<Prepared> {
  const r = await rbacSetup(lane);
  const existing = await create(erase(roleAssignmentHandler), rbacInputs(r), lane.setup);
  const inputs = await checkedInputs(
    erase(roleAssignmentHandler),
    existing.inputs,
    rbacInputs(r, description),
    lane.setup,
  );
  return { ids: { ...r, name: String(existing.state["assignmentName"]) }, inputs, existing };
}

function assignmentFindings(s: EmulatorState, p: Prepared, result: Held, description?: string): Finding[] {
  const found = roleAssignmentsOf(s, p.ids["principalId"]!);
  return [
    count("role assignments of the principal", found.length, 1),
    ...same("role", found[0]?.roleDefinitionId.split("/").pop(), READER),
    ...same("assignment name", found[0]?.name, result.state["assignmentName"]),
    ...(description === undefined ? [] : same("description", found[0]?.description, description)),
  ];
}

export const rbacRows: FaultRow[] = [
  {
    resource: "RoleAssignment",
    operation: "create",
    handler: erase(roleAssignmentHandler),
    service: "arm",
    method: "PUT",
    pattern: (p) => `^${p.ids["scope"]}/providers/Microsoft.Authorization/roleAssignments/[^/]+$`,
    repeatable: true,
    async prepare(lane) {
      const r = await rbacSetup(lane);
      const inputs = await checkedInputs(erase(roleAssignmentHandler), {}, rbacInputs(r), lane.setup);
      return { ids: r, inputs };
    },
    expect: (s, p, result) => assignmentFindings(s, p, result),
  },
  {
    resource: "RoleAssignment",
    operation: "update",
    step: "description",
    handler: erase(roleAssignmentHandler),
    service: "arm",
    method: "PUT",
    pattern: (p) => `^${p.ids["scope"]}/providers/Microsoft.Authorization/roleAssignments/${p.ids["name"]}$`,
    repeatable: true,
    prepare: (lane) => heldAssignment(lane, "auditors"),
    expect: (s, p, result) => assignmentFindings(s, p, result, "auditors"),
  },
  {
    resource: "RoleAssignment",
    operation: "delete",
    handler: erase(roleAssignmentHandler),
    service: "arm",
    method: "DELETE",
    pattern: (p) => `^${p.ids["scope"]}/providers/Microsoft.Authorization/roleAssignments/${p.ids["name"]}$`,
    repeatable: true,
    prepare: (lane) => heldAssignment(lane),
    expect: (s, p) => [
      count("role assignments of the principal", roleAssignmentsOf(s, p.ids["principalId"]!).length, 0),
    ],
  },
];
