import * as pulumi from "@pulumi/pulumi";
import { beforeAll } from "vitest";
import type { CustomerSpec } from "../../components/customerSpec";
import { CustomerTenant, type CustomerTenantOptions } from "../../components/customerTenant";
import { testBillingProfile } from "../support/commerceFixtures";

/**
 * CustomerTenant under Pulumi's mocks: the children it declares (types, names), their inputs as
 * the engine receives them, and their options (parent, dependsOn) as the SDK sees them, captured
 * with a resource transformation on the component (transformations run for the component and
 * every child, with the final options). Each test file calls {@link useMockedEngine} once.
 */

export const CUSTOMER_ID = "5d3c5a4e-3a1f-4b57-9b5e-2f5a1d2c3b4a";
export const ADMIN_AGENTS = "0a1b2c3d-0000-4000-8000-00000000a6e5";
export const RESELLER_AGENTS = "0a1b2c3d-0000-4000-8000-00000000beef";
export const SECURITY_GROUP = "7e6d5c4b-0000-4000-8000-000000000001";
/** The partner security group the admin agent running the program is in. */
export const AGENT_GROUP = "7e6d5c4b-0000-4000-8000-000000000002";
export const GRAPH = "00000003-0000-0000-c000-000000000000";

export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

export const registered: Registered[] = [];

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

/** Installs the mocks before the file's tests: every resource registered is recorded in {@link registered}. */
export function useMockedEngine(): void {
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
}

/** A customer using every part of the spec. */
export function fullSpec(): CustomerSpec {
  return {
    key: "contoso",
    customer: {
      domainPrefix: "contoso",
      companyName: "Contoso Ltd",
      billingProfile: testBillingProfile("it@contoso.example"),
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

export interface Captured {
  type: string;
  name: string;
  parent?: string;
  dependsOn: string[];
  retainOnDelete?: boolean;
}

/** Constructs a CustomerTenant and captures every resource's options; waits until all are registered. */
export async function declare(
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

export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** A secret value as the engine receives it (Pulumi's secret signature). */
export function secret(value: string): Record<string, string> {
  return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

export const credentialSources = {
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
