import { describe, expect, it } from "vitest";
import { armModule } from "../../emulator/arm/index";
import { addUser } from "../../emulator/common/directory";
import { ARM_AUD, addCustomerWithAzurePlan, SUB_ID } from "./armTestKit";
import { appToken, CUSTOMER_TID, call, PARTNER_TID, seededWorld, testCore, userToken } from "./graphTestKit";
import { ARM_ROLE_ASSIGNMENT_EXAMPLE_23 } from "./graphVectors";
import { graphErrorOf } from "./serviceErrors";

const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const UAA = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
const V = "api-version=2022-04-01";
const RA = `/subscriptions/${SUB_ID}/providers/Microsoft.Authorization/roleAssignments`;
const NAME_1 = "05c5a614-a7d6-4502-b150-c2fb455033ff";
const NAME_2 = "b0f43c54-e787-4862-89b1-a653fa9cf747";

function setup() {
  const world = seededWorld();
  addCustomerWithAzurePlan(world.state);
  const core = testCore(world.state);
  // The customer user was created long before "now" (replication finished).
  const dev = addUser(
    world.customer,
    { userPrincipalName: "dev@contoso.onmicrosoft.com", displayName: "Dev" },
    new Date("2025-01-01T00:00:00Z"),
  );
  const aobo = userToken(CUSTOMER_TID, ARM_AUD, "user_impersonation", world.agent.id, {
    idp: `https://sts.windows.net/${PARTNER_TID}/`,
    upn: "agent@partner.onmicrosoft.com",
  });
  return { ...world, core, dev, aobo };
}

const roleDef = (guid: string) =>
  `/subscriptions/${SUB_ID}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const err = (r: { json: Record<string, unknown> }) => r.json.error as { code: string; message: string };

describe("ARM role definitions", () => {
  it("finds built-in roles by name and by id", async () => {
    const { core, aobo } = setup();
    const list = await call(
      armModule,
      core,
      "GET",
      `/subscriptions/${SUB_ID}/providers/Microsoft.Authorization/roleDefinitions?${V}&$filter=roleName eq 'Contributor'`,
      { auth: aobo },
    );
    expect(list.status).toBe(200);
    expect(list.json.value).toEqual([
      expect.objectContaining({
        name: CONTRIBUTOR,
        id: roleDef(CONTRIBUTOR),
        type: "Microsoft.Authorization/roleDefinitions",
      }),
    ]);
    const one = await call(
      armModule,
      core,
      "GET",
      `/subscriptions/${SUB_ID}/providers/Microsoft.Authorization/roleDefinitions/${UAA}?${V}`,
      { auth: aobo },
    );
    expect((one.json.properties as Record<string, unknown>).roleName).toBe("User Access Administrator");
  });

  it("requires api-version with MissingApiVersionParameter", async () => {
    const { core, aobo } = setup();
    const res = await call(
      armModule,
      core,
      "GET",
      `/subscriptions/${SUB_ID}/providers/Microsoft.Authorization/roleDefinitions`,
      { auth: aobo },
    );
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: { code: "MissingApiVersionParameter", message: expect.any(String) } });
    expect(res.headers?.["x-ms-request-id"]).toBeTruthy();
  });
});

describe("ARM role assignments", () => {
  it("creates (201) then re-puts the same name and content (200) as the partner's admin agent", async () => {
    const { core, aobo, dev } = setup();
    const body = { properties: { roleDefinitionId: roleDef(READER), principalId: dev.id } };
    const first = await call(armModule, core, "PUT", `${RA}/${NAME_1}?${V}`, { auth: aobo, body });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      id: `${RA}/${NAME_1}`,
      name: NAME_1,
      type: "Microsoft.Authorization/roleAssignments",
      properties: {
        principalId: dev.id,
        principalType: "User",
        scope: `/subscriptions/${SUB_ID}`,
        roleDefinitionId: roleDef(READER),
      },
    });
    const again = await call(armModule, core, "PUT", `${RA}/${NAME_1}?${V}`, { auth: aobo, body });
    expect(again.status).toBe(200);
    const other = await call(armModule, core, "PUT", `${RA}/${NAME_2}?${V}`, { auth: aobo, body });
    expect(other.status).toBe(409);
    expect(err(other)).toEqual({
      code: "RoleAssignmentExists",
      message: "The role assignment already exists.",
    });
    const changed = await call(armModule, core, "PUT", `${RA}/${NAME_1}?${V}`, {
      auth: aobo,
      body: { properties: { roleDefinitionId: roleDef(CONTRIBUTOR), principalId: dev.id } },
    });
    expect(changed.status).toBe(409);
    expect(err(changed).code).toBe("RoleAssignmentUpdateNotPermitted");
  });

  it("accepts the published request (vector 23) once its role and subscription exist, answering in its shape", async () => {
    const { core, aobo, customer, state } = setup();
    const v = ARM_ROLE_ASSIGNMENT_EXAMPLE_23 as {
      parameters: { roleAssignmentName: string; parameters: { properties: Record<string, string> } };
      responses: { "201": { body: Record<string, unknown> } };
    };
    const principalId = v.parameters.parameters.properties.principalId;
    addUser(
      customer,
      { id: principalId, userPrincipalName: "sample@contoso.onmicrosoft.com", displayName: "Sample" },
      new Date(0),
    );
    // As published, the example's role (a custom role of the sample subscription) does not exist here.
    const asPublished = await call(armModule, core, "PUT", `${RA}/${v.parameters.roleAssignmentName}?${V}`, {
      auth: aobo,
      body: v.parameters.parameters,
    });
    expect(asPublished.status).toBe(400);
    expect(err(asPublished).code).toBe("RoleDefinitionDoesNotExist");
    const body = { properties: { ...v.parameters.parameters.properties, roleDefinitionId: roleDef(READER) } };
    const res = await call(armModule, core, "PUT", `${RA}/${v.parameters.roleAssignmentName}?${V}`, {
      auth: aobo,
      body,
    });
    expect(res.status).toBe(201);
    const keys = (o: Record<string, unknown>) => Object.keys(o).sort();
    const published = v.responses["201"].body;
    expect(keys(res.json)).toEqual(keys(published));
    expect(keys(res.json.properties as Record<string, unknown>)).toEqual(
      expect.arrayContaining(keys(published.properties as Record<string, unknown>)),
    );
    expect(Object.keys(state.azure.roleAssignments)).toHaveLength(1);
  });

  it("answers PrincipalNotFound with the documented text during the replication delay unless principalType is sent", async () => {
    const { core, aobo, customer, state } = setup();
    state.settings.replicationDelayMs = 30_000;
    const fresh = addUser(
      customer,
      { userPrincipalName: "new@contoso.onmicrosoft.com", displayName: "New" },
      core.now(),
    );
    const body = { properties: { roleDefinitionId: roleDef(READER), principalId: fresh.id } };
    const early = await call(armModule, core, "PUT", `${RA}/${NAME_1}?${V}`, { auth: aobo, body });
    expect(early.status).toBe(400);
    expect(err(early)).toEqual({
      code: "PrincipalNotFound",
      message: `Principal ${fresh.id} does not exist in the directory ${CUSTOMER_TID}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
    });
    const typed = await call(armModule, core, "PUT", `${RA}/${NAME_1}?${V}`, {
      auth: aobo,
      body: { properties: { ...body.properties, principalType: "User" } },
    });
    expect(typed.status).toBe(201);
    core.advance(30_000);
    const unknown = await call(armModule, core, "PUT", `${RA}/${NAME_2}?${V}`, {
      auth: aobo,
      body: {
        properties: {
          roleDefinitionId: roleDef(READER),
          principalId: "99999999-9999-4999-8999-999999999999",
        },
      },
    });
    expect(err(unknown).code).toBe("PrincipalNotFound");
  });

  it("refuses writes to callers without Owner or User Access Administrator (403 AuthorizationFailed)", async () => {
    const { core, aobo, dev, plain } = setup();
    const devToken = userToken(CUSTOMER_TID, ARM_AUD, "user_impersonation", dev.id, {
      upn: "dev@contoso.onmicrosoft.com",
    });
    const body = { properties: { roleDefinitionId: roleDef(OWNER), principalId: dev.id } };
    const denied = await call(armModule, core, "PUT", `${RA}/${NAME_1}?${V}`, { auth: devToken, body });
    expect(denied.status).toBe(403);
    expect(err(denied).code).toBe("AuthorizationFailed");
    expect(err(denied).message).toContain("Microsoft.Authorization/roleAssignments/write");
    // A partner user who is not an admin agent gets no admin-on-behalf-of rights.
    const notAgent = userToken(CUSTOMER_TID, ARM_AUD, "user_impersonation", plain.id, {
      idp: `https://sts.windows.net/${PARTNER_TID}/`,
    });
    expect(
      (await call(armModule, core, "PUT", `${RA}/${NAME_1}?${V}`, { auth: notAgent, body })).status,
    ).toBe(403);
    // Contributor may not assign roles; User Access Administrator may.
    await call(armModule, core, "PUT", `${RA}/${NAME_1}?${V}`, {
      auth: aobo,
      body: { properties: { roleDefinitionId: roleDef(CONTRIBUTOR), principalId: dev.id } },
    });
    expect(
      (await call(armModule, core, "PUT", `${RA}/${NAME_2}?${V}`, { auth: devToken, body })).status,
    ).toBe(403);
    await call(armModule, core, "PUT", `${RA}/cccccccc-0000-4000-8000-000000000003?${V}`, {
      auth: aobo,
      body: { properties: { roleDefinitionId: roleDef(UAA), principalId: dev.id } },
    });
    expect(
      (await call(armModule, core, "PUT", `${RA}/${NAME_2}?${V}`, { auth: devToken, body })).status,
    ).toBe(201);
  });

  it("refuses a token issued for the partner tenant with InvalidAuthenticationTokenTenant", async () => {
    const { core, agent, dev } = setup();
    const partnerToken = userToken(PARTNER_TID, ARM_AUD, "user_impersonation", agent.id);
    const res = await call(armModule, core, "PUT", `${RA}/${NAME_1}?${V}`, {
      auth: partnerToken,
      body: { properties: { roleDefinitionId: roleDef(READER), principalId: dev.id } },
    });
    expect(res.status).toBe(401);
    expect(err(res).code).toBe("InvalidAuthenticationTokenTenant");
  });

  it("inherits subscription assignments at resource group scope, filters the list, and deletes (200 then 204)", async () => {
    const { core, aobo, dev, customer } = setup();
    const sp = customer.servicePrincipals[Object.keys(customer.servicePrincipals)[0]];
    await call(armModule, core, "PUT", `${RA}/${NAME_1}?${V}`, {
      auth: aobo,
      body: { properties: { roleDefinitionId: roleDef(READER), principalId: dev.id } },
    });
    const rgRa = `/subscriptions/${SUB_ID}/resourceGroups/rg1/providers/Microsoft.Authorization/roleAssignments`;
    const rgPut = await call(armModule, core, "PUT", `${rgRa}/${NAME_2}?${V}`, {
      auth: aobo,
      body: {
        properties: {
          roleDefinitionId: roleDef(CONTRIBUTOR),
          principalId: sp.id,
          principalType: "ServicePrincipal",
        },
      },
    });
    expect(rgPut.status).toBe(201);
    const atRg = await call(armModule, core, "GET", `${rgRa}?${V}&$filter=atScope()`, { auth: aobo });
    expect((atRg.json.value as { name: string }[]).map((a) => a.name).sort()).toEqual(
      [NAME_1, NAME_2].sort(),
    );
    const atSub = await call(armModule, core, "GET", `${RA}?${V}&$filter=atScope()`, { auth: aobo });
    expect((atSub.json.value as { name: string }[]).map((a) => a.name)).toEqual([NAME_1]);
    const byPrincipal = await call(armModule, core, "GET", `${RA}?${V}&$filter=principalId eq '${sp.id}'`, {
      auth: aobo,
    });
    expect((byPrincipal.json.value as { name: string }[]).map((a) => a.name)).toEqual([NAME_2]);
    const del = await call(armModule, core, "DELETE", `${RA}/${NAME_1}?${V}`, { auth: aobo });
    expect(del.status).toBe(200);
    expect(del.json.name).toBe(NAME_1);
    expect((await call(armModule, core, "DELETE", `${RA}/${NAME_1}?${V}`, { auth: aobo })).status).toBe(204);
    expect(graphErrorOf(await call(armModule, core, "GET", `${RA}/${NAME_1}?${V}`, { auth: aobo }))).toEqual({
      status: 404,
      code: "RoleAssignmentNotFound",
    });
  });

  it("lets a service principal with an Owner assignment write, and blocks writes on a cancelled subscription", async () => {
    const { core, aobo, dev, customer, state } = setup();
    const sp = customer.servicePrincipals[Object.keys(customer.servicePrincipals)[0]];
    await call(armModule, core, "PUT", `${RA}/${NAME_1}?${V}`, {
      auth: aobo,
      body: { properties: { roleDefinitionId: roleDef(OWNER), principalId: sp.id } },
    });
    const spToken = appToken(CUSTOMER_TID, ARM_AUD, [], sp.id);
    const ok = await call(armModule, core, "PUT", `${RA}/${NAME_2}?${V}`, {
      auth: spToken,
      body: { properties: { roleDefinitionId: roleDef(READER), principalId: dev.id } },
    });
    expect(ok.status).toBe(201);
    state.azure.subscriptions[SUB_ID].state = "Disabled";
    const blocked = await call(armModule, core, "DELETE", `${RA}/${NAME_2}?${V}`, { auth: spToken });
    expect(blocked.status).toBe(409);
    expect(err(blocked).code).toBe("ReadOnlyDisabledSubscription");
  });
});

describe("ARM error responses for the server", () => {
  it("answers the ARM envelope with a PascalCase code for an injected reason phrase", () => {
    const res = armModule.errorResponse(503, "Service Unavailable", "Injected fault: status 503", {
      service: "arm",
      method: "GET",
      path: "/subscriptions",
      params: {},
      query: new URLSearchParams(),
      headers: {},
      body: undefined,
      rawBody: Buffer.alloc(0),
      requestId: "rid",
      baseUrl: "https://emu.test/arm",
    });
    expect(res.body).toEqual({
      error: { code: "ServiceUnavailable", message: "Injected fault: status 503" },
    });
    expect(res.headers?.["x-ms-request-id"]).toBe("rid");
  });
});

describe("ARM role assignments at resource scope", () => {
  it("assigns a role on a resource below a resource group, inherits from the subscription, and answers 501 off the modelled paths", async () => {
    const { core, aobo, dev } = setup();
    const resource = `/subscriptions/${SUB_ID}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/st1`;
    const put = await call(
      armModule,
      core,
      "PUT",
      `${resource}/providers/Microsoft.Authorization/roleAssignments/${NAME_1}?${V}`,
      {
        auth: aobo,
        body: { properties: { roleDefinitionId: roleDef(READER), principalId: dev.id } },
      },
    );
    expect(put.status).toBe(201);
    expect((put.json.properties as Record<string, unknown>).scope).toBe(resource);
    await call(armModule, core, "PUT", `${RA}/${NAME_2}?${V}`, {
      auth: aobo,
      body: { properties: { roleDefinitionId: roleDef(CONTRIBUTOR), principalId: dev.id } },
    });
    const atResource = await call(
      armModule,
      core,
      "GET",
      `${resource}/providers/Microsoft.Authorization/roleAssignments?${V}&$filter=atScope()`,
      {
        auth: aobo,
      },
    );
    expect((atResource.json.value as { name: string }[]).map((a) => a.name).sort()).toEqual(
      [NAME_1, NAME_2].sort(),
    );
    const defs = await call(
      armModule,
      core,
      "GET",
      `${resource}/providers/Microsoft.Authorization/roleDefinitions?${V}&$filter=roleName eq 'Owner'`,
      {
        auth: aobo,
      },
    );
    expect((defs.json.value as unknown[]).length).toBe(1);
    const other = await call(
      armModule,
      core,
      "GET",
      `/subscriptions/${SUB_ID}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/st1?${V}`,
      {
        auth: aobo,
      },
    );
    expect(other.status).toBe(501);
    expect(err(other).code).toBe("NotImplemented");
  });
});
