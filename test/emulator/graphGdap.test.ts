import { describe, expect, it } from "vitest";
import { gdapRolesForUser } from "../../emulator/graph/gdapAccess";
import { approveRelationship, GdapApprovalError } from "../../emulator/graph/gdapAdmin";
import { graphModule } from "../../emulator/graph/index";
import { appToken, CUSTOMER_TID, call, PARTNER_TID, seededWorld, testCore, userToken } from "./graphTestKit";
import {
  GDAP_ASSIGNMENT_RESPONSE_21,
  GDAP_CREATE_REQUEST_19,
  GDAP_CREATE_RESPONSE_20,
  GRAPH_ERROR_22,
} from "./graphVectors";
import { graphErrorOf } from "./serviceErrors";

const GRAPH = "https://graph.microsoft.com";
const BASE = "/v1.0/tenantRelationships/delegatedAdminRelationships";

const EXCHANGE_ADMIN = "29232cdf-9323-42fd-ade2-1d097af3e4de";
const INTUNE_ADMIN = "3a2c62db-5318-420d-8d74-23affee5d9d5";
const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";

function setup() {
  const world = seededWorld();
  const core = testCore(world.state);
  const agentToken = userToken(
    PARTNER_TID,
    GRAPH,
    "DelegatedAdminRelationship.ReadWrite.All",
    world.agent.id,
  );
  return { ...world, core, agentToken };
}

function relationshipBody(overrides: Record<string, unknown> = {}) {
  return {
    displayName: "Contoso admin",
    duration: "P730D",
    customer: { tenantId: CUSTOMER_TID, displayName: "Contoso" },
    accessDetails: {
      unifiedRoles: [{ roleDefinitionId: EXCHANGE_ADMIN }, { roleDefinitionId: INTUNE_ADMIN }],
    },
    autoExtendDuration: "P180D",
    ...overrides,
  };
}

/** Keys of a JSON value, recursively (for shape comparison with the published samples). */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length > 0 ? [shape(v[0])] : [];
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, shape((v as Record<string, unknown>)[k])]),
    );
  }
  return "value";
}

describe("GDAP relationships", () => {
  it("accepts the published create request (vector 19) and answers in the shape of vector 20", async () => {
    const { core, agentToken, state } = setup();
    const request = GDAP_CREATE_REQUEST_19;
    const res = await call(graphModule, core, "POST", BASE, { auth: agentToken, body: request });
    expect(res.status).toBe(201);
    expect(res.headers?.location).toBe(`https://emu.test/graph${BASE}/${res.json.id}`);
    const expected = GDAP_CREATE_RESPONSE_20;
    const { "@emulator.customerApprovalLink": link, ...body } = res.json;
    expect(shape(body)).toEqual(shape(expected));
    expect(body).toMatchObject({
      status: "created",
      duration: "P730D",
      autoExtendDuration: "P180D",
      activatedDateTime: null,
    });
    expect(String(body.id).startsWith("4b827261-d21f-4aa9-b7db-7fa1f56fb163-")).toBe(true);
    expect(String(body["@odata.etag"])).toMatch(/^W\/"[A-Za-z0-9+/=]+"$/);
    expect(link).toContain(String(body.id));
    // endDateTime = created + duration (as in the sample: 2022-02-10 + P730D = 2024-02-10).
    expect(String(body.endDateTime).slice(0, 10)).toBe("2027-03-01");
    expect(state.gdap[String(body.id)].partnerTenantId).toBe(PARTNER_TID);
  });

  it("validates displayName length and uniqueness, duration range and auto-extension", async () => {
    const { core, agentToken } = setup();
    const post = (body: Record<string, unknown>) =>
      call(graphModule, core, "POST", BASE, { auth: agentToken, body });
    expect(graphErrorOf(await post(relationshipBody({ displayName: "x".repeat(51) })))).toEqual({
      status: 400,
      code: "badRequest",
    });
    expect(graphErrorOf(await post(relationshipBody({ duration: "P3Y" })))).toEqual({
      status: 400,
      code: "badRequest",
    });
    expect(graphErrorOf(await post(relationshipBody({ duration: "PT1H" })))).toEqual({
      status: 400,
      code: "badRequest",
    });
    expect(graphErrorOf(await post(relationshipBody({ autoExtendDuration: "P90D" })))).toEqual({
      status: 400,
      code: "badRequest",
    });
    // A tenant id must be a GUID, not merely 36 hex digits and dashes.
    expect(graphErrorOf(await post(relationshipBody({ customer: { tenantId: "-".repeat(36) } })))).toEqual({
      status: 400,
      code: "badRequest",
    });
    const ga = await post(
      relationshipBody({
        accessDetails: { unifiedRoles: [{ roleDefinitionId: GLOBAL_ADMIN }] },
        autoExtendDuration: "P180D",
      }),
    );
    expect(graphErrorOf(ga)).toEqual({ status: 400, code: "badRequest" });
    // Error envelope in the shape of vector 22 (plus client-request-id, as live directory errors have).
    const errorShape = shape(GRAPH_ERROR_22) as { error: { innerError: Record<string, unknown> } };
    errorShape.error.innerError["client-request-id"] = "value";
    expect(shape(ga.json)).toEqual(errorShape);
    expect((await post(relationshipBody({ duration: "P2Y" }))).status).toBe(201);
    const dup = await post(relationshipBody({ displayName: "CONTOSO ADMIN" }));
    expect(graphErrorOf(dup)).toEqual({ status: 400, code: "badRequest" });
    expect(String((dup.json.error as Record<string, unknown>).message)).toContain("unique");
  });

  it("refuses writes from app-only tokens and from partner users who are not admin agents", async () => {
    const { core, plain } = setup();
    const app = await call(graphModule, core, "POST", BASE, {
      auth: appToken(PARTNER_TID, GRAPH, ["DelegatedAdminRelationship.ReadWrite.All"]),
      body: relationshipBody(),
    });
    expect(graphErrorOf(app)).toEqual({ status: 403, code: "Authorization_RequestDenied" });
    const user = await call(graphModule, core, "POST", BASE, {
      auth: userToken(PARTNER_TID, GRAPH, "DelegatedAdminRelationship.ReadWrite.All", plain.id),
      body: relationshipBody(),
    });
    expect(graphErrorOf(user)).toEqual({ status: 403, code: "Authorization_RequestDenied" });
  });

  it("patches and deletes only in status created and only with the current If-Match", async () => {
    const { core, agentToken, state } = setup();
    const created = (
      await call(graphModule, core, "POST", BASE, { auth: agentToken, body: relationshipBody() })
    ).json;
    const url = `${BASE}/${created.id}`;
    const noEtag = await call(graphModule, core, "PATCH", url, {
      auth: agentToken,
      body: { displayName: "Renamed" },
    });
    expect(graphErrorOf(noEtag)).toEqual({ status: 400, code: "badRequest" });
    const stale = await call(graphModule, core, "PATCH", url, {
      auth: agentToken,
      headers: { "If-Match": 'W/"stale"' },
      body: { displayName: "Renamed" },
    });
    expect(graphErrorOf(stale)).toEqual({ status: 412, code: "preconditionFailed" });
    const ok = await call(graphModule, core, "PATCH", url, {
      auth: agentToken,
      headers: { "If-Match": String(created["@odata.etag"]) },
      body: { displayName: "Renamed", duration: "P31D" },
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ displayName: "Renamed", duration: "P31D" });
    expect(ok.json["@odata.etag"]).not.toBe(created["@odata.etag"]);
    const delStale = await call(graphModule, core, "DELETE", url, {
      auth: agentToken,
      headers: { "If-Match": String(created["@odata.etag"]) },
    });
    expect(graphErrorOf(delStale)).toEqual({ status: 412, code: "preconditionFailed" });
    await call(graphModule, core, "POST", `${url}/requests`, {
      auth: agentToken,
      body: { action: "lockForApproval" },
    });
    const locked = (await call(graphModule, core, "GET", url, { auth: agentToken })).json;
    expect(locked.status).toBe("approvalPending");
    const delLocked = await call(graphModule, core, "DELETE", url, {
      auth: agentToken,
      headers: { "If-Match": String(locked["@odata.etag"]) },
    });
    expect(graphErrorOf(delLocked)).toEqual({ status: 400, code: "badRequest" });
    expect(state.gdap[String(created.id)]).toBeDefined();
  });

  it("deletes a created relationship with the right If-Match (204) and then answers 404", async () => {
    const { core, agentToken, state } = setup();
    const created = (
      await call(graphModule, core, "POST", BASE, { auth: agentToken, body: relationshipBody() })
    ).json;
    const del = await call(graphModule, core, "DELETE", `${BASE}/${created.id}`, {
      auth: agentToken,
      headers: { "If-Match": String(created["@odata.etag"]) },
    });
    expect(del.status).toBe(204);
    expect(state.gdap).toEqual({});
    expect((await call(graphModule, core, "GET", `${BASE}/${created.id}`, { auth: agentToken })).status).toBe(
      404,
    );
  });

  it("lists and reads a relationship's requests apart from its operations (404 notFound for the other kind)", async () => {
    const { core, agentToken } = setup();
    const created = (
      await call(graphModule, core, "POST", BASE, { auth: agentToken, body: relationshipBody() })
    ).json;
    const url = `${BASE}/${String(created.id)}`;
    const lock = await call(graphModule, core, "POST", `${url}/requests`, {
      auth: agentToken,
      body: { action: "lockForApproval" },
    });
    const requestId = String(lock.json.id);
    const requests = await call(graphModule, core, "GET", `${url}/requests`, { auth: agentToken });
    expect(requests.status).toBe(200);
    expect(String(requests.json["@odata.context"])).toMatch(
      /\/tenantRelationships\/\$metadata#delegatedAdminRelationships\('[^']+'\)\/requests$/,
    );
    expect(requests.json.value).toEqual([
      expect.objectContaining({
        "@odata.type": "#microsoft.graph.delegatedAdminRelationshipRequest",
        id: requestId,
        action: "lockForApproval",
      }),
    ]);
    const one = await call(graphModule, core, "GET", `${url}/requests/${requestId}`, { auth: agentToken });
    expect(one.status).toBe(200);
    expect(String(one.json["@odata.context"])).toMatch(/\/requests\/\$entity$/);
    expect(one.json).toMatchObject({ id: requestId, action: "lockForApproval" });

    const operations = await call(graphModule, core, "GET", `${url}/operations`, { auth: agentToken });
    expect(operations.status).toBe(200);
    expect(operations.json.value).toEqual([]);
    const asOperation = await call(graphModule, core, "GET", `${url}/operations/${requestId}`, {
      auth: agentToken,
    });
    expect(asOperation.status).toBe(404);
    expect(asOperation.json.error).toMatchObject({
      code: "notFound",
      message: `The operation '${requestId}' was not found.`,
    });
    const unknown = await call(graphModule, core, "GET", `${url}/requests/nope`, { auth: agentToken });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toMatchObject({
      code: "notFound",
      message: "The request 'nope' was not found.",
    });
  });

  it("runs the lifecycle: lock for approval, admin approval, access assignments, termination", async () => {
    const { core, agentToken, state, helpdesk, agent } = setup();
    const created = (
      await call(graphModule, core, "POST", BASE, { auth: agentToken, body: relationshipBody() })
    ).json;
    const id = String(created.id);
    const url = `${BASE}/${id}`;
    const assignmentBody = {
      accessContainer: { accessContainerId: helpdesk.id, accessContainerType: "securityGroup" },
      accessDetails: { unifiedRoles: [{ roleDefinitionId: EXCHANGE_ADMIN }] },
    };
    const early = await call(graphModule, core, "POST", `${url}/accessAssignments`, {
      auth: agentToken,
      body: assignmentBody,
    });
    expect(graphErrorOf(early)).toEqual({ status: 400, code: "badRequest" });
    expect(String((early.json.error as Record<string, unknown>).message)).toContain("active");
    expect(() => approveRelationship(state, id, core.now())).toThrow(GdapApprovalError);

    const lock = await call(graphModule, core, "POST", `${url}/requests`, {
      auth: agentToken,
      body: { action: "lockForApproval" },
    });
    expect(lock.status).toBe(201);
    expect(lock.json).toMatchObject({ action: "lockForApproval", status: "created" });

    core.advance(60_000);
    const approved = approveRelationship(state, id, core.now());
    expect(approved).toMatchObject({ status: "active", activatedDateTime: "2025-03-01T10:01:00.0000000Z" });
    expect(String(approved.endDateTime).slice(0, 10)).toBe("2027-03-01");
    expect(approveRelationship(state, id, core.now()).status).toBe("active");

    const outside = await call(graphModule, core, "POST", `${url}/accessAssignments`, {
      auth: agentToken,
      body: { ...assignmentBody, accessDetails: { unifiedRoles: [{ roleDefinitionId: GLOBAL_ADMIN }] } },
    });
    expect(graphErrorOf(outside)).toEqual({ status: 400, code: "badRequest" });
    const notGroup = await call(graphModule, core, "POST", `${url}/accessAssignments`, {
      auth: agentToken,
      body: {
        ...assignmentBody,
        accessContainer: { accessContainerId: agent.id, accessContainerType: "securityGroup" },
      },
    });
    expect(graphErrorOf(notGroup)).toEqual({ status: 400, code: "badRequest" });

    const assignment = await call(graphModule, core, "POST", `${url}/accessAssignments`, {
      auth: agentToken,
      body: assignmentBody,
    });
    expect(assignment.status).toBe(201);
    expect(shape(assignment.json)).toEqual(shape(GDAP_ASSIGNMENT_RESPONSE_21));
    expect(assignment.json.status).toBe("pending");
    const aUrl = `${url}/accessAssignments/${assignment.json.id}`;
    const read = await call(graphModule, core, "GET", aUrl, { auth: agentToken });
    expect(read.json.status).toBe("active");
    expect(gdapRolesForUser(state, PARTNER_TID, CUSTOMER_TID, agent.id)).toEqual([EXCHANGE_ADMIN]);

    const patch = await call(graphModule, core, "PATCH", aUrl, {
      auth: agentToken,
      headers: { "If-Match": String(read.json["@odata.etag"]) },
      body: {
        accessDetails: {
          unifiedRoles: [{ roleDefinitionId: EXCHANGE_ADMIN }, { roleDefinitionId: INTUNE_ADMIN }],
        },
      },
    });
    expect(patch.status).toBe(202);
    const opUrl = String(patch.headers?.location).replace("https://emu.test/graph", "");
    const op = await call(graphModule, core, "GET", opUrl, { auth: agentToken });
    expect(op.json).toMatchObject({
      operationType: "delegatedAdminAccessAssignmentUpdate",
      status: "complete",
    });
    expect(gdapRolesForUser(state, PARTNER_TID, CUSTOMER_TID, agent.id).sort()).toEqual(
      [EXCHANGE_ADMIN, INTUNE_ADMIN].sort(),
    );

    const terminate = await call(graphModule, core, "POST", `${url}/requests`, {
      auth: agentToken,
      body: { action: "terminate" },
    });
    expect(terminate.status).toBe(201);
    const after = await call(graphModule, core, "GET", url, { auth: agentToken });
    expect(after.json.status).toBe("terminated");
    const assignments = await call(graphModule, core, "GET", `${url}/accessAssignments`, {
      auth: agentToken,
    });
    expect((assignments.json.value as { status: string }[]).map((a) => a.status)).toEqual(["deleted"]);
    expect(gdapRolesForUser(state, PARTNER_TID, CUSTOMER_TID, agent.id)).toEqual([]);
  });

  it("deletes an access assignment with If-Match: deleting, then deleted on the next read", async () => {
    const { core, agentToken, state, helpdesk } = setup();
    const id = String(
      (await call(graphModule, core, "POST", BASE, { auth: agentToken, body: relationshipBody() })).json.id,
    );
    await call(graphModule, core, "POST", `${BASE}/${id}/requests`, {
      auth: agentToken,
      body: { action: "lockForApproval" },
    });
    approveRelationship(state, id, core.now());
    const a = (
      await call(graphModule, core, "POST", `${BASE}/${id}/accessAssignments`, {
        auth: agentToken,
        body: {
          accessContainer: { accessContainerId: helpdesk.id, accessContainerType: "securityGroup" },
          accessDetails: { unifiedRoles: [{ roleDefinitionId: INTUNE_ADMIN }] },
        },
      })
    ).json;
    const aUrl = `${BASE}/${id}/accessAssignments/${a.id}`;
    const current = (await call(graphModule, core, "GET", aUrl, { auth: agentToken })).json;
    expect(
      (
        await call(graphModule, core, "DELETE", aUrl, {
          auth: agentToken,
          headers: { "If-Match": 'W/"old"' },
        })
      ).status,
    ).toBe(412);
    const del = await call(graphModule, core, "DELETE", aUrl, {
      auth: agentToken,
      headers: { "If-Match": String(current["@odata.etag"]) },
    });
    expect(del.status).toBe(204);
    expect((await call(graphModule, core, "GET", aUrl, { auth: agentToken })).json.status).toBe("deleted");
  });

  it("expires an active relationship at its end unless it auto-extends", async () => {
    const { core, agentToken, state } = setup();
    const mk = async (name: string, autoExtendDuration: string) => {
      const id = String(
        (
          await call(graphModule, core, "POST", BASE, {
            auth: agentToken,
            body: relationshipBody({ displayName: name, duration: "P1D", autoExtendDuration }),
          })
        ).json.id,
      );
      await call(graphModule, core, "POST", `${BASE}/${id}/requests`, {
        auth: agentToken,
        body: { action: "lockForApproval" },
      });
      approveRelationship(state, id, core.now());
      return id;
    };
    const fixed = await mk("fixed", "PT0S");
    const extending = await mk("extending", "P180D");
    core.advance(2 * 86400_000);
    const list = await call(graphModule, core, "GET", `${BASE}?$filter=status eq 'active'`, {
      auth: agentToken,
    });
    expect((list.json.value as { id: string }[]).map((r) => r.id)).toEqual([extending]);
    expect((await call(graphModule, core, "GET", `${BASE}/${fixed}`, { auth: agentToken })).json.status).toBe(
      "expired",
    );
  });

  it("lists only the caller's relationships and refuses customer tenants", async () => {
    const { core, agentToken } = setup();
    await call(graphModule, core, "POST", BASE, { auth: agentToken, body: relationshipBody() });
    const list = await call(graphModule, core, "GET", BASE, {
      auth: appToken(PARTNER_TID, GRAPH, ["DelegatedAdminRelationship.Read.All"]),
    });
    expect((list.json.value as unknown[]).length).toBe(1);
    const customer = await call(graphModule, core, "GET", BASE, {
      auth: appToken(CUSTOMER_TID, GRAPH, ["DelegatedAdminRelationship.Read.All"]),
    });
    expect(graphErrorOf(customer)).toEqual({ status: 403, code: "Authorization_RequestDenied" });
  });

  it("waits for the customer's approval, unless the autoApproveGdap setting stands for a customer who approves at once", async () => {
    const { core, agentToken, state } = setup();
    const lock = async (name: string) => {
      const id = String(
        (
          await call(graphModule, core, "POST", BASE, {
            auth: agentToken,
            body: relationshipBody({ displayName: name }),
          })
        ).json.id,
      );
      await call(graphModule, core, "POST", `${BASE}/${id}/requests`, {
        auth: agentToken,
        body: { action: "lockForApproval" },
      });
      return (await call(graphModule, core, "GET", `${BASE}/${id}`, { auth: agentToken })).json;
    };
    expect((await lock("waits")).status).toBe("approvalPending");
    state.settings.autoApproveGdap = true;
    const approved = await lock("approved at once");
    expect(approved.status).toBe("active");
    expect(approved.activatedDateTime).toBe(approved.lastModifiedDateTime);
  });
});
