import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { armOnBehalfOf } from "../../provider/auth/actingIdentity";
import { putRoleAssignment, roleDefinitionResourceId } from "../../provider/clients/arm/roleAssignments";
import { customerUserHandler } from "../../provider/handlers/directory/customerUser";
import {
  roleAssignmentHandler as handler,
  PRINCIPAL_NOT_FOUND_DELAYS_MS,
  type RoleAssignmentInputs,
  roleAssignmentName,
} from "../../provider/handlers/rbac/roleAssignment";
import type { HandlerContext } from "../../provider/handlers/types";
import { useEmulator } from "../support/emulatorContext";
import { checkFailures, createResource, updateResource } from "../support/handlerSteps";
import { buyAzurePlan, createTestCustomer, isWriteMethod } from "../support/identityFixtures";

const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";

const t = useEmulator();
let customerId: string;
let domain: string;
let subscriptionId: string;
let scope: string;
let users = 0;

beforeAll(async () => {
  ({ customerId, domain } = await createTestCustomer(t.ctx, "rbac", { emu: t.emu }));
  subscriptionId = await buyAzurePlan(t.ctx, t.emu, customerId);
  scope = `/subscriptions/${subscriptionId}`;
});

/** A fresh user in the customer tenant (created through Partner Center, as a program would). */
async function newUser(): Promise<string> {
  users += 1;
  const { id } = await createResource(
    customerUserHandler,
    {
      customerId,
      userPrincipalName: `rbac${users}@${domain}`,
      displayName: `RBAC ${users}`,
      usageLocation: "US",
    },
    t.ctx,
  );
  return id;
}

/** Reader for the user `principalId` at the customer's subscription. */
function readerFor(principalId: string): RoleAssignmentInputs {
  return { tenantId: customerId, scope, roleName: "Reader", principalId, principalType: "User" };
}

async function assignmentsFor(principalId: string) {
  const state = await t.emu.admin.state();
  return Object.values(state.azure.roleAssignments).filter((a) => a.principalId === principalId);
}

describe("RoleAssignment", () => {
  it("assigns a role by name under a deterministic name, updates the description in place, and removes it", async () => {
    const principalId = await newUser();
    const inputs = readerFor(principalId);
    const created = await createResource(handler, inputs, t.ctx);
    const name = roleAssignmentName(scope, READER, principalId);
    expect(created.state.assignmentName).toBe(name);
    expect(created.id).toBe(`${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`);
    expect(created.state.roleDefinitionGuid).toBe(READER);
    expect(created.state.adopted).toBe(false);
    expect((await assignmentsFor(principalId)).map((a) => a.roleDefinitionId)).toEqual([READER]);

    // Same inputs: no change. Naming the same role by id: no replacement either.
    expect((await handler.diff(created.id, created.state, created.inputs, t.ctx)).changes).toBe(false);
    const byId = await handler.diff(
      created.id,
      created.state,
      { ...inputs, roleName: undefined, roleDefinitionId: READER },
      t.ctx,
    );
    expect(byId.replaces).toEqual([]);

    const described = await updateResource(
      handler,
      created.id,
      created,
      { ...inputs, description: "auditors" },
      t.ctx,
    );
    expect(described.changed).toBe(true);
    expect((await assignmentsFor(principalId))[0]?.description).toBe("auditors");

    const read = await handler.read(created.id, described.state, t.ctx);
    expect(read.inputs?.description).toBe("auditors");

    await handler.delete(created.id, described.state, t.ctx);
    expect(await assignmentsFor(principalId)).toEqual([]);
    expect((await handler.read(created.id, described.state, t.ctx)).id).toBeUndefined();
  });

  it("plans replacements only when scope, role, principal or principal type change, deleting first when the name stays", async () => {
    const principalId = randomUUID();
    const olds = {
      ...readerFor(principalId),
      roleDefinitionGuid: READER,
      roleDefinitionResourceId: roleDefinitionResourceId(scope, READER),
      assignmentName: roleAssignmentName(scope, READER, principalId),
      adopted: false,
    };
    const diff = (news: Partial<RoleAssignmentInputs>) =>
      handler.diff("id", olds, { ...olds, ...news }, t.ctx);
    expect(await diff({ principalType: "Group" })).toMatchObject({
      replaces: ["principalType"],
      deleteBeforeReplace: true,
    });
    const otherScope = await diff({ scope: `${scope}/resourceGroups/rg1` });
    expect(otherScope.replaces).toEqual(["scope"]);
    expect(otherScope.deleteBeforeReplace).toBeUndefined();
    expect((await diff({ roleName: "Contributor" })).replaces).toEqual(["roleName"]);
    expect(await diff({ tenantId: randomUUID() })).toMatchObject({ changes: true, replaces: [] });
  });

  it("assigns a just-created principal while the directory still replicates, without a duplicate on retry", async () => {
    await t.emu.admin.updateSettings({ replicationDelayMs: 10 * 60_000 });
    try {
      const principalId = await newUser();
      const inputs: RoleAssignmentInputs = {
        tenantId: customerId,
        scope,
        roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${CONTRIBUTOR}`,
        principalId,
        principalType: "User",
      };
      // The window is real: without principalType ARM cannot find the new principal yet.
      const raw = t.ctx.api().arm.send({
        method: "PUT",
        path: `${scope}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`,
        query: { "api-version": "2022-04-01" },
        body: { properties: { roleDefinitionId: roleDefinitionResourceId(scope, CONTRIBUTOR), principalId } },
        auth: armOnBehalfOf(customerId),
      });
      await expect(raw).rejects.toMatchObject({ serviceCode: "PrincipalNotFound" });

      const first = await createResource(handler, inputs, t.ctx);
      // A re-run after a crash (the state never recorded the first create) PUTs the same name.
      const second = await createResource(handler, inputs, t.ctx);
      expect(second.id).toBe(first.id);
      expect((await assignmentsFor(principalId)).map((a) => a.name)).toEqual([first.state.assignmentName]);
    } finally {
      await t.emu.admin.updateSettings({ replicationDelayMs: 0 });
    }
  });

  it("adopts an identical assignment that exists under another name after verifying it", async () => {
    const principalId = await newUser();
    const existing = await putRoleAssignment(
      t.ctx.api().arm,
      armOnBehalfOf(customerId),
      scope,
      randomUUID(),
      {
        roleDefinitionId: roleDefinitionResourceId(scope, READER),
        principalId,
        principalType: "User",
      },
    );
    t.logs.length = 0;
    const created = await createResource(handler, readerFor(principalId), t.ctx);
    expect(created.state.adopted).toBe(true);
    expect(created.id).toBe(existing.id);
    expect(t.logs.join("\n")).toMatch(/already exists as .*; adopting it/);
    expect((await assignmentsFor(principalId)).length).toBe(1);
  });

  it("retries PrincipalNotFound with backoff up to its bound", async () => {
    const principalId = await newUser();
    // Waits go through ctx.clock: a clock that records them instead of sleeping.
    const waits: number[] = [];
    const ctx: HandlerContext = {
      ...t.ctx,
      clock: {
        now: () => new Date(),
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
    };
    const principalNotFound = {
      method: "PUT",
      service: "arm" as const,
      pathPattern: "roleAssignments/",
      action: {
        type: "status" as const,
        status: 400,
        body: {
          error: {
            code: "PrincipalNotFound",
            message: `Principal ${principalId} does not exist in the directory.`,
          },
        },
      },
    };
    await t.emu.admin.addFault({ ...principalNotFound, count: 2 });
    const inputs = readerFor(principalId);
    const created = await createResource(handler, inputs, ctx);
    expect(waits).toEqual(PRINCIPAL_NOT_FOUND_DELAYS_MS.slice(0, 2));
    expect((await assignmentsFor(principalId)).map((a) => a.name)).toEqual([created.state.assignmentName]);
    await handler.delete(created.id, created.state, ctx);

    waits.length = 0;
    await t.emu.admin.addFault({ ...principalNotFound, count: 10 });
    try {
      await expect(createResource(handler, inputs, ctx)).rejects.toMatchObject({
        serviceCode: "PrincipalNotFound",
      });
      expect(waits).toEqual([...PRINCIPAL_NOT_FOUND_DELAYS_MS]);
    } finally {
      await t.emu.admin.clearFaults();
    }
  });

  it("resolves a built-in role name from its published id, without a role definition lookup", async () => {
    const principalId = await newUser();
    await t.emu.admin.clearRequestLog();
    const created = await createResource(
      handler,
      { tenantId: customerId, scope, roleName: "Contributor", principalId, principalType: "User" },
      t.ctx,
    );
    expect(created.state.roleDefinitionGuid).toBe(CONTRIBUTOR);
    const lookups = (await t.emu.admin.requestLog({ service: "arm" })).filter((e) =>
      /roleDefinitions/i.test(e.path),
    );
    expect(lookups).toEqual([]);
    await handler.delete(created.id, created.state, t.ctx);
  });

  it("names the role when no role definition has that name", async () => {
    const principalId = await newUser();
    await expect(
      createResource(
        handler,
        { tenantId: customerId, scope, roleName: "Chief Wizard", principalId, principalType: "User" },
        t.ctx,
      ),
    ).rejects.toThrow(/roleName: no role definition named "Chief Wizard"/);
  });

  it("rejects invalid inputs in check, before any write", async () => {
    await t.emu.admin.clearRequestLog();
    const base = readerFor(randomUUID());
    const failing = (n: Record<string, unknown>) => checkFailures(handler, {}, { ...base, ...n }, t.ctx);
    expect(
      (await failing({ scope: "/providers/Microsoft.Management/managementGroups/mg" }))[0]?.property,
    ).toBe("scope");
    expect((await failing({ scope: "subscriptions/abc" }))[0]?.property).toBe("scope");
    expect((await failing({ roleDefinitionId: READER }))[0]?.reason).toMatch(/exactly one of roleName/);
    expect((await failing({ roleName: undefined }))[0]?.reason).toMatch(/exactly one of roleName/);
    expect((await failing({ roleName: undefined, roleDefinitionId: "reader" }))[0]?.property).toBe(
      "roleDefinitionId",
    );
    expect((await failing({ principalType: undefined }))[0]?.property).toBe("principalType");
    expect((await failing({ principalType: "Robot" }))[0]?.reason).toMatch(/always sent/);
    expect((await failing({ principalId: "alice" }))[0]?.property).toBe("principalId");
    expect((await failing({ tenantId: undefined }))[0]?.property).toBe("tenantId");
    expect((await t.emu.admin.requestLog()).filter(isWriteMethod)).toEqual([]);
  });
});
