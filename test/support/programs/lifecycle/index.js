// A sandbox customer and some of its users; stack config (namespace "lifecycle-test") switches
// values and resource options so one stack goes through update (displayName), replacement
// (userName: a new UPN is a new user), delete (withTemp), retainOnDelete (withKept) and protect
// (protectCustomer). The users wait for the GDAP access assignment that gives the admin agent's
// security group (config gdapGroupId) User Administrator, which Partner Center needs for them.
// Used by test/programs/engineLifecycle.test.ts through the Pulumi CLI (the emulator approves
// GDAP relationships at once there).
const pulumi = require("@pulumi/pulumi");
const csp = require("pulumi-csp");
const { sampleBillingProfile } = require("pulumi-csp/testing");

const config = new pulumi.Config();
const flag = (key, dflt) => (config.get(key) === undefined ? dflt : config.getBoolean(key));

const customer = new csp.Customer(
  "customer",
  {
    domainPrefix: config.require("domainPrefix"),
    companyName: "Lifecycle Test Ltd",
    billingProfile: sampleBillingProfile("billing@lifecycle.example"),
  },
  { protect: flag("protectCustomer", false) },
);

const gdap = new csp.GdapRelationship("gdap", {
  displayName: pulumi.interpolate`lifecycle-${customer.customerId}`.apply((n) => n.slice(0, 50)),
  customerTenantId: customer.customerId,
  duration: "P30D",
  roles: ["User Administrator"],
});
const access = new csp.GdapAccessAssignment("gdap-access", {
  relationshipId: gdap.relationshipId,
  securityGroupId: config.require("gdapGroupId"),
  roles: ["User Administrator"],
});

function user(name, userName, displayName, opts) {
  return new csp.CustomerUser(
    name,
    {
      customerId: customer.customerId,
      userPrincipalName: pulumi.interpolate`${userName}@${customer.domain}`,
      displayName,
      usageLocation: "US",
    },
    { ...opts, dependsOn: [access] },
  );
}

const operator = user("operator", config.get("userName") ?? "ops", config.get("displayName") ?? "Operator");
const temp = flag("withTemp", true) ? user("temp", "temp", "Temporary") : undefined;
const kept = flag("withKept", true) ? user("kept", "kept", "Kept", { retainOnDelete: true }) : undefined;

exports.customerId = customer.customerId;
exports.operatorId = operator.userId;
exports.tempId = temp?.userId;
exports.keptId = kept?.userId;
