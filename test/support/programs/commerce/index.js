// A CSP customer end to end: tenant, Microsoft Customer Agreement, Azure plan, Azure subscription.
// Used by test/resources/commerceProgram.test.ts through the Pulumi CLI.
const pulumi = require("@pulumi/pulumi");
const csp = require("pulumi-csp");
const { sampleBillingProfile } = require("pulumi-csp/testing");

const config = new pulumi.Config();
const domainPrefix = config.require("domainPrefix");

const customer = new csp.Customer("customer", {
  domainPrefix,
  companyName: "Contoso Program Test",
  billingProfile: sampleBillingProfile("billing@contoso.example"),
});

const agreement = new csp.CustomerAgreement("mca", {
  customerId: customer.customerId,
  primaryContact: { firstName: "Ada", lastName: "Lovelace", email: "ada@contoso.example" },
});

// Billable: the acknowledgement is part of the program, visible in review.
const plan = new csp.AzurePlan(
  "plan",
  { customerId: customer.customerId, acknowledgePurchase: true },
  { dependsOn: [agreement] },
);

const dev = new csp.AzureSubscription(
  "dev",
  { customerId: customer.customerId, displayName: "Dev", acknowledgePurchase: true },
  { dependsOn: [plan] },
);

exports.customerId = customer.customerId;
exports.adminPassword = customer.adminPassword;
exports.planSubscriptionId = plan.subscriptionId;
exports.devSubscriptionId = dev.azureSubscriptionId;
exports.customerDeletion = customer.deletionBehavior;
