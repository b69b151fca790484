import { createHash, randomUUID } from "node:crypto";
import { FIRST_PARTY_APPS, MICROSOFT_SERVICES_TENANT_ID } from "../graph/firstParty";
import type {
  AppRoleAssignmentRecord,
  DirectoryGroup,
  DirectoryServicePrincipal,
  DirectoryTenant,
  DirectoryUser,
  EmulatorState,
  OAuth2PermissionGrantRecord,
} from "./state";

/**
 * Directory (Entra ID tenant) helpers shared by every emulated API: the seeding (H2), Partner
 * Center customer creation and consents (H3), Graph and ARM (H4) all create and look up directory
 * objects through these, so that one object is seen identically by every API.
 */

/** Input of {@link createTenant}. */
export interface CreateTenantInput {
  id: string;
  displayName: string;
  /** Initial domain, e.g. `contoso.onmicrosoft.com`. */
  domain: string;
  kind: "partner" | "customer";
}

/** A UUID derived from a name, so seeded first-party objects keep their ids across restarts. */
export function nameBasedUuid(name: string): string {
  const h = createHash("sha256").update(name).digest("hex");
  // RFC 4122 layout, version 5-like (name based), variant 10xx.
  const variant = ((Number.parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Creates a directory tenant in `state.directory` (replacing nothing: an existing tenant with the
 * same id is returned unchanged) with the first-party service principals of Microsoft Graph, Azure
 * Resource Manager, Partner Center and Azure AD Graph, as every real tenant has them.
 */
export function createTenant(state: EmulatorState, input: CreateTenantInput, now: Date): DirectoryTenant {
  const existing = state.directory[input.id];
  if (existing) return existing;
  const created = now.toISOString();
  const tenant: DirectoryTenant = {
    id: input.id,
    displayName: input.displayName,
    kind: input.kind,
    domains: [input.domain.toLowerCase()],
    createdDateTime: created,
    users: {},
    groups: {},
    applications: {},
    servicePrincipals: {},
    oauth2PermissionGrants: {},
    appRoleAssignments: {},
    directoryRoleMembers: {},
  };
  for (const app of FIRST_PARTY_APPS) {
    const id = nameBasedUuid(`sp:${input.id}:${app.appId}`);
    tenant.servicePrincipals[id] = {
      id,
      appId: app.appId,
      displayName: app.displayName,
      appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT_ID,
      createdDateTime: created,
      oauth2PermissionScopes: app.oauth2PermissionScopes.map((s) => ({ ...s })),
      appRoles: app.appRoles.map((r) => ({ ...r })),
      properties: {
        servicePrincipalNames: [app.appId, app.resourceUri],
        servicePrincipalType: "Application",
        tags: [],
      },
    };
  }
  state.directory[input.id] = tenant;
  return tenant;
}

/** User by user principal name (case-insensitive), or `undefined`. */
export function findUserByUpn(tenant: DirectoryTenant, upn: string): DirectoryUser | undefined {
  const wanted = upn.toLowerCase();
  return Object.values(tenant.users).find((u) => u.userPrincipalName.toLowerCase() === wanted);
}

/** Service principal of an application (by app id, case-insensitive) in a tenant, or `undefined`. */
export function findServicePrincipalByAppId(
  tenant: DirectoryTenant,
  appId: string,
): DirectoryServicePrincipal | undefined {
  const wanted = appId.toLowerCase();
  return Object.values(tenant.servicePrincipals).find((sp) => sp.appId.toLowerCase() === wanted);
}

/** Input of {@link addUser}. */
export interface AddUserInput {
  id?: string;
  userPrincipalName: string;
  displayName: string;
  givenName?: string;
  surname?: string;
  usageLocation?: string;
  accountEnabled?: boolean;
  /** SHA-256 hex of the password (never the password itself). */
  passwordHash?: string;
  forceChangePasswordNextSignIn?: boolean;
  adminAgent?: boolean;
  mfa?: boolean;
}

/** Adds a user (state `active`) to a tenant and returns it. */
export function addUser(tenant: DirectoryTenant, input: AddUserInput, now: Date): DirectoryUser {
  const user: DirectoryUser = {
    id: input.id ?? randomUUID(),
    userPrincipalName: input.userPrincipalName,
    displayName: input.displayName,
    accountEnabled: input.accountEnabled ?? true,
    state: "active",
    createdDateTime: now.toISOString(),
  };
  if (input.givenName !== undefined) user.givenName = input.givenName;
  if (input.surname !== undefined) user.surname = input.surname;
  if (input.usageLocation !== undefined) user.usageLocation = input.usageLocation;
  if (input.passwordHash !== undefined) user.passwordHash = input.passwordHash;
  if (input.forceChangePasswordNextSignIn !== undefined) {
    user.forceChangePasswordNextSignIn = input.forceChangePasswordNextSignIn;
  }
  if (input.adminAgent !== undefined) user.adminAgent = input.adminAgent;
  if (input.mfa !== undefined) user.mfa = input.mfa;
  tenant.users[user.id] = user;
  return user;
}

/** Adds a security group to a tenant and returns it. */
export function addGroup(
  tenant: DirectoryTenant,
  input: { id?: string; displayName: string; memberIds?: string[] },
  now: Date,
): DirectoryGroup {
  const group: DirectoryGroup = {
    id: input.id ?? randomUUID(),
    displayName: input.displayName,
    memberIds: [...(input.memberIds ?? [])],
    createdDateTime: now.toISOString(),
  };
  tenant.groups[group.id] = group;
  return group;
}

/** Adds a member (user, group or service principal id) to a group, once. */
export function addGroupMember(group: DirectoryGroup, memberId: string): void {
  if (!group.memberIds.includes(memberId)) group.memberIds.push(memberId);
}

/** Input of {@link addServicePrincipal}. */
export interface AddServicePrincipalInput {
  id?: string;
  appId: string;
  displayName: string;
  appOwnerOrganizationId: string;
  properties?: Record<string, unknown>;
}

/**
 * Adds a service principal for a (non first-party) application to a tenant, or returns the
 * existing one for that app id: a tenant has at most one service principal per application.
 */
export function addServicePrincipal(
  tenant: DirectoryTenant,
  input: AddServicePrincipalInput,
  now: Date,
): DirectoryServicePrincipal {
  const existing = findServicePrincipalByAppId(tenant, input.appId);
  if (existing) return existing;
  const sp: DirectoryServicePrincipal = {
    id: input.id ?? randomUUID(),
    appId: input.appId,
    displayName: input.displayName,
    appOwnerOrganizationId: input.appOwnerOrganizationId,
    createdDateTime: now.toISOString(),
    oauth2PermissionScopes: [],
    appRoles: [],
    properties: {
      servicePrincipalNames: [input.appId],
      servicePrincipalType: "Application",
      tags: [],
      ...input.properties,
    },
  };
  tenant.servicePrincipals[sp.id] = sp;
  return sp;
}

/**
 * Adds (or merges scopes into) the delegated permission grant of `clientId` on `resourceId` for
 * all principals, as an admin consent does. Returns the grant.
 */
export function grantDelegatedScopes(
  tenant: DirectoryTenant,
  input: { clientId: string; resourceId: string; scopes: string[]; id?: string },
): OAuth2PermissionGrantRecord {
  const existing = Object.values(tenant.oauth2PermissionGrants).find(
    (g) =>
      g.clientId === input.clientId && g.resourceId === input.resourceId && g.consentType === "AllPrincipals",
  );
  if (existing) {
    const merged = new Set(existing.scope.split(" ").filter((s) => s.length > 0));
    for (const s of input.scopes) merged.add(s);
    existing.scope = [...merged].join(" ");
    return existing;
  }
  const grant: OAuth2PermissionGrantRecord = {
    id: input.id ?? grantId(),
    clientId: input.clientId,
    consentType: "AllPrincipals",
    principalId: null,
    resourceId: input.resourceId,
    scope: input.scopes.join(" "),
  };
  tenant.oauth2PermissionGrants[grant.id] = grant;
  return grant;
}

/** Grants an app role of a resource service principal to a principal, once. Returns the assignment. */
export function assignAppRole(
  tenant: DirectoryTenant,
  input: { principalId: string; resourceId: string; appRoleId: string; id?: string },
  now: Date,
): AppRoleAssignmentRecord {
  const existing = Object.values(tenant.appRoleAssignments).find(
    (a) =>
      a.principalId === input.principalId &&
      a.resourceId === input.resourceId &&
      a.appRoleId === input.appRoleId,
  );
  if (existing) return existing;
  const principal = findPrincipal(tenant, input.principalId);
  const resource = tenant.servicePrincipals[input.resourceId];
  const record: AppRoleAssignmentRecord = {
    id: input.id ?? grantId(),
    appRoleId: input.appRoleId,
    principalId: input.principalId,
    principalType: principal?.type ?? "ServicePrincipal",
    principalDisplayName: principal?.displayName ?? "",
    resourceId: input.resourceId,
    resourceDisplayName: resource?.displayName ?? "",
    createdDateTime: now.toISOString(),
  };
  tenant.appRoleAssignments[record.id] = record;
  return record;
}

/** A directory principal (what ARM role assignments and app role assignments point at). */
export interface PrincipalInfo {
  id: string;
  type: "User" | "Group" | "ServicePrincipal";
  displayName: string;
  createdDateTime: string;
}

/** Looks up a user, group or service principal by object id. */
export function findPrincipal(tenant: DirectoryTenant, id: string): PrincipalInfo | undefined {
  const user = tenant.users[id];
  if (user) return { id, type: "User", displayName: user.displayName, createdDateTime: user.createdDateTime };
  const group = tenant.groups[id];
  if (group)
    return { id, type: "Group", displayName: group.displayName, createdDateTime: group.createdDateTime };
  const sp = tenant.servicePrincipals[id];
  if (sp)
    return { id, type: "ServicePrincipal", displayName: sp.displayName, createdDateTime: sp.createdDateTime };
  return undefined;
}

/**
 * Graph ids of oauth2PermissionGrants and appRoleAssignments are opaque base64url strings (not
 * GUIDs) in the real service; the emulator mimics the shape with 32 random bytes encoded base64url.
 */
export function grantId(): string {
  return Buffer.from(randomUUID().replace(/-/g, "") + randomUUID().replace(/-/g, ""), "hex")
    .toString("base64url")
    .slice(0, 43);
}
