import type { TokenSigner } from "../common/tokenSigner";
import type { EmuResponse, ServiceModule } from "../common/types";
import { aadError } from "./aadError";
import { adminConsent, authorize } from "./authorizeEndpoints";
import { instanceDiscovery, openIdConfiguration } from "./discoveryDocuments";
import { handleTokenRequest, handleV1TokenRequest } from "./tokenEndpoint";

export { consentApplication } from "./authorizeEndpoints";
export {
  generateSeedAccount,
  type SeedAccount,
  seededSecurityGroupIds,
  seededSecurityGroups,
  seedWorld,
} from "./seedWorld";

/** Dependencies of the Entra ID module that are not part of the route-handler core. */
export interface LoginModuleOptions {
  /** Signs id tokens and publishes the key set. */
  signer: TokenSigner;
}

/**
 * The Microsoft identity platform's sign-in endpoints (login.microsoftonline.com) at the root of
 * the emulator's origin: discovery documents, keys, the v2 (and v1) token endpoint, and the
 * authorize / admin-consent endpoints that redirect back at once. The request log and fault
 * targeting name this service `identity`.
 */
export function createLoginModule({ signer }: LoginModuleOptions): ServiceModule {
  const keys = (): EmuResponse => ({ status: 200, body: { keys: [signer.jwk()] } });
  return {
    service: "identity",
    routes: [
      { method: "GET", path: "/:tenant/discovery/instance", handler: (req) => instanceDiscovery(req) },
      {
        method: "GET",
        path: "/:tenant/v2.0/.well-known/openid-configuration",
        handler: (req, emu) => openIdConfiguration(req, emu, 2),
      },
      {
        method: "GET",
        path: "/:tenant/.well-known/openid-configuration",
        handler: (req, emu) => openIdConfiguration(req, emu, 1),
      },
      { method: "GET", path: "/:tenant/discovery/v2.0/keys", handler: keys },
      { method: "GET", path: "/:tenant/discovery/keys", handler: keys },
      {
        method: "POST",
        path: "/:tenant/oauth2/v2.0/token",
        handler: (req, emu) => handleTokenRequest(req, emu, signer),
      },
      {
        method: "POST",
        path: "/:tenant/oauth2/token",
        handler: (req, emu) => handleV1TokenRequest(req, emu, signer),
      },
      { method: "GET", path: "/:tenant/oauth2/v2.0/authorize", handler: authorize },
      { method: "GET", path: "/:tenant/oauth2/authorize", handler: authorize },
      { method: "GET", path: "/:tenant/adminconsent", handler: adminConsent },
      { method: "GET", path: "/:tenant/v2.0/adminconsent", handler: adminConsent },
    ],
    errorResponse(status, code, message, req) {
      const now = new Date();
      if (status === 501) return aadError(req, now, "not_implemented", 0, message, 501);
      if (status === 401) return aadError(req, now, "invalid_client", 7000215, message, 401);
      if (status === 429 || status >= 500) {
        // AADSTS90033: "A transient error has occurred. Please try again."
        return aadError(
          req,
          now,
          status === 500 ? "server_error" : "temporarily_unavailable",
          90033,
          `${code}: ${message}`,
          status,
        );
      }
      return aadError(req, now, "invalid_request", 900144, `${code}: ${message}`, status);
    },
  };
}
