// @ts-check
// One customer per stack: the stack named <key> declares the customer of customers/<key>.yaml
// (stack setting `customerFile` names another file; `pulumi-csp fleet` sets it). Adding a file
// adds a customer, editing a field changes exactly that; removing a file shows in the preview what
// removing the customer does (`pulumi-csp fleet` runs the stack of a removed file with
// `customerRemoved: true`), and `up` then does it: see each resource's deletionBehavior.

const fs = require("node:fs");
const path = require("node:path");
const pulumi = require("@pulumi/pulumi");
const { CustomerSpecError, CustomerTenant, parseCustomerSpec } = require("pulumi-csp");

const config = new pulumi.Config();
const stack = pulumi.getStack();

// Partner-wide policy, applied to every customer with an Azure plan that does not declare its own
// partnerAccess: the partner's AdminAgents group stays Owner on every Azure subscription.
const adminAgentsGroupId = config.get("adminAgentsGroupId") || undefined;

/** @param {import("pulumi-csp").CustomerSpec} spec */
function withPartnerPolicy(spec) {
  if (!adminAgentsGroupId || !spec.azurePlan || spec.partnerAccess) return spec;
  return { ...spec, partnerAccess: [{ key: "partner", adminAgentsGroupId }] };
}

// Relative paths are read from the project's folder (where Pulumi.yaml is).
function projectDir() {
  const root = pulumi.runtime.getRootDirectory();
  return path.isAbsolute(root) ? root : process.cwd();
}

function customerFile() {
  const configured = config.get("customerFile");
  if (configured) return path.resolve(projectDir(), configured);
  const candidates = [".yaml", ".yml", ".json"].map((ext) =>
    path.join(projectDir(), "customers", stack + ext),
  );
  return candidates.find((f) => fs.existsSync(f)) ?? candidates[0];
}

const file = customerFile();
const shownName = `customers/${path.basename(file)}`;

/** The customer of the file; an invalid file fails with one `customers/<file>: <path>: <rule>` line per problem. */
function readSpec() {
  try {
    return withPartnerPolicy(parseCustomerSpec(fs.readFileSync(file, "utf8"), shownName));
  } catch (e) {
    // A RunError is reported by its message alone, without a stack trace.
    if (e instanceof CustomerSpecError) throw new pulumi.RunError(e.message);
    throw e;
  }
}

if (fs.existsSync(file)) {
  const spec = readSpec();
  const tenant = new CustomerTenant(spec.key, spec);
  // What the pipeline reports after `up` (`pulumi stack output --stack <key>`).
  exports.customerId = tenant.customerId;
  exports.domain = tenant.domain;
  exports.adminUserName = tenant.adminUserName;
  exports.subscriptionIds = tenant.subscriptionIds;
  exports.userPrincipalNames = tenant.userPrincipalNames;
  exports.gdap = tenant.gdap;
} else if (config.getBoolean("customerRemoved")) {
  pulumi.log.info(`${shownName} was removed: every resource of stack "${stack}" leaves the program`);
} else {
  throw new pulumi.RunError(
    `${shownName} does not exist: the stack "${stack}" declares the customer of customers/${stack}.yaml ` +
      "(or of its stack setting customerFile); to remove a customer, delete its file and let " +
      "`pulumi-csp fleet` preview and apply the removal",
  );
}
