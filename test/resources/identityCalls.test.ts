import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerTenantApp } from "../../provider/auth/actingIdentity";
import {
  createAllPrincipalsGrant,
  deleteGrant,
  findAllPrincipalsGrant,
} from "../../provider/clients/graph/oauth2PermissionGrants";
import { findServicePrincipalByAppId } from "../../provider/clients/graph/servicePrincipals";
import { createCustomerUser } from "../../provider/clients/partnerCenter/users";
import { applicationConsentHandler as consent } from "../../provider/handlers/directory/applicationConsent";
import { applicationRegistrationHandler as registration } from "../../provider/handlers/directory/applicationRegistration";
import { customerUserHandler as users } from "../../provider/handlers/directory/customerUser";
import { permissionGrantHandler as grants } from "../../provider/handlers/directory/permissionGrant";
import type { HandlerContext } from "../../provider/handlers/types";
import type { ApiRequest, ServiceClient } from "../../provider/http/types";
import { type EmulatorContext, startEmulatorContext } from "../support/emulatorContext";
import { createResource, updateResource } from "../support/handlerSteps";
import {
  consentPartnerApp,
  createTestCustomer,
  GRAPH,
  HELPDESK_ADMINISTRATOR,
  PARTNER_APP_GRAPH_SCOPES,
} from "../support/identityFixtures";

/**
 * The calls each operation of the directory resources makes (issue 19: every call costs latency
 * and throttle budget). Exact sequences, each from a fresh context (a new provider process: it has
 * read nothing yet), so what one test remembered does not lower another's count.
 */

let t: EmulatorContext;
let customerId: string;
let domain: string;

beforeAll(async () => {
  t = await startEmulatorContext();
  ({ customerId, domain } = await createTestCustomer(t.ctx, "calls", { emu: t.emu }));
  await consentPartnerApp(t.ctx, customerId);
});
afterAll(() => t?.stop());

/** `METHOD path[?query]` of every API call since the last clear (token requests aside). */
async function calls(): Promise<string[]> {
  return (await t.emu.admin.requestLog())
    .filter((e) => e.service !== "identity")
    .map(
      (e) =>
        `${e.method} ${e.path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "{id}").replace(/(oauth2PermissionGrants\/)[^/]+/, "$1{id}")}${e.query ? "?" : ""}`,
    );
}

function userInputs(name: string) {
  return {
    customerId,
    userPrincipalName: `${name}@${domain}`,
    displayName: name,
    usageLocation: "US",
    roles: ["Helpdesk Administrator"],
  };
}

describe("CustomerUser calls", () => {
  it("creates two users of a customer with one read of its domains, one POST per user and one per role", async () => {
    const ctx = await t.contextWith();
    await t.emu.admin.clearRequestLog();
    const [a, b] = await Promise.all([
      createResource(users, userInputs("calls.a"), ctx),
      createResource(users, userInputs("calls.b"), ctx),
    ]);
    expect(a.state.roleIds).toEqual([HELPDESK_ADMINISTRATOR]);
    expect(b.state.roleIds).toEqual([HELPDESK_ADMINISTRATOR]);
    expect((await calls()).sort()).toEqual(
      [
        "GET /v1/customers/{id}",
        "POST /v1/customers/{id}/users",
        "POST /v1/customers/{id}/users",
        "POST /v1/customers/{id}/directoryroles/{id}/usermembers",
        "POST /v1/customers/{id}/directoryroles/{id}/usermembers",
      ].sort(),
    );
    const state = await t.emu.admin.state();
    expect(state.directory[customerId]!.directoryRoleMembers[HELPDESK_ADMINISTRATOR]).toEqual(
      expect.arrayContaining([a.id, b.id]),
    );
  });

  it("a change of a profile field costs its PATCH alone", async () => {
    const created = await createResource(users, userInputs("calls.c"), t.ctx);
    const ctx = await t.contextWith();
    await t.emu.admin.clearRequestLog();
    const updated = await updateResource(
      users,
      created.id,
      created,
      { ...created.inputs, displayName: "Calls C." },
      ctx,
    );
    expect(updated.changed).toBe(true);
    expect(updated.state.roleIds).toEqual([HELPDESK_ADMINISTRATOR]);
    expect(await calls()).toEqual(["PATCH /v1/customers/{id}/users/{id}"]);
  });

  it("adopts the active user that holds the UPN (an earlier create whose answer was lost) from the create's conflict", async () => {
    const upn = `calls.d@${domain}`;
    const earlier = await createCustomerUser(
      t.ctx.api().partnerCenter,
      customerId,
      {
        userPrincipalName: upn,
        displayName: "Earlier",
        usageLocation: "US",
        passwordProfile: { password: `Pw-${randomUUID()}`, forceChangePassword: true },
      },
      randomUUID(),
    );
    await t.emu.admin.clearRequestLog();
    const created = await createResource(users, userInputs("calls.d"), t.ctx);
    expect(created.id).toBe(earlier.id);
    const state = await t.emu.admin.state();
    const holders = Object.values(state.directory[customerId]!.users).filter(
      (u) => u.userPrincipalName.toLowerCase() === upn,
    );
    expect(holders.map((u) => u.id)).toEqual([earlier.id]);
    expect(holders[0]?.displayName).toBe("calls.d");
    // The create is tried first; only its conflict leads to the lookup, and the adopted user's
    // roles are read before they are reconciled (it may hold some).
    const made = (await calls()).filter(
      (c) => c.startsWith("POST /v1/customers/{id}/users") || c.startsWith("GET /v1/customers/{id}/users"),
    );
    expect(made.slice(0, 2)).toEqual(["POST /v1/customers/{id}/users", "GET /v1/customers/{id}/users?"]);
    expect(made).toContain("GET /v1/customers/{id}/users/{id}/directoryroles");
  });
});

describe("ApplicationRegistration and PermissionGrant calls", () => {
  async function createAppAndGrant(ctx: HandlerContext, name: string) {
    const app = await createResource(registration, { tenantId: customerId, displayName: name }, ctx);
    const grant = await createResource(
      grants,
      {
        tenantId: customerId,
        clientAppId: app.state.appId,
        resourceAppId: GRAPH,
        delegatedScopes: ["openid", "User.Read"],
      },
      ctx,
    );
    return { app, grant };
  }

  it("create: the application's upsert and its principal's POST, one Graph lookup and one POST for the grant", async () => {
    const ctx = await t.contextWith();
    await t.emu.admin.clearRequestLog();
    const { app, grant } = await createAppAndGrant(ctx, "Calls app");
    expect(await calls()).toEqual([
      "PATCH /v1.0/applications(uniqueName='pulumi-csp-{id}')",
      "POST /v1.0/servicePrincipals",
      "GET /v1.0/servicePrincipals?",
      "POST /v1.0/oauth2PermissionGrants",
    ]);
    expect(grant.state.clientServicePrincipalId).toBe(app.state.servicePrincipalId);

    // Refresh in a new process: each principal is looked up once (the application's is shared
    // by the registration and the grant), then the grant and the application's roles.
    const refreshCtx = await t.contextWith();
    await t.emu.admin.clearRequestLog();
    const [readApp, readGrant] = await Promise.all([
      registration.read(app.id, app.state, refreshCtx),
      grants.read(grant.id, grant.state, refreshCtx),
    ]);
    expect(readApp.id).toBe(app.id);
    expect(readGrant.inputs?.delegatedScopes).toEqual(["openid", "User.Read"]);
    expect((await calls()).sort()).toEqual(
      [
        "GET /v1.0/applications/{id}",
        "GET /v1.0/servicePrincipals?",
        "GET /v1.0/servicePrincipals?",
        "GET /v1.0/oauth2PermissionGrants?",
        "GET /v1.0/servicePrincipals/{id}/appRoleAssignments",
      ].sort(),
    );

    // Delete: the grant by the id in the state, then the principal and the application.
    const deleteCtx = await t.contextWith();
    await t.emu.admin.clearRequestLog();
    await grants.delete(grant.id, grant.state, deleteCtx);
    await registration.delete(app.id, app.state, deleteCtx);
    expect(await calls()).toEqual([
      "DELETE /v1.0/oauth2PermissionGrants/{id}",
      "DELETE /v1.0/servicePrincipals/{id}",
      "DELETE /v1.0/applications/{id}",
    ]);
  });

  it("create of a grant the pair already holds (an earlier create whose answer was lost) aligns that grant, leaving one", async () => {
    const app = await createResource(
      registration,
      { tenantId: customerId, displayName: "Calls held" },
      t.ctx,
    );
    const graph = t.ctx.api().graph;
    const auth = customerTenantApp(customerId);
    const graphSp = await findServicePrincipalByAppId(graph, auth, GRAPH);
    await createAllPrincipalsGrant(graph, auth, app.state.servicePrincipalId, graphSp!.id, ["openid"]);

    const grant = await createResource(
      grants,
      {
        tenantId: customerId,
        clientAppId: app.state.appId,
        resourceAppId: GRAPH,
        delegatedScopes: ["User.Read"],
      },
      await t.contextWith(),
    );
    const held = await findAllPrincipalsGrant(graph, auth, app.state.servicePrincipalId, graphSp!.id);
    expect(held?.id).toBe(grant.state.delegatedGrantId);
    expect(held?.scope).toBe("User.Read");
    const state = await t.emu.admin.state();
    const ofClient = Object.values(state.directory[customerId]!.oauth2PermissionGrants).filter(
      (g) => g.clientId === app.state.servicePrincipalId,
    );
    expect(ofClient).toHaveLength(1);
  });

  it("update that must create the grant settles Graph's twin refusal (another writer made one in between) by aligning that grant", async () => {
    const app = await createResource(
      registration,
      { tenantId: customerId, displayName: "Calls race" },
      t.ctx,
    );
    const inputs = { tenantId: customerId, clientAppId: app.state.appId, resourceAppId: GRAPH };
    const created = await createResource(grants, { ...inputs, delegatedScopes: ["openid"] }, t.ctx);
    const graph = t.ctx.api().graph;
    const auth = customerTenantApp(customerId);
    const clientSp = String(created.state.clientServicePrincipalId);
    const resourceSp = String(created.state.resourceServicePrincipalId);
    // The grant is removed outside Pulumi: the update finds none and creates it.
    await deleteGrant(graph, auth, String(created.state.delegatedGrantId));

    // Between the update's look and its POST, another writer grants the pair: Graph refuses the
    // POST as a twin (Request_MultipleObjectsWithSameKeyValue).
    let raced = false;
    const racing: ServiceClient = {
      service: graph.service,
      baseUrl: graph.baseUrl,
      async send<T>(request: ApiRequest) {
        if (!raced && request.method === "POST" && request.path.endsWith("/oauth2PermissionGrants")) {
          raced = true;
          await createAllPrincipalsGrant(graph, auth, clientSp, resourceSp, ["offline_access"]);
        }
        return graph.send<T>(request);
      },
    };
    const base = await t.contextWith();
    const ctx: HandlerContext = {
      ...base,
      api: (account) =>
        new Proxy(base.api(account), { get: (a, k) => (k === "graph" ? racing : Reflect.get(a, k)) }),
    };
    await t.emu.admin.clearRequestLog();
    const updated = await updateResource(
      grants,
      created.id,
      created,
      { ...inputs, delegatedScopes: ["openid", "User.Read"] },
      ctx,
    );
    expect(raced).toBe(true);
    const twin = (await t.emu.admin.requestLog()).find(
      (e) => e.method === "POST" && e.path.endsWith("/oauth2PermissionGrants") && e.status === 409,
    );
    expect(twin).toBeDefined();
    const held = await findAllPrincipalsGrant(graph, auth, clientSp, resourceSp);
    expect(held?.scope?.split(" ").sort()).toEqual(["User.Read", "openid"]);
    expect(updated.state.delegatedGrantId).toBe(held?.id);
    const state = await t.emu.admin.state();
    expect(
      Object.values(state.directory[customerId]!.oauth2PermissionGrants).filter(
        (g) => g.clientId === clientSp,
      ),
    ).toHaveLength(1);
  });

  it("delete of a grant whose id the service no longer knows finds the pair's grant and removes it", async () => {
    const ctx = await t.contextWith();
    const { grant } = await createAppAndGrant(ctx, "Calls stale");
    const graph = t.ctx.api().graph;
    const auth = customerTenantApp(customerId);
    await grants.delete(grant.id, { ...grant.state, delegatedGrantId: "no-longer-known" }, ctx);
    const left = await findAllPrincipalsGrant(
      graph,
      auth,
      grant.state.clientServicePrincipalId,
      grant.state.resourceServicePrincipalId,
    );
    expect(left).toBeUndefined();
  });
});

describe("ApplicationConsent calls", () => {
  it("refresh reads the consent's principal every time, Microsoft Graph's once per process", async () => {
    const created = await createResource(
      consent,
      {
        customerId,
        displayName: "Partner automation",
        grants: [{ enterpriseApplicationId: GRAPH, scopes: [...PARTNER_APP_GRAPH_SCOPES] }],
      },
      t.ctx,
    );
    const ctx = await t.contextWith();
    await t.emu.admin.clearRequestLog();
    await consent.read(created.id, created.state, ctx);
    await consent.read(created.id, created.state, ctx);
    const sps = (await calls()).filter((c) => c === "GET /v1.0/servicePrincipals?");
    expect(sps).toHaveLength(3);
  });
});
