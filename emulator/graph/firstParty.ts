/**
 * Catalog of the first-party (Microsoft-owned) resource applications the emulator materialises as
 * service principals in every directory tenant, with the permission ids clients put into
 * `requiredResourceAccess`, `oauth2PermissionGrants.scope` and `appRoleAssignments.appRoleId`.
 *
 * Ids are the real ones. Graph ids were checked against the published Graph permission id table
 * (permissions-reference "All permissions and ids", as mirrored in public code); ARM
 * `user_impersonation` and Partner Center `user_impersonation` against public app-registration
 * scripts. Anything not checked is marked [U] next to it.
 */

/** A delegated scope (`oauth2PermissionScopes`) or application permission (`appRoles`). */
export interface PermissionEntry {
  id: string;
  value: string;
}

/** One first-party resource application. */
export interface FirstPartyApp {
  appId: string;
  displayName: string;
  /** Identifier URI clients use as the resource / scope prefix. */
  resourceUri: string;
  oauth2PermissionScopes: PermissionEntry[];
  appRoles: PermissionEntry[];
}

/** Microsoft's own tenant, the `appOwnerOrganizationId` of first-party service principals. */
export const MICROSOFT_SERVICES_TENANT_ID = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
export const AAD_GRAPH_APP_ID = "00000002-0000-0000-c000-000000000000";
export const ARM_APP_ID = "797f4846-ba00-4fd7-ba43-dac1f8f63013";
/** Reference 8.2 marks this id [U] (seen as a sign-in resource id); public app-registration scripts use it too. */
export const PARTNER_CENTER_APP_ID = "fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd";

/** Microsoft Graph application permissions (app roles) the emulator knows. */
export const GRAPH_APP_ROLES: PermissionEntry[] = [
  { value: "Application.Read.All", id: "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30" },
  { value: "Application.ReadWrite.All", id: "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9" },
  { value: "Application.ReadWrite.OwnedBy", id: "18a4783c-866b-4cc7-a460-3d5e5662c884" },
  { value: "AppRoleAssignment.ReadWrite.All", id: "06b708a9-e830-4db3-a914-8e69da51d44f" },
  { value: "DelegatedAdminRelationship.Read.All", id: "f6e9e124-4586-492f-adc0-c6f96e4823fd" },
  { value: "DelegatedAdminRelationship.ReadWrite.All", id: "cc13eba4-8cd8-44c6-b4d4-f93237adce58" },
  { value: "DelegatedPermissionGrant.ReadWrite.All", id: "8e8e4742-1d95-4f68-9d56-6ee75648c72a" },
  { value: "Directory.Read.All", id: "7ab1d382-f21e-4acd-a863-ba3e13f7da61" },
  { value: "Directory.ReadWrite.All", id: "19dbc75e-c2e2-444c-a770-ec69d8559fc7" },
  { value: "Domain.Read.All", id: "dbb9058a-0e50-45d7-ae91-66909b5d4664" },
  { value: "Domain.ReadWrite.All", id: "7e05723c-0bb0-42da-be95-ae9f08a6e53c" },
  { value: "Group.Read.All", id: "5b567255-7703-4780-807c-7be8301ae99b" },
  { value: "Group.ReadWrite.All", id: "62a82d76-70ea-41e2-9197-370581804d09" },
  { value: "GroupMember.Read.All", id: "98830695-27a2-44f7-8c18-0c3ebc9698f6" },
  { value: "GroupMember.ReadWrite.All", id: "dbaae8cf-10b5-4b86-a4a1-f871c94c6695" },
  { value: "User.Read.All", id: "df021288-bdef-4463-88db-98f22de89214" },
  { value: "User.ReadBasic.All", id: "97235f07-e226-4f63-ace3-39588e11d3a1" },
  { value: "User.ReadWrite.All", id: "741f803b-c850-494e-b5df-cde7c675a1ca" },
];

/** Microsoft Graph delegated scopes the emulator knows. */
export const GRAPH_DELEGATED_SCOPES: PermissionEntry[] = [
  { value: "Application.Read.All", id: "c79f8feb-a9db-4090-85f9-90d820caa0eb" },
  { value: "Application.ReadWrite.All", id: "bdfbf15f-ee85-4955-8675-146e8e5296b5" },
  { value: "AppRoleAssignment.ReadWrite.All", id: "84bccea3-f856-4a8a-967b-dbe0a3d53a64" },
  { value: "DelegatedAdminRelationship.Read.All", id: "0c0064ea-477b-4130-82a5-4c2cc4ff68aa" },
  { value: "DelegatedAdminRelationship.ReadWrite.All", id: "885f682f-a990-4bad-a642-36736a74b0c7" },
  { value: "DelegatedPermissionGrant.ReadWrite.All", id: "41ce6ca6-6826-4807-84f1-1c82854f7ee5" },
  { value: "Directory.AccessAsUser.All", id: "0e263e50-5827-48a4-b97c-d940288653c7" },
  { value: "Directory.Read.All", id: "06da0dbc-49e2-44d2-8312-53f166ab848a" },
  { value: "Directory.ReadWrite.All", id: "c5366453-9fb0-48a5-a156-24f0c49a4b84" },
  { value: "Domain.Read.All", id: "2f9ee017-59c1-4f1d-9472-bd5529a7b311" },
  { value: "Domain.ReadWrite.All", id: "0b5d694c-a244-4bde-86e6-eb5cd07730fe" },
  { value: "email", id: "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0" },
  { value: "Group.Read.All", id: "5f8c59db-677d-491f-a6b8-5f174b11ec1d" },
  { value: "Group.ReadWrite.All", id: "4e46008b-f24c-477d-8fff-7bb4ec7aafe0" },
  { value: "offline_access", id: "7427e0e9-2fba-42fe-b0c0-848c9e6a8182" },
  // [U] openid / profile ids: well known, not re-checked against the table in this change.
  { value: "openid", id: "37f7f235-527c-4136-accd-4a02d197296e" },
  { value: "profile", id: "14dad69e-099b-42c9-810b-d002981feec1" },
  { value: "User.Read", id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d" },
  { value: "User.Read.All", id: "a154be20-db9c-4678-8ab7-66f6cc099a59" },
  { value: "User.ReadBasic.All", id: "b340eb25-3456-403f-be2f-af7a0d370277" },
  { value: "User.ReadWrite.All", id: "204e0828-b5ca-4ad8-b9f3-f32a958e7cc4" },
];

/** The first-party resources every emulated tenant contains. */
export const FIRST_PARTY_APPS: FirstPartyApp[] = [
  {
    appId: GRAPH_APP_ID,
    displayName: "Microsoft Graph",
    resourceUri: "https://graph.microsoft.com",
    oauth2PermissionScopes: GRAPH_DELEGATED_SCOPES,
    appRoles: GRAPH_APP_ROLES,
  },
  {
    appId: ARM_APP_ID,
    displayName: "Windows Azure Service Management API",
    resourceUri: "https://management.azure.com/",
    oauth2PermissionScopes: [{ value: "user_impersonation", id: "41094075-9dad-400e-a0bd-54e686782033" }],
    appRoles: [],
  },
  {
    appId: PARTNER_CENTER_APP_ID,
    displayName: "Microsoft Partner Center",
    resourceUri: "https://api.partnercenter.microsoft.com",
    oauth2PermissionScopes: [{ value: "user_impersonation", id: "1cebfa2a-fb4d-419e-b5f9-839b4383e05a" }],
    appRoles: [],
  },
  {
    // Deprecated Azure AD Graph; still named by Partner Center consent samples (the application
    // consent sample of "Partner Center authentication",
    // https://learn.microsoft.com/partner-center/developer/partner-center-authentication).
    appId: AAD_GRAPH_APP_ID,
    displayName: "Windows Azure Active Directory",
    resourceUri: "https://graph.windows.net",
    oauth2PermissionScopes: [
      // Ids from public partner onboarding scripts (User.Read, Directory.Read.All of AAD Graph) [U].
      { value: "User.Read", id: "311a71cc-e848-46a1-bdf8-97ff7156d8e6" },
      { value: "Directory.AccessAsUser.All", id: "a42657d6-7f20-40e3-b6f0-cee03008a62a" },
    ],
    appRoles: [],
  },
];

/** First-party application by app id (case-insensitive), or `undefined`. */
export function findFirstPartyApp(appId: string): FirstPartyApp | undefined {
  const wanted = appId.toLowerCase();
  return FIRST_PARTY_APPS.find((a) => a.appId === wanted);
}

/** Id of a Microsoft Graph application permission by its value (e.g. `User.Read.All`). */
export function graphAppRoleId(value: string): string | undefined {
  return GRAPH_APP_ROLES.find((r) => r.value.toLowerCase() === value.toLowerCase())?.id;
}

/** Id of a Microsoft Graph delegated scope by its value (e.g. `User.Read`). */
export function graphScopeId(value: string): string | undefined {
  return GRAPH_DELEGATED_SCOPES.find((r) => r.value.toLowerCase() === value.toLowerCase())?.id;
}
