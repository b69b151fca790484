import { describe, expect, it } from "vitest";
import type { CustomerTenant } from "../../components/customerTenant";
import {
  CUSTOMER_ID,
  credentialSources,
  declare,
  fullSpec,
  promiseOf,
  registered,
  secret,
  useMockedEngine,
} from "./customerTenantTestKit";

/** CustomerTenant's outputs, and the native providers it hands out. */

useMockedEngine();

describe("CustomerTenant outputs", () => {
  it("outputs what a pipeline needs: ids, domain, admin, subscription ids, user names, app ids, GDAP", async () => {
    const { tenant } = await declare({ ...fullSpec(), key: "contoso-out" });
    expect(await promiseOf(tenant.customerId)).toBe(CUSTOMER_ID);
    expect(await promiseOf(tenant.domain)).toBe("contoso.onmicrosoft.com");
    expect(await promiseOf(tenant.adminUserName)).toBe("admin@contoso.onmicrosoft.com");
    expect(await promiseOf(tenant.subscriptionIds)).toEqual({ plan: "plan-sub-id", prod: "sub-id-prod" });
    expect(await promiseOf(tenant.userPrincipalNames)).toEqual({
      alice: "alice@contoso.onmicrosoft.com",
      bob: "bob@contoso.onmicrosoft.com",
    });
    expect(await promiseOf(tenant.applicationIds)).toEqual({ portal: "app-id-contoso-out-app-portal" });
    expect(await promiseOf(tenant.gdap)).toEqual({
      relationshipId: "rel-id",
      status: "approvalPending",
      approvalLink:
        "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/rel-id",
    });
    expect(await tenant.applicationClientSecrets.isSecret).toBe(true);
    expect(await promiseOf(tenant.applicationClientSecrets)).toEqual({
      portal: "secret-contoso-out-app-portal",
    });
  });
});

describe("CustomerTenant providers", () => {
  it("creates no native provider unless one is asked for", async () => {
    const start = registered.length;
    await declare({ ...fullSpec(), key: "contoso-lazy" }, { credentialSources });
    expect(registered.slice(start).filter((r) => r.type.startsWith("pulumi:providers:"))).toEqual([]);
  });

  it("hands out one azuread provider for the customer tenant, as the partner app, after its consent", async () => {
    let first: unknown;
    let second: unknown;
    const start = registered.length;
    const { resources } = await declare({ ...fullSpec(), key: "contoso-ad" }, { credentialSources }, (t) => {
      first = t.azureadProvider();
      second = t.azureadProvider();
    });
    expect(second).toBe(first);
    const providers = registered.slice(start).filter((r) => r.type === "pulumi:providers:azuread");
    expect(providers.map((p) => p.name)).toEqual(["contoso-ad-azuread"]);
    expect(providers[0]!.inputs).toMatchObject({
      tenantId: CUSTOMER_ID,
      clientId: secret("22222222-2222-2222-2222-222222222222"),
      // The engine receives the client secret as a secret (never in plain text in state or logs).
      clientSecret: secret("partner-app-secret"),
      environment: "public",
      useCli: "false",
      useMsi: "false",
    });
    expect(resources.get("contoso-ad-azuread")).toMatchObject({
      parent: "contoso-ad",
      dependsOn: ["contoso-ad-consent"],
    });
  });

  it("hands out an azure-native provider per subscription key, with the account's credentials", async () => {
    const start = registered.length;
    const { resources } = await declare(
      { ...fullSpec(), key: "contoso-az", account: "eu" },
      { credentialSources },
      (t) => {
        t.azureNativeProvider("prod");
        t.azureNativeProvider();
        t.azureNativeProvider("prod");
      },
    );
    const providers = registered.slice(start).filter((r) => r.type === "pulumi:providers:azure-native");
    expect(providers.map((p) => p.name).sort()).toEqual(["contoso-az-azure-plan", "contoso-az-azure-prod"]);
    expect(providers.find((p) => p.name === "contoso-az-azure-prod")!.inputs).toMatchObject({
      tenantId: CUSTOMER_ID,
      subscriptionId: "sub-id-prod",
      clientId: secret("44444444-4444-4444-4444-444444444444"),
      clientSecret: secret("eu-secret"),
      environment: "public",
    });
    expect(providers.find((p) => p.name === "contoso-az-azure-plan")!.inputs).toMatchObject({
      subscriptionId: "plan-sub-id",
    });
    expect(resources.get("contoso-az-azure-prod")).toMatchObject({
      parent: "contoso-az",
      dependsOn: ["contoso-az-sub-prod"],
    });
  });

  it("explains what is missing instead of handing out a provider that cannot work", async () => {
    const { customer, agreement } = fullSpec();
    let tenant: CustomerTenant | undefined;
    await declare({ key: "contoso-none", customer, agreement }, { credentialSources }, (t) => {
      tenant = t;
    });
    expect(() => tenant!.azureadProvider()).toThrow(
      "CustomerTenant contoso-none: azureadProvider() needs partnerAppConsent in the spec",
    );
    expect(() => tenant!.azureNativeProvider("prod")).toThrow(
      'CustomerTenant contoso-none: no Azure subscription "prod" (the spec declares no azurePlan)',
    );
    let withPlan: CustomerTenant | undefined;
    await declare(
      { ...fullSpec(), key: "contoso-nosecret" },
      { credentialSources: { env: { CSP_TENANT_ID: "t", CSP_CLIENT_ID: "c" }, getConfig: () => undefined } },
      (t) => {
        withPlan = t;
      },
    );
    expect(() => withPlan!.azureNativeProvider("prod")).toThrow(
      'partner account "default" has no client secret: the azuread and azure-native providers of CustomerTenant authenticate as the partner app with a client secret; set CSP_CLIENT_SECRET (or csp:clientSecret)',
    );
    expect(() => withPlan!.azureNativeProvider("nope")).toThrow("declared: plan, prod");
  });
});
