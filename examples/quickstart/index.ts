// pulumi-csp quickstart: one CSP customer, declared as one CustomerTenant.
//
// The customer tenant with its Microsoft Customer Agreement, an Azure plan (billable) with one
// extra Azure subscription (billable), Microsoft 365 seats (billable), a GDAP relationship the
// customer approves at its approval link, two users with directory roles (one of them licensed),
// the partner app's consent with an application registration and a delegated permission grant,
// and an RBAC assignment on the extra subscription.
//
// Partner Center lets the admin agent running this program manage the customer's users, their
// directory roles and consents only through GDAP roles in the customer: the relationship asks for
// them, the customer approves it, and an access assignment gives them to a security group of the
// partner tenant the admin agent is a member of (config gdapSecurityGroupId). The first
// `pulumi up` therefore stops at that access assignment, printing the approval link; the users and
// the consent wait for it. Once the customer has approved, `pulumi up` again creates the rest.
import * as pulumi from "@pulumi/pulumi";
import { CustomerTenant } from "pulumi-csp";

const config = new pulumi.Config();
const domainPrefix = config.get("domainPrefix") || "contosodemo";
// Optional: the partner's AdminAgents group (object id in the partner tenant). When set, it is
// declared Owner on every subscription, so a customer removing it shows up as drift.
const adminAgentsGroupId = config.get("adminAgentsGroupId") || undefined;
// The security group of the partner tenant whose members (the admin agent this program signs in
// as) get the GDAP roles in the customer. The emulator seeds one: accounts[0].gdapAdminsGroupId of
// its start-up line (or GET /_emulator/info). Without it, no access assignment is declared and the
// users and consent fail with Partner Center's 403 (the component warns).
const gdapSecurityGroupId = config.get("gdapSecurityGroupId") || undefined;

const contoso = new CustomerTenant("contoso", {
  key: "contoso",
  customer: {
    domainPrefix,
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
        state: "WA",
        postalCode: "98052",
        country: "US",
      },
    },
  },
  agreement: {
    primaryContact: { firstName: "Ada", lastName: "Lovelace", email: "ada@contoso.example" },
  },
  // Purchases: each one is acknowledged here, next to what it buys (and the stack must allow
  // purchases: csp:allowPurchases in Pulumi.dev.yaml).
  azurePlan: { acknowledgePurchase: true, friendlyName: "Contoso Azure plan" },
  subscriptions: [
    {
      key: "dev",
      displayName: "Contoso Development",
      workload: "DevTest",
      acknowledgePurchase: true,
      roleAssignments: [{ role: "Contributor", principal: { user: "alice" } }],
    },
  ],
  // Seats: billed for the whole term. More seats later are a purchase too (the preview says so);
  // fewer seats or removing it are possible only within seven days of buying (or of a renewal):
  // after that the preview refuses a decrease, and removing it turns auto-renew off (see the
  // deletionBehavior output).
  licenses: [
    {
      key: "m365",
      offer: "Microsoft 365 Business Premium",
      quantity: 5,
      termDuration: "P1Y",
      billingCycle: "monthly",
      acknowledgePurchase: true,
    },
  ],
  ...(adminAgentsGroupId ? { partnerAccess: [{ key: "partner", adminAgentsGroupId }] } : {}),
  users: [
    {
      key: "alice",
      userName: "alice",
      displayName: "Alice Wilber",
      firstName: "Alice",
      lastName: "Wilber",
      usageLocation: "US",
      roles: ["User Administrator"],
      licenses: ["Microsoft 365 Business Premium"],
    },
    {
      key: "bob",
      userName: "bob",
      displayName: "Bob Kelly",
      usageLocation: "US",
      roles: ["Helpdesk Administrator"],
    },
  ],
  // Consents the partner app in the customer tenant (default: the Graph permissions it needs to
  // manage application registrations there).
  partnerAppConsent: {},
  applications: [
    {
      key: "portal",
      displayName: "Contoso customer portal",
      redirectUris: ["https://portal.contoso.example/signin-oidc"],
      permissionGrants: [{ delegatedScopes: ["openid", "profile", "User.Read"] }],
    },
  ],
  gdap: {
    duration: "P730D",
    roles: ["Helpdesk Administrator", "User Administrator", "Privileged Role Administrator"],
    // User Administrator for the users, Privileged Role Administrator for their directory roles and
    // for the consent of Microsoft Graph application permissions.
    ...(gdapSecurityGroupId
      ? {
          accessAssignments: [
            {
              securityGroupId: gdapSecurityGroupId,
              roles: ["User Administrator", "Privileged Role Administrator"],
            },
          ],
        }
      : {}),
  },
});

// What a CSP engineer needs after `pulumi up`.
export const customerId = contoso.customerId;
export const domain = contoso.domain;
export const adminUserName = contoso.adminUserName;
export const subscriptionIds = contoso.subscriptionIds;
export const userPrincipalNames = contoso.userPrincipalNames;
export const applicationIds = contoso.applicationIds;
export const gdapStatus = contoso.gdap.apply((g) => g?.status);
export const gdapApprovalLink = contoso.gdap.apply((g) => g?.approvalLink);
export const deletionBehavior = contoso.deletionBehavior;
export const seatsOnDelete = contoso.licenseSubscriptions.m365!.deletionBehavior;
