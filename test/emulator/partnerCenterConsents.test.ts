import { describe, expect, it } from "vitest";
import { findServicePrincipalByAppId } from "../../emulator/common/directory";
import { pcSections } from "../../emulator/partnerCenter/pcState";
import { at, createCustomer, createPcKit, str } from "./partnerCenterTestKit";
import { pcErrorOf } from "./serviceErrors";

const GRAPH = "00000003-0000-0000-c000-000000000000";
const ARM = "797f4846-ba00-4fd7-ba43-dac1f8f63013";
/** Graph application permission `User.Read.All` (app role id). */
const USER_READ_ALL_ROLE = "df021288-bdef-4463-88db-98f22de89214";

function consentBody(appId: string) {
  return {
    applicationId: appId,
    displayName: "Partner automation",
    applicationGrants: [
      { enterpriseApplicationId: GRAPH, scope: "Directory.Read.All,User.Read.All" },
      { enterpriseApplicationId: ARM, scope: "user_impersonation" },
    ],
  };
}

describe("Partner Center application consents", () => {
  it("materialises the app's service principal, delegated grants and app role assignments in the customer tenant", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    const res = kit.call("POST", `/v1/customers/${customerId}/applicationconsents`, {
      as: "user",
      body: consentBody(kit.appId),
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      applicationId: kit.appId,
      displayName: "Partner automation",
      applicationGrants: consentBody(kit.appId).applicationGrants,
    });
    const tenant = kit.state.directory[customerId];
    const client = findServicePrincipalByAppId(tenant, kit.appId);
    expect(client).toMatchObject({ appOwnerOrganizationId: kit.partnerTenantId });
    const graph = findServicePrincipalByAppId(tenant, GRAPH)!;
    const arm = findServicePrincipalByAppId(tenant, ARM)!;
    const grants = Object.values(tenant.oauth2PermissionGrants).filter((g) => g.clientId === client?.id);
    expect(grants).toHaveLength(2);
    const graphGrant = grants.find((g) => g.resourceId === graph.id)!;
    expect(graphGrant).toMatchObject({ consentType: "AllPrincipals", principalId: null });
    expect(graphGrant.scope.split(" ").sort()).toEqual(["Directory.Read.All", "User.Read.All"]);
    expect(grants.find((g) => g.resourceId === arm.id)?.scope).toBe("user_impersonation");
    const roles = Object.values(tenant.appRoleAssignments).filter((a) => a.principalId === client?.id);
    expect(roles.map((a) => a.appRoleId)).toContain(USER_READ_ALL_ROLE);
    expect(roles.every((a) => a.resourceId === graph.id && a.principalType === "ServicePrincipal")).toBe(
      true,
    );
  });

  it("refuses a second consent for the same application with 409 and keeps the first", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    const path = `/v1/customers/${customerId}/applicationconsents`;
    kit.call("POST", path, { as: "user", body: consentBody(kit.appId) });
    const again = kit.call("POST", path, { as: "user", body: consentBody(kit.appId) });
    expect(pcErrorOf(again)).toEqual({ status: 409, code: 60015 });
    expect(at(again.body, "data.0")).toBe(kit.appId);
    expect(Object.keys(pcSections(kit.state).applicationConsents[customerId] ?? {})).toEqual([kit.appId]);
  });

  it("offers no read of consents: GET of the list or of one application answers 405 with the documented method in Allow", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    const path = `/v1/customers/${customerId}/applicationconsents`;
    expect(kit.call("POST", path, { as: "user", body: consentBody(kit.appId) }).status).toBe(201);
    for (const as of ["user", "app"] as const) {
      const listed = kit.call("GET", path, { as });
      expect([listed.status, listed.headers?.Allow]).toEqual([405, "POST"]);
      const one = kit.call("GET", `${path}/${kit.appId}`, { as });
      expect([one.status, one.headers?.Allow]).toEqual([405, "DELETE"]);
      expect(str(one.body, "description")).toContain("does not support http method 'GET'");
    }
  });

  it("deletes the grants and keeps the service principal; a new consent then succeeds", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    const path = `/v1/customers/${customerId}/applicationconsents`;
    kit.call("POST", path, { as: "user", body: consentBody(kit.appId) });
    expect(kit.call("DELETE", `${path}/${kit.appId}`, { as: "user" }).status).toBe(200);
    const tenant = kit.state.directory[customerId];
    const client = findServicePrincipalByAppId(tenant, kit.appId)!;
    expect(client).toBeDefined();
    expect(Object.values(tenant.oauth2PermissionGrants).filter((g) => g.clientId === client.id)).toEqual([]);
    expect(Object.values(tenant.appRoleAssignments).filter((a) => a.principalId === client.id)).toEqual([]);
    expect(pcSections(kit.state).applicationConsents[customerId]?.[kit.appId]).toBeUndefined();
    expect(pcErrorOf(kit.call("DELETE", `${path}/${kit.appId}`, { as: "user" }))).toEqual({
      status: 404,
      code: 1000,
    });
    expect(kit.call("POST", path, { as: "user", body: consentBody(kit.appId) }).status).toBe(201);
    expect(Object.values(tenant.servicePrincipals).filter((sp) => sp.appId === kit.appId)).toHaveLength(1);
  });

  it("refuses app-only tokens, unknown applications and unknown resources", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    const path = `/v1/customers/${customerId}/applicationconsents`;
    expect(at(kit.call("POST", path, { body: consentBody(kit.appId) }).body, "code")).toBe(900329);
    const unknownApp = kit.call("POST", path, { as: "user", body: consentBody(crypto.randomUUID()) });
    expect(pcErrorOf(unknownApp)).toEqual({ status: 400, code: 2000 });
    const unknownResource = kit.call("POST", path, {
      as: "user",
      body: {
        ...consentBody(kit.appId),
        applicationGrants: [{ enterpriseApplicationId: crypto.randomUUID(), scope: "x" }],
      },
    });
    expect(pcErrorOf(unknownResource)).toEqual({ status: 400, code: 2000 });
    const app = Object.values(kit.state.directory[kit.partnerTenantId].applications)[0];
    app.signInAudience = "AzureADMyOrg";
    const singleTenant = kit.call("POST", path, { as: "user", body: consentBody(kit.appId) });
    expect(str(singleTenant.body, "description")).toContain("single-tenant");
    expect(Object.keys(kit.state.partnerCenter.applicationConsents ?? {})).toEqual([]);
  });
});
