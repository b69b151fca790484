import { azurePlanHandler } from "./commerce/azurePlan";
import { azureSubscriptionHandler } from "./commerce/azureSubscription";
import { customerHandler } from "./commerce/customer";
import { customerAgreementHandler } from "./commerce/customerAgreement";
import { licenseSubscriptionHandler } from "./commerce/licenseSubscription";
import { applicationConsentHandler } from "./directory/applicationConsent";
import { applicationRegistrationHandler } from "./directory/applicationRegistration";
import { customerUserHandler } from "./directory/customerUser";
import { permissionGrantHandler } from "./directory/permissionGrant";
import { gdapAccessAssignmentHandler } from "./gdap/gdapAccessAssignment";
import { gdapRelationshipHandler } from "./gdap/gdapRelationship";
import { roleAssignmentHandler } from "./rbac/roleAssignment";
import type { ResourceHandler } from "./types";

/**
 * Every resource type's handler, keyed by type name (the last segment of `csp:index:<Type>`):
 * the single place the provider host looks types up. A new type adds its line here, in its family.
 */
// biome-ignore lint/suspicious/noExplicitAny: handlers are stored type-erased; each module keeps its own types.
const handlers = new Map<string, ResourceHandler<any, any>>([
  // commerce/: Partner Center customers and what they buy
  ["Customer", customerHandler],
  ["CustomerAgreement", customerAgreementHandler],
  ["AzurePlan", azurePlanHandler],
  ["AzureSubscription", azureSubscriptionHandler],
  ["LicenseSubscription", licenseSubscriptionHandler],
  // directory/: the customer tenant's users, apps, consents and grants
  ["CustomerUser", customerUserHandler],
  ["ApplicationRegistration", applicationRegistrationHandler],
  ["ApplicationConsent", applicationConsentHandler],
  ["PermissionGrant", permissionGrantHandler],
  // rbac/: Azure role assignments in the customer's subscriptions
  ["RoleAssignment", roleAssignmentHandler],
  // gdap/: the partner's delegated admin relationships
  ["GdapRelationship", gdapRelationshipHandler],
  ["GdapAccessAssignment", gdapAccessAssignmentHandler],
]);

/**
 * Adds a type outside the table (a test's fixture type, or an embedding host's own type). The
 * package's own types are the table above.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above.
export function registerHandler(type: string, handler: ResourceHandler<any, any>): void {
  handlers.set(type, handler);
}

/** The known type names, sorted. */
export function handlerTypes(): string[] {
  return [...handlers.keys()].sort();
}

export function getHandler(type: string): ResourceHandler {
  const h = handlers.get(type);
  if (!h) {
    throw new Error(
      `pulumi-csp: unknown resource type "${type}". The state was written by a version of pulumi-csp that knows this type; install it (known types: ${handlerTypes().join(", ")}).`,
    );
  }
  return h as ResourceHandler;
}
