import { describe, expect, it } from "vitest";
import type { RequestLogEntry } from "../../emulator/index";
import { createRelationship } from "../../provider/clients/graph/delegatedAdminRelationships";
import { gdapAccessAssignmentHandler as access } from "../../provider/handlers/gdap/gdapAccessAssignment";
import {
  type GdapRelationshipInputs,
  gdapRelationshipHandler as relationship,
} from "../../provider/handlers/gdap/gdapRelationship";
import { useEmulator } from "../support/emulatorContext";
import { createResource, updateResource } from "../support/handlerSteps";
import { createTestCustomer, HELPDESK_ADMINISTRATOR, USER_ADMINISTRATOR } from "../support/identityFixtures";

/**
 * The calls each GDAP operation makes (issue 19's economy), as `pulumi up` runs them in one
 * provider process: GdapRelationship's create, then GdapAccessAssignment's check and create.
 * Minimums in bench/minimums.ts.
 */

const BASE = "/v1.0/tenantRelationships/delegatedAdminRelationships";

// A customer who approves at once: create, check and create of the assignment follow each other.
const t = useEmulator({ autoApproveGdap: true });
let names = 0;

function relationshipInputs(customerId: string): GdapRelationshipInputs {
  names += 1;
  return {
    displayName: `Calls ${Date.now().toString(36)} ${names}`,
    customerTenantId: customerId,
    duration: "P730D",
    roles: [HELPDESK_ADMINISTRATOR, USER_ADMINISTRATOR],
  };
}

/** `METHOD path[?query]` of the Graph calls since the log was cleared, ids replaced by `{id}`. */
async function graphCalls(): Promise<string[]> {
  const log: RequestLogEntry[] = await t.emu.admin.requestLog({ service: "graph" });
  return log
    .filter((e) => e.path.startsWith(BASE))
    .map((e) => {
      const path = e.path.slice(BASE.length).replace(/\/[0-9a-f-]{36,}/gi, "/{id}");
      return `${e.method} ${path}${e.query ? `?${decodeURIComponent(e.query).split("=")[0]}` : ""}`;
    });
}

describe("GDAP calls", () => {
  it("create: relationship POST, lock and one read; the assignment's check reads nothing create reads again; create lists the group's assignments before its POST (no documented refusal of a twin)", async () => {
    const { customerId } = await createTestCustomer(t.ctx, "gdapcalls");
    await t.emu.admin.clearRequestLog();
    const rel = await createResource(relationship, relationshipInputs(customerId), t.ctx);
    expect(rel.state.status).toBe("active");
    expect(await graphCalls()).toEqual(["POST ", "POST /{id}/requests", "GET /{id}"]);

    const assignmentInputs = {
      relationshipId: rel.id,
      securityGroupId: t.emu.seed.adminAgentsGroupId,
      roles: [HELPDESK_ADMINISTRATOR],
    };
    await t.emu.admin.clearRequestLog();
    const assignment = await createResource(access, assignmentInputs, t.ctx);
    expect(assignment.state.roleIds).toEqual([HELPDESK_ADMINISTRATOR]);
    expect(await graphCalls()).toEqual(["GET /{id}/accessAssignments", "POST /{id}/accessAssignments"]);

    // A second attempt of the same group in this process (a retried step) looks first, and adopts.
    await t.emu.admin.clearRequestLog();
    const again = await createResource(access, assignmentInputs, t.ctx);
    expect(again.id).toBe(assignment.id);
    expect(await graphCalls()).toEqual(["GET /{id}/accessAssignments"]);

    // Refresh: one GET each.
    await t.emu.admin.clearRequestLog();
    await relationship.read(rel.id, rel.state, t.ctx);
    await access.read(assignment.id, assignment.state, t.ctx);
    expect(await graphCalls()).toEqual(["GET /{id}", "GET /{id}/accessAssignments/{id}"]);

    // Update of the roles: the assignment's ETag, then PATCH (check takes the active relationship
    // this process read moments ago; in a process of its own it reads it once).
    await t.emu.admin.clearRequestLog();
    const widened = await updateResource(
      access,
      assignment.id,
      assignment,
      { ...assignment.inputs, roles: [HELPDESK_ADMINISTRATOR, USER_ADMINISTRATOR] },
      t.ctx,
    );
    expect(widened.changed).toBe(true);
    expect(await graphCalls()).toEqual([
      "GET /{id}/accessAssignments/{id}",
      "PATCH /{id}/accessAssignments/{id}",
    ]);

    // Destroy: the assignment's GET + DELETE (If-Match), the relationship's terminate request alone.
    await t.emu.admin.clearRequestLog();
    await access.delete(assignment.id, widened.state, t.ctx);
    await relationship.delete(rel.id, rel.state, t.ctx);
    expect(await graphCalls()).toEqual([
      "GET /{id}/accessAssignments/{id}",
      "DELETE /{id}/accessAssignments/{id}",
      "POST /{id}/requests",
    ]);
    const state = await t.emu.admin.state();
    expect(state.gdap[rel.id]?.resource["status"]).toMatch(/^termin/);
  });

  it("in a later process (the `up` after the customer's approval) the assignment's check reads the relationship once for check and create", async () => {
    const { customerId } = await createTestCustomer(t.ctx, "gdapcallslater");
    const rel = await createResource(relationship, relationshipInputs(customerId), t.ctx);
    const later = await t.contextWith();
    await t.emu.admin.clearRequestLog();
    await createResource(
      access,
      {
        relationshipId: rel.id,
        securityGroupId: t.emu.seed.adminAgentsGroupId,
        roles: [HELPDESK_ADMINISTRATOR],
      },
      later,
    );
    expect(await graphCalls()).toEqual([
      "GET /{id}",
      "GET /{id}/accessAssignments",
      "POST /{id}/accessAssignments",
    ]);
  });

  it("create writes first: an earlier run's relationship of the same name is found after the refused POST and adopted", async () => {
    const { customerId } = await createTestCustomer(t.ctx, "gdapcallsagain");
    const inputs = relationshipInputs(customerId);
    const first = await createResource(relationship, inputs, t.ctx);
    await t.emu.admin.clearRequestLog();
    const second = await createResource(relationship, inputs, t.ctx);
    expect(second.id).toBe(first.id);
    expect(second.state.status).toBe("active");
    expect(await graphCalls()).toEqual(["POST ", "GET ?$filter"]);
    const log = await t.emu.admin.requestLog({ service: "graph", method: "POST" });
    expect(log.map((e) => e.status)).toEqual([400]);
  });

  it("delete of a relationship whose state still says active but which is still in created status: terminate is refused, then read and DELETE", async () => {
    const { customerId } = await createTestCustomer(t.ctx, "gdapcallsstale");
    const graph = t.ctx.api().graph;
    const inputs = relationshipInputs(customerId);
    const draft = await createRelationship(graph, {
      displayName: inputs.displayName,
      duration: "P730D",
      customer: { tenantId: customerId },
      accessDetails: { unifiedRoles: [{ roleDefinitionId: HELPDESK_ADMINISTRATOR }] },
      autoExtendDuration: "PT0S",
    });
    const staleState = {
      ...inputs,
      relationshipId: draft.id,
      status: "active",
      approvalLink: "",
      roleIds: [HELPDESK_ADMINISTRATOR],
      autoExtendDuration: "PT0S",
    };
    await t.emu.admin.clearRequestLog();
    await relationship.delete(draft.id, staleState, t.ctx);
    expect(await graphCalls()).toEqual(["POST /{id}/requests", "GET /{id}", "DELETE /{id}"]);
    expect((await t.emu.admin.state()).gdap[draft.id]).toBeUndefined();
  });
});
