import type { TokenSigner } from "../common/tokenSigner";
import type { ServiceModule } from "../common/types";
import { aadErrorResponse } from "./aadError";
import { authorizeRoutes } from "./authorizeEndpoints";
import { discoveryRoutes } from "./discoveryDocuments";
import { loginErrors } from "./loginErrors";
import { tokenRoutes } from "./tokenEndpoint";

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
  return {
    service: "identity",
    routes: [...discoveryRoutes(signer), ...tokenRoutes(signer), ...authorizeRoutes],
    errorResponse: (status, code, message, req) =>
      aadErrorResponse(req, new Date(), loginErrors.fromServer(status, code, message)),
  };
}
