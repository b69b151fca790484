// Takes over a customer that exists already (created by another stack, or in Partner Center):
// `pulumi import` does not work for dynamic resources (pulumi/pulumi#16175), so the Customer
// names it with `adopt`. Its agreement and Azure plan are adopted because they exist: nothing is
// bought, and the plan is left as it is when this stack lets go of it (onDelete: leave).
// Used by test/resources/commerceProgram.test.ts through the Pulumi CLI.
const pulumi = require("@pulumi/pulumi");
const csp = require("pulumi-csp");
const { sampleBillingProfile } = require("pulumi-csp/testing");

const config = new pulumi.Config();
const customerId = config.require("customerId");

const customer = new csp.Customer("customer", {
  domainPrefix: config.require("domainPrefix"),
  companyName: "Contoso Program Test",
  billingProfile: sampleBillingProfile("billing@contoso.example"),
  adopt: { customerId },
});

// The known id (not customer.customerId, unknown until the adoption) lets preview look up what
// the customer already has, so the plan is known not to be a purchase before anything runs.
const agreement = new csp.CustomerAgreement(
  "mca",
  { customerId, primaryContact: { firstName: "Ada", lastName: "Lovelace", email: "ada@contoso.example" } },
  { dependsOn: [customer] },
);

const plan = new csp.AzurePlan(
  "plan",
  { customerId, acknowledgePurchase: true, onDelete: "leave" },
  { dependsOn: [agreement] },
);

exports.adopted = customer.adopted;
exports.customerDeletion = customer.deletionBehavior;
exports.planAdopted = plan.adopted;
exports.planSubscriptionId = plan.subscriptionId;
exports.agreementAdopted = agreement.adopted;
