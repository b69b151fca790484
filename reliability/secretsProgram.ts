import * as fs from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../automation/toolchain";

/**
 * The quickstart's customer (customer, agreement, Azure plan, extra subscription, two users with
 * directory roles, partner app consent, an application registration with a delegated grant, RBAC,
 * GDAP, whose access assignment to the security group of stack setting gdapGroupId gives the admin
 * agent the roles the users and consent need) plus a client secret on the application, as a
 * JavaScript program that exports every
 * secret it gets as a stack output: the customer's admin password, the users' generated passwords
 * and the application's client secret. With the secret config `weakPassword` (`pulumi config set
 * --secret`), one more user declares that password as its input (bad input, refused at check).
 */
const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { CustomerTenant, CustomerUser } = require("pulumi-csp");
const { sampleBillingProfile } = require("pulumi-csp/testing");

const config = new pulumi.Config();
const gdapGroupId = config.get("gdapGroupId");
const gdapRoles = ["Helpdesk Administrator", "User Administrator", "Privileged Role Administrator"];
const tenant = new CustomerTenant("contoso", {
  key: "contoso",
  customer: {
    domainPrefix: "contososecrets",
    companyName: "Contoso Ltd",
    billingProfile: sampleBillingProfile("it@contoso.example"),
  },
  agreement: { primaryContact: { firstName: "Ada", lastName: "Lovelace", email: "ada@contoso.example" } },
  azurePlan: { acknowledgePurchase: true, friendlyName: "Contoso Azure plan" },
  subscriptions: [
    {
      key: "dev", displayName: "Contoso Development", workload: "DevTest", acknowledgePurchase: true,
      roleAssignments: [{ role: "Contributor", principal: { user: "alice" } }],
    },
  ],
  users: [
    { key: "alice", userName: "alice", displayName: "Alice Wilber", usageLocation: "US", roles: ["User Administrator"] },
    { key: "bob", userName: "bob", displayName: "Bob Kelly", usageLocation: "US", roles: ["Helpdesk Administrator"] },
  ],
  partnerAppConsent: {},
  applications: [
    {
      key: "portal",
      displayName: "Contoso customer portal",
      redirectUris: ["https://portal.contoso.example/signin-oidc"],
      clientSecret: { displayName: "portal" },
      permissionGrants: [{ delegatedScopes: ["openid", "profile", "User.Read"] }],
    },
  ],
  gdap: {
    duration: "P730D",
    roles: gdapRoles,
    ...(gdapGroupId ? { accessAssignments: [{ securityGroupId: gdapGroupId, roles: gdapRoles }] } : {}),
  },
});

const weakPassword = config.getSecret("weakPassword");
if (weakPassword) {
  new CustomerUser("contoso-user-weak", {
    customerId: tenant.customerId,
    userPrincipalName: pulumi.interpolate\`weak@\${tenant.domain}\`,
    displayName: "Weak Password",
    usageLocation: "US",
    password: weakPassword,
  });
}

module.exports = {
  customerId: tenant.customerId,
  adminUserName: tenant.adminUserName,
  adminPassword: tenant.customer.adminPassword,
  userPasswords: pulumi.all(Object.fromEntries(Object.entries(tenant.users).map(([k, u]) => [k, u.password]))),
  applicationClientSecrets: tenant.applicationClientSecrets,
};
`;

/** Writes the program (Pulumi.yaml, stack file, index.js, linked node_modules) under `dir`; returns its folder. */
export function writeSecretsProgram(dir: string): string {
  const project = path.join(dir, "secrets-program");
  fs.mkdirSync(project, { recursive: true });
  fs.writeFileSync(
    path.join(project, "Pulumi.yaml"),
    "name: csp-secrets\nruntime: nodejs\nmain: index.js\ndescription: pulumi-csp secret handling check\n",
  );
  fs.writeFileSync(path.join(project, "Pulumi.dev.yaml"), 'config:\n  csp:allowPurchases: "true"\n');
  fs.writeFileSync(path.join(project, "index.js"), PROGRAM);
  const modules = path.join(dir, "node_modules");
  if (!fs.existsSync(modules)) fs.symlinkSync(path.join(packageRoot(), "node_modules"), modules, "dir");
  return project;
}
