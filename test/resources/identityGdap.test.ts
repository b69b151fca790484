import { describe, expect, it } from "vitest";
import { getAccessAssignment } from "../../provider/clients/graph/delegatedAdminAccessAssignments";
import {
  createRelationship,
  getRelationship,
  updateRelationship,
} from "../../provider/clients/graph/delegatedAdminRelationships";
import { gdapAccessAssignmentHandler as access } from "../../provider/handlers/gdap/gdapAccessAssignment";
import {
  type GdapRelationshipInputs,
  gdapRelationshipHandler as relationship,
} from "../../provider/handlers/gdap/gdapRelationship";
import { UNKNOWN } from "../../provider/handlers/types";
import { useEmulator } from "../support/emulatorContext";
import { checkFailures, createResource, updateResource } from "../support/handlerSteps";
import {
  createTestCustomer,
  GLOBAL_ADMINISTRATOR,
  HELPDESK_ADMINISTRATOR,
  isWriteMethod,
  USER_ADMINISTRATOR,
} from "../support/identityFixtures";

const t = useEmulator();
let names = 0;

function uniqueName(label: string): string {
  names += 1;
  return `${label} ${Date.now().toString(36)} ${names}`;
}

describe("GdapRelationship and GdapAccessAssignment", () => {
  it("goes from creation through the customer's approval to an active access assignment, reconciles roles and terminates", async () => {
    const { customerId } = await createTestCustomer(t.ctx, "gdap");
    const graph = t.ctx.api().graph;
    t.logs.length = 0;
    const rel = await createResource(
      relationship,
      {
        displayName: uniqueName("Managed services"),
        customerTenantId: customerId,
        duration: "P2Y",
        roles: ["Helpdesk Administrator", "User Administrator"],
        autoExtendDuration: "P180D",
      },
      t.ctx,
    );
    expect(rel.inputs.duration).toBe("P730D");
    expect(rel.state.status).toBe("approvalPending");
    expect(rel.state.roleIds).toEqual([HELPDESK_ADMINISTRATOR, USER_ADMINISTRATOR].sort());
    expect(rel.state.approvalLink).toContain(rel.id);
    expect(t.logs.join("\n")).toContain(rel.state.approvalLink);

    const assignmentInputs = {
      relationshipId: rel.id,
      securityGroupId: t.emu.seed.adminAgentsGroupId,
      roles: ["Helpdesk Administrator"],
    };
    // A preview says on the assignment's row that it waits for the customer: for a relationship the
    // same update creates (id not known yet), and for one awaiting approval, with its link.
    const planned = await access.check({}, { ...assignmentInputs, relationshipId: UNKNOWN }, t.ctx);
    expect(planned.awaitsApproval).toMatch(/^waits for the customer's approval: .*created by this update/);
    const waiting = await access.check({}, assignmentInputs, t.ctx);
    expect(waiting.awaitsApproval).toContain(rel.state.approvalLink);
    expect(waiting.awaitsApproval).toContain("users, directory roles and partner app consent");

    // While the customer has not approved: a clear error naming the approval link, and no write.
    await t.emu.admin.clearRequestLog();
    const pending = createResource(access, assignmentInputs, t.ctx);
    await expect(pending).rejects.toMatchObject({ code: "CSP_VALIDATION" });
    await expect(pending).rejects.toThrow(
      /^Microsoft Graph: waiting for the customer's approval: .*approvalPending.*must approve it at https:\/\/admin\.microsoft\.com.*run `pulumi up` again/s,
    );
    expect((await t.emu.admin.requestLog({ service: "graph" })).filter(isWriteMethod)).toEqual([]);

    await t.emu.admin.approveGdapRelationship(rel.id);
    expect((await access.check({}, assignmentInputs, t.ctx)).awaitsApproval).toBeUndefined();
    const refreshed = await relationship.read(rel.id, rel.state, t.ctx);
    expect(refreshed.props?.status).toBe("active");
    expect(refreshed.props?.activatedDateTime).toBeDefined();
    expect(
      (await relationship.diff(rel.id, { ...rel.state, ...refreshed.props! }, rel.inputs, t.ctx)).changes,
    ).toBe(false);
    const active = { inputs: rel.inputs, state: { ...rel.state, ...refreshed.props! } };

    const assignment = await createResource(access, assignmentInputs, t.ctx);
    expect(assignment.state.roleIds).toEqual([HELPDESK_ADMINISTRATOR]);
    expect(["pending", "active"]).toContain(assignment.state.status);
    // An unchanged assignment costs no call in a preview.
    await t.emu.admin.clearRequestLog();
    expect((await access.check(assignment.inputs, assignment.inputs, t.ctx)).inputs).toBeDefined();
    expect(await t.emu.admin.requestLog({ service: "graph" })).toEqual([]);

    const widened = await updateResource(
      access,
      assignment.id,
      assignment,
      { ...assignmentInputs, roles: ["Helpdesk Administrator", USER_ADMINISTRATOR] },
      t.ctx,
    );
    expect(widened.changed).toBe(true);
    const current = await getAccessAssignment(graph, rel.id, assignment.id);
    expect(current?.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId).sort()).toEqual(
      [HELPDESK_ADMINISTRATOR, USER_ADMINISTRATOR].sort(),
    );
    const readBack = await access.read(assignment.id, widened.state, t.ctx);
    expect(readBack.inputs?.roles).toEqual(["Helpdesk Administrator", USER_ADMINISTRATOR]);

    // Roles outside the relationship fail at check, naming them.
    const outside = await checkFailures(access, {}, { ...assignmentInputs, roles: ["Global Reader"] }, t.ctx);
    expect(outside[0]?.property).toBe("roles");
    expect(outside[0]?.reason).toMatch(/Global Reader is not among the roles/);

    // Auto-extend changes in place on an active relationship.
    const noExtend = await updateResource(
      relationship,
      rel.id,
      active,
      { ...rel.inputs, autoExtendDuration: "PT0S" },
      t.ctx,
    );
    expect(noExtend.changed).toBe(true);
    expect((await getRelationship(graph, rel.id))?.autoExtendDuration).toBe("PT0S");

    await access.delete(assignment.id, widened.state, t.ctx);
    expect((await access.read(assignment.id, widened.state, t.ctx)).id).toBeUndefined();

    await relationship.delete(rel.id, noExtend.state, t.ctx);
    expect(t.logs.join("\n")).toMatch(/termination requested/);
    // Terminated relationships are gone for Pulumi: refresh drops them.
    expect((await relationship.read(rel.id, noExtend.state, t.ctx)).id).toBeUndefined();
  });

  it("shows drift of a relationship changed outside Pulumi", async () => {
    const { customerId } = await createTestCustomer(t.ctx, "gdapdrift");
    const rel = await createResource(
      relationship,
      {
        displayName: uniqueName("Drift"),
        customerTenantId: customerId,
        duration: "P30D",
        roles: [HELPDESK_ADMINISTRATOR],
      },
      t.ctx,
    );
    await t.emu.admin.approveGdapRelationship(rel.id);
    const graph = t.ctx.api().graph;
    const now = await getRelationship(graph, rel.id);
    await updateRelationship(graph, rel.id, now!["@odata.etag"]!, { autoExtendDuration: "P180D" });
    const refreshed = await relationship.read(rel.id, rel.state, t.ctx);
    expect(refreshed.inputs?.autoExtendDuration).toBe("P180D");
    const diff = await relationship.diff(rel.id, { ...rel.state, ...refreshed.props! }, rel.inputs, t.ctx);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
  });

  it("deletes a relationship still in created status with If-Match and lets an unapproved one lapse", async () => {
    const { customerId } = await createTestCustomer(t.ctx, "gdapdel");
    const graph = t.ctx.api().graph;
    const draft = await createRelationship(graph, {
      displayName: uniqueName("Draft"),
      duration: "P1D",
      customer: { tenantId: customerId },
      accessDetails: { unifiedRoles: [{ roleDefinitionId: HELPDESK_ADMINISTRATOR }] },
      autoExtendDuration: "PT0S",
    });
    const draftState = {
      displayName: draft.displayName,
      customerTenantId: customerId,
      duration: "P1D",
      roles: [HELPDESK_ADMINISTRATOR],
      relationshipId: draft.id,
      status: "created",
      approvalLink: "",
      roleIds: [HELPDESK_ADMINISTRATOR],
      autoExtendDuration: "PT0S",
    };
    await t.emu.admin.clearRequestLog();
    await relationship.delete(draft.id, draftState, t.ctx);
    const del = (await t.emu.admin.requestLog({ service: "graph", method: "DELETE" }))[0];
    expect(del?.status).toBe(204);
    expect(await getRelationship(graph, draft.id)).toBeUndefined();

    const pending = await createResource(
      relationship,
      {
        displayName: uniqueName("Unapproved"),
        customerTenantId: customerId,
        duration: "P1D",
        roles: [HELPDESK_ADMINISTRATOR],
      },
      t.ctx,
    );
    t.logs.length = 0;
    await relationship.delete(pending.id, pending.state, t.ctx);
    expect(t.logs.join("\n")).toMatch(/awaits approval and cannot be withdrawn/);
  });

  it("refuses a display name another customer's relationship already uses", async () => {
    const a = await createTestCustomer(t.ctx, "gdapa");
    const b = await createTestCustomer(t.ctx, "gdapb");
    const displayName = uniqueName("Shared");
    await createResource(
      relationship,
      { displayName, customerTenantId: a.customerId, duration: "P1D", roles: [HELPDESK_ADMINISTRATOR] },
      t.ctx,
    );
    await expect(
      createResource(
        relationship,
        { displayName, customerTenantId: b.customerId, duration: "P1D", roles: [HELPDESK_ADMINISTRATOR] },
        t.ctx,
      ),
    ).rejects.toMatchObject({ code: "CSP_CONFLICT" });
  });

  it("adopts the relationship of an earlier run with the same name and customer instead of creating a second", async () => {
    const { customerId } = await createTestCustomer(t.ctx, "gdapagain");
    const inputs: GdapRelationshipInputs = {
      displayName: uniqueName("Again"),
      customerTenantId: customerId,
      duration: "P1D",
      roles: [HELPDESK_ADMINISTRATOR],
    };
    const first = await createResource(relationship, inputs, t.ctx);
    const second = await createResource(relationship, inputs, t.ctx);
    expect(second.id).toBe(first.id);
  });

  it("rejects every invalid relationship or assignment input in check, before any write", async () => {
    await t.emu.admin.clearRequestLog();
    const base = {
      displayName: "Valid",
      customerTenantId: "3f2a1c8e-4b7d-4e21-9a55-0c1d2e3f4a5b",
      duration: "P730D",
      roles: ["Helpdesk Administrator"],
    };
    const failing = (n: Record<string, unknown>) => checkFailures(relationship, {}, { ...base, ...n }, t.ctx);
    expect((await failing({ displayName: "x".repeat(51) }))[0]?.reason).toMatch(/at most 50/);
    expect((await failing({ duration: "P3Y" }))[0]?.reason).toMatch(/between P1D and P2Y/);
    expect((await failing({ duration: "P0D" }))[0]?.property).toBe("duration");
    expect((await failing({ duration: "two years" }))[0]?.reason).toMatch(/ISO 8601/);
    expect((await failing({ roles: [] }))[0]?.property).toBe("roles");
    expect((await failing({ roles: ["Helpdesk Wizard"] }))[0]?.property).toBe("roles[0]");
    expect((await failing({ autoExtendDuration: "P90D" }))[0]?.property).toBe("autoExtendDuration");
    const ga = await failing({ roles: ["Global Administrator"], autoExtendDuration: "P180D" });
    expect(ga[0]?.property).toBe("autoExtendDuration");
    expect(ga[0]?.reason).toMatch(/Global Administrator/);
    expect(await failing({ roles: [GLOBAL_ADMINISTRATOR], autoExtendDuration: "PT0S" })).toEqual([]);
    expect((await failing({ customerTenantId: "contoso" }))[0]?.property).toBe("customerTenantId");

    const assignmentFailing = (n: Record<string, unknown>) =>
      checkFailures(
        access,
        {},
        {
          relationshipId: UNKNOWN,
          securityGroupId: t.emu.seed.adminAgentsGroupId,
          roles: [HELPDESK_ADMINISTRATOR],
          ...n,
        },
        t.ctx,
      );
    expect(await assignmentFailing({})).toEqual([]);
    expect((await assignmentFailing({ securityGroupId: "agents" }))[0]?.property).toBe("securityGroupId");
    expect((await assignmentFailing({ roles: ["Nope"] }))[0]?.property).toBe("roles[0]");
    expect((await assignmentFailing({ relationshipId: "not-an-id" }))[0]?.property).toBe("relationshipId");
    const missing = await assignmentFailing({
      relationshipId: "3f2a1c8e-4b7d-4e21-9a55-0c1d2e3f4a5b-4f2a1c8e-4b7d-4e21-9a55-0c1d2e3f4a5b",
    });
    expect(missing[0]?.reason).toMatch(/was not found/);
    expect((await t.emu.admin.requestLog()).filter(isWriteMethod)).toEqual([]);
  });
});
