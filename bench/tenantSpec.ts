import type { CustomerSpec } from "../components/customerSpec";
import { sampleBillingProfile } from "../testing/index";

/**
 * The benchmark's tenant: the quickstart customer (customer, agreement, Azure plan, one extra
 * subscription, a GDAP relationship with the access assignment that gives the admin agent's
 * security group `gdapGroupId` the roles Partner Center needs for the users and the consent, two
 * users with directory roles, the partner app's consent, one application registration with a
 * delegated permission grant) with two RBAC assignments on the extra subscription. No benchmark
 * can time a customer's approval: the benchmark's emulator approves relationships at once
 * (`autoApproveGdap`).
 *
 * `revision` 1 changes exactly one field per customer (bob's display name: an in-place update of
 * one CustomerUser), for the benchmark's update phase.
 *
 * The benchmark runs the emulator as production Partner Center (an Integration Sandbox allows at
 * most 10 Azure plans per partner), so a destroy does what a partner can do there: cancel the
 * Azure subscriptions, suspend the plan, and end the reseller relationship (`onDelete`).
 */
export function benchTenantSpec(
  index: number,
  prefix: string,
  revision: number,
  gdapGroupId: string,
): CustomerSpec {
  const key = `c${String(index).padStart(3, "0")}`;
  return {
    key,
    customer: {
      domainPrefix: `${prefix}${key}`,
      companyName: `Bench Customer ${index}`,
      onDelete: "removeRelationship",
      billingProfile: sampleBillingProfile(`it@${key}.example`),
    },
    agreement: {
      primaryContact: { firstName: "Ada", lastName: "Lovelace", email: `ada@${key}.example` },
    },
    azurePlan: {
      acknowledgePurchase: true,
      friendlyName: `Bench ${index} Azure plan`,
      onDelete: "cancelSubscriptionsAndSuspend",
    },
    subscriptions: [
      {
        key: "dev",
        displayName: `Bench ${index} Development`,
        workload: "DevTest",
        acknowledgePurchase: true,
        roleAssignments: [
          { role: "Contributor", principal: { user: "alice" } },
          { role: "Reader", principal: { user: "bob" } },
        ],
      },
    ],
    users: [
      {
        key: "alice",
        userName: "alice",
        displayName: "Alice Wilber",
        firstName: "Alice",
        lastName: "Wilber",
        usageLocation: "US",
        roles: ["User Administrator"],
      },
      {
        key: "bob",
        userName: "bob",
        displayName: revision === 0 ? "Bob Kelly" : "Bob Kelly (updated)",
        usageLocation: "US",
        roles: ["Helpdesk Administrator"],
      },
    ],
    partnerAppConsent: {},
    applications: [
      {
        key: "portal",
        displayName: `Bench ${index} customer portal`,
        redirectUris: [`https://portal.${key}.example/signin-oidc`],
        permissionGrants: [{ delegatedScopes: ["openid", "profile", "User.Read"] }],
      },
    ],
    gdap: {
      duration: "P730D",
      roles: GDAP_ROLES,
      accessAssignments: [{ securityGroupId: gdapGroupId, roles: GDAP_ROLES }],
    },
  };
}

/** User Administrator for the users, Privileged Role Administrator for their roles and the consent. */
const GDAP_ROLES = ["User Administrator", "Privileged Role Administrator"];

/** Dynamic resources per tenant, by type (what {@link benchTenantSpec} declares). */
export const RESOURCES_PER_TENANT: Readonly<Record<string, number>> = {
  Customer: 1,
  CustomerAgreement: 1,
  AzurePlan: 1,
  AzureSubscription: 1,
  CustomerUser: 2,
  ApplicationConsent: 1,
  ApplicationRegistration: 1,
  PermissionGrant: 1,
  RoleAssignment: 2,
  GdapRelationship: 1,
  GdapAccessAssignment: 1,
};
