import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type { CustomerSpec } from "../../components/customerSpec";
import { CustomerSpecError } from "../../components/customerSpecError";
import { CustomerTenant, type CustomerTenantOptions } from "../../components/customerTenant";
import {
  CONSENT_NEED,
  DIRECTORY_ROLE_NEED,
  gdapDependencies,
  missingAccessWarning,
  USER_NEED,
} from "../../components/gdapAccess";

/**
 * CustomerTenant under Pulumi's mocks: the children it declares (types, names), their inputs as
 * the engine receives them, and their options (parent, dependsOn) as the SDK sees them, captured
 * with a resource transformation on the component (transformations run for the component and
 * every child, with the final options).
 */

const CUSTOMER_ID = "5d3c5a4e-3a1f-4b57-9b5e-2f5a1d2c3b4a";
const ADMIN_AGENTS = "0a1b2c3d-0000-4000-8000-00000000a6e5";
const RESELLER_AGENTS = "0a1b2c3d-0000-4000-8000-00000000beef";
const SECURITY_GROUP = "7e6d5c4b-0000-4000-8000-000000000001";
/** The partner security group the admin agent running the program is in. */
const AGENT_GROUP = "7e6d5c4b-0000-4000-8000-000000000002";
const GRAPH = "00000003-0000-0000-c000-000000000000";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const registered: Registered[] = [];

/** Outputs a real create would add, per type. */
function outputsOf(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const t = type.replace("pulumi-nodejs:dynamic/csp:", "");
  switch (t) {
    case "Customer":
      return {
        customerId: CUSTOMER_ID,
        domain: `${inputs.domainPrefix as string}.onmicrosoft.com`,
        adminUserName: `admin@${inputs.domainPrefix as string}.onmicrosoft.com`,
        deletionBehavior: "leave: ...",
      };
    case "AzurePlan":
      return { azureSubscriptionId: "plan-sub-id", subscriptionId: "pc-plan-id", status: "active" };
    case "AzureSubscription":
      return { azureSubscriptionId: `sub-id-${inputs.key as string}` };
    case "CustomerUser":
      return { userId: `user-id-${name}` };
    case "ApplicationRegistration":
      return { appId: `app-id-${name}`, servicePrincipalId: `sp-id-${name}`, clientSecret: `secret-${name}` };
    case "GdapRelationship":
      return {
        relationshipId: "rel-id",
        status: "approvalPending",
        approvalLink:
          "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/rel-id",
      };
    default:
      return {};
  }
}

/** Resource ids as the handlers return them (the id IS the customer id, subscription id, ...). */
function idOf(type: string, name: string, inputs: Record<string, unknown>): string {
  const t = type.replace("pulumi-nodejs:dynamic/csp:", "");
  const outputs = outputsOf(type, name, inputs);
  const ids: Record<string, unknown> = {
    Customer: outputs.customerId,
    AzureSubscription: outputs.azureSubscriptionId,
    CustomerUser: outputs.userId,
    GdapRelationship: outputs.relationshipId,
  };
  return (ids[t] as string | undefined) ?? `${name}-id`;
}

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = args.inputs as Record<string, unknown>;
        registered.push({ type: args.type, name: args.name, inputs });
        return {
          id: idOf(args.type, args.name, inputs),
          state: { ...inputs, ...outputsOf(args.type, args.name, inputs) },
        };
      },
      call: () => ({}),
    },
    "project",
    "stack",
    false,
  );
});

/** A customer using every part of the spec. */
function fullSpec(): CustomerSpec {
  return {
    key: "contoso",
    customer: {
      domainPrefix: "contoso",
      companyName: "Contoso Ltd",
      billingProfile: {
        email: "it@contoso.example",
        culture: "en-US",
        language: "en",
        defaultAddress: {
          firstName: "Ada",
          lastName: "Lovelace",
          addressLine1: "One Microsoft Way",
          city: "Redmond",
          postalCode: "98052",
          country: "US",
        },
      },
    },
    agreement: { primaryContact: { firstName: "Ada", lastName: "Lovelace", email: "ada@contoso.example" } },
    azurePlan: {
      acknowledgePurchase: true,
      friendlyName: "Contoso plan",
      roleAssignments: [{ role: "Reader", principal: { user: "bob" } }],
    },
    subscriptions: [
      {
        key: "prod",
        displayName: "Contoso Production",
        acknowledgePurchase: true,
        roleAssignments: [
          { role: "Contributor", principal: { user: "alice" } },
          { role: "Storage Blob Data Reader", principal: { application: "portal" } },
          {
            role: "b24988ac-6180-42a0-ab88-20f7382dd24c",
            principal: { objectId: SECURITY_GROUP.toUpperCase(), type: "Group" },
            description: "ops",
          },
        ],
      },
    ],
    partnerAccess: [
      { key: "provider", adminAgentsGroupId: ADMIN_AGENTS },
      { key: "reseller", adminAgentsGroupId: RESELLER_AGENTS, role: "Contributor" },
    ],
    users: [
      {
        key: "alice",
        userName: "alice",
        displayName: "Alice Wilber",
        usageLocation: "US",
        roles: ["User Administrator"],
      },
      { key: "bob", userName: "bob", displayName: "Bob Kelly", usageLocation: "US" },
    ],
    partnerAppConsent: {},
    applications: [
      {
        key: "portal",
        displayName: "Contoso portal",
        clientSecret: {},
        permissionGrants: [
          { delegatedScopes: ["User.Read"] },
          { resourceAppId: "797f4846-ba00-4fd7-ba43-dac1f8f63013", delegatedScopes: ["user_impersonation"] },
        ],
      },
    ],
    gdap: {
      duration: "P730D",
      roles: ["Helpdesk Administrator", "User Administrator", "Privileged Role Administrator"],
      accessAssignments: [
        { securityGroupId: SECURITY_GROUP, roles: ["Helpdesk Administrator"] },
        { securityGroupId: AGENT_GROUP, roles: ["User Administrator", "Privileged Role Administrator"] },
      ],
    },
  };
}

interface Captured {
  type: string;
  name: string;
  parent?: string;
  dependsOn: string[];
  retainOnDelete?: boolean;
}

/** Constructs a CustomerTenant and captures every resource's options; waits until all are registered. */
async function declare(
  spec: CustomerSpec,
  opts: CustomerTenantOptions = {},
  after?: (tenant: CustomerTenant) => void,
): Promise<{
  tenant: CustomerTenant;
  resources: Map<string, Captured>;
  inputs: (name: string) => Record<string, unknown>;
}> {
  const names = new Map<pulumi.Resource, string>();
  const resources = new Map<string, Captured>();
  const all: pulumi.Resource[] = [];
  const capture: pulumi.ResourceTransformation = (args) => {
    names.set(args.resource, args.name);
    all.push(args.resource);
    const dependsOn = (Array.isArray(args.opts.dependsOn) ? args.opts.dependsOn : []) as pulumi.Resource[];
    resources.set(args.name, {
      type: args.type,
      name: args.name,
      ...(args.opts.parent ? { parent: names.get(args.opts.parent) ?? "(outside)" } : {}),
      dependsOn: dependsOn.map((r) => names.get(r) ?? "(unknown)"),
      ...(args.opts.retainOnDelete !== undefined ? { retainOnDelete: args.opts.retainOnDelete } : {}),
    });
    return undefined;
  };
  const start = registered.length;
  const tenant = new CustomerTenant(spec.key, spec, { ...opts, transformations: [capture] });
  after?.(tenant);
  await Promise.all(all.map((r) => promiseOf(r.urn)));
  const mine = registered.slice(start);
  const inputs = (name: string) => {
    const found = mine.find((r) => r.name === name);
    if (!found) throw new Error(`no registered resource ${name}`);
    return found.inputs;
  };
  return { tenant, resources, inputs };
}

function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** A secret value as the engine receives it (Pulumi's secret signature). */
function secret(value: string): Record<string, string> {
  return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

const credentialSources = {
  env: {
    CSP_TENANT_ID: "11111111-1111-1111-1111-111111111111",
    CSP_CLIENT_ID: "22222222-2222-2222-2222-222222222222",
    CSP_CLIENT_SECRET: "partner-app-secret",
    CSP_ACCOUNT_EU_TENANT_ID: "33333333-3333-3333-3333-333333333333",
    CSP_ACCOUNT_EU_CLIENT_ID: "44444444-4444-4444-4444-444444444444",
    CSP_ACCOUNT_EU_CLIENT_SECRET: "eu-secret",
  },
  getConfig: () => undefined,
};

describe("CustomerTenant children", () => {
  it("declares every child under the component with names derived from the spec key and item keys", async () => {
    const { resources } = await declare(fullSpec());
    const children = [...resources.values()].filter((r) => r.name !== "contoso");
    expect(resources.get("contoso")?.type).toBe("csp:index:CustomerTenant");
    expect(
      children.map((r) => `${r.type.replace("pulumi-nodejs:dynamic/csp:", "")} ${r.name}`).sort(),
    ).toEqual(
      [
        "Customer contoso-customer",
        "CustomerAgreement contoso-agreement",
        "AzurePlan contoso-plan",
        "AzureSubscription contoso-sub-prod",
        "CustomerUser contoso-user-alice",
        "CustomerUser contoso-user-bob",
        "ApplicationConsent contoso-consent",
        "ApplicationRegistration contoso-app-portal",
        "PermissionGrant contoso-grant-portal-graph",
        "PermissionGrant contoso-grant-portal-797f4846-ba00-4fd7-ba43-dac1f8f63013",
        "RoleAssignment contoso-rbac-plan-partner-provider",
        "RoleAssignment contoso-rbac-plan-partner-reseller",
        "RoleAssignment contoso-rbac-plan-reader-user-bob",
        "RoleAssignment contoso-rbac-prod-partner-provider",
        "RoleAssignment contoso-rbac-prod-partner-reseller",
        "RoleAssignment contoso-rbac-prod-contributor-user-alice",
        "RoleAssignment contoso-rbac-prod-storage-blob-data-reader-app-portal",
        `RoleAssignment contoso-rbac-prod-b24988ac-6180-42a0-ab88-20f7382dd24c-${SECURITY_GROUP}`,
        "GdapRelationship contoso-gdap",
        `GdapAccessAssignment contoso-gdap-access-${SECURITY_GROUP}`,
        `GdapAccessAssignment contoso-gdap-access-${AGENT_GROUP}`,
      ].sort(),
    );
    for (const child of children) expect(child.parent, child.name).toBe("contoso");
  });

  it("orders the children with explicit dependencies", async () => {
    const { resources } = await declare(fullSpec());
    const deps = (name: string) => resources.get(name)?.dependsOn;
    expect(deps("contoso-customer")).toEqual([]);
    expect(deps("contoso-agreement")).toEqual(["contoso-customer"]);
    expect(deps("contoso-plan")).toEqual(["contoso-agreement"]);
    expect(deps("contoso-sub-prod")).toEqual(["contoso-plan"]);
    // Users, their directory roles and the consent wait for the access assignment that gives the
    // admin agent User Administrator and Privileged Role Administrator in the customer.
    expect(deps("contoso-user-alice")).toEqual(["contoso-customer", `contoso-gdap-access-${AGENT_GROUP}`]);
    expect(deps("contoso-user-bob")).toEqual(["contoso-customer", `contoso-gdap-access-${AGENT_GROUP}`]);
    expect(deps("contoso-consent")).toEqual(["contoso-customer", `contoso-gdap-access-${AGENT_GROUP}`]);
    expect(deps("contoso-app-portal")).toEqual(["contoso-consent"]);
    expect(deps("contoso-grant-portal-graph")).toEqual(["contoso-consent", "contoso-app-portal"]);
    expect(deps("contoso-rbac-plan-partner-provider")).toEqual(["contoso-plan"]);
    expect(deps("contoso-rbac-plan-reader-user-bob")).toEqual(["contoso-plan", "contoso-user-bob"]);
    expect(deps("contoso-rbac-prod-contributor-user-alice")).toEqual([
      "contoso-sub-prod",
      "contoso-user-alice",
    ]);
    expect(deps("contoso-rbac-prod-storage-blob-data-reader-app-portal")).toEqual([
      "contoso-sub-prod",
      "contoso-app-portal",
    ]);
    expect(deps("contoso-gdap")).toEqual(["contoso-customer"]);
    expect(deps(`contoso-gdap-access-${SECURITY_GROUP}`)).toEqual(["contoso-gdap"]);
  });

  it("declares the license subscriptions after the agreement, and users with licenses after them", async () => {
    const spec: CustomerSpec = {
      ...fullSpec(),
      licenses: [
        {
          key: "premium",
          offer: "Microsoft 365 Business Premium",
          quantity: 5,
          termDuration: "P1Y",
          autoRenew: false,
          acknowledgePurchase: true,
        },
      ],
    };
    spec.users![0] = { ...spec.users![0]!, licenses: ["Microsoft 365 Business Premium"] };
    const { resources, inputs } = await declare(spec);
    expect(resources.get("contoso-license-premium")).toMatchObject({
      type: "pulumi-nodejs:dynamic/csp:LicenseSubscription",
      parent: "contoso",
      dependsOn: ["contoso-agreement"],
    });
    expect(inputs("contoso-license-premium")).toMatchObject({
      customerId: CUSTOMER_ID,
      acknowledgePurchase: true,
      offer: "Microsoft 365 Business Premium",
      quantity: 5,
      termDuration: "P1Y",
      autoRenew: false,
    });
    // Alice waits for the customer, the GDAP access that lets the admin agent manage users, and the seats.
    const aliceAfter = resources.get("contoso-user-alice")?.dependsOn ?? [];
    expect(aliceAfter.filter((d) => !d.startsWith("contoso-gdap-access-"))).toEqual([
      "contoso-customer",
      "contoso-license-premium",
    ]);
    expect(aliceAfter.some((d) => d.startsWith("contoso-gdap-access-"))).toBe(true);
    expect(inputs("contoso-user-alice")).toMatchObject({ licenses: ["Microsoft 365 Business Premium"] });
    // A user without licenses does not wait for the seats.
    expect(resources.get("contoso-user-bob")?.dependsOn).not.toContain("contoso-license-premium");
  });

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
      grants: [
        {
          enterpriseApplicationId: GRAPH,
          scopes: [
            "Application.ReadWrite.All",
            "AppRoleAssignment.ReadWrite.All",
            "DelegatedPermissionGrant.ReadWrite.All",
            "Directory.Read.All",
          ],
        },
      ],
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

  it("keeps every child's name when display names change, so a rename is an update", async () => {
    const before = await declare(fullSpec());
    const renamed = fullSpec();
    renamed.customer.billingProfile.companyName = "Contoso Holdings";
    renamed.subscriptions![0]!.displayName = "Contoso Prod (EU)";
    renamed.users![0]!.displayName = "Alice W.";
    renamed.applications![0]!.displayName = "Contoso portal v2";
    const after = await declare(renamed);
    expect([...after.resources.keys()].sort()).toEqual([...before.resources.keys()].sort());
    expect(after.inputs("contoso-sub-prod")).toMatchObject({ key: "prod", displayName: "Contoso Prod (EU)" });
  });

  it("passes retainOnDelete on to every child, so removing the customer deletes nothing", async () => {
    const plain = await declare({ ...fullSpec(), key: "contoso-kept" });
    expect([...plain.resources.values()].filter((r) => r.retainOnDelete)).toEqual([]);
    const kept = await declare({ ...fullSpec(), key: "contoso-kept2" }, { retainOnDelete: true });
    const children = [...kept.resources.values()].filter((r) => r.name !== "contoso-kept2");
    expect(children.length).toBe(21);
    for (const child of children) expect(child.retainOnDelete, child.name).toBe(true);
  });

  it("without an access assignment giving the roles Partner Center needs, makes users and consent wait for all of them and says what is missing", async () => {
    const spec = { ...fullSpec(), key: "contoso-noaccess" };
    spec.gdap = { ...spec.gdap!, accessAssignments: [spec.gdap!.accessAssignments![0]!] };
    const { resources } = await declare(spec);
    const helpdesk = `contoso-noaccess-gdap-access-${SECURITY_GROUP}`;
    expect(resources.get("contoso-noaccess-user-bob")?.dependsOn).toEqual([
      "contoso-noaccess-customer",
      helpdesk,
    ]);
    expect(resources.get("contoso-noaccess-consent")?.dependsOn).toEqual([
      "contoso-noaccess-customer",
      helpdesk,
    ]);
    const { missing } = gdapDependencies(spec.gdap, {}, [USER_NEED, DIRECTORY_ROLE_NEED, CONSENT_NEED]);
    expect(missingAccessWarning("CustomerTenant contoso-noaccess", missing)).toMatch(
      /^CustomerTenant contoso-noaccess: no gdap.accessAssignments entry grants User Administrator to manage its users; Privileged Role Administrator to give its users directory roles; Privileged Role Administrator or Cloud Application Administrator or Application Administrator to consent/,
    );
    // Global Administrator does everything.
    const ga = {
      duration: "P30D",
      roles: ["Global Administrator"],
      accessAssignments: [{ securityGroupId: AGENT_GROUP, roles: ["Global Administrator"] }],
    };
    expect(gdapDependencies(ga, {}, [USER_NEED, DIRECTORY_ROLE_NEED, CONSENT_NEED]).missing).toEqual([]);
  });

  it("declares only the customer and its agreement for a minimal spec", async () => {
    const { customer, agreement, key } = fullSpec();
    const { resources, tenant } = await declare({ key: `${key}-min`, customer, agreement });
    expect([...resources.keys()].sort()).toEqual([
      "contoso-min",
      "contoso-min-agreement",
      "contoso-min-customer",
    ]);
    expect(await promiseOf(tenant.subscriptionIds)).toEqual({});
    expect(await promiseOf(tenant.gdap)).toBeUndefined();
  });

  it("refuses an invalid spec, naming the component, the path and the rule", () => {
    const spec = fullSpec() as unknown as { subscriptions: { workload: string }[] };
    spec.subscriptions[0]!.workload = "Prod";
    expect(() => new CustomerTenant("contoso-bad", spec as unknown as CustomerSpec)).toThrow(
      CustomerSpecError,
    );
    expect(() => new CustomerTenant("contoso-bad", spec as unknown as CustomerSpec)).toThrow(
      'CustomerTenant contoso-bad: subscriptions[0].workload: must be "Production" or "DevTest" (got "Prod")',
    );
  });
});

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
