import type { AuthTarget } from "../../http/types";

/**
 * Which identity each identity-resource call acts as. Decided once here so every handler and
 * client uses the same rule, and enforced by the emulator exactly as Microsoft does (a wrong
 * choice fails in our tests, not at a customer).
 *
 * | Calls | Identity | `AuthTarget` | Why |
 * | --- | --- | --- | --- |
 * | Partner Center customer users, directory roles and their members (CustomerUser) | admin agent (app+user) in the partner tenant | {@link partnerCenterUser} | Partner Center accepts only app+user for every customer-user and directory-role operation (each article's Prerequisites, e.g. "Create user accounts for a customer", https://learn.microsoft.com/partner-center/developer/create-user-accounts-for-a-customer, and "Set user roles for a customer", https://learn.microsoft.com/partner-center/developer/set-user-roles-for-a-customer); the agent needs GDAP roles in the customer (User Administrator; Privileged Role Administrator for roles, see gdapAccessHint.ts) |
 * | Partner Center application consents (ApplicationConsent) | admin agent (app+user) in the partner tenant | {@link partnerCenterUser} | app+user only; the agent must be in AdminAgents and hold Cloud Application Administrator (Privileged Role Administrator for Microsoft Graph application permissions) in the customer through GDAP ("Control Panel Vendor APIs for customer consent", https://learn.microsoft.com/partner-center/developer/control-panel-vendor-apis; "Use the Exchange Online PowerShell v3 Module with GDAP and App Consent", https://learn.microsoft.com/powershell/partnercenter/exchange-online-gdap-app; gdapAccessHint.ts) |
 * | Partner Center customer read in `check` (the customer's domains) | partner app (app-only) | {@link partnerCenterApp} | get customer accepts app-only ("Get a customer by ID", https://learn.microsoft.com/partner-center/developer/get-a-customer-by-id, Prerequisites); check should not need the refresh token |
 * | Graph applications, service principals, oauth2PermissionGrants, appRoleAssignments in a customer tenant (ApplicationRegistration, PermissionGrant, ApplicationConsent verification) | partner app (client credentials) with the customer tenant as authority | {@link customerTenantApp} | works once ApplicationConsent consented the partner app there (e.g. Graph `Application.ReadWrite.All`, `AppRoleAssignment.ReadWrite.All`, `DelegatedPermissionGrant.ReadWrite.All`, `Directory.Read.All`) |
 * | Graph objects in the partner tenant (ApplicationRegistration without `tenantId`, PermissionGrant with the partner tenant) | admin agent (app+user) in the partner tenant | {@link graphDirectoryAuth} | the Secure Application Model consents the partner app in its home tenant with DELEGATED Graph permissions (e.g. `Application.ReadWrite.All`); it holds no application permissions there, so client credentials would be refused |
 * | GDAP `tenantRelationships/delegatedAdminRelationships` and access assignments | admin agent (app+user) in the partner tenant | {@link gdapUser} | GDAP writes run delegated (`DelegatedAdminRelationship.ReadWrite.All`). [U] Earlier text of "Create delegatedAdminRelationship" (https://learn.microsoft.com/graph/api/tenantrelationship-post-delegatedadminrelationships) did not support the application permission; the current page lists it, given the "Partner Customer Delegated Administration" service principal in the partner tenant. Chosen: delegated only |
 * | ARM role assignments and role definitions in a customer subscription (RoleAssignment) | admin agent (app+user) with the CUSTOMER tenant as authority | {@link armOnBehalfOf} | admin-on-behalf-of: the partner's Admin Agents hold Owner on CSP subscriptions; the partner app itself has no RBAC role there |
 */

/** App+user (admin agent through the refresh token) in the partner tenant: Partner Center users, roles, consents. */
export function partnerCenterUser(): AuthTarget {
  return { mode: "user" };
}

/** App-only in the partner tenant: Partner Center reads that allow it (get customer). */
export function partnerCenterApp(): AuthTarget {
  return { mode: "app" };
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

/** App+user in the partner tenant: GDAP relationships and access assignments. */
export function gdapUser(): AuthTarget {
  return { mode: "user" };
}

/** App+user with the customer tenant as authority: ARM admin-on-behalf-of (role assignments). */
export function armOnBehalfOf(customerTenantId: string): AuthTarget {
  return { mode: "user", tenantId: customerTenantId };
}
