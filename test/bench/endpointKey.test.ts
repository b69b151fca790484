import { describe, expect, it } from "vitest";
import { endpointKey } from "../../bench/requestStats";

/** Calls of every customer to one endpoint count together: variable path segments become placeholders. */
describe("endpointKey", () => {
  const key = (service: string, path: string) => endpointKey({ service, method: "DELETE", path } as never);

  it("replaces a Graph grant id whatever digits it happens to hold, and keeps API words", () => {
    // Grant ids are 43 characters of base64url; one with fewer than three digits is not rare.
    for (const id of [
      "h_I_xYDrTpuxGWbvXYIbbLIiMiPLW0revkLOgRNxO7g",
      "jRBzZkWiQHOYjSJRxCmPuIrkYIYUKExfpP1NbPanAFg",
    ]) {
      expect(key("graph", `/v1.0/oauth2PermissionGrants/${id}`)).toBe(
        "graph DELETE /v1.0/oauth2PermissionGrants/{id}",
      );
    }
    expect(key("graph", "/v1.0/tenantRelationships/delegatedAdminRelationships")).toBe(
      "graph DELETE /v1.0/tenantRelationships/delegatedAdminRelationships",
    );
  });

  it("keeps the entity set of an address by alternate key and replaces the key", () => {
    expect(
      key("graph", "/v1.0/applications(uniqueName='pulumi-csp-0f8fad5b-d9cb-469f-a165-70867728950e')"),
    ).toBe("graph DELETE /v1.0/applications(uniqueName={id})");
    expect(key("graph", "/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')")).toBe(
      "graph DELETE /v1.0/servicePrincipals(appId={id})",
    );
  });
});
