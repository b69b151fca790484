import { createHash, randomBytes, randomInt, randomUUID, X509Certificate } from "node:crypto";
import {
  addGroup,
  addServicePrincipal,
  addUser,
  createTenant,
  findServicePrincipalByAppId,
  grantDelegatedScopes,
  nameBasedUuid,
} from "../common/directory";
import { ENTRA_ROLES } from "../common/entraRoles";
import { hashSecret } from "../common/hashSecret";
import type { DirectoryApplication, EmulatorState } from "../common/state";
import { ARM_APP_ID, GRAPH_APP_ID, graphScopeId, PARTNER_CENTER_APP_ID } from "../graph/firstParty";
import { REFRESH_TOKEN_LIFETIME_MS } from "./tokenEndpoint";

/**
 * One seeded partner account: the ids and credentials a program needs. Generated once (per data
 * directory) and re-applied on every reset, so the printed `env` stays valid.
 */
export interface SeedAccount {
  /** Account name: `default`, or e.g. `eu` (environment variables `CSP_ACCOUNT_EU_*`). */
  name: string;
  partnerTenantId: string;
  partnerDomain: string;
  partnerCompanyName: string;
  partnerMpnId: string;
  billingAccountName: string;
  /**
   * The partner's place in the CSP program: `direct` (direct-bill, the default), `indirectProvider`
   * or `indirectReseller`.
   */
  partnerKind?: "direct" | "indirectProvider" | "indirectReseller";
  /** An indirect reseller's indirect provider (partner tenant id), linked by an active relationship. */
  indirectProviderTenantId?: string;
  /** Partner multi-tenant app (client id) and its application object id. */
  clientId: string;
  appObjectId: string;
  appServicePrincipalId: string;
  clientSecret: string;
  clientSecretKeyId: string;
  adminAgentUserId: string;
  adminAgentUpn: string;
  adminAgentsGroupId: string;
  /**
   * Partner security group "GDAP Customer Administrators": the admin agent is a member. A program
   * gives it roles in a customer with a GDAP access assignment (see {@link seededSecurityGroups}).
   */
  gdapAdminsGroupId: string;
  /** Partner security group "GDAP Helpdesk Agents": no members (the admin agent is not in it). */
  gdapHelpdeskGroupId: string;
  /** Refresh token of the admin agent for the partner app (MFA'd sign-in). */
  refreshToken: string;
  /**
   * PEM (private key, then certificate) of a client certificate registered on the partner app, for
   * certificate-based client authentication (`CSP_CLIENT_CERTIFICATE_PATH` instead of the secret).
   */
  clientCertificatePem?: string;
  /** File holding `clientCertificatePem` (mode 0600), written on every start. */
  clientCertificatePath?: string;
}

const SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.~";

/** A client secret shaped like Entra's (40 characters, `Q~` at positions 4-5). */
function newClientSecret(): string {
  const pick = (n: number) =>
    Array.from({ length: n }, () => SECRET_ALPHABET[randomInt(SECRET_ALPHABET.length)]).join("");
  return `${pick(3)}8Q~${pick(34)}`;
}

const NAMES: Record<string, { company: string; label: string }> = {
  default: { company: "Contoso Partner", label: "contosopartner" },
  eu: { company: "Contoso Partner EU", label: "contosopartnereu" },
  indirect: { company: "Wingtip Distribution", label: "wingtipdistribution" },
  reseller: { company: "Fourth Coffee Reseller", label: "fourthcoffeereseller" },
};

/** What kind of partner a seeded account is, and (for an indirect reseller) whose. */
export interface SeedPartnerKind {
  partnerKind?: SeedAccount["partnerKind"];
  indirectProviderTenantId?: string;
}

/** New random ids and credentials for a partner account. */
export function generateSeedAccount(
  name: string,
  clientCertificatePem?: string,
  kind: SeedPartnerKind = {},
): SeedAccount {
  const known = NAMES[name] ?? { company: `Partner ${name}`, label: `partner${name.toLowerCase()}` };
  const partnerTenantId = randomUUID();
  const domain = `${known.label}${randomInt(1000, 9999)}.onmicrosoft.com`;
  return {
    name,
    partnerTenantId,
    partnerDomain: domain,
    partnerCompanyName: known.company,
    partnerMpnId: String(randomInt(1_000_000, 9_999_999)),
    billingAccountName: `${randomUUID()}:${randomUUID()}_2019-05-31`,
    ...(kind.partnerKind ? { partnerKind: kind.partnerKind } : {}),
    ...(kind.indirectProviderTenantId ? { indirectProviderTenantId: kind.indirectProviderTenantId } : {}),
    clientId: randomUUID(),
    appObjectId: randomUUID(),
    appServicePrincipalId: randomUUID(),
    clientSecret: newClientSecret(),
    clientSecretKeyId: randomUUID(),
    adminAgentUserId: randomUUID(),
    adminAgentUpn: `admin@${domain}`,
    adminAgentsGroupId: randomUUID(),
    ...seededSecurityGroupIds(partnerTenantId),
    refreshToken: `0.A${randomBytes(48).toString("base64url")}`,
    ...(clientCertificatePem ? { clientCertificatePem } : {}),
  };
}

/**
 * Ids of the seeded GDAP security groups, derived from the partner tenant id: stable across resets
 * and restarts, and the same for seed files written before these groups existed.
 */
export function seededSecurityGroupIds(
  partnerTenantId: string,
): Pick<SeedAccount, "gdapAdminsGroupId" | "gdapHelpdeskGroupId"> {
  return {
    gdapAdminsGroupId: nameBasedUuid(`gdap-group:${partnerTenantId}:admins`),
    gdapHelpdeskGroupId: nameBasedUuid(`gdap-group:${partnerTenantId}:helpdesk`),
  };
}

/**
 * The partner security groups seeded for GDAP access assignments, which give a relationship's roles
 * to the members of a security group of the partner tenant ("Granular delegated admin privileges
 * (GDAP) API overview", https://learn.microsoft.com/graph/api/resources/delegatedadminrelationships-api-overview):
 * one the admin agent is a member of, one without members.
 */
export function seededSecurityGroups(
  account: SeedAccount,
): { id: string; displayName: string; memberIds: string[] }[] {
  const ids = seededSecurityGroupIds(account.partnerTenantId);
  return [
    {
      id: ids.gdapAdminsGroupId,
      displayName: "GDAP Customer Administrators",
      memberIds: [account.adminAgentUserId],
    },
    { id: ids.gdapHelpdeskGroupId, displayName: "GDAP Helpdesk Agents", memberIds: [] },
  ];
}

/** Graph `keyCredential` of a PEM certificate (the emulator keeps `key` to verify client assertions). */
function keyCredential(pem: string, now: Date): Record<string, unknown> | undefined {
  const match = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (!match) return undefined;
  const cert = new X509Certificate(match[0]);
  return {
    customKeyIdentifier: createHash("sha1").update(cert.raw).digest("hex").toUpperCase(),
    displayName: cert.subject.replace(/\n/g, ", "),
    endDateTime: new Date(cert.validTo).toISOString(),
    key: cert.raw.toString("base64"),
    keyId: nameBasedUuid(`keyCredential:${cert.fingerprint256}`),
    startDateTime: now.toISOString(),
    type: "AsymmetricX509Cert",
    usage: "Verify",
  };
}

/** Delegated scopes the partner app is consented to in its own tenant (and uses admin-on-behalf-of). */
const PARTNER_GRAPH_SCOPES = [
  "User.Read",
  "Directory.Read.All",
  "Group.Read.All",
  "Application.ReadWrite.All",
  "DelegatedAdminRelationship.ReadWrite.All",
];

/**
 * Adds a seeded partner account to `state`: the partner tenant (with first-party service
 * principals), the Partner Center partner record (direct-bill unless the account says otherwise,
 * MPA accepted; an indirect reseller with its active relationship to its provider), the partner's
 * multi-tenant app with one client secret, its service principal and delegated grants (Partner
 * Center, ARM `user_impersonation`, Graph incl. `DelegatedAdminRelationship.ReadWrite.All`), an
 * MFA-enabled admin agent (Global Administrator) in the AdminAgents group and in the seeded GDAP
 * security group "GDAP Customer Administrators" (see {@link seededSecurityGroups}), and the admin
 * agent's refresh token for the app.
 */
export function seedWorld(state: EmulatorState, account: SeedAccount, now: Date): void {
  const tenant = createTenant(
    state,
    {
      id: account.partnerTenantId,
      displayName: account.partnerCompanyName,
      domain: account.partnerDomain,
      kind: "partner",
    },
    now,
  );
  state.partnerCenter.partners[account.partnerTenantId] = {
    tenantId: account.partnerTenantId,
    mpnId: account.partnerMpnId,
    companyName: account.partnerCompanyName,
    kind: account.partnerKind ?? "direct",
    mpaAccepted: true,
    billingAccountName: account.billingAccountName,
  };
  if (account.indirectProviderTenantId) {
    state.partnerCenter.indirectRelationships ??= [];
    state.partnerCenter.indirectRelationships.push({
      providerTenantId: account.indirectProviderTenantId,
      resellerTenantId: account.partnerTenantId,
      state: "Active",
      createdDateTime: now.toISOString(),
    });
  }
  const created = now.toISOString();
  const scopeId = (resource: string, value: string) =>
    resource === GRAPH_APP_ID
      ? graphScopeId(value)
      : findServicePrincipalByAppId(tenant, resource)?.oauth2PermissionScopes.find((s) => s.value === value)
          ?.id;
  const requiredResourceAccess = [
    { resourceAppId: PARTNER_CENTER_APP_ID, scopes: ["user_impersonation"] },
    { resourceAppId: ARM_APP_ID, scopes: ["user_impersonation"] },
    { resourceAppId: GRAPH_APP_ID, scopes: PARTNER_GRAPH_SCOPES },
  ].map((r) => ({
    resourceAppId: r.resourceAppId,
    resourceAccess: r.scopes
      .map((s) => scopeId(r.resourceAppId, s))
      .filter((id): id is string => typeof id === "string")
      .map((id) => ({ id, type: "Scope" })),
  }));
  const app: DirectoryApplication = {
    id: account.appObjectId,
    appId: account.clientId,
    displayName: `${account.partnerCompanyName} CSP automation`,
    signInAudience: "AzureADMultipleOrgs",
    createdDateTime: created,
    properties: {
      publisherDomain: account.partnerDomain,
      identifierUris: [],
      tags: [],
      keyCredentials: account.clientCertificatePem
        ? [keyCredential(account.clientCertificatePem, now)].filter((k) => k !== undefined)
        : [],
      requiredResourceAccess,
      web: {
        redirectUris: ["http://localhost", "https://localhost"],
        implicitGrantSettings: { enableIdTokenIssuance: false, enableAccessTokenIssuance: false },
      },
      publicClient: { redirectUris: [] },
      spa: { redirectUris: [] },
      api: { requestedAccessTokenVersion: null, oauth2PermissionScopes: [] },
    },
    passwordCredentials: [
      {
        keyId: account.clientSecretKeyId,
        displayName: "emulator seed",
        hint: account.clientSecret.slice(0, 3),
        secretHash: hashSecret(account.clientSecret),
        startDateTime: created,
        endDateTime: new Date(now.getTime() + 2 * 365 * 24 * 3600_000).toISOString(),
      },
    ],
  };
  tenant.applications[app.id] = app;
  const sp = addServicePrincipal(
    tenant,
    {
      id: account.appServicePrincipalId,
      appId: account.clientId,
      displayName: app.displayName,
      appOwnerOrganizationId: account.partnerTenantId,
    },
    now,
  );
  for (const r of requiredResourceAccess) {
    const resource = findServicePrincipalByAppId(tenant, r.resourceAppId);
    if (!resource) continue;
    const scopes = r.resourceAccess
      .map((a) => resource.oauth2PermissionScopes.find((s) => s.id === a.id)?.value)
      .filter((v): v is string => typeof v === "string");
    grantDelegatedScopes(tenant, { clientId: sp.id, resourceId: resource.id, scopes });
  }
  addUser(
    tenant,
    {
      id: account.adminAgentUserId,
      userPrincipalName: account.adminAgentUpn,
      displayName: "Admin Agent",
      givenName: "Admin",
      surname: "Agent",
      usageLocation: "US",
      adminAgent: true,
      mfa: true,
    },
    now,
  );
  addGroup(
    tenant,
    { id: account.adminAgentsGroupId, displayName: "AdminAgents", memberIds: [account.adminAgentUserId] },
    now,
  );
  for (const group of seededSecurityGroups(account)) addGroup(tenant, group, now);
  tenant.directoryRoleMembers[ENTRA_ROLES.globalAdministrator.id] = [account.adminAgentUserId];
  state.identity.refreshTokens[hashSecret(account.refreshToken)] = {
    clientId: account.clientId,
    userId: account.adminAgentUserId,
    tenantId: account.partnerTenantId,
    scopes: ["https://api.partnercenter.microsoft.com/user_impersonation"],
    mfa: true,
    issuedAt: created,
    expiresAt: new Date(now.getTime() + REFRESH_TOKEN_LIFETIME_MS).toISOString(),
  };
}
