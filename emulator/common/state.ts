/**
 * The emulator's whole world, one JSON-serialisable object (persisted as one file when a data
 * directory is given). Sections are owned by one module each; the shared parts (`directory`,
 * `azure`) are the same objects seen through several APIs: a customer user created through
 * Partner Center is a directory user Graph lists; an application consent creates a service
 * principal Graph returns; an Azure subscription is both an ARM subscription and an entitlement
 * of the customer's Azure plan.
 *
 * Secrets (passwords, client secrets, refresh tokens) are stored as SHA-256 hashes, never plain.
 */
export interface EmulatorState {
  version: 1;
  settings: EmulatorSettings;
  /** Directory tenants by tenant id (partner tenants and customer tenants). */
  directory: Record<string, DirectoryTenant>;
  /** Owned by login/ (the service named `identity` in the request log): refresh tokens, authorization codes. */
  identity: IdentityState;
  /** Owned by partnerCenter/. */
  partnerCenter: PartnerCenterState;
  /** Owned by graph/: GDAP relationships keyed by relationship id. */
  gdap: Record<string, GdapRelationshipRecord>;
  /** Shared by arm/ and partnerCenter/. */
  azure: AzureState;
}

export interface EmulatorSettings {
  /** Integration-sandbox behaviour (customer delete allowed, sandbox limits enforced). */
  sandbox: boolean;
  /** ARM answers PrincipalNotFound for this long after a principal was created, unless principalType is sent. */
  replicationDelayMs: number;
  /** Enforce the documented Partner Center rate limits (500/min per resource family and tenant, consents 50/s). */
  enforceRateLimits: boolean;
  /** Offset added to the real clock (admin API "advance time"). */
  clockOffsetMs: number;
  /** Latency added to every request to an emulated API, in milliseconds (0 or absent: none). */
  latencyMs?: number;
  /**
   * Partner Center order provisioning delay: a checkout answers with `pending` orders whose line
   * items carry no `subscriptionId` until this much emulator time has passed (0 or absent: at once).
   */
  partnerCenterProvisioningDelayMs?: number;
  /**
   * GDAP: a relationship locked for approval is approved at once, as by a customer who opens the
   * approval link immediately (graph/delegatedAdminRelationships.ts). Off by default: a relationship then waits
   * for the admin API's approval, as production waits for the customer. For tests of what follows
   * the approval; the GDAP authorisation itself is unchanged.
   */
  autoApproveGdap?: boolean;
}

export interface DirectoryTenant {
  id: string;
  displayName: string;
  kind: "partner" | "customer";
  /** Verified domains; the first is the initial `*.onmicrosoft.com` domain. */
  domains: string[];
  createdDateTime: string;
  users: Record<string, DirectoryUser>;
  groups: Record<string, DirectoryGroup>;
  applications: Record<string, DirectoryApplication>;
  servicePrincipals: Record<string, DirectoryServicePrincipal>;
  oauth2PermissionGrants: Record<string, OAuth2PermissionGrantRecord>;
  appRoleAssignments: Record<string, AppRoleAssignmentRecord>;
  /** Directory role template id -> member user ids. */
  directoryRoleMembers: Record<string, string[]>;
}

export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName?: string;
  surname?: string;
  usageLocation?: string;
  accountEnabled: boolean;
  passwordHash?: string;
  forceChangePasswordNextSignIn?: boolean;
  /** Partner Center view: `active`, or `inactive` once soft-deleted. */
  state: "active" | "inactive";
  softDeletionTime?: string;
  createdDateTime: string;
  /** Partner tenants only: the user is an admin agent (member of AdminAgents). */
  adminAgent?: boolean;
  /** Whether this user's sign-ins carry MFA (for tests of the MFA requirement). */
  mfa?: boolean;
}

export interface DirectoryGroup {
  id: string;
  displayName: string;
  memberIds: string[];
  createdDateTime: string;
}

export interface PasswordCredentialRecord {
  keyId: string;
  displayName?: string;
  hint: string;
  secretHash: string;
  startDateTime: string;
  endDateTime: string;
}

export interface DirectoryApplication {
  /** Graph `application` resource as returned (without `passwordCredentials` secrets). */
  id: string;
  appId: string;
  /** The client-chosen alternate key, set only through the upsert address (`applications(uniqueName='…')`). */
  uniqueName?: string;
  displayName: string;
  signInAudience: string;
  createdDateTime: string;
  /** Everything else Graph returns for the application (web, api, requiredResourceAccess, identifierUris, tags, notes...). */
  properties: Record<string, unknown>;
  passwordCredentials: PasswordCredentialRecord[];
}

export interface DirectoryServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  /** Tenant that owns the application (multi-tenant apps: the partner tenant; first-party apps: Microsoft's). */
  appOwnerOrganizationId: string;
  createdDateTime: string;
  /** Delegated scopes this resource exposes (value -> id) and app roles (value -> id), for first-party resources. */
  oauth2PermissionScopes: { id: string; value: string }[];
  appRoles: { id: string; value: string }[];
  properties: Record<string, unknown>;
}

export interface OAuth2PermissionGrantRecord {
  id: string;
  clientId: string;
  consentType: "AllPrincipals" | "Principal";
  principalId: string | null;
  resourceId: string;
  scope: string;
}

export interface AppRoleAssignmentRecord {
  id: string;
  appRoleId: string;
  principalId: string;
  principalType: "User" | "Group" | "ServicePrincipal";
  principalDisplayName: string;
  resourceId: string;
  resourceDisplayName: string;
  createdDateTime: string;
}

export interface IdentityState {
  /** SHA-256 of refresh token -> record. */
  refreshTokens: Record<string, RefreshTokenRecord>;
  /** SHA-256 of authorization code -> record (single use, short-lived). */
  authorizationCodes: Record<string, AuthorizationCodeRecord>;
}

export interface RefreshTokenRecord {
  clientId: string;
  userId: string;
  /** Home tenant of the user. */
  tenantId: string;
  scopes: string[];
  mfa: boolean;
  issuedAt: string;
  expiresAt: string;
  revoked?: boolean;
}

export interface AuthorizationCodeRecord {
  clientId: string;
  userId: string;
  tenantId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge?: string;
  /** `S256` (default) or `plain`. */
  codeChallengeMethod?: "S256" | "plain";
  /** OpenID Connect nonce of the authorization request, returned in the id token. */
  nonce?: string;
  expiresAt: string;
  mfa: boolean;
}

export interface PartnerCenterState {
  /** Partner accounts by partner tenant id. */
  partners: Record<string, PartnerRecord>;
  /** Customers by customer tenant id. */
  customers: Record<string, CustomerRecord>;
  /**
   * Indirect provider - indirect reseller relationships (absent in a state saved before they were
   * modelled: none). See `partnerCenter/partnerRelationships.ts`.
   */
  indirectRelationships?: IndirectRelationshipRecord[];
  /** MS-RequestId -> stored response of a deduplicated POST. */
  idempotency: Record<
    string,
    { fingerprint: string; status: number; body: unknown; headers?: Record<string, string> }
  >;
  /** Module-private collections (carts, orders, subscriptions, agreements, consents...). */
  [section: string]: unknown;
}

export interface PartnerRecord {
  tenantId: string;
  /** MPN / partner id. */
  mpnId: string;
  companyName: string;
  /** `direct` (direct-bill), `indirectProvider` or `indirectReseller`. */
  kind: "direct" | "indirectProvider" | "indirectReseller";
  mpaAccepted: boolean;
  /** Billing account name for ARM (MPA billing scope). */
  billingAccountName: string;
}

/**
 * An indirect reseller's relationship with an indirect provider, as "Retrieve a list of indirect
 * resellers" (https://learn.microsoft.com/partner-center/developer/retrieve-a-list-of-indirect-resellers)
 * shows it from either side (`PartnerRelationship`: id, name, relationshipType, state, mpnId,
 * location).
 */
export interface IndirectRelationshipRecord {
  providerTenantId: string;
  resellerTenantId: string;
  /** `Active`, or `Inactive` once ended ([U]: the docs show only `Active`). */
  state: "Active" | "Inactive";
  createdDateTime: string;
}

export interface CustomerRecord {
  id: string;
  partnerTenantId: string;
  commerceId: string;
  /** Partner Center `Customer` JSON as returned by GET (companyProfile, billingProfile, relationshipToPartner...). */
  resource: Record<string, unknown>;
  createdDateTime: string;
}

export interface GdapRelationshipRecord {
  partnerTenantId: string;
  /** Graph `delegatedAdminRelationship` resource as returned. */
  resource: Record<string, unknown>;
  etag: string;
  /** Graph `delegatedAdminAccessAssignment` resources by id. */
  accessAssignments: Record<string, { resource: Record<string, unknown>; etag: string }>;
  requests: Record<string, Record<string, unknown>>;
}

export interface AzureState {
  /** Azure subscriptions by subscription id. */
  subscriptions: Record<string, AzureSubscriptionRecord>;
  /** Subscription aliases by alias name. */
  aliases: Record<string, Record<string, unknown>>;
  /** Role assignments by fully qualified id (lower-cased). */
  roleAssignments: Record<string, RoleAssignmentRecord>;
}

export interface AzureSubscriptionRecord {
  subscriptionId: string;
  displayName: string;
  /** Customer tenant the subscription belongs to. */
  tenantId: string;
  /** `Enabled`, `Disabled` (cancelled / suspended), `Deleted`, `Warned`, `PastDue`. */
  state: "Enabled" | "Disabled" | "Deleted" | "Warned" | "PastDue";
  workload: "Production" | "DevTest";
  /** Partner Center: partner tenant, customer id and Azure plan subscription id it is an entitlement of. */
  partnerTenantId: string;
  customerId: string;
  planSubscriptionId: string;
  /** Entitlement view of the Azure plan: `active` or `inactive` (cancelled). */
  entitlementStatus: "active" | "inactive";
  createdDateTime: string;
  /** When it was last cancelled (ARM cancel or Partner Center cancel); Azure deletes it 90 days later. */
  cancelledDateTime?: string;
  /** Resource groups in the subscription, by lower-cased name (what blocks a cancel). */
  resourceGroups?: Record<string, ResourceGroupRecord>;
}

export interface ResourceGroupRecord {
  name: string;
  location: string;
  tags?: Record<string, string>;
}

export interface RoleAssignmentRecord {
  id: string;
  name: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  principalType: string;
  description?: string;
  createdOn: string;
  updatedOn: string;
  createdBy: string;
}
