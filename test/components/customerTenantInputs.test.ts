import { describe, expect, it } from "vitest";
import { PARTNER_APP_GRAPH_SCOPES } from "../support/identityFixtures";
import {
  ADMIN_AGENTS,
  CUSTOMER_ID,
  declare,
  fullSpec,
  GRAPH,
  RESELLER_AGENTS,
  SECURITY_GROUP,
  useMockedEngine,
} from "./customerTenantTestKit";

/** CustomerTenant's children's inputs: the spec's values and the other children's outputs. */

useMockedEngine();

describe("CustomerTenant inputs", () => {
  it("passes the spec's values and the other children's outputs as inputs", async () => {
    const { inputs } = await declare(fullSpec());
    expect(inputs("contoso-customer")).toMatchObject({
      domainPrefix: "contoso",
      companyName: "Contoso Ltd",
      billingProfile: { email: "it@contoso.example", defaultAddress: { country: "US", postalCode: "98052" } },
    });
    expect(inputs("contoso-customer")).not.toHaveProperty("account");
    expect(inputs("contoso-agreement")).toMatchObject({
      customerId: CUSTOMER_ID,
      primaryContact: { firstName: "Ada", lastName: "Lovelace", email: "ada@contoso.example" },
    });
    expect(inputs("contoso-plan")).toMatchObject({
      customerId: CUSTOMER_ID,
      acknowledgePurchase: true,
      friendlyName: "Contoso plan",
    });
    expect(inputs("contoso-sub-prod")).toMatchObject({
      customerId: CUSTOMER_ID,
      displayName: "Contoso Production",
      acknowledgePurchase: true,
      key: "prod",
    });
    expect(inputs("contoso-user-alice")).toMatchObject({
      customerId: CUSTOMER_ID,
      userPrincipalName: "alice@contoso.onmicrosoft.com",
      displayName: "Alice Wilber",
      usageLocation: "US",
      roles: ["User Administrator"],
    });
    expect(inputs("contoso-consent")).toMatchObject({
      customerId: CUSTOMER_ID,
      displayName: "pulumi-csp partner app",
      grants: [{ enterpriseApplicationId: GRAPH, scopes: PARTNER_APP_GRAPH_SCOPES }],
    });
    expect(inputs("contoso-app-portal")).toMatchObject({
      tenantId: CUSTOMER_ID,
      displayName: "Contoso portal",
      passwordCredential: {},
    });
    expect(inputs("contoso-grant-portal-graph")).toMatchObject({
      tenantId: CUSTOMER_ID,
      clientAppId: "app-id-contoso-app-portal",
      resourceAppId: GRAPH,
      delegatedScopes: ["User.Read"],
    });
    expect(inputs("contoso-rbac-plan-partner-provider")).toMatchObject({
      tenantId: CUSTOMER_ID,
      scope: "/subscriptions/plan-sub-id",
      roleName: "Owner",
      principalId: ADMIN_AGENTS,
      principalType: "ForeignGroup",
    });
    expect(inputs("contoso-rbac-prod-partner-reseller")).toMatchObject({
      scope: "/subscriptions/sub-id-prod",
      roleName: "Contributor",
      principalId: RESELLER_AGENTS,
      principalType: "ForeignGroup",
    });
    expect(inputs("contoso-rbac-prod-contributor-user-alice")).toMatchObject({
      tenantId: CUSTOMER_ID,
      scope: "/subscriptions/sub-id-prod",
      roleName: "Contributor",
      principalId: "user-id-contoso-user-alice",
      principalType: "User",
    });
    expect(inputs("contoso-rbac-prod-storage-blob-data-reader-app-portal")).toMatchObject({
      roleName: "Storage Blob Data Reader",
      principalId: "sp-id-contoso-app-portal",
      principalType: "ServicePrincipal",
    });
    const byId = inputs(`contoso-rbac-prod-b24988ac-6180-42a0-ab88-20f7382dd24c-${SECURITY_GROUP}`);
    expect(byId).toMatchObject({
      roleDefinitionId: "b24988ac-6180-42a0-ab88-20f7382dd24c",
      principalId: SECURITY_GROUP,
      principalType: "Group",
      description: "ops",
    });
    expect(byId).not.toHaveProperty("roleName");
    expect(inputs("contoso-gdap")).toMatchObject({
      displayName: `contoso-gdap-${CUSTOMER_ID.slice(0, 8)}`,
      customerTenantId: CUSTOMER_ID,
      customerDisplayName: "Contoso Ltd",
      duration: "P730D",
      roles: ["Helpdesk Administrator", "User Administrator", "Privileged Role Administrator"],
    });
    expect(inputs(`contoso-gdap-access-${SECURITY_GROUP}`)).toMatchObject({
      relationshipId: "rel-id",
      securityGroupId: SECURITY_GROUP,
      roles: ["Helpdesk Administrator"],
    });
  });

  it("passes enableGdapByDefault to the Customer only when the spec declares it", async () => {
    const plain = await declare({ ...fullSpec(), key: "contoso-nodefault" });
    expect(plain.inputs("contoso-nodefault-customer")).not.toHaveProperty("enableGdapByDefault");
    const spec = { ...fullSpec(), key: "contoso-default" };
    spec.customer = { ...spec.customer, enableGdapByDefault: true };
    const { inputs } = await declare(spec);
    expect(inputs("contoso-default-customer")).toMatchObject({ enableGdapByDefault: true });
  });

  it("passes an indirect reseller to the customer and to the Azure plan as its partner of record", async () => {
    const spec = fullSpec();
    const { inputs } = await declare({
      ...spec,
      customer: { ...spec.customer, associatedPartnerId: "4847383" },
      azurePlan: { ...spec.azurePlan!, partnerIdOnRecord: "4847383" },
    });
    expect(inputs("contoso-customer")).toMatchObject({ associatedPartnerId: "4847383" });
    expect(inputs("contoso-plan")).toMatchObject({ partnerIdOnRecord: "4847383" });
  });

  it("passes the named account to every child", async () => {
    const spec = { ...fullSpec(), key: "contoso-eu", account: "eu" };
    const { resources, inputs } = await declare(spec);
    const children = [...resources.keys()].filter((n) => n !== "contoso-eu");
    expect(children.length).toBe(21);
    for (const name of children) expect(inputs(name).account, name).toBe("eu");
  });
});
