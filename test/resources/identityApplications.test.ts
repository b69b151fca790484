import { beforeAll, describe, expect, it } from "vitest";
import { customerTenantApp } from "../../provider/auth/actingIdentity";
import { getApplication, removeApplicationPassword } from "../../provider/clients/graph/applications";
import { assignAppRole } from "../../provider/clients/graph/appRoleAssignments";
import { createApplicationConsent } from "../../provider/clients/partnerCenter/consents";
import { applicationConsentHandler as consent } from "../../provider/handlers/directory/applicationConsent";
import { applicationMarker } from "../../provider/handlers/directory/applicationCreate";
import { applicationRegistrationHandler as registration } from "../../provider/handlers/directory/applicationRegistration";
import { permissionGrantHandler as grant } from "../../provider/handlers/directory/permissionGrant";
import { useEmulator } from "../support/emulatorContext";
import { checkFailures, createResource, updateResource } from "../support/handlerSteps";
import {
  consentPartnerApp,
  createTestCustomer,
  GRAPH,
  isWriteMethod,
  PARTNER_APP_GRAPH_SCOPES,
} from "../support/identityFixtures";

const USER_READ_ALL_ROLE = "df021288-bdef-4463-88db-98f22de89214";

const t = useEmulator();

async function tenantOf(id: string) {
  return (await t.emu.admin.state()).directory[id]!;
}

describe("ApplicationConsent", () => {
  it("consents the partner app, verifies it on refresh, replaces it when the grants change, and removes it", async () => {
    const { customerId } = await createTestCustomer(t.ctx, "consent", { emu: t.emu });
    const created = await createResource(
      consent,
      {
        customerId,
        displayName: "Partner automation",
        grants: [
          { enterpriseApplicationId: GRAPH, scopes: ["Directory.Read.All", "Application.ReadWrite.All"] },
        ],
      },
      t.ctx,
    );
    expect(created.state.applicationId).toBe(t.emu.seed.clientId.toLowerCase());
    expect(created.state.grants).toEqual([
      { enterpriseApplicationId: GRAPH, scopes: ["Application.ReadWrite.All", "Directory.Read.All"] },
    ]);
    // The consent materialised the partner app in the customer tenant.
    const sps = Object.values((await tenantOf(customerId)).servicePrincipals);
    expect(sps.some((sp) => sp.appId.toLowerCase() === t.emu.seed.clientId.toLowerCase())).toBe(true);

    const refreshed = await consent.read(created.id, created.state, t.ctx);
    expect(refreshed.id).toBe(created.id);
    expect(refreshed.inputs?.grants).toEqual(created.state.grants);

    await t.emu.admin.clearRequestLog();
    const updated = await updateResource(
      consent,
      created.id,
      created,
      {
        ...created.inputs,
        grants: [{ enterpriseApplicationId: GRAPH, scopes: ["Directory.Read.All", "User.Read.All"] }],
      },
      t.ctx,
    );
    expect(updated.changed).toBe(true);
    const writes = (await t.emu.admin.requestLog({ service: "partnerCenter" })).filter(isWriteMethod);
    expect(writes.map((e) => e.method)).toEqual(["DELETE", "POST"]);
    const afterUpdate = await consent.read(created.id, updated.state, t.ctx);
    expect(afterUpdate.inputs?.grants).toEqual([
      { enterpriseApplicationId: GRAPH, scopes: ["Directory.Read.All", "User.Read.All"] },
    ]);

    await consent.delete(created.id, updated.state, t.ctx);
    const tenant = await tenantOf(customerId);
    const client = Object.values(tenant.servicePrincipals).find(
      (sp) => sp.appId.toLowerCase() === created.state.applicationId,
    );
    expect(Object.values(tenant.oauth2PermissionGrants).filter((g) => g.clientId === client?.id)).toEqual([]);
    expect(Object.values(tenant.appRoleAssignments).filter((a) => a.principalId === client?.id)).toEqual([]);
    // The partner app reads its own consent: without it, a new token holds no read permission
    // there (the service principal stays), and a refused read is an error, not "gone".
    const fresh = await t.contextWith();
    t.logs.length = 0;
    await expect(consent.read(created.id, updated.state, fresh)).rejects.toMatchObject({ status: 403 });
    expect(t.logs.join("\n")).toMatch(/partner app's own consent.*pulumi state delete/);
  });

  it("treats an existing consent as something to verify: adopts it when the grants match, replaces it otherwise", async () => {
    const { customerId } = await createTestCustomer(t.ctx, "consent409", { emu: t.emu });
    const api = t.ctx.api();
    const inputs = {
      customerId,
      displayName: "Partner automation",
      grants: [{ enterpriseApplicationId: GRAPH, scopes: ["Directory.Read.All"] }],
    };
    await createApplicationConsent(
      api.partnerCenter,
      customerId,
      {
        applicationId: api.clientId,
        displayName: "earlier",
        applicationGrants: [{ enterpriseApplicationId: GRAPH, scope: "Directory.Read.All" }],
      },
      "11111111-2222-4333-8444-555555555555",
    );
    await t.emu.admin.clearRequestLog();
    t.logs.length = 0;
    await createResource(consent, inputs, t.ctx);
    expect(t.logs.join("\n")).toMatch(/already exists with these grants; adopting/);
    let writes = (await t.emu.admin.requestLog({ service: "partnerCenter" })).filter(isWriteMethod);
    expect(writes.map((e) => `${e.method} ${e.status}`)).toEqual(["POST 409"]);

    await t.emu.admin.clearRequestLog();
    t.logs.length = 0;
    await createResource(
      consent,
      { ...inputs, grants: [{ enterpriseApplicationId: GRAPH, scopes: ["Group.Read.All"] }] },
      t.ctx,
    );
    expect(t.logs.join("\n")).toMatch(/replacing it/);
    writes = (await t.emu.admin.requestLog({ service: "partnerCenter" })).filter(isWriteMethod);
    expect(writes.map((e) => `${e.method} ${e.status}`)).toEqual(["POST 409", "DELETE 200", "POST 201"]);
  });

  it("rejects invalid consents in check, before any write", async () => {
    await t.emu.admin.clearRequestLog();
    const base = {
      customerId: "3f2a1c8e-4b7d-4e21-9a55-0c1d2e3f4a5b",
      displayName: "x",
      grants: [{ enterpriseApplicationId: GRAPH, scopes: ["Directory.Read.All"] }],
    };
    const failing = (n: Record<string, unknown>) => checkFailures(consent, {}, { ...base, ...n }, t.ctx);
    expect((await failing({ grants: [] }))[0]?.property).toBe("grants");
    expect(
      (await failing({ grants: [{ enterpriseApplicationId: GRAPH, scopes: ["A,B"] }] }))[0]?.property,
    ).toBe("grants.0.scopes.0");
    expect(
      (
        await failing({
          grants: [
            { enterpriseApplicationId: GRAPH, scopes: ["A"] },
            { enterpriseApplicationId: GRAPH, scopes: ["B"] },
          ],
        })
      )[0]?.property,
    ).toBe("grants.1.enterpriseApplicationId");
    expect((await failing({ applicationId: "app" }))[0]?.property).toBe("applicationId");
    expect((await failing({ customerId: "c" }))[0]?.property).toBe("customerId");
    expect((await t.emu.admin.requestLog()).filter(isWriteMethod)).toEqual([]);
  });
});

describe("ApplicationRegistration", () => {
  let customerId: string;
  beforeAll(async () => {
    ({ customerId } = await createTestCustomer(t.ctx, "apps", { emu: t.emu }));
    await consentPartnerApp(t.ctx, customerId);
  });

  it("creates the application and its service principal with a secret, rotates the secret only when rotationKey changes, and deletes both", async () => {
    const graph = t.ctx.api().graph;
    const auth = customerTenantApp(customerId);
    const created = await createResource(
      registration,
      {
        tenantId: customerId,
        displayName: "Contoso portal",
        signInAudience: "AzureADMyOrg",
        redirectUris: ["https://portal.contoso.example/auth"],
        identifierUris: ["api://contoso-portal"],
        requiredResourceAccess: [
          { resourceAppId: GRAPH, resourceAccess: [{ id: USER_READ_ALL_ROLE, type: "Role" }] },
        ],
        passwordCredential: { displayName: "ci", rotationKey: "1" },
      },
      t.ctx,
    );
    const s = created.state;
    expect(s.clientSecret?.length).toBeGreaterThanOrEqual(16);
    expect(s.servicePrincipalId).not.toBe("");
    let tenant = await tenantOf(customerId);
    expect(tenant.applications[s.objectId]?.properties.tags).toEqual([s.marker]);
    expect(
      Object.values(tenant.servicePrincipals).some(
        (sp) => sp.id === s.servicePrincipalId && sp.appId === s.appId,
      ),
    ).toBe(true);

    // Renaming keeps the secret; the marker follows the name.
    const renamed = await updateResource(
      registration,
      created.id,
      created,
      { ...created.inputs, displayName: "Contoso portal v2" },
      t.ctx,
    );
    expect(renamed.state.clientSecret).toBe(s.clientSecret);
    expect(renamed.state.clientSecretKeyId).toBe(s.clientSecretKeyId);
    expect((await getApplication(graph, auth, s.objectId))?.tags).toEqual([
      applicationMarker(t.emu.seed.partnerTenantId, customerId, "Contoso portal v2"),
    ]);

    const rotated = await updateResource(
      registration,
      created.id,
      renamed,
      { ...renamed.inputs, passwordCredential: { displayName: "ci", rotationKey: "2" } },
      t.ctx,
    );
    expect(rotated.state.clientSecretKeyId).not.toBe(s.clientSecretKeyId);
    expect(rotated.state.clientSecret).not.toBe(s.clientSecret);
    const keys = (await getApplication(graph, auth, s.objectId))?.passwordCredentials?.map((c) => c.keyId);
    expect(keys).toEqual([rotated.state.clientSecretKeyId]);

    // A secret removed outside Pulumi: refresh forgets it, the next update adds a new one.
    await removeApplicationPassword(graph, auth, s.objectId, rotated.state.clientSecretKeyId!);
    const refreshed = await registration.read(created.id, rotated.state, t.ctx);
    expect(refreshed.inputs?.passwordCredential).toBeUndefined();
    expect(refreshed.props?.clientSecret).toBeUndefined();
    const readded = await updateResource(
      registration,
      created.id,
      { inputs: refreshed.inputs!, state: { ...refreshed.inputs!, ...refreshed.props! } },
      rotated.inputs,
      t.ctx,
    );
    expect(readded.state.clientSecretKeyId).toBeDefined();
    expect(readded.state.clientSecretKeyId).not.toBe(rotated.state.clientSecretKeyId);

    await registration.delete(created.id, readded.state, t.ctx);
    tenant = await tenantOf(customerId);
    expect(tenant.applications[s.objectId]).toBeUndefined();
    expect(tenant.servicePrincipals[s.servicePrincipalId]).toBeUndefined();
    expect((await registration.read(created.id, readded.state, t.ctx)).id).toBeUndefined();
  });

  it("leaves exactly one application when the create response is lost", async () => {
    await t.emu.admin.addFault({
      method: "PATCH",
      service: "graph",
      pathPattern: "^/v1.0/applications\\(uniqueName=",
      count: 1,
      action: { type: "commitThenDrop" },
    });
    try {
      await t.emu.admin.clearRequestLog();
      const created = await createResource(
        registration,
        { tenantId: customerId, displayName: "Lost response app" },
        t.ctx,
      );
      // The upsert whose answer was lost is sent again (it cannot make a second application), then
      // the application it found is read by the same key.
      const applicationCalls = (await t.emu.admin.requestLog())
        .filter((e) => e.path.startsWith("/v1.0/applications"))
        .map((e) => `${e.method} ${e.path.replace(/'[^']+'/, "{key}")}`);
      expect(applicationCalls).toEqual([
        "PATCH /v1.0/applications(uniqueName={key})",
        "PATCH /v1.0/applications(uniqueName={key})",
        "GET /v1.0/applications(uniqueName={key})",
      ]);
      const apps = Object.values((await tenantOf(customerId)).applications).filter(
        (a) => a.displayName === "Lost response app",
      );
      expect(apps.map((a) => a.id)).toEqual([created.id]);
      expect(created.state.servicePrincipalId).not.toBe("");
      // A second create (a re-run after a crash) adopts the same application.
      const again = await createResource(
        registration,
        { tenantId: customerId, displayName: "Lost response app" },
        t.ctx,
      );
      expect(again.id).toBe(created.id);
    } finally {
      await t.emu.admin.clearFaults();
    }
  });

  it("registers an application in the partner tenant when no tenantId is given", async () => {
    const created = await createResource(registration, { displayName: "Partner tool" }, t.ctx);
    expect(created.state.tenantId).toBe(t.emu.seed.partnerTenantId.toLowerCase());
    expect((await tenantOf(t.emu.seed.partnerTenantId)).applications[created.id]?.displayName).toBe(
      "Partner tool",
    );
    await registration.delete(created.id, created.state, t.ctx);
  });

  it("rejects invalid registrations in check, before any write", async () => {
    await t.emu.admin.clearRequestLog();
    const failing = (n: Record<string, unknown>) =>
      checkFailures(registration, {}, { displayName: "x", ...n }, t.ctx);
    expect((await failing({ signInAudience: "Everyone" }))[0]?.property).toBe("signInAudience");
    expect((await failing({ redirectUris: ["http://example.com/cb"] }))[0]?.property).toBe("redirectUris.0");
    expect((await failing({ identifierUris: ["not a uri"] }))[0]?.property).toBe("identifierUris.0");
    expect(
      (
        await failing({
          requiredResourceAccess: [
            { resourceAppId: GRAPH, resourceAccess: [{ id: USER_READ_ALL_ROLE, type: "App" }] },
          ],
        })
      )[0]?.property,
    ).toBe("requiredResourceAccess.0.resourceAccess.0.type");
    expect((await failing({ tenantId: "partner" }))[0]?.property).toBe("tenantId");
    expect((await failing({ displayName: "" }))[0]?.property).toBe("displayName");
    expect((await t.emu.admin.requestLog()).filter(isWriteMethod)).toEqual([]);
  });
});

describe("PermissionGrant", () => {
  it("grants delegated scopes and app roles to a client app, reconciles both as sets, shows drift, and removes them", async () => {
    const { customerId } = await createTestCustomer(t.ctx, "grants", { emu: t.emu });
    await consentPartnerApp(t.ctx, customerId, PARTNER_APP_GRAPH_SCOPES);
    const app = await createResource(
      registration,
      { tenantId: customerId, displayName: "Grant client" },
      t.ctx,
    );
    const inputs = {
      tenantId: customerId,
      clientAppId: app.state.appId,
      resourceAppId: GRAPH,
      delegatedScopes: ["User.Read"],
      appRoles: ["User.Read.All"],
    };
    const created = await createResource(grant, inputs, t.ctx);
    expect(created.state.delegatedScopes).toEqual(["User.Read"]);
    expect(created.state.appRoleIds).toEqual([USER_READ_ALL_ROLE]);
    const clientSp = app.state.servicePrincipalId;
    let tenant = await tenantOf(customerId);
    const grantsOf = () =>
      Object.values(tenant.oauth2PermissionGrants).filter((g) => g.clientId === clientSp);
    const rolesOf = () => Object.values(tenant.appRoleAssignments).filter((a) => a.principalId === clientSp);
    expect(grantsOf().map((g) => g.scope)).toEqual(["User.Read"]);
    expect(rolesOf().map((a) => a.appRoleId)).toEqual([USER_READ_ALL_ROLE]);

    const updated = await updateResource(
      grant,
      created.id,
      created,
      { ...inputs, delegatedScopes: ["openid", "User.Read", "offline_access"], appRoles: ["Group.Read.All"] },
      t.ctx,
    );
    expect(updated.changed).toBe(true);
    tenant = await tenantOf(customerId);
    expect(grantsOf().map((g) => g.scope.split(" ").sort())).toEqual([
      ["User.Read", "offline_access", "openid"].sort(),
    ]);
    expect(rolesOf().map((a) => a.appRoleId)).toEqual([updated.state.appRoleIds[0]]);
    expect(updated.state.appRoles).toEqual(["Group.Read.All"]);

    // Dropping every delegated scope removes the grant.
    const rolesOnly = await updateResource(
      grant,
      created.id,
      updated,
      { ...inputs, delegatedScopes: [], appRoles: ["Group.Read.All"] },
      t.ctx,
    );
    tenant = await tenantOf(customerId);
    expect(grantsOf()).toEqual([]);
    expect(rolesOnly.state.delegatedGrantId).toBeUndefined();

    // Drift: a role added outside Pulumi shows on refresh.
    const graphCtx = t.ctx.api().graph;
    await assignAppRole(
      graphCtx,
      customerTenantApp(customerId),
      rolesOnly.state.resourceServicePrincipalId,
      clientSp,
      USER_READ_ALL_ROLE,
    );
    const refreshed = await grant.read(created.id, rolesOnly.state, t.ctx);
    expect(refreshed.inputs?.appRoles).toEqual(["Group.Read.All", "User.Read.All"]);
    expect(
      (await grant.diff(created.id, { ...rolesOnly.state, ...refreshed.props! }, rolesOnly.inputs, t.ctx))
        .changes,
    ).toBe(true);

    await grant.delete(created.id, rolesOnly.state, t.ctx);
    tenant = await tenantOf(customerId);
    expect(rolesOf().map((a) => a.appRoleId)).toEqual([USER_READ_ALL_ROLE]);
  });

  it("names the input when a permission does not exist on the resource", async () => {
    const { customerId } = await createTestCustomer(t.ctx, "grantsbad", { emu: t.emu });
    await consentPartnerApp(t.ctx, customerId);
    const app = await createResource(
      registration,
      { tenantId: customerId, displayName: "Bad grant client" },
      t.ctx,
    );
    await expect(
      createResource(
        grant,
        {
          tenantId: customerId,
          clientAppId: app.state.appId,
          resourceAppId: GRAPH,
          appRoles: ["User.Read.Everything"],
        },
        t.ctx,
      ),
    ).rejects.toThrow(/appRoles\[0\]: "User.Read.Everything" is not an application permission/);
  });

  it("rejects invalid grants in check, before any write", async () => {
    await t.emu.admin.clearRequestLog();
    const base = {
      tenantId: "3f2a1c8e-4b7d-4e21-9a55-0c1d2e3f4a5b",
      clientAppId: "4f2a1c8e-4b7d-4e21-9a55-0c1d2e3f4a5b",
      resourceAppId: GRAPH,
      appRoles: ["User.Read.All"],
    };
    const failing = (n: Record<string, unknown>) => checkFailures(grant, {}, { ...base, ...n }, t.ctx);
    expect((await failing({ appRoles: [], delegatedScopes: [] }))[0]?.property).toBe("delegatedScopes");
    expect((await failing({ appRoles: ["User Read"] }))[0]?.property).toBe("appRoles.0");
    expect((await failing({ clientAppId: "x" }))[0]?.property).toBe("clientAppId");
    expect((await failing({ tenantId: undefined }))[0]?.property).toBe("tenantId");
    expect((await t.emu.admin.requestLog()).filter(isWriteMethod)).toEqual([]);
  });
});
