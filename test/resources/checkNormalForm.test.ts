import { describe, expect, it } from "vitest";
import { applicationConsentHandler } from "../../provider/handlers/directory/applicationConsent";
import { applicationRegistrationHandler } from "../../provider/handlers/directory/applicationRegistration";
import { permissionGrantHandler } from "../../provider/handlers/directory/permissionGrant";
import {
  type GdapRelationshipInputs,
  gdapRelationshipHandler,
} from "../../provider/handlers/gdap/gdapRelationship";
import { UNKNOWN } from "../../provider/handlers/types";
import { useEmulator } from "../support/emulatorContext";
import { checked } from "../support/handlerSteps";

/**
 * A refresh stores what each read observed as the resource's inputs (service defaults, sorted
 * sets). The checked inputs of the unchanged program are in that same form, so the next run stores
 * nothing new (test/programs/refreshSecrets.test.ts runs it through the CLI).
 */
const t = useEmulator();
const TENANT = "11111111-2222-3333-4444-555555555555";
const GRAPH = "00000003-0000-0000-c000-000000000000";

describe("checked inputs in the form a read stores", () => {
  it("a GDAP relationship without autoExtendDuration gets Graph's default PT0S", async () => {
    const news: GdapRelationshipInputs = {
      displayName: "Managed",
      customerTenantId: TENANT,
      duration: "P730D",
      roles: ["Helpdesk Administrator"],
    };
    expect((await checked(gdapRelationshipHandler, {}, news, t.ctx)).autoExtendDuration).toBe("PT0S");
    const withValue = { ...news, autoExtendDuration: "p180d" };
    const set = await checked(gdapRelationshipHandler, {}, withValue, t.ctx);
    expect(set.autoExtendDuration).toBe("P180D");
  });

  it("an application registration without signInAudience gets AzureADMyOrg", async () => {
    const inputs = await checked(
      applicationRegistrationHandler,
      {},
      { tenantId: TENANT, displayName: "Portal" },
      t.ctx,
    );
    expect(inputs.signInAudience).toBe("AzureADMyOrg");
  });

  it("a permission grant's lists are unique and sorted, and an omitted one is empty", async () => {
    const base = { tenantId: TENANT, clientAppId: TENANT, resourceAppId: GRAPH };
    const inputs = await checked(
      permissionGrantHandler,
      {},
      { ...base, delegatedScopes: ["User.Read", "offline_access", "user.read", "Group.Read.All"] },
      t.ctx,
    );
    expect(inputs.delegatedScopes).toEqual(["Group.Read.All", "offline_access", "User.Read"]);
    expect(inputs.appRoles).toEqual([]);
    // A list not known yet (preview) is left as it is.
    const unknown = await checked(permissionGrantHandler, {}, { ...base, appRoles: [UNKNOWN, "B"] }, t.ctx);
    expect(unknown.appRoles).toEqual([UNKNOWN, "B"]);
  });

  it("an application consent without applicationId gets the partner account's own application, lowercased", async () => {
    const inputs = await checked(
      applicationConsentHandler,
      {},
      {
        customerId: TENANT,
        displayName: "Partner app",
        grants: [{ enterpriseApplicationId: GRAPH, scopes: ["User.Read"] }],
      },
      t.ctx,
    );
    expect(inputs.applicationId).toBe(t.ctx.api().clientId.toLowerCase());
  });
});
