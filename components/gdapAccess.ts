import type * as pulumi from "@pulumi/pulumi";
import { resolveDirectoryRole } from "../provider/handlers/directory/directoryRoleCatalog";
import { GdapAccessAssignment, GdapRelationship } from "../provider/resources";
import { compact } from "./childInputs";
import type { CustomerSpec } from "./customerSpec";

/**
 * Which of a CustomerTenant's GDAP access assignments its users, their directory roles and the
 * partner app's consent wait for.
 *
 * Partner Center lets the admin agent running the program manage a customer's users, their
 * directory roles and application consents only with a role the operation's Microsoft Learn page
 * names, held in that customer through an access assignment of an active GDAP relationship (see
 * provider/handlers/gdap/gdapAccessHint.ts for the table):
 * - users: User Administrator ("Create user accounts for a customer", "Delete a user account for a
 *   customer": https://learn.microsoft.com/partner-center/developer/delete-user-accounts-for-a-customer);
 * - their directory roles: Privileged Role Administrator ("Set user roles for a customer",
 *   https://learn.microsoft.com/partner-center/developer/set-user-roles-for-a-customer);
 * - the consent: Cloud Application Administrator or Application Administrator, Privileged Role
 *   Administrator for Microsoft Graph application permissions such as the default grant ("Least
 *   privileged roles by task in Microsoft Entra ID",
 *   https://learn.microsoft.com/entra/identity/role-based-access-control/delegate-by-task).
 * Global Administrator does everything.
 *
 * Each of them depends on the declared access assignments that grant such a role; when none does,
 * on all of them (the roles may come through another relationship), with a warning saying which
 * role is missing.
 */

/**
 * The GDAP relationship of a spec (`<key>-gdap`, after the customer) and its access assignments
 * (`<key>-gdap-access-<groupId>`, after the relationship, which the customer must approve first).
 */
export function gdapChildren(
  key: string,
  gdap: CustomerSpec["gdap"],
  customerId: pulumi.Output<string>,
  companyName: string,
  account: { account?: string },
  afterCustomer: pulumi.CustomResourceOptions,
  child: (dependsOn: pulumi.Resource[]) => pulumi.CustomResourceOptions,
): { relationship?: GdapRelationship; accessAssignments: Record<string, GdapAccessAssignment> } {
  const accessAssignments: Record<string, GdapAccessAssignment> = {};
  if (!gdap) return { accessAssignments };
  const relationship = new GdapRelationship(
    `${key}-gdap`,
    compact({
      // Names are unique among all the partner's relationships, ended ones included, and a
      // relationship awaiting approval cannot be deleted ("delegatedAdminRelationship",
      // displayName: https://learn.microsoft.com/graph/api/resources/delegatedadminrelationship):
      // the default carries the customer id, so a customer destroyed and declared again (a new
      // tenant) gets a relationship of its own instead of colliding with the old one's name.
      displayName: gdap.displayName ?? customerId.apply((id) => `${key.slice(0, 36)}-gdap-${id.slice(0, 8)}`),
      customerTenantId: customerId,
      customerDisplayName: companyName,
      duration: gdap.duration,
      roles: gdap.roles,
      autoExtendDuration: gdap.autoExtendDuration,
      ...account,
    }),
    afterCustomer,
  );
  for (const a of gdap.accessAssignments ?? []) {
    const groupId = a.securityGroupId.toLowerCase();
    accessAssignments[groupId] = new GdapAccessAssignment(
      `${key}-gdap-access-${groupId}`,
      compact({ relationshipId: relationship.id, securityGroupId: groupId, roles: a.roles, ...account }),
      child([relationship]),
    );
  }
  return { relationship, accessAssignments };
}

/** What a child needs: role names, any one of which does (Global Administrator always does). */
export interface GdapNeed {
  what: string;
  anyOf: string[];
}

export const USER_NEED: GdapNeed = { what: "manage its users", anyOf: ["User Administrator"] };
export const DIRECTORY_ROLE_NEED: GdapNeed = {
  what: "give its users directory roles",
  anyOf: ["Privileged Role Administrator"],
};
export const CONSENT_NEED: GdapNeed = {
  what: "consent the partner app (Microsoft Graph application permissions need Privileged Role Administrator)",
  anyOf: ["Privileged Role Administrator", "Cloud Application Administrator", "Application Administrator"],
};

const GLOBAL_ADMINISTRATOR = "Global Administrator";

/** The access assignments a child with these needs depends on, and the warnings for needs none meets. */
export function gdapDependencies(
  gdap: CustomerSpec["gdap"],
  assignments: Readonly<Record<string, pulumi.Resource>>,
  needs: GdapNeed[],
): { dependsOn: pulumi.Resource[]; missing: GdapNeed[] } {
  const declared = gdap?.accessAssignments ?? [];
  const dependsOn = new Set<pulumi.Resource>();
  const missing: GdapNeed[] = [];
  for (const need of needs) {
    const wanted = new Set([...need.anyOf, GLOBAL_ADMINISTRATOR].map((r) => resolveDirectoryRole(r)!));
    const granting = declared.filter((a) => a.roles.some((r) => wanted.has(resolveDirectoryRole(r) ?? "")));
    if (granting.length === 0) {
      missing.push(need);
      for (const resource of Object.values(assignments)) dependsOn.add(resource);
    }
    for (const a of granting) {
      const resource = assignments[a.securityGroupId.toLowerCase()];
      if (resource) dependsOn.add(resource);
    }
  }
  return { dependsOn: [...dependsOn], missing };
}

/** The warning for needs no declared access assignment meets. */
export function missingAccessWarning(component: string, missing: GdapNeed[]): string {
  const lines = missing.map((n) => `${n.anyOf.join(" or ")} to ${n.what}`);
  return `${component}: no gdap.accessAssignments entry grants ${lines.join("; ")}. Partner Center requires these GDAP roles of the admin agent in the customer; unless another approved relationship grants them to a security group of the admin agent, those resources fail with HTTP 403. Declare gdap with these roles and an access assignment to a security group the admin agent is a member of.`;
}
