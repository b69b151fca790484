import { randomBytes } from "node:crypto";
import {
  addServicePrincipal,
  assignAppRole,
  findServicePrincipalByAppId,
  findUserByUpn,
  grantDelegatedScopes,
} from "../common/directory";
import { hashSecret } from "../common/hashSecret";
import type { DirectoryApplication, DirectoryTenant, DirectoryUser, EmulatorState } from "../common/state";
import type { EmulatorCore, EmuRequest, EmuResponse, Route } from "../common/types";
import { type AppWithHome, findApplication, resolveTenant, type TenantRef } from "./directoryLookup";
import { loginErrors, loginRedirectErrors } from "./loginErrors";
import { loginRoute } from "./loginRoute";

/** Authorization codes live 10 minutes (Entra documents "about 10 minutes"). */
const CODE_LIFETIME_MS = 10 * 60_000;

function registeredRedirectUris(app: DirectoryApplication): string[] {
  const p = app.properties as Record<string, { redirectUris?: unknown } | undefined>;
  const out: string[] = [];
  for (const section of ["web", "publicClient", "spa"]) {
    const uris = p[section]?.redirectUris;
    if (Array.isArray(uris)) for (const u of uris) if (typeof u === "string") out.push(u);
  }
  return out;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Entra matches redirect URIs exactly, except that the port of a loopback URI is ignored. */
function redirectUriAllowed(app: DirectoryApplication, redirectUri: string): boolean {
  let wanted: URL;
  try {
    wanted = new URL(redirectUri);
  } catch {
    return false;
  }
  return registeredRedirectUris(app).some((registered) => {
    if (registered === redirectUri) return true;
    try {
      const r = new URL(registered);
      return (
        LOOPBACK.has(wanted.hostname) &&
        r.hostname === wanted.hostname &&
        r.protocol === wanted.protocol &&
        r.pathname === wanted.pathname
      );
    } catch {
      return false;
    }
  });
}

function redirect(redirectUri: string, params: Record<string, string>, mode: string | null): EmuResponse {
  const url = new URL(redirectUri);
  if (mode === "fragment") {
    url.hash = new URLSearchParams(params).toString();
  } else {
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  }
  return { status: 302, headers: { Location: url.toString() }, rawBody: "" };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `response_mode=form_post`: the one page Entra answers with, an auto-submitting form. */
function formPost(redirectUri: string, params: Record<string, string>): EmuResponse {
  const inputs = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}"/>`)
    .join("");
  return {
    status: 200,
    headers: { "Content-Type": "text/html; charset=utf-8" },
    rawBody: `<html><body onload="document.forms[0].submit()"><form method="POST" action="${escapeHtml(redirectUri)}">${inputs}</form></body></html>`,
  };
}

/** The first admin agent of a partner tenant (MFA-enabled preferred). */
function adminAgentOf(tenant: DirectoryTenant): DirectoryUser | undefined {
  const agents = Object.values(tenant.users).filter((u) => u.adminAgent && u.state === "active");
  return agents.find((u) => u.mfa) ?? agents[0];
}

/**
 * Who the emulator plays as the signed-in user: the `login_hint` account if it exists, else the
 * admin agent of the addressed partner tenant, of the partner owning the addressed customer
 * tenant (admin-on-behalf-of), or of the first seeded partner for `common`/`organizations`.
 */
function signedInUser(
  state: EmulatorState,
  ref: TenantRef,
  loginHint: string | null,
): { user: DirectoryUser; home: DirectoryTenant } | undefined {
  if (loginHint) {
    for (const home of Object.values(state.directory)) {
      const user = findUserByUpn(home, loginHint);
      if (user) return { user, home };
    }
    return undefined;
  }
  let partnerTenantId: string | undefined;
  if (ref.kind === "tenant") {
    partnerTenantId =
      ref.tenant.kind === "partner"
        ? ref.tenant.id
        : state.partnerCenter.customers[ref.tenant.id]?.partnerTenantId;
  } else {
    partnerTenantId = Object.keys(state.partnerCenter.partners)[0];
  }
  const home = partnerTenantId ? state.directory[partnerTenantId] : undefined;
  const user = home ? adminAgentOf(home) : undefined;
  return home && user ? { user, home } : undefined;
}

/** The client and redirect URI of an authorize or admin-consent request, checked (errors on Entra's page). */
function checkClientAndRedirect(
  req: EmuRequest,
  emu: EmulatorCore,
): { found: AppWithHome; ref: TenantRef; redirectUri: string } {
  const ref = resolveTenant(emu.state, req.params.tenant);
  if (ref.kind === "unknown") throw loginErrors.tenantNotFoundForSignIn(ref.name);
  const clientId = req.query.get("client_id");
  if (!clientId) throw loginErrors.missingParameter("client_id");
  const found = findApplication(emu.state, clientId);
  if (!found) {
    throw loginErrors.appNotFoundForSignIn(
      clientId,
      ref.kind === "tenant" ? ref.tenant.displayName : req.params.tenant,
    );
  }
  const redirectUri = req.query.get("redirect_uri") ?? registeredRedirectUris(found.app)[0];
  if (!redirectUri || !redirectUriAllowed(found.app, redirectUri)) {
    // Entra shows this on its error page rather than redirecting to an unregistered URI.
    throw loginErrors.redirectUriNotRegistered(redirectUri ?? "", clientId);
  }
  return { found, ref, redirectUri };
}

/**
 * `GET /{tenant}/oauth2/v2.0/authorize`: no page, no prompt. The emulator plays the signed-in
 * admin agent (MFA'd when the user has MFA) and redirects straight back with a code (query,
 * fragment or form_post), so an onboarding flow runs end to end without a browser.
 */
function authorize(req: EmuRequest, emu: EmulatorCore): EmuResponse {
  const { found, ref, redirectUri } = checkClientAndRedirect(req, emu);
  const q = req.query;
  const mode = q.get("response_mode");
  const state = q.get("state");
  const back = (params: Record<string, string>) => {
    const all = state !== null ? { ...params, state } : params;
    return mode === "form_post" ? formPost(redirectUri, all) : redirect(redirectUri, all, mode);
  };
  const responseType = q.get("response_type") ?? "";
  if (responseType !== "code") {
    return back(loginRedirectErrors.unsupportedResponseType(responseType));
  }
  const signedIn = signedInUser(emu.state, ref, q.get("login_hint"));
  if (!signedIn) {
    return back(loginRedirectErrors.noSuchUser());
  }
  const challenge = q.get("code_challenge");
  const method = q.get("code_challenge_method");
  const code = `1.A${randomBytes(48).toString("base64url")}`;
  const now = emu.now();
  emu.state.identity.authorizationCodes[hashSecret(code)] = {
    clientId: found.app.appId,
    userId: signedIn.user.id,
    tenantId: signedIn.home.id,
    redirectUri,
    scopes: (q.get("scope") ?? "").split(/\s+/).filter(Boolean),
    ...(challenge
      ? { codeChallenge: challenge, codeChallengeMethod: method === "plain" ? "plain" : "S256" }
      : {}),
    ...(q.get("nonce") ? { nonce: q.get("nonce")! } : {}),
    expiresAt: new Date(now.getTime() + CODE_LIFETIME_MS).toISOString(),
    mfa: signedIn.user.mfa === true,
  };
  emu.markDirty();
  return back({
    code,
    client_info: Buffer.from(JSON.stringify({ uid: signedIn.user.id, utid: signedIn.home.id })).toString(
      "base64url",
    ),
    session_state: emu.newId(),
  });
}

/**
 * Materialises an admin consent of `app` in `tenant`: its service principal, then the delegated
 * grants and app role assignments its `requiredResourceAccess` asks for.
 */
export function consentApplication(tenant: DirectoryTenant, found: AppWithHome, now: Date): void {
  const { app, home } = found;
  const client = addServicePrincipal(
    tenant,
    { appId: app.appId, displayName: app.displayName, appOwnerOrganizationId: home.id },
    now,
  );
  const required = Array.isArray(app.properties.requiredResourceAccess)
    ? (app.properties.requiredResourceAccess as {
        resourceAppId?: string;
        resourceAccess?: { id?: string; type?: string }[];
      }[])
    : [];
  for (const entry of required) {
    if (!entry.resourceAppId) continue;
    const resource = findServicePrincipalByAppId(tenant, entry.resourceAppId);
    if (!resource) continue;
    const scopes: string[] = [];
    for (const access of entry.resourceAccess ?? []) {
      if (access.type === "Scope") {
        const value = resource.oauth2PermissionScopes.find((s) => s.id === access.id)?.value;
        if (value) scopes.push(value);
      } else if (access.type === "Role" && access.id && resource.appRoles.some((r) => r.id === access.id)) {
        assignAppRole(tenant, { principalId: client.id, resourceId: resource.id, appRoleId: access.id }, now);
      }
    }
    if (scopes.length > 0)
      grantDelegatedScopes(tenant, { clientId: client.id, resourceId: resource.id, scopes });
  }
}

/**
 * `GET /{tenant}/adminconsent` and `/{tenant}/v2.0/adminconsent` ("Admin consent on the Microsoft
 * identity platform", https://learn.microsoft.com/entra/identity-platform/v2-admin-consent): the
 * emulator's admin consents at once and redirects back with `admin_consent=True&tenant=…&state=…`.
 */
function adminConsent(req: EmuRequest, emu: EmulatorCore): EmuResponse {
  const { found, ref, redirectUri } = checkClientAndRedirect(req, emu);
  const state = req.query.get("state");
  const withState = (params: Record<string, string>) => (state !== null ? { ...params, state } : params);
  const signedIn = signedInUser(emu.state, ref, req.query.get("login_hint"));
  const tenant = ref.kind === "tenant" ? ref.tenant : signedIn?.home;
  if (!tenant) {
    return redirect(redirectUri, withState(loginRedirectErrors.noAdministrator()), null);
  }
  consentApplication(tenant, found, emu.now());
  emu.markDirty();
  const scope = req.query.get("scope");
  return redirect(
    redirectUri,
    withState({ admin_consent: "True", tenant: tenant.id, ...(scope ? { scope } : {}) }),
    null,
  );
}

/** The authorize (v2 and v1) and admin-consent endpoints: no bearer token, the emulator plays the user. */
export const authorizeRoutes: Route[] = [
  loginRoute("GET", "/:tenant/oauth2/v2.0/authorize", "none", authorize),
  loginRoute("GET", "/:tenant/oauth2/authorize", "none", authorize),
  loginRoute("GET", "/:tenant/adminconsent", "none", adminConsent),
  loginRoute("GET", "/:tenant/v2.0/adminconsent", "none", adminConsent),
];
