/**
 * The admin-consent URL of an app for a tenant (documented in "Microsoft identity platform and the
 * OAuth 2.0 client credentials flow",
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow; the v2
 * form with `scope` in "Admin consent on the Microsoft identity platform",
 * https://learn.microsoft.com/entra/identity-platform/v2-admin-consent):
 * `{login}/{tenant}/adminconsent?client_id=…&state=…&redirect_uri=…`. An administrator of the
 * tenant who opens it grants the app the permissions it declares (requiredResourceAccess) for the
 * whole tenant, and Entra redirects to `redirect_uri` with `admin_consent=True&tenant=…&state=…`
 * (or `error=…`). `redirect_uri` must be one of the app's registered redirect URIs.
 */
export function adminConsentUrl(input: {
  /** Login endpoint, e.g. `https://login.microsoftonline.com`. */
  login: string;
  /** Tenant id or verified domain (or `organizations`). */
  tenant: string;
  clientId: string;
  redirectUri: string;
  state: string;
}): string {
  const url = new URL(`${input.login.replace(/\/+$/, "")}/${encodeURIComponent(input.tenant)}/adminconsent`);
  url.searchParams.set("client_id", input.clientId);
  url.searchParams.set("redirect_uri", input.redirectUri);
  url.searchParams.set("state", input.state);
  return url.toString();
}
