import { describe, expect, it } from "vitest";
import type { CustomerSpec } from "../../components/customerSpec";
import { CustomerSpecError } from "../../components/customerSpecError";
import { CustomerTenant } from "../../components/customerTenant";
import {
  CONSENT_NEED,
  DIRECTORY_ROLE_NEED,
  gdapDependencies,
  missingAccessWarning,
  USER_NEED,
} from "../../components/gdapAccess";
import {
  AGENT_GROUP,
  CUSTOMER_ID,
  declare,
  fullSpec,
  promiseOf,
  SECURITY_GROUP,
  useMockedEngine,
} from "./customerTenantTestKit";

/** CustomerTenant's children: their names, parent, order, options, and which ones a spec makes. */

useMockedEngine();

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
