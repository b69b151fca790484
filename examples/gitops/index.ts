// pulumi-csp GitOps: every file in customers/ is one customer, declared as one CustomerTenant.
//
// Adding a file adds a customer; editing a field changes exactly that; removing a file shows in
// the preview what removing the customer would do (and `pulumi up` then does it: see the
// README for what each resource does when it leaves the program).
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { type CustomerSpec, CustomerTenant, loadCustomerSpecs } from "pulumi-csp";

const config = new pulumi.Config();
// Partner-wide policy, applied to every customer with an Azure plan that does not declare its
// own partnerAccess: the partner's AdminAgents group stays Owner on every subscription.
const adminAgentsGroupId = config.get("adminAgentsGroupId") || undefined;
// Partner-wide policy for every customer whose gdap declares no access assignments: its roles go
// to this security group of the partner tenant (the admin agents running the pipeline are members),
// so that Partner Center lets them manage the customer's users and consents (GDAP roles).
const gdapSecurityGroupId = config.get("gdapSecurityGroupId") || undefined;

function withPartnerPolicy(spec: CustomerSpec): CustomerSpec {
  let out = spec;
  if (adminAgentsGroupId && spec.azurePlan && !spec.partnerAccess) {
    out = { ...out, partnerAccess: [{ key: "partner", adminAgentsGroupId }] };
  }
  if (gdapSecurityGroupId && spec.gdap && !spec.gdap.accessAssignments) {
    const accessAssignments = [{ securityGroupId: gdapSecurityGroupId, roles: spec.gdap.roles }];
    out = { ...out, gdap: { ...spec.gdap, accessAssignments } };
  }
  return out;
}

// The customer files: `customers/` in the project's directory (where Pulumi.yaml is), also when
// `main` points into dist/; `csp-gitops:customersDir` names another folder (relative to the
// project's directory). Language hosts older than Pulumi 3.7x do not tell the program its project
// directory (the SDK then answers a placeholder, not a path) and run it in the folder of `main`:
// with those, set customersDir to an absolute path.
function projectDir(): string {
  const root = pulumi.runtime.getRootDirectory();
  if (path.isAbsolute(root)) return root;
  if (!config.get("customersDir")) {
    pulumi.log.warn(
      `this Pulumi language host does not tell the program its project directory: reading customers/ from ${process.cwd()}; set csp-gitops:customersDir to the folder of the customer files`,
    );
  }
  return process.cwd();
}
const customersDir = path.resolve(projectDir(), config.get("customersDir") || "customers");
const tenants = loadCustomerSpecs(customersDir).map(
  (spec) => new CustomerTenant(spec.key, withPartnerPolicy(spec)),
);

/** Per customer key: what the pipeline reports after `pulumi up`. */
export const customers = Object.fromEntries(
  tenants.map((t) => [
    t.key,
    {
      customerId: t.customerId,
      domain: t.domain,
      adminUserName: t.adminUserName,
      subscriptionIds: t.subscriptionIds,
      userPrincipalNames: t.userPrincipalNames,
      gdap: t.gdap,
    },
  ]),
);
