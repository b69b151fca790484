import { createHash, randomBytes } from "node:crypto";
import { findServicePrincipalByAppId } from "../common/directory";
import { DEFAULT_TOKEN_LIFETIME_SECONDS } from "../common/emulatorRuntime";
import { hashSecret } from "../common/hashSecret";
import type { DirectoryTenant, RefreshTokenRecord } from "../common/state";
import type { TokenSigner } from "../common/tokenSigner";
import type { EmulatorCore, EmuRequest, EmuResponse, Route } from "../common/types";
import { authenticateClient, basicClientId } from "./clientAuthentication";
import {
  type AppWithHome,
  findApplication,
  findUserById,
  OIDC_SCOPES,
  parseResourceScope,
  resolveTenant,
  type UserWithHome,
} from "./directoryLookup";
import { loginErrors } from "./loginErrors";
import { loginRoute } from "./loginRoute";
import { type Form, isForm, parseScopes, type TokenContext } from "./tokenRequest";

/** Refresh tokens of confidential clients live 90 days (Entra's inactivity lifetime). */
export const REFRESH_TOKEN_LIFETIME_MS = 90 * 24 * 3600_000;

function newOpaqueToken(): string {
  // Entra refresh tokens are opaque; the `0.A` prefix mimics their look.
  return `0.A${randomBytes(48).toString("base64url")}`;
}

/** The token endpoints, v2 and v1 (no bearer token: the client authenticates in the form). */
export function tokenRoutes(signer: TokenSigner): Route[] {
  return [
    loginRoute("POST", "/:tenant/oauth2/v2.0/token", "none", (req, emu) =>
      handleTokenRequest(req, emu, signer),
    ),
    loginRoute("POST", "/:tenant/oauth2/token", "none", (req, emu) => handleV1TokenRequest(req, emu, signer)),
  ];
}

/**
 * `POST /{tenant}/oauth2/v2.0/token` ("Microsoft identity platform and the OAuth 2.0 client
 * credentials flow",
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow; the auth
 * code and refresh flows: "Microsoft identity platform and OAuth 2.0 authorization code flow",
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow): client_credentials
 * (secret or certificate assertion), refresh_token (rotating) and authorization_code (with PKCE).
 * Unknown form fields and query parameters (msal's `x-client-*`, telemetry, `client-request-id`)
 * are ignored. Errors are thrown (loginErrors.ts) and answered by the login route.
 */
function handleTokenRequest(req: EmuRequest, emu: EmulatorCore, signer: TokenSigner): EmuResponse {
  const now = emu.now();
  const form: Form = isForm(req.body) ? req.body : {};
  const grantType = form.grant_type;
  if (!grantType) throw loginErrors.missingParameter("grant_type");
  const clientId = form.client_id || basicClientId(req);
  if (!clientId) throw loginErrors.missingParameter("client_id");
  const tenantRef = resolveTenant(emu.state, req.params.tenant);
  if (tenantRef.kind === "unknown") throw loginErrors.tenantNotFound(tenantRef.name);
  const ctx: TokenContext = { req, emu, signer, form, now, clientId, tenantRef };
  switch (grantType) {
    case "client_credentials":
      return clientCredentials(ctx);
    case "refresh_token":
      return refreshTokenGrant(ctx);
    case "authorization_code":
      return authorizationCodeGrant(ctx);
    default:
      throw loginErrors.unsupportedGrantType(grantType);
  }
}

/** The application of the client id, its client authenticated; AADSTS700016 when there is none. */
function authenticatedApp(ctx: TokenContext, tenantName: string, allowPublic: boolean): AppWithHome {
  const found = findApplication(ctx.emu.state, ctx.clientId);
  if (!found) throw loginErrors.appNotFound(ctx.clientId, tenantName);
  authenticateClient(ctx.req, ctx.form, found, ctx.now, allowPublic);
  return found;
}

function clientCredentials(ctx: TokenContext): EmuResponse {
  const { req, emu, form, clientId, tenantRef } = ctx;
  if (tenantRef.kind !== "tenant") throw loginErrors.tenantNeededForClientCredentials(req.params.tenant);
  const tenant = tenantRef.tenant;
  // A client credentials token exists only where the app has a service principal: its home
  // tenant, or a customer tenant after consent (Partner Center application consent).
  const sp = findServicePrincipalByAppId(tenant, clientId);
  if (!sp) throw loginErrors.appNotFound(clientId, tenant.displayName);
  authenticatedApp(ctx, tenant.displayName, false);
  const scope = form.scope;
  if (!scope) throw loginErrors.missingParameter("scope");
  const { resource, permissions } = parseScopes(scope);
  if (!resource) throw loginErrors.invalidScope(scope);
  if (permissions.length !== 1 || permissions[0] !== ".default")
    throw loginErrors.defaultScopeRequired(scope);
  const resourceSp = findServicePrincipalByAppId(tenant, resource.appId);
  if (!resourceSp) throw loginErrors.resourceNotInTenant(resource.resourceUri, tenant.displayName);
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

/** What a refresh token or an authorization code was issued for. */
interface UserGrant {
  userId: string;
  /** Home tenant of the user. */
  tenantId: string;
  scopes: string[];
  mfa: boolean;
  nonce?: string;
}

/**
 * The tokens of a refresh token or an authorization code that passed its own checks: the client
 * authenticated (a public client may send no credential), the user still there, the scope asked
 * now or else the one granted.
 */
function redeemUserGrant(ctx: TokenContext, grant: UserGrant): EmuResponse {
  const found = authenticatedApp(ctx, grant.tenantId, true);
  const user = findUserById(ctx.emu.state, grant.userId);
  if (!user) throw loginErrors.userNotFound(grant.tenantId);
  return issueUserTokens(ctx, found, user, grant.mfa, ctx.form.scope ?? grant.scopes.join(" "), grant.nonce);
}

function refreshTokenGrant(ctx: TokenContext): EmuResponse {
  const { emu, form, now, clientId } = ctx;
  const token = form.refresh_token;
  if (!token) throw loginErrors.missingParameter("refresh_token");
  const record = emu.state.identity.refreshTokens[hashSecret(token)];
  if (!record) throw loginErrors.refreshTokenUnknown();
  if (record.clientId.toLowerCase() !== clientId.toLowerCase()) {
    throw loginErrors.grantInvalid("The refresh token was issued to a different client.");
  }
  if (record.revoked) throw loginErrors.refreshTokenRevoked(record.issuedAt);
  if (Date.parse(record.expiresAt) <= now.getTime()) throw loginErrors.refreshTokenExpired(record.issuedAt);
  return redeemUserGrant(ctx, record);
}

function authorizationCodeGrant(ctx: TokenContext): EmuResponse {
  const { emu, form, now, clientId } = ctx;
  const code = form.code;
  if (!code) throw loginErrors.missingParameter("code");
  const key = hashSecret(code);
  const record = emu.state.identity.authorizationCodes[key];
  if (!record) throw loginErrors.grantInvalid();
  // Single use: the code is gone whatever happens next.
  delete emu.state.identity.authorizationCodes[key];
  emu.markDirty();
  if (Date.parse(record.expiresAt) <= now.getTime()) throw loginErrors.codeExpired();
  if (record.clientId.toLowerCase() !== clientId.toLowerCase()) throw loginErrors.grantInvalid();
  if (form.redirect_uri !== record.redirectUri) {
    // [U] exact code of a redirect_uri mismatch at redemption.
    throw loginErrors.grantInvalid(
      "The redirect_uri does not match the one used to obtain the authorization code.",
    );
  }
  if (record.codeChallenge) {
    const verifier = form.code_verifier ?? "";
    const computed =
      record.codeChallengeMethod === "plain"
        ? verifier
        : createHash("sha256").update(verifier).digest("base64url");
    if (!verifier || computed !== record.codeChallenge) throw loginErrors.codeVerifierMismatch();
  }
  return redeemUserGrant(ctx, record);
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
  if (!user.accountEnabled || user.state !== "active") throw loginErrors.userDisabled();
  let target = home;
  let onBehalfOf = false;
  if (tenantRef.kind === "tenant" && tenantRef.tenant.id !== home.id) {
    target = tenantRef.tenant;
    const customer = emu.state.partnerCenter.customers[target.id];
    if (!customer || customer.partnerTenantId !== home.id) {
      throw loginErrors.userNotInTenant(
        user.userPrincipalName,
        home.id,
        target.displayName,
        clientId,
        found.app.displayName,
      );
    }
    onBehalfOf = true;
  }
  const parsed = parseScopes(scope);
  const { oidc } = parsed;
  let { resource, permissions } = parsed;
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
    if (scp.length === 0) throw loginErrors.consentMissing(clientId, found.app.displayName);
  } else {
    // Explicit scopes: the emulator's signed-in admin consents to any scope the resource exposes.
    scp = [];
    for (const p of permissions) {
      const known = resource.oauth2PermissionScopes.find((s) => s.value.toLowerCase() === p.toLowerCase());
      if (!known) throw loginErrors.invalidScope(scope);
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
function handleV1TokenRequest(req: EmuRequest, emu: EmulatorCore, signer: TokenSigner): EmuResponse {
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
