import type { AuthTarget } from "../http/types";

/**
 * Which identity acts where: the one table every client takes its request's `auth` from, decided
 * once so each API is called the same way, and enforced by the emulator as Microsoft does (a wrong
 * choice fails in our tests, not at a customer). "Partner Center authentication"
 * (https://learn.microsoft.com/partner-center/developer/partner-center-authentication) defines the
 * two identities: the partner app alone (App-only, client credentials) and the partner app with a
 * signed-in admin agent of the partner (App+User, through the Secure Application Model's refresh
 * token); each operation's page lists which it accepts under Prerequisites.
 *
 * | API and operations | Identity | Tenant | Function | Why |
 * | --- | --- | --- | --- | --- |
 * | Partner Center customer create (direct), customer and commerce reads, carts, orders, subscriptions | partner app (App-only) | partner | {@link partnerCenterApp} | these accept App-only ("Create a customer", https://learn.microsoft.com/partner-center/developer/create-a-customer; "Get a customer by ID", https://learn.microsoft.com/partner-center/developer/get-a-customer-by-id, Prerequisites); `check` and commerce need no refresh token (the request's default, `{ mode: "app" }`) |
 * | Partner Center customer create for an indirect reseller | admin agent (App+User) | partner | {@link customerCreation} | App+User only ("Create a customer for an indirect reseller", https://learn.microsoft.com/partner-center/developer/create-a-customer-for-an-indirect-reseller, Prerequisites) |
 * | Partner Center agreements (MCA attestation), reseller relationships, removing a reseller relationship | admin agent (App+User) | partner | {@link partnerCenterUser} | App+User only ("Confirm customer acceptance of Microsoft Customer Agreement", https://learn.microsoft.com/partner-center/developer/confirm-customer-consent-customer-agreement; "Retrieve a list of indirect resellers", https://learn.microsoft.com/partner-center/developer/retrieve-a-list-of-indirect-resellers) |
 * | Partner Center customer users, licenses, directory roles and their members | admin agent (App+User) | partner | {@link partnerCenterUser} | App+User only for every customer-user and directory-role operation ("Create user accounts for a customer", https://learn.microsoft.com/partner-center/developer/create-user-accounts-for-a-customer; "Set user roles for a customer", https://learn.microsoft.com/partner-center/developer/set-user-roles-for-a-customer); the agent needs GDAP roles in the customer (User Administrator; Privileged Role Administrator for roles, see gdapAccessHint.ts) |
 * | Partner Center application consents | admin agent (App+User) | partner | {@link partnerCenterUser} | App+User only; the agent must be in AdminAgents and hold Cloud Application Administrator (Privileged Role Administrator for Graph application permissions) in the customer through GDAP ("Control Panel Vendor APIs for customer consent", https://learn.microsoft.com/partner-center/developer/control-panel-vendor-apis) |
 * | Graph applications, service principals, oauth2PermissionGrants, appRoleAssignments in a customer tenant | partner app (client credentials) | customer | {@link customerTenantApp} | works once the application consent gave the partner app there the Graph application permissions (e.g. `Application.ReadWrite.All`, `AppRoleAssignment.ReadWrite.All`) |
 * | Graph directory objects in the partner's own tenant | admin agent (App+User, delegated) | partner | {@link graphDirectoryAuth} | the Secure Application Model consents the partner app in its home tenant with delegated Graph permissions only; client credentials would be refused |
 * | Graph GDAP `delegatedAdminRelationships` and access assignments | admin agent (App+User, delegated) | partner | {@link gdapUser} | `DelegatedAdminRelationship.ReadWrite.All` delegated. [U] Earlier text of "Create delegatedAdminRelationship" (https://learn.microsoft.com/graph/api/tenantrelationship-post-delegatedadminrelationships) did not support the application permission; the current page lists it, given the Partner Customer Delegated Administration service principal. Chosen: delegated only |
 * | ARM billing accounts and subscription aliases (creating an Azure subscription under a customer's plan) | admin agent (App+User) | partner | {@link armPartnerAgent} | the partner's admin agents create subscriptions for a Microsoft Partner Agreement customer ("Programmatically create Azure subscriptions for a Microsoft Partner Agreement", https://learn.microsoft.com/azure/cost-management-billing/manage/programmatically-create-subscription-microsoft-partner-agreement) |
 * | ARM subscription actions, role assignments and definitions in a customer subscription | admin agent (App+User) | customer | {@link armOnBehalfOf} | admin-on-behalf-of: the partner's Admin Agents hold Owner on CSP subscriptions ("Cancel and delete your Azure subscription", https://learn.microsoft.com/azure/cost-management-billing/manage/cancel-azure-subscription, who can cancel); the partner app itself has no RBAC role there |
 */

/** App-only in the partner tenant: Partner Center operations that accept it. */
export function partnerCenterApp(): AuthTarget {
  return { mode: "app" };
}

/** App+User (admin agent) in the partner tenant: Partner Center operations that accept only it. */
export function partnerCenterUser(): AuthTarget {
  return { mode: "user" };
}

/** Creating a customer: App-only, except for an indirect reseller's customer (App+User only). */
export function customerCreation(forReseller: boolean): AuthTarget {
  return forReseller ? partnerCenterUser() : partnerCenterApp();
}

/**
 * App-only with `tenantId` as authority (a customer tenant where the partner app was consented),
 * or in the partner tenant when `tenantId` is omitted.
 */
export function customerTenantApp(tenantId?: string): AuthTarget {
  return tenantId ? { mode: "app", tenantId } : { mode: "app" };
}

/**
 * Graph directory objects (applications, service principals, grants) in `tenantId`: app-only in
 * a customer tenant, app+user (delegated) in the partner's own tenant (`tenantId` omitted or equal
 * to the partner tenant).
 */
export function graphDirectoryAuth(partnerTenantId: string, tenantId?: string): AuthTarget {
  if (!tenantId || tenantId.toLowerCase() === partnerTenantId.toLowerCase()) return { mode: "user" };
  return customerTenantApp(tenantId);
}

/** App+User in the partner tenant: GDAP relationships and access assignments. */
export function gdapUser(): AuthTarget {
  return { mode: "user" };
}

/** App+User in the partner tenant: ARM billing accounts and subscription aliases. */
export function armPartnerAgent(): AuthTarget {
  return { mode: "user" };
}

/** App+User with the customer tenant as authority: ARM admin-on-behalf-of in a customer subscription. */
export function armOnBehalfOf(customerTenantId: string): AuthTarget {
  return { mode: "user", tenantId: customerTenantId };
}
