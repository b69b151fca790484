import { describe, expect, it } from "vitest";
import {
  addGroup,
  addServicePrincipal,
  addUser,
  assignAppRole,
  createTenant,
  findPrincipal,
  findServicePrincipalByAppId,
  findUserByUpn,
  grantDelegatedScopes,
} from "../../emulator/common/directory";
import {
  ARM_APP_ID,
  GRAPH_APP_ID,
  graphAppRoleId,
  PARTNER_CENTER_APP_ID,
} from "../../emulator/graph/firstParty";
import { emptyState } from "./graphTestKit";

const now = new Date("2025-01-02T03:04:05.000Z");

describe("directory helpers", () => {
  it("creates a tenant holding the Graph, ARM and Partner Center service principals with real permission ids", () => {
    const state = emptyState();
    const t = createTenant(
      state,
      { id: "t1", displayName: "Contoso", domain: "Contoso.onmicrosoft.com", kind: "customer" },
      now,
    );
    expect(state.directory.t1).toBe(t);
    expect(t.domains).toEqual(["contoso.onmicrosoft.com"]);
    const graph = findServicePrincipalByAppId(t, GRAPH_APP_ID);
    expect(graph?.appRoles).toContainEqual({
      value: "User.Read.All",
      id: "df021288-bdef-4463-88db-98f22de89214",
    });
    expect(graph?.oauth2PermissionScopes).toContainEqual({
      value: "User.Read",
      id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d",
    });
    expect(findServicePrincipalByAppId(t, ARM_APP_ID)?.oauth2PermissionScopes.map((s) => s.value)).toEqual([
      "user_impersonation",
    ]);
    expect(findServicePrincipalByAppId(t, PARTNER_CENTER_APP_ID)).toBeDefined();
    expect(graphAppRoleId("application.readwrite.all")).toBe("1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9");
  });

  it("gives first-party service principals stable ids per tenant and returns an existing tenant unchanged", () => {
    const a = createTenant(
      emptyState(),
      { id: "t1", displayName: "A", domain: "a.onmicrosoft.com", kind: "customer" },
      now,
    );
    const b = createTenant(
      emptyState(),
      { id: "t1", displayName: "A", domain: "a.onmicrosoft.com", kind: "customer" },
      now,
    );
    expect(Object.keys(a.servicePrincipals)).toEqual(Object.keys(b.servicePrincipals));
    const state = emptyState();
    const first = createTenant(
      state,
      { id: "t1", displayName: "A", domain: "a.onmicrosoft.com", kind: "customer" },
      now,
    );
    const second = createTenant(
      state,
      { id: "t1", displayName: "B", domain: "b.onmicrosoft.com", kind: "partner" },
      now,
    );
    expect(second).toBe(first);
    expect(second.displayName).toBe("A");
  });

  it("finds users by UPN case-insensitively and principals of every kind by id", () => {
    const t = createTenant(
      emptyState(),
      { id: "t1", displayName: "A", domain: "a.onmicrosoft.com", kind: "partner" },
      now,
    );
    const u = addUser(
      t,
      { userPrincipalName: "Admin@a.onmicrosoft.com", displayName: "Admin", adminAgent: true },
      now,
    );
    const g = addGroup(t, { displayName: "AdminAgents", memberIds: [u.id] }, now);
    expect(findUserByUpn(t, "admin@A.onmicrosoft.com")?.id).toBe(u.id);
    expect(findUserByUpn(t, "nobody@a.onmicrosoft.com")).toBeUndefined();
    expect(findPrincipal(t, u.id)?.type).toBe("User");
    expect(findPrincipal(t, g.id)?.type).toBe("Group");
    expect(findPrincipal(t, "missing")).toBeUndefined();
  });

  it("keeps one service principal per app and merges consented scopes into one grant", () => {
    const t = createTenant(
      emptyState(),
      { id: "t1", displayName: "A", domain: "a.onmicrosoft.com", kind: "customer" },
      now,
    );
    const sp1 = addServicePrincipal(
      t,
      { appId: "app-1", displayName: "Partner app", appOwnerOrganizationId: "p" },
      now,
    );
    const sp2 = addServicePrincipal(
      t,
      { appId: "APP-1", displayName: "again", appOwnerOrganizationId: "p" },
      now,
    );
    expect(sp2).toBe(sp1);
    const graph = findServicePrincipalByAppId(t, GRAPH_APP_ID)!;
    grantDelegatedScopes(t, { clientId: sp1.id, resourceId: graph.id, scopes: ["User.Read"] });
    const g = grantDelegatedScopes(t, {
      clientId: sp1.id,
      resourceId: graph.id,
      scopes: ["User.Read", "Directory.Read.All"],
    });
    expect(Object.keys(t.oauth2PermissionGrants)).toHaveLength(1);
    expect(g.scope).toBe("User.Read Directory.Read.All");
    const a = assignAppRole(
      t,
      { principalId: sp1.id, resourceId: graph.id, appRoleId: graphAppRoleId("User.Read.All")! },
      now,
    );
    expect(a.principalType).toBe("ServicePrincipal");
    expect(a.resourceDisplayName).toBe("Microsoft Graph");
    assignAppRole(
      t,
      { principalId: sp1.id, resourceId: graph.id, appRoleId: graphAppRoleId("User.Read.All")! },
      now,
    );
    expect(Object.keys(t.appRoleAssignments)).toHaveLength(1);
  });
});
