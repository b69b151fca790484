import type { TokenSigner } from "../common/tokenSigner";
import type { EmulatorCore, EmuRequest, EmuResponse, Route } from "../common/types";
import { resolveTenant } from "./directoryLookup";
import { loginErrors } from "./loginErrors";
import { loginRoute } from "./loginRoute";

/** The discovery documents and the key set (v2 and v1 paths); `signer` publishes the keys. */
export function discoveryRoutes(signer: TokenSigner): Route[] {
  const keys = (): EmuResponse => ({ status: 200, body: { keys: [signer.jwk()] } });
  return [
    loginRoute("GET", "/:tenant/discovery/instance", "none", (req) => instanceDiscovery(req)),
    loginRoute("GET", "/:tenant/v2.0/.well-known/openid-configuration", "none", (req, emu) =>
      openIdConfiguration(req, emu, 2),
    ),
    loginRoute("GET", "/:tenant/.well-known/openid-configuration", "none", (req, emu) =>
      openIdConfiguration(req, emu, 1),
    ),
    loginRoute("GET", "/:tenant/discovery/v2.0/keys", "none", keys),
    loginRoute("GET", "/:tenant/discovery/keys", "none", keys),
  ];
}

/**
 * `GET /{tenant}/v2.0/.well-known/openid-configuration` ("OpenID Connect on the Microsoft identity
 * platform", https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc; the fields msal
 * requires: msal-common `authority/OpenIdConfigResponse.ts`). Endpoints point at this emulator as
 * the client addressed it; for a known tenant the tenant id is substituted, for
 * `common`/`organizations` the issuer keeps the `{tenantid}` placeholder like Entra.
 */
function openIdConfiguration(req: EmuRequest, emu: EmulatorCore, version: 1 | 2): EmuResponse {
  const ref = resolveTenant(emu.state, req.params.tenant);
  if (ref.kind === "unknown") throw loginErrors.tenantNotFoundForDiscovery(ref.name);
  const base = req.baseUrl;
  const segment = ref.kind === "tenant" ? ref.tenant.id : req.params.tenant.toLowerCase();
  const issuerTenant = ref.kind === "tenant" ? ref.tenant.id : "{tenantid}";
  const v = version === 2 ? "/v2.0" : "";
  const host = new URL(base).host;
  return {
    status: 200,
    body: {
      token_endpoint: `${base}/${segment}/oauth2${v}/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${base}/${segment}/discovery${v}/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: version === 2 ? `${base}/${issuerTenant}/v2.0` : `https://sts.windows.net/${issuerTenant}/`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: "https://graph.microsoft.com/oidc/userinfo",
      authorization_endpoint: `${base}/${segment}/oauth2${v}/authorize`,
      device_authorization_endpoint: `${base}/${segment}/oauth2${v}/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/${segment}/oauth2${v}/logout`,
      claims_supported: [
        "sub",
        "iss",
        "cloud_instance_name",
        "cloud_instance_host_name",
        "cloud_graph_host_name",
        "msgraph_host",
        "aud",
        "exp",
        "iat",
        "auth_time",
        "acr",
        "nonce",
        "preferred_username",
        "name",
        "tid",
        "ver",
        "at_hash",
        "c_hash",
        "email",
      ],
      kerberos_endpoint: `${base}/${segment}/kerberos`,
      tenant_region_scope: null,
      cloud_instance_name: host,
      cloud_graph_host_name: "graph.windows.net",
      msgraph_host: "graph.microsoft.com",
      rbac_url: "https://pas.windows.net",
    },
  };
}

/**
 * `GET /common/discovery/instance?api-version=1.1&authorization_endpoint=…` ([U] no Learn page
 * documents it; the request and answer shape are msal-common's, `authority/Authority.ts`). The
 * emulator is its own only alias (plus the real names when addressed as login.microsoftonline.com).
 */
function instanceDiscovery(req: EmuRequest): EmuResponse {
  const base = req.baseUrl;
  const host = new URL(base).host;
  let tenant = "common";
  const authorizationEndpoint = req.query.get("authorization_endpoint");
  if (authorizationEndpoint) {
    try {
      tenant = new URL(authorizationEndpoint).pathname.split("/").filter(Boolean)[0] ?? "common";
    } catch {
      tenant = "common";
    }
  }
  const aliases =
    new URL(base).hostname === "login.microsoftonline.com" && !new URL(base).port
      ? ["login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"]
      : [host];
  return {
    status: 200,
    body: {
      tenant_discovery_endpoint: `${base}/${tenant}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases }],
    },
  };
}
