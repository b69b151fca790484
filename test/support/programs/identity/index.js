// A customer tenant's identity set-up end to end: a GDAP relationship whose access assignment gives
// the admin agent's security group the roles Partner Center needs, then a user with directory
// roles, the partner app's consent, an app registration with a secret, a Graph grant and an RBAC
// assignment on the customer's Azure subscription. Used by test/resources/identityProgram.test.ts
// through the Pulumi CLI (the emulator approves relationships at once there). Every
// customer-dependent value is unknown during the first preview.
const pulumi = require("@pulumi/pulumi");
const csp = require("pulumi-csp");
const { sampleBillingProfile } = require("pulumi-csp/testing");

const GRAPH = "00000003-0000-0000-c000-000000000000";
const config = new pulumi.Config();
const domainPrefix = config.require("domainPrefix");
const userRole = config.get("userRole") ?? "Helpdesk Administrator";
const rotation = config.get("secretRotation") ?? "1";
const gdapGroupId = config.require("gdapGroupId");

const customer = new csp.Customer("customer", {
  domainPrefix,
  companyName: "Fabrikam Identity Test",
  billingProfile: sampleBillingProfile("billing@fabrikam.example"),
});

const gdap = new csp.GdapRelationship("gdap", {
  displayName: pulumi.interpolate`Fabrikam ${domainPrefix}`,
  customerTenantId: customer.customerId,
  duration: "P2Y",
  roles: ["Helpdesk Administrator", "User Administrator", "Privileged Role Administrator"],
});
// Users (User Administrator), their roles and the consent of Graph application permissions
// (Privileged Role Administrator) need these roles in the customer: they wait for the assignment.
const access = new csp.GdapAccessAssignment("gdap-admins", {
  relationshipId: gdap.relationshipId,
  securityGroupId: gdapGroupId,
  roles: ["User Administrator", "Privileged Role Administrator"],
});

const user = new csp.CustomerUser(
  "operator",
  {
    customerId: customer.customerId,
    userPrincipalName: pulumi.interpolate`operator@${customer.domain}`,
    displayName: "Operator",
    usageLocation: "US",
    roles: [userRole],
  },
  { dependsOn: [access] },
);

const consent = new csp.ApplicationConsent(
  "partner-app",
  {
    customerId: customer.customerId,
    displayName: "Partner automation",
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
  },
  { dependsOn: [access] },
);

const app = new csp.ApplicationRegistration("portal", {
  tenantId: consent.customerId,
  displayName: "Fabrikam portal",
  redirectUris: ["https://portal.fabrikam.example/auth"],
  passwordCredential: { rotationKey: rotation },
});

const grant = new csp.PermissionGrant("portal-graph", {
  tenantId: consent.customerId,
  clientAppId: app.appId,
  resourceAppId: GRAPH,
  delegatedScopes: ["User.Read"],
  appRoles: ["User.Read.All"],
});

const agreement = new csp.CustomerAgreement("mca", {
  customerId: customer.customerId,
  primaryContact: { firstName: "Grace", lastName: "Hopper", email: "grace@fabrikam.example" },
});
const plan = new csp.AzurePlan(
  "plan",
  { customerId: customer.customerId, acknowledgePurchase: true },
  { dependsOn: [agreement] },
);
const subscription = new csp.AzureSubscription(
  "prod",
  { customerId: customer.customerId, displayName: "Prod", acknowledgePurchase: true },
  { dependsOn: [plan] },
);

const reader = new csp.RoleAssignment("operator-reader", {
  tenantId: customer.customerId,
  scope: pulumi.interpolate`/subscriptions/${subscription.azureSubscriptionId}`,
  roleName: "Reader",
  principalId: user.userId,
  principalType: "User",
});

exports.customerId = customer.customerId;
exports.userId = user.userId;
exports.userPassword = user.password;
exports.appId = app.appId;
exports.clientSecret = app.clientSecret;
exports.grantRoles = grant.appRoleIds;
exports.assignment = reader.assignmentName;
exports.gdapStatus = gdap.status;
exports.approvalLink = gdap.approvalLink;
