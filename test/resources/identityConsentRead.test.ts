import { beforeAll, describe, expect, it } from "vitest";
import { customerTenantApp } from "../../provider/auth/actingIdentity";
import {
  findAllPrincipalsGrant,
  updateGrantScopes,
} from "../../provider/clients/graph/oauth2PermissionGrants";
import {
  deleteServicePrincipal,
  findServicePrincipalByAppId,
} from "../../provider/clients/graph/servicePrincipals";
import { applicationConsentHandler as consent } from "../../provider/handlers/directory/applicationConsent";
import { applicationRegistrationHandler as registration } from "../../provider/handlers/directory/applicationRegistration";
import { useEmulator } from "../support/emulatorContext";
import { createResource } from "../support/handlerSteps";
import { consentPartnerApp, createTestCustomer, GRAPH, isWriteMethod } from "../support/identityFixtures";

/** Calls to Partner Center, Graph or ARM with a method that can change state (token requests aside). */
async function apiWrites() {
  return (await t.emu.admin.requestLog()).filter((e) => e.service !== "identity").filter(isWriteMethod);
}

/**
 * ApplicationConsent's read. Partner Center documents no read of a consent (POST and DELETE only),
 * so the handler reads the consented application's service principal and its grants in the
 * customer tenant through Graph, as the partner app (consented there with read permissions).
 * The consent read here is of a second partner app, so that revoking it leaves the reader intact.
 */

const t = useEmulator();
let customerId: string;
let otherAppId: string;

beforeAll(async () => {
  ({ customerId } = await createTestCustomer(t.ctx, "consentread", { emu: t.emu }));
  await consentPartnerApp(t.ctx, customerId);
  // A second multi-tenant app of the partner, registered in the partner tenant.
  const other = await createResource(
    registration,
    { displayName: "Partner reporting", signInAudience: "AzureADMultipleOrgs" },
    t.ctx,
  );
  otherAppId = other.state.appId.toLowerCase();
});

/** A consent of the second app: Directory.Read.All (delegated and app role) and User.Read (delegated only). */
async function consentOtherApp() {
  return createResource(
    consent,
    {
      customerId,
      applicationId: otherAppId,
      displayName: "Partner reporting",
      grants: [{ enterpriseApplicationId: GRAPH, scopes: ["Directory.Read.All", "User.Read"] }],
    },
    t.ctx,
  );
}

async function deleteOtherConsent(state: Parameters<typeof consent.delete>[1]) {
  await consent.delete(`${customerId}/${otherAppId}`, state, t.ctx);
}

describe("ApplicationConsent read through Graph", () => {
  it("reads a present consent from the customer tenant, with no Partner Center call and no write", async () => {
    const created = await consentOtherApp();
    await t.emu.admin.clearRequestLog();
    const read = await consent.read(created.id, created.state, t.ctx);
    expect(read.id).toBe(created.id);
    expect(read.inputs?.grants).toEqual([
      { enterpriseApplicationId: GRAPH, scopes: ["Directory.Read.All", "User.Read"] },
    ]);
    const log = await t.emu.admin.requestLog();
    expect(log.filter((e) => e.service === "partnerCenter")).toEqual([]);
    expect(await apiWrites()).toEqual([]);
    expect(
      log
        .filter((e) => e.service === "graph")
        .map((e) => `${e.method} ${e.path}`)
        .sort(),
    ).toEqual(
      [
        "GET /v1.0/oauth2PermissionGrants",
        "GET /v1.0/servicePrincipals",
        "GET /v1.0/servicePrincipals",
        expect.stringMatching(/^GET \/v1\.0\/servicePrincipals\/[0-9a-f-]{36}\/appRoleAssignments$/),
      ].sort(),
    );
    await deleteOtherConsent(created.state);
  });

  it("shows a partly revoked consent as a change of grants, not as gone", async () => {
    const created = await consentOtherApp();
    const graph = t.ctx.api().graph;
    const auth = customerTenantApp(customerId);
    const client = await findServicePrincipalByAppId(graph, auth, otherAppId);
    const resource = await findServicePrincipalByAppId(graph, auth, GRAPH);
    const grant = await findAllPrincipalsGrant(graph, auth, client!.id, resource!.id);
    // The customer's admin takes User.Read back (Directory.Read.All stays, also as an app role).
    await updateGrantScopes(graph, auth, grant!.id, ["Directory.Read.All"]);

    const read = await consent.read(created.id, created.state, t.ctx);
    expect(read.id).toBe(created.id);
    expect(read.inputs?.grants).toEqual([{ enterpriseApplicationId: GRAPH, scopes: ["Directory.Read.All"] }]);
    const diff = await consent.diff(created.id, { ...created.state, ...read.props! }, created.inputs, t.ctx);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    await deleteOtherConsent(created.state);
  });

  it("reads a consent whose service principal was deleted in the customer tenant as gone", async () => {
    const created = await consentOtherApp();
    const graph = t.ctx.api().graph;
    const auth = customerTenantApp(customerId);
    const client = await findServicePrincipalByAppId(graph, auth, otherAppId);
    expect(await deleteServicePrincipal(graph, auth, client!.id)).toBe(true);

    await t.emu.admin.clearRequestLog();
    const read = await consent.read(created.id, created.state, t.ctx);
    expect(read).toEqual({});
    expect(await apiWrites()).toEqual([]);
    await deleteOtherConsent(created.state);
  });

  it("fails the read on a 403 or a 5xx from Graph instead of taking the consent as gone", async () => {
    const created = await consentOtherApp();
    const noRetry = await t.contextWith({ CSP_MAX_RETRIES: "0" });
    for (const status of [403, 503]) {
      await t.emu.admin.addFault({
        service: "graph",
        method: "GET",
        pathPattern: "^/v1.0/servicePrincipals$",
        count: 1,
        action: { type: "status", status },
      });
      await t.emu.admin.clearRequestLog();
      t.logs.length = 0;
      await expect(consent.read(created.id, created.state, noRetry)).rejects.toMatchObject({
        service: "graph",
        status,
      });
      expect(t.logs.join("\n")).toMatch(/not taken as gone/);
      expect(await apiWrites()).toEqual([]);
    }
    await t.emu.admin.clearFaults();
    expect((await consent.read(created.id, created.state, t.ctx)).id).toBe(created.id);
    await deleteOtherConsent(created.state);
  });
});

describe("ApplicationConsent update without a Partner Center read", () => {
  it("settles a lost answer to the re-POST by posting again with the same MS-RequestId", async () => {
    const created = await consentOtherApp();
    const noRetry = await t.contextWith({ CSP_MAX_RETRIES: "0" });
    const path = `^/v1/customers/${customerId}/applicationconsents$`;
    await t.emu.admin.addFault({
      service: "partnerCenter",
      method: "POST",
      pathPattern: path,
      count: 1,
      action: { type: "commitThenDrop" },
    });
    await t.emu.admin.clearRequestLog();
    const inputs = {
      ...created.inputs,
      grants: [{ enterpriseApplicationId: GRAPH, scopes: ["Directory.Read.All"] }],
    };
    await consent.update(created.id, created.state, inputs, noRetry);
    const posts = await t.emu.admin.requestLog({ service: "partnerCenter", method: "POST" });
    expect(posts.map((e) => e.status)).toEqual([0, 201]);
    const state = await t.emu.admin.state();
    const record = (state.partnerCenter as { applicationConsents?: Record<string, Record<string, unknown>> })
      .applicationConsents?.[customerId]?.[otherAppId];
    expect(record).toMatchObject({
      applicationGrants: [{ enterpriseApplicationId: GRAPH, scope: "Directory.Read.All" }],
    });
    expect((await consent.read(created.id, created.state, t.ctx)).inputs?.grants).toEqual(inputs.grants);
    await deleteOtherConsent(created.state);
  });

  it("deletes the old consent before it creates the new one on any replacement, forced ones included", async () => {
    const created = await consentOtherApp();
    const otherAccount = await consent.diff(
      created.id,
      created.state,
      { ...created.inputs, account: "eu" },
      t.ctx,
    );
    expect(otherAccount).toMatchObject({ changes: true, replaces: ["account"], deleteBeforeReplace: true });
    const same = await consent.diff(created.id, created.state, created.inputs, t.ctx);
    expect(same).toMatchObject({ changes: false, deleteBeforeReplace: true });
    await deleteOtherConsent(created.state);
  });
});
