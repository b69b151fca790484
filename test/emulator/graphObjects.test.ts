import { describe, expect, it } from "vitest";
import { findServicePrincipalByAppId } from "../../emulator/common/directory";
import { hashSecret } from "../../emulator/common/hashSecret";
import type { DirectoryTenant } from "../../emulator/common/state";
import type { AccessTokenClaims } from "../../emulator/common/types";
import { GRAPH_APP_ID, graphAppRoleId } from "../../emulator/graph/firstParty";
import { graphModule } from "../../emulator/graph/index";
import {
  appToken,
  CUSTOMER_TID,
  call,
  PARTNER_TID,
  seededWorld,
  type TestCore,
  testCore,
  userToken,
} from "./graphTestKit";
import { graphErrorOf } from "./serviceErrors";

const GRAPH = "https://graph.microsoft.com";

function setup() {
  const world = seededWorld();
  const core = testCore(world.state);
  const admin = appToken(CUSTOMER_TID, GRAPH, [
    "Application.ReadWrite.All",
    "AppRoleAssignment.ReadWrite.All",
    "DelegatedPermissionGrant.ReadWrite.All",
    "User.ReadWrite.All",
    "Group.ReadWrite.All",
  ]);
  return { ...world, core, admin };
}

/** An application named "a" created through Graph. */
async function newApplication(core: TestCore, admin: AccessTokenClaims): Promise<Record<string, unknown>> {
  return (
    await call(graphModule, core, "POST", "/v1.0/applications", { auth: admin, body: { displayName: "a" } })
  ).json;
}

/** An application with its service principal (the client), and Microsoft Graph's service principal. */
async function clientOfGraph(core: TestCore, admin: AccessTokenClaims, customer: DirectoryTenant) {
  const app = await newApplication(core, admin);
  const sp = (
    await call(graphModule, core, "POST", "/v1.0/servicePrincipals", {
      auth: admin,
      body: { appId: app.appId },
    })
  ).json;
  return { app, sp, graphSp: findServicePrincipalByAppId(customer, GRAPH_APP_ID)! };
}

describe("Graph applications", () => {
  it("creates an application with a generated appId and returns it with @odata.context", async () => {
    const { core, admin, customer } = setup();
    const res = await call(graphModule, core, "POST", "/v1.0/applications", {
      auth: admin,
      body: {
        displayName: "Contoso tool",
        signInAudience: "AzureADMyOrg",
        requiredResourceAccess: [
          {
            resourceAppId: GRAPH_APP_ID,
            resourceAccess: [{ id: graphAppRoleId("User.Read.All"), type: "Role" }],
          },
        ],
        web: { redirectUris: ["https://localhost/cb"] },
      },
    });
    expect(res.status).toBe(201);
    expect(res.json["@odata.context"]).toBe("https://emu.test/graph/v1.0/$metadata#applications/$entity");
    expect(res.json.appId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json.appId).not.toBe(res.json.id);
    expect(res.json.publisherDomain).toBe("contoso.onmicrosoft.com");
    expect(res.json.passwordCredentials).toEqual([]);
    expect(res.json.web).toMatchObject({
      redirectUris: ["https://localhost/cb"],
      implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
    });
    expect(customer.applications[String(res.json.id)].displayName).toBe("Contoso tool");
    expect(core.dirty).toBeGreaterThan(0);
  });

  it("refuses an app-only token without an application write permission with Authorization_RequestDenied", async () => {
    const { core } = setup();
    const res = await call(graphModule, core, "POST", "/v1.0/applications", {
      auth: appToken(CUSTOMER_TID, GRAPH, ["User.Read.All"]),
      body: { displayName: "x" },
    });
    expect(res.status).toBe(403);
    const err = res.json.error as Record<string, unknown>;
    expect(err.code).toBe("Authorization_RequestDenied");
    expect(Object.keys(err.innerError as object).sort()).toEqual(["client-request-id", "date", "request-id"]);
  });

  it("answers 401 InvalidAuthenticationToken without a token and for another audience", async () => {
    const { core } = setup();
    expect(graphErrorOf(await call(graphModule, core, "GET", "/v1.0/applications"))).toEqual({
      status: 401,
      code: "InvalidAuthenticationToken",
    });
    const res = await call(graphModule, core, "GET", "/v1.0/applications", {
      auth: appToken(CUSTOMER_TID, "https://management.azure.com/", ["Application.ReadWrite.All"]),
    });
    expect(graphErrorOf(res)).toEqual({ status: 401, code: "InvalidAuthenticationToken" });
  });

  it("filters by appId and pages with an absolute @odata.nextLink until the list is exhausted", async () => {
    const { core, admin } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await call(graphModule, core, "POST", "/v1.0/applications", {
        auth: admin,
        body: { displayName: `app ${i}`, tags: i === 3 ? ["managed-by-pulumi"] : [] },
      });
      ids.push(String(r.json.appId));
    }
    const filtered = await call(graphModule, core, "GET", `/v1.0/applications?$filter=appId eq '${ids[2]}'`, {
      auth: admin,
    });
    expect((filtered.json.value as unknown[]).length).toBe(1);
    const tagged = await call(
      graphModule,
      core,
      "GET",
      "/v1.0/applications?$filter=tags/any(t:t eq 'managed-by-pulumi')",
      {
        auth: admin,
      },
    );
    expect((tagged.json.value as { appId: string }[]).map((a) => a.appId)).toEqual([ids[3]]);

    const seen: string[] = [];
    let url: string | undefined = "/v1.0/applications?$top=2";
    let pages = 0;
    while (url) {
      const page = await call(graphModule, core, "GET", url, { auth: admin });
      pages++;
      seen.push(...(page.json.value as { appId: string }[]).map((a) => a.appId));
      const next = page.json["@odata.nextLink"] as string | undefined;
      if (next)
        expect(next.startsWith("https://emu.test/graph/v1.0/applications?$top=2&$skiptoken=")).toBe(true);
      url = next?.replace("https://emu.test/graph", "");
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
  });

  it("rejects an unsupported $filter with Request_UnsupportedQuery", async () => {
    const { core, admin } = setup();
    const res = await call(graphModule, core, "GET", "/v1.0/applications?$filter=notes ne 'x'", {
      auth: admin,
    });
    expect(graphErrorOf(res)).toEqual({ status: 400, code: "Request_UnsupportedQuery" });
  });

  it("patches, looks up by appId, and deletes an application together with its service principal", async () => {
    const { core, admin, customer } = setup();
    const app = await newApplication(core, admin);
    const patch = await call(graphModule, core, "PATCH", `/v1.0/applications/${app.id}`, {
      auth: admin,
      body: { displayName: "b", notes: "n" },
    });
    expect(patch.status).toBe(204);
    const byAppId = await call(graphModule, core, "GET", `/v1.0/applications(appId='${app.appId}')`, {
      auth: admin,
    });
    expect(byAppId.json).toMatchObject({ displayName: "b", notes: "n" });
    const bad = await call(graphModule, core, "PATCH", `/v1.0/applications/${app.id}`, {
      auth: admin,
      body: { displayName: "c", appId: "nope" },
    });
    expect(graphErrorOf(bad)).toEqual({ status: 400, code: "Request_BadRequest" });
    expect(customer.applications[String(app.id)].displayName).toBe("b");
    await call(graphModule, core, "POST", "/v1.0/servicePrincipals", {
      auth: admin,
      body: { appId: app.appId },
    });
    expect(findServicePrincipalByAppId(customer, String(app.appId))).toBeDefined();
    expect(
      (await call(graphModule, core, "DELETE", `/v1.0/applications/${app.id}`, { auth: admin })).status,
    ).toBe(204);
    expect(findServicePrincipalByAppId(customer, String(app.appId))).toBeUndefined();
    const gone = await call(graphModule, core, "GET", `/v1.0/applications/${app.id}`, { auth: admin });
    expect(graphErrorOf(gone)).toEqual({ status: 404, code: "Request_ResourceNotFound" });
  });

  it("upserts an application by uniqueName: 201 when missing (with Prefer: create-if-missing), 204 when held, 404 without the header", async () => {
    const { core, admin, customer } = setup();
    const address = "/v1.0/applications(uniqueName='pulumi-csp-key-1')";
    const without = await call(graphModule, core, "PATCH", address, {
      auth: admin,
      body: { displayName: "u" },
    });
    expect(graphErrorOf(without)).toEqual({ status: 404, code: "Request_ResourceNotFound" });
    expect(Object.keys(customer.applications)).toEqual([]);

    const created = await call(graphModule, core, "PATCH", address, {
      auth: admin,
      headers: { Prefer: "create-if-missing" },
      body: { displayName: "u", tags: ["t1"] },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ displayName: "u", uniqueName: "pulumi-csp-key-1", tags: ["t1"] });

    // Again with the header: the holder of the key is updated, nothing is created, no body.
    const again = await call(
      graphModule,
      core,
      "PATCH",
      "/v1.0/applications(uniqueName='PULUMI-CSP-KEY-1')",
      {
        auth: admin,
        headers: { Prefer: "create-if-missing" },
        body: { displayName: "v" },
      },
    );
    expect(again.status).toBe(204);
    expect(again.body).toBeUndefined();
    expect(Object.values(customer.applications).map((a) => a.displayName)).toEqual(["v"]);

    const read = await call(graphModule, core, "GET", address, { auth: admin });
    expect(read.json).toMatchObject({ id: (created.json as { id: string }).id, displayName: "v" });
    const missing = await call(graphModule, core, "GET", "/v1.0/applications(uniqueName='other')", {
      auth: admin,
    });
    expect(graphErrorOf(missing)).toEqual({ status: 404, code: "Request_ResourceNotFound" });

    // The key is set only through its address: a body naming it is refused.
    const posted = await call(graphModule, core, "POST", "/v1.0/applications", {
      auth: admin,
      body: { displayName: "w", uniqueName: "pulumi-csp-key-2" },
    });
    expect(graphErrorOf(posted)).toEqual({ status: 400, code: "Request_BadRequest" });
  });

  it("returns a secret once from addPassword, keeps only its hash, and removes it by keyId", async () => {
    const { core, admin, customer } = setup();
    const app = await newApplication(core, admin);
    const res = await call(graphModule, core, "POST", `/v1.0/applications/${app.id}/addPassword`, {
      auth: admin,
      body: { passwordCredential: { displayName: "ci" } },
    });
    expect(res.status).toBe(200);
    const secret = String(res.json.secretText);
    expect(secret.length).toBe(40);
    expect(res.json.hint).toBe(secret.slice(0, 3));
    expect(
      Date.parse(String(res.json.endDateTime)) - Date.parse(String(res.json.startDateTime)),
    ).toBeGreaterThan(700 * 86400_000);
    const stored = customer.applications[String(app.id)].passwordCredentials[0];
    expect(stored.secretHash).toBe(hashSecret(secret));
    expect(JSON.stringify(customer)).not.toContain(secret);
    const read = await call(graphModule, core, "GET", `/v1.0/applications/${app.id}`, { auth: admin });
    expect((read.json.passwordCredentials as Record<string, unknown>[])[0]).toMatchObject({
      keyId: res.json.keyId,
      secretText: null,
    });
    const rm = await call(graphModule, core, "POST", `/v1.0/applications/${app.id}/removePassword`, {
      auth: admin,
      body: { keyId: res.json.keyId },
    });
    expect(rm.status).toBe(204);
    expect(customer.applications[String(app.id)].passwordCredentials).toEqual([]);
  });
});

describe("Graph service principals, grants and app role assignments", () => {
  it("creates a service principal for a multi-tenant app of another tenant and refuses a second one", async () => {
    const { core, admin, partner } = setup();
    partner.applications.a1 = {
      id: "a1",
      appId: "44444444-4444-4444-8444-444444444444",
      displayName: "Partner app",
      signInAudience: "AzureADMultipleOrgs",
      createdDateTime: "2025-01-01T00:00:00Z",
      properties: {},
      passwordCredentials: [],
    };
    const res = await call(graphModule, core, "POST", "/v1.0/servicePrincipals", {
      auth: admin,
      body: { appId: "44444444-4444-4444-8444-444444444444" },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      appOwnerOrganizationId: PARTNER_TID,
      displayName: "Partner app",
      accountEnabled: true,
    });
    const again = await call(graphModule, core, "POST", "/v1.0/servicePrincipals", {
      auth: admin,
      body: { appId: "44444444-4444-4444-8444-444444444444" },
    });
    expect(graphErrorOf(again)).toEqual({ status: 409, code: "Request_MultipleObjectsWithSameKeyValue" });
    const list = await call(
      graphModule,
      core,
      "GET",
      "/v1.0/servicePrincipals?$filter=appId eq '44444444-4444-4444-8444-444444444444'",
      {
        auth: admin,
      },
    );
    expect((list.json.value as unknown[]).length).toBe(1);
    const unknown = await call(graphModule, core, "POST", "/v1.0/servicePrincipals", {
      auth: admin,
      body: { appId: "55555555-5555-4555-8555-555555555555" },
    });
    expect(graphErrorOf(unknown)).toEqual({ status: 400, code: "Request_BadRequest" });
  });

  it("lists the Graph service principal with its real app roles", async () => {
    const { core, admin } = setup();
    const res = await call(graphModule, core, "GET", `/v1.0/servicePrincipals(appId='${GRAPH_APP_ID}')`, {
      auth: admin,
    });
    expect(res.status).toBe(200);
    expect(res.json.appRoles).toContainEqual(
      expect.objectContaining({
        value: "Application.ReadWrite.All",
        id: "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
      }),
    );
  });

  it("grants delegated scopes once, filters by clientId, updates the scope and deletes the grant", async () => {
    const { core, admin, customer } = setup();
    const { sp, graphSp } = await clientOfGraph(core, admin, customer);
    const body = {
      clientId: sp.id,
      consentType: "AllPrincipals",
      principalId: null,
      resourceId: graphSp.id,
      scope: "User.Read",
    };
    const created = await call(graphModule, core, "POST", "/v1.0/oauth2PermissionGrants", {
      auth: admin,
      body,
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ clientId: sp.id, resourceId: graphSp.id, scope: "User.Read" });
    const dup = await call(graphModule, core, "POST", "/v1.0/oauth2PermissionGrants", { auth: admin, body });
    expect(graphErrorOf(dup)).toEqual({ status: 409, code: "Request_MultipleObjectsWithSameKeyValue" });
    const list = await call(
      graphModule,
      core,
      "GET",
      `/v1.0/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`,
      { auth: admin },
    );
    expect((list.json.value as unknown[]).length).toBe(1);
    const patched = await call(
      graphModule,
      core,
      "PATCH",
      `/v1.0/oauth2PermissionGrants/${created.json.id}`,
      {
        auth: admin,
        body: { scope: "User.Read Directory.Read.All" },
      },
    );
    expect(patched.status).toBe(204);
    expect(customer.oauth2PermissionGrants[String(created.json.id)].scope).toBe(
      "User.Read Directory.Read.All",
    );
    expect(
      (
        await call(graphModule, core, "DELETE", `/v1.0/oauth2PermissionGrants/${created.json.id}`, {
          auth: admin,
        })
      ).status,
    ).toBe(204);
    expect(customer.oauth2PermissionGrants).toEqual({});
  });

  it("assigns an app role through appRoleAssignedTo, lists it from both sides, rejects unknown roles and duplicates", async () => {
    const { core, admin, customer } = setup();
    const { sp, graphSp } = await clientOfGraph(core, admin, customer);
    const body = { principalId: sp.id, resourceId: graphSp.id, appRoleId: graphAppRoleId("User.Read.All") };
    const res = await call(
      graphModule,
      core,
      "POST",
      `/v1.0/servicePrincipals/${graphSp.id}/appRoleAssignedTo`,
      { auth: admin, body },
    );
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      principalType: "ServicePrincipal",
      resourceDisplayName: "Microsoft Graph",
      principalDisplayName: "a",
    });
    const dup = await call(graphModule, core, "POST", `/v1.0/servicePrincipals/${sp.id}/appRoleAssignments`, {
      auth: admin,
      body,
    });
    expect(graphErrorOf(dup)).toEqual({ status: 400, code: "Request_BadRequest" });
    const badRole = await call(
      graphModule,
      core,
      "POST",
      `/v1.0/servicePrincipals/${graphSp.id}/appRoleAssignedTo`,
      {
        auth: admin,
        body: { ...body, appRoleId: "99999999-9999-4999-8999-999999999999" },
      },
    );
    expect(graphErrorOf(badRole)).toEqual({ status: 400, code: "Request_BadRequest" });
    const held = await call(graphModule, core, "GET", `/v1.0/servicePrincipals/${sp.id}/appRoleAssignments`, {
      auth: admin,
    });
    expect((held.json.value as { id: string }[]).map((a) => a.id)).toEqual([res.json.id]);
    const del = await call(
      graphModule,
      core,
      "DELETE",
      `/v1.0/servicePrincipals/${graphSp.id}/appRoleAssignedTo/${res.json.id}`,
      {
        auth: admin,
      },
    );
    expect(del.status).toBe(204);
    expect(customer.appRoleAssignments).toEqual({});
  });

  it("refuses app role assignment writes without AppRoleAssignment.ReadWrite.All or Directory.ReadWrite.All", async () => {
    const { core, customer } = setup();
    const graphSp = findServicePrincipalByAppId(customer, GRAPH_APP_ID)!;
    const res = await call(
      graphModule,
      core,
      "POST",
      `/v1.0/servicePrincipals/${graphSp.id}/appRoleAssignedTo`,
      {
        auth: appToken(CUSTOMER_TID, GRAPH, ["Application.ReadWrite.All"]),
        body: { principalId: graphSp.id, resourceId: graphSp.id, appRoleId: graphAppRoleId("User.Read.All") },
      },
    );
    expect(graphErrorOf(res)).toEqual({ status: 403, code: "Authorization_RequestDenied" });
  });
});

describe("Graph users and groups", () => {
  it("creates a user in a verified domain only and hides soft-deleted users", async () => {
    const { core, admin, customer } = setup();
    const base = {
      accountEnabled: true,
      displayName: "Ada",
      mailNickname: "ada",
      passwordProfile: { password: "Secret-123!", forceChangePasswordNextSignIn: true },
    };
    const bad = await call(graphModule, core, "POST", "/v1.0/users", {
      auth: admin,
      body: { ...base, userPrincipalName: "ada@elsewhere.com" },
    });
    expect(graphErrorOf(bad)).toEqual({ status: 400, code: "Request_BadRequest" });
    const ok = await call(graphModule, core, "POST", "/v1.0/users", {
      auth: admin,
      body: { ...base, userPrincipalName: "ada@contoso.onmicrosoft.com" },
    });
    expect(ok.status).toBe(201);
    expect(customer.users[String(ok.json.id)].passwordHash).toBe(hashSecret("Secret-123!"));
    const byUpn = await call(graphModule, core, "GET", "/v1.0/users/ADA@contoso.onmicrosoft.com", {
      auth: admin,
    });
    expect(byUpn.json.id).toBe(ok.json.id);
    customer.users[String(ok.json.id)].state = "inactive";
    const list = await call(graphModule, core, "GET", "/v1.0/users", { auth: admin });
    expect(list.json.value).toEqual([]);
  });

  it("creates security groups and manages members by $ref", async () => {
    const { core, admin, customer } = setup();
    const g = await call(graphModule, core, "POST", "/v1.0/groups", {
      auth: admin,
      body: { displayName: "Ops", mailEnabled: false, mailNickname: "ops", securityEnabled: true },
    });
    expect(g.status).toBe(201);
    const u = await call(graphModule, core, "POST", "/v1.0/users", {
      auth: admin,
      body: {
        accountEnabled: true,
        displayName: "Bo",
        mailNickname: "bo",
        userPrincipalName: "bo@contoso.onmicrosoft.com",
        passwordProfile: { password: "x-Secret-1" },
      },
    });
    const add = await call(graphModule, core, "POST", `/v1.0/groups/${g.json.id}/members/$ref`, {
      auth: admin,
      body: { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${u.json.id}` },
    });
    expect(add.status).toBe(204);
    expect(customer.groups[String(g.json.id)].memberIds).toEqual([u.json.id]);
    const members = await call(graphModule, core, "GET", `/v1.0/groups/${g.json.id}/members`, {
      auth: admin,
    });
    expect((members.json.value as Record<string, unknown>[])[0]["@odata.type"]).toBe("#microsoft.graph.user");
  });

  it("selects the tenant by the token's tid", async () => {
    const { core, agent } = setup();
    const res = await call(graphModule, core, "GET", "/v1.0/users", {
      auth: userToken(PARTNER_TID, GRAPH, "User.Read.All", agent.id),
    });
    expect((res.json.value as { userPrincipalName: string }[]).map((u) => u.userPrincipalName)).toContain(
      "agent@partner.onmicrosoft.com",
    );
  });
});

describe("Graph error responses for the server", () => {
  it("turns an injected 429 reason phrase into the Graph envelope with code TooManyRequests", () => {
    const res = graphModule.errorResponse(429, "Too Many Requests", "Injected fault: status 429", {
      service: "graph",
      method: "GET",
      path: "/v1.0/users",
      params: {},
      query: new URLSearchParams(),
      headers: { "client-request-id": "abc" },
      body: undefined,
      rawBody: Buffer.alloc(0),
      requestId: "rid",
      baseUrl: "https://emu.test/graph",
    });
    expect(res.body).toMatchObject({
      error: { code: "TooManyRequests", innerError: { "request-id": "rid", "client-request-id": "abc" } },
    });
  });
});
