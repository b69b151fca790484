import { createHash, randomBytes } from "node:crypto";
import { findServicePrincipalByAppId } from "../common/directory";
import { DEFAULT_TOKEN_LIFETIME_SECONDS } from "../common/emulatorRuntime";
import { hashSecret } from "../common/hashSecret";
import type { DirectoryTenant, RefreshTokenRecord } from "../common/state";
import type { TokenSigner } from "../common/tokenSigner";
import type { EmulatorCore, EmuRequest, EmuResponse } from "../common/types";
import { aadError } from "./aadError";
import { authenticateClient } from "./clientAuthentication";
import {
  type AppWithHome,
  findApplication,
  findUserById,
  OIDC_SCOPES,
  parseResourceScope,
  resolveTenant,
  type UserWithHome,
} from "./directoryLookup";
import {
  appNotFound,
  type Form,
  invalidScope,
  isForm,
  missing,
  parseScopes,
  type TokenContext,
  unknownTenant,
} from "./tokenRequest";

/** Refresh tokens of confidential clients live 90 days (Entra's inactivity lifetime). */
export const REFRESH_TOKEN_LIFETIME_MS = 90 * 24 * 3600_000;

function newOpaqueToken(): string {
  // Entra refresh tokens are opaque; the `0.A` prefix mimics their look.
  return `0.A${randomBytes(48).toString("base64url")}`;
}

/**
 * `POST /{tenant}/oauth2/v2.0/token` ("Microsoft identity platform and the OAuth 2.0 client
 * credentials flow",
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow; the auth
 * code and refresh flows: "Microsoft identity platform and OAuth 2.0 authorization code flow",
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow): client_credentials
 * (secret or certificate assertion), refresh_token (rotating) and authorization_code (with PKCE).
 * Unknown form fields and query parameters (msal's `x-client-*`, telemetry, `client-request-id`)
 * are ignored.
 */
export function handleTokenRequest(req: EmuRequest, emu: EmulatorCore, signer: TokenSigner): EmuResponse {
  const now = emu.now();
  const form: Form = isForm(req.body) ? req.body : {};
  const grantType = form.grant_type;
  if (!grantType) return missing({ req, now }, "grant_type");
  let clientId = form.client_id;
  if (!clientId) {
    const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    if (m) clientId = decodeURIComponent(Buffer.from(m[1], "base64").toString("utf8").split(":")[0]);
  }
  if (!clientId) return missing({ req, now }, "client_id");
  const tenantRef = resolveTenant(emu.state, req.params.tenant);
  if (tenantRef.kind === "unknown") return unknownTenant(req, now, tenantRef.name);
  const ctx: TokenContext = { req, emu, signer, form, now, clientId, tenantRef };
  switch (grantType) {
    case "client_credentials":
      return clientCredentials(ctx);
    case "refresh_token":
      return refreshTokenGrant(ctx);
    case "authorization_code":
      return authorizationCodeGrant(ctx);
    default:
      return aadError(
        req,
        now,
        "unsupported_grant_type",
        70003,
        `The app requested an unsupported grant type '${grantType}'.`,
      );
  }
}

function clientCredentials(ctx: TokenContext): EmuResponse {
  const { req, emu, form, now, clientId, tenantRef } = ctx;
  if (tenantRef.kind !== "tenant") {
    // [U] Entra rejects the client credentials grant on /common and /organizations; exact code unconfirmed.
    return aadError(
      req,
      now,
      "invalid_request",
      900023,
      `Specified tenant identifier '${req.params.tenant}' is neither a valid DNS name, nor a valid external domain.`,
    );
  }
  const tenant = tenantRef.tenant;
  const found = findApplication(emu.state, clientId);
  const sp = findServicePrincipalByAppId(tenant, clientId);
  // A client credentials token exists only where the app has a service principal: its home
  // tenant, or a customer tenant after consent (Partner Center application consent).
  if (!found || !sp) return appNotFound(ctx, tenant.displayName);
  const failure = authenticateClient(req, form, found, now, false);
  if (failure) return failure;
  const scope = form.scope;
  if (!scope) return missing(ctx, "scope");
  const parsed = parseScopes(ctx, scope);
  if (!parsed.ok) return parsed.response;
  const { resource, permissions } = parsed.value;
  if (!resource) return invalidScope(ctx, scope);
  if (permissions.length !== 1 || permissions[0] !== ".default") {
    return aadError(
      req,
      now,
      "invalid_scope",
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const resourceSp = findServicePrincipalByAppId(tenant, resource.appId);
  if (!resourceSp) {
    return aadError(
      req,
      now,
      "invalid_resource",
      500011,
      `The resource principal named ${resource.resourceUri} was not found in the tenant named ${tenant.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    );
  }
  // roles = the values of the app roles of this resource assigned to the app's service principal here.
  const roles = Object.values(tenant.appRoleAssignments)
    .filter((a) => a.principalId === sp.id && a.resourceId === resourceSp.id)
    .map((a) => resourceSp.appRoles.find((r) => r.id === a.appRoleId)?.value)
    .filter((v): v is string => typeof v === "string");
  const accessToken = emu.signToken({
    aud: resource.resourceUri,
    tid: tenant.id,
    appid: clientId,
    idtyp: "app",
    oid: sp.id,
    ...(roles.length > 0 ? { roles } : {}),
  });
  return {
    status: 200,
    body: {
      token_type: "Bearer",
      expires_in: DEFAULT_TOKEN_LIFETIME_SECONDS,
      ext_expires_in: DEFAULT_TOKEN_LIFETIME_SECONDS,
      access_token: accessToken,
    },
  };
}

function refreshTokenGrant(ctx: TokenContext): EmuResponse {
  const { req, emu, form, now, clientId } = ctx;
  const token = form.refresh_token;
  if (!token) return missing(ctx, "refresh_token");
  const record = emu.state.identity.refreshTokens[hashSecret(token)];
  if (!record) {
    return aadError(req, now, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.");
  }
  if (record.clientId.toLowerCase() !== clientId.toLowerCase()) {
    return aadError(
      req,
      now,
      "invalid_grant",
      70000,
      "Provided grant is invalid or malformed. The refresh token was issued to a different client.",
    );
  }
  if (record.revoked) {
    return aadError(
      req,
      now,
      "invalid_grant",
      50173,
      `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${record.issuedAt}'.`,
    );
  }
  if (Date.parse(record.expiresAt) <= now.getTime()) {
    return aadError(
      req,
      now,
      "invalid_grant",
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${record.issuedAt} and was inactive for 90.00:00:00.`,
    );
  }
  const found = findApplication(emu.state, clientId);
  if (!found) return appNotFound(ctx, record.tenantId);
  const failure = authenticateClient(req, form, found, now, true);
  if (failure) return failure;
  const user = findUserById(emu.state, record.userId);
  if (!user) return userNotFound(ctx, record.tenantId);
  return issueUserTokens(ctx, found, user, record.mfa, form.scope ?? record.scopes.join(" "));
}

function authorizationCodeGrant(ctx: TokenContext): EmuResponse {
  const { req, emu, form, now, clientId } = ctx;
  const code = form.code;
  if (!code) return missing(ctx, "code");
  const key = hashSecret(code);
  const record = emu.state.identity.authorizationCodes[key];
  if (!record) {
    return aadError(req, now, "invalid_grant", 70000, "Provided grant is invalid or malformed.");
  }
  // Single use: the code is gone whatever happens next.
  delete emu.state.identity.authorizationCodes[key];
  emu.markDirty();
  if (Date.parse(record.expiresAt) <= now.getTime()) {
    return aadError(
      req,
      now,
      "invalid_grant",
      70008,
      "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
    );
  }
  if (record.clientId.toLowerCase() !== clientId.toLowerCase()) {
    return aadError(req, now, "invalid_grant", 70000, "Provided grant is invalid or malformed.");
  }
  if (form.redirect_uri !== record.redirectUri) {
    // [U] exact code of a redirect_uri mismatch at redemption.
    return aadError(
      req,
      now,
      "invalid_grant",
      70000,
      "Provided grant is invalid or malformed. The redirect_uri does not match the one used to obtain the authorization code.",
    );
  }
  if (record.codeChallenge) {
    const verifier = form.code_verifier ?? "";
    const computed =
      record.codeChallengeMethod === "plain"
        ? verifier
        : createHash("sha256").update(verifier).digest("base64url");
    if (!verifier || computed !== record.codeChallenge) {
      return aadError(
        req,
        now,
        "invalid_grant",
        501481,
        "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
      );
    }
  }
  const found = findApplication(emu.state, clientId);
  if (!found) return appNotFound(ctx, record.tenantId);
  const failure = authenticateClient(req, form, found, now, true);
  if (failure) return failure;
  const user = findUserById(emu.state, record.userId);
  if (!user) return userNotFound(ctx, record.tenantId);
  return issueUserTokens(ctx, found, user, record.mfa, form.scope ?? record.scopes.join(" "), record.nonce);
}

function userNotFound(ctx: TokenContext, tenantName: string): EmuResponse {
  return aadError(
    ctx.req,
    ctx.now,
    "invalid_grant",
    50034,
    `The user account does not exist in the ${tenantName} directory. To sign into this application, the account must be added to the directory.`,
  );
}

/** Delegated scopes granted (admin consent for all principals, or this user) to a client on a resource in a tenant. */
function grantedScopes(
  tenant: DirectoryTenant,
  clientAppId: string,
  resourceAppId: string,
  userId: string,
): string[] {
  const client = findServicePrincipalByAppId(tenant, clientAppId);
  const resource = findServicePrincipalByAppId(tenant, resourceAppId);
  if (!client || !resource) return [];
  const scopes = new Set<string>();
  for (const g of Object.values(tenant.oauth2PermissionGrants)) {
    if (g.clientId !== client.id || g.resourceId !== resource.id) continue;
    if (g.consentType === "Principal" && g.principalId !== userId) continue;
    for (const s of g.scope.split(" ")) if (s) scopes.add(s);
  }
  return [...scopes];
}

/**
 * Issues the access token (and refresh token, id token, client_info) of a user flow. The target
 * tenant is the authority's tenant: the user's home tenant, or (admin-on-behalf-of) a customer
 * tenant of the user's partner, where the token gets `tid` = customer, `oid` = the partner user
 * and `idp` = the partner tenant's issuer.
 */
function issueUserTokens(
  ctx: TokenContext,
  found: AppWithHome,
  { user, home }: UserWithHome,
  mfa: boolean,
  scope: string,
  nonce?: string,
): EmuResponse {
  const { req, emu, form, now, clientId, tenantRef, signer } = ctx;
  if (!user.accountEnabled || user.state !== "active") {
    return aadError(req, now, "invalid_grant", 50057, "The user account is disabled.");
  }
  let target = home;
  let onBehalfOf = false;
  if (tenantRef.kind === "tenant" && tenantRef.tenant.id !== home.id) {
    target = tenantRef.tenant;
    const customer = emu.state.partnerCenter.customers[target.id];
    if (!customer || customer.partnerTenantId !== home.id) {
      return aadError(
        req,
        now,
        "invalid_grant",
        50020,
        `User account '${user.userPrincipalName}' from identity provider 'https://sts.windows.net/${home.id}/' does not exist in tenant '${target.displayName}' and cannot access the application '${clientId}'(${found.app.displayName}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`,
      );
    }
    onBehalfOf = true;
  }
  const parsed = parseScopes(ctx, scope);
  if (!parsed.ok) return parsed.response;
  const { oidc } = parsed.value;
  let { resource, permissions } = parsed.value;
  if (!resource) {
    // Only OIDC scopes asked: Entra returns a Microsoft Graph token for User.Read.
    const graph = parseResourceScope("User.Read");
    resource = graph!.resource;
    permissions = ["User.Read"];
  }
  let scp: string[];
  if (permissions.includes(".default")) {
    scp = grantedScopes(target, clientId, resource.appId, user.id);
    // Admin-on-behalf-of: the partner app acts with the permissions consented in the partner tenant
    // when it has no service principal of its own in the customer tenant.
    if (scp.length === 0 && onBehalfOf && !findServicePrincipalByAppId(target, clientId)) {
      scp = grantedScopes(home, clientId, resource.appId, user.id);
    }
    if (scp.length === 0) {
      return aadError(
        req,
        now,
        "invalid_grant",
        65001,
        `The user or administrator has not consented to use the application with ID '${clientId}' named '${found.app.displayName}'. Send an interactive authorization request for this user and resource.`,
      );
    }
  } else {
    // Explicit scopes: the emulator's signed-in admin consents to any scope the resource exposes.
    scp = [];
    for (const p of permissions) {
      const known = resource.oauth2PermissionScopes.find((s) => s.value.toLowerCase() === p.toLowerCase());
      if (!known) return invalidScope(ctx, scope);
      scp.push(known.value);
    }
  }
  const amr = mfa ? ["pwd", "mfa"] : ["pwd"];
  const accessToken = emu.signToken({
    aud: resource.resourceUri,
    tid: target.id,
    appid: clientId,
    idtyp: "user",
    oid: user.id,
    scp: scp.join(" "),
    amr,
    upn: user.userPrincipalName,
    ...(onBehalfOf ? { idp: `https://sts.windows.net/${home.id}/` } : {}),
  });
  const resourcePrefix = resource.resourceUri.replace(/\/+$/, "");
  const isGraph = resource.appId === "00000003-0000-0000-c000-000000000000";
  const grantedScope = [
    ...scp.map((s) => (isGraph ? s : `${resourcePrefix}/${s}`)),
    ...oidc.filter((s) => s !== "offline_access"),
  ];
  const body: Record<string, unknown> = {
    token_type: "Bearer",
    scope: grantedScope.join(" "),
    expires_in: DEFAULT_TOKEN_LIFETIME_SECONDS,
    ext_expires_in: DEFAULT_TOKEN_LIFETIME_SECONDS,
    access_token: accessToken,
  };
  if (oidc.includes("offline_access")) {
    // Rotation: each redemption returns a new refresh token; the old one stays valid until it expires.
    const refreshToken = newOpaqueToken();
    const record: RefreshTokenRecord = {
      clientId,
      userId: user.id,
      tenantId: home.id,
      scopes: scope.split(/\s+/).filter((s) => s && !OIDC_SCOPES.has(s.toLowerCase())),
      mfa,
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + REFRESH_TOKEN_LIFETIME_MS).toISOString(),
    };
    emu.state.identity.refreshTokens[hashSecret(refreshToken)] = record;
    emu.markDirty();
    body.refresh_token = refreshToken;
    body.refresh_token_expires_in = REFRESH_TOKEN_LIFETIME_MS / 1000;
  }
  if (oidc.includes("openid")) {
    const iat = Math.floor(now.getTime() / 1000);
    body.id_token = signer.sign({
      aud: clientId,
      iss: `${req.baseUrl}/${target.id}/v2.0`,
      iat,
      nbf: iat,
      exp: iat + 3600,
      name: user.displayName,
      oid: user.id,
      preferred_username: user.userPrincipalName,
      sub: createHash("sha256").update(`${user.id}:${clientId}`).digest("base64url").slice(0, 43),
      tid: target.id,
      ver: "2.0",
      ...(nonce ? { nonce } : {}),
      ...(onBehalfOf ? { idp: `https://sts.windows.net/${home.id}/` } : {}),
    });
  }
  if (form.client_info === "1") {
    body.client_info = Buffer.from(JSON.stringify({ uid: user.id, utid: home.id })).toString("base64url");
  }
  return { status: 200, body };
}

/**
 * `POST /{tenant}/oauth2/token`, the v1 endpoint Partner Center's own samples still use ("Partner
 * Center authentication",
 * https://learn.microsoft.com/partner-center/developer/partner-center-authentication; "Enable
 * secure application model",
 * https://learn.microsoft.com/partner-center/developer/enable-secure-app-model): `resource=`
 * instead of `scope`, and numbers as strings plus `expires_on`, `not_before` and `resource` in the
 * answer.
 */
export function handleV1TokenRequest(req: EmuRequest, emu: EmulatorCore, signer: TokenSigner): EmuResponse {
  const form: Form = isForm(req.body) ? { ...req.body } : {};
  const resource = form.resource;
  if (resource && !form.scope) {
    const resourceScope = `${resource.replace(/\/+$/, "")}/.default`;
    form.scope =
      form.grant_type === "client_credentials" ? resourceScope : `${resourceScope} openid offline_access`;
  }
  const response = handleTokenRequest({ ...req, body: form }, emu, signer);
  if (response.status !== 200 || !isForm(response.body)) return response;
  const v2 = response.body as Record<string, unknown>;
  const now = Math.floor(emu.now().getTime() / 1000);
  const lifetime = Number(v2.expires_in);
  const v1: Record<string, unknown> = {
    token_type: "Bearer",
    ...(typeof v2.scope === "string"
      ? {
          scope: v2.scope
            .split(" ")
            .map((s) => s.slice(s.lastIndexOf("/") + 1))
            .join(" "),
        }
      : {}),
    expires_in: String(lifetime),
    ext_expires_in: String(lifetime),
    expires_on: String(now + lifetime),
    not_before: String(now - 300),
    resource: resource ?? "",
    access_token: v2.access_token,
  };
  if (v2.refresh_token) v1.refresh_token = v2.refresh_token;
  if (v2.id_token) v1.id_token = v2.id_token;
  return { ...response, body: v1 };
}
