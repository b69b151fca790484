import type { CspConfig } from "../configTypes";
import type { TokenAudience } from "./tokenProvider";

/**
 * Token scopes per API and identity (`{resource}/.default` for the statically consented
 * permissions: "Scopes and permissions in the Microsoft identity platform",
 * https://learn.microsoft.com/entra/identity-platform/scopes-oidc):
 * - Partner Center: app `https://api.partnercenter.microsoft.com/.default` ([U]: the widely used
 *   value; legacy docs still show the retired Azure AD Graph audience, see error 900420), user
 *   `.../user_impersonation` ("Enable secure application model",
 *   https://learn.microsoft.com/partner-center/developer/enable-secure-app-model);
 * - Graph: `https://graph.microsoft.com/.default` for both (delegated: the statically consented
 *   permissions, e.g. `DelegatedAdminRelationship.ReadWrite.All` for GDAP);
 * - ARM: app `https://management.azure.com/.default`, user `https://management.azure.com/user_impersonation`.
 * China (21Vianet) uses its own Graph/ARM resources; the Partner Center resource id there is the
 * same application id URI ([U], not published in the sources read). The emulator issues tokens
 * for the public audiences.
 */
export function scopeFor(cloud: CspConfig["cloud"], service: TokenAudience, mode: "app" | "user"): string {
  const resources: Record<TokenAudience, string> =
    cloud === "china"
      ? {
          partnerCenter: "https://api.partnercenter.microsoft.com",
          graph: "https://microsoftgraph.chinacloudapi.cn",
          arm: "https://management.chinacloudapi.cn",
        }
      : {
          partnerCenter: "https://api.partnercenter.microsoft.com",
          graph: "https://graph.microsoft.com",
          arm: "https://management.azure.com",
        };
  const resource = resources[service];
  if (mode === "user" && service !== "graph") return `${resource}/user_impersonation`;
  return `${resource}/.default`;
}
