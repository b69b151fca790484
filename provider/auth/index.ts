/** Auth core: msal-node token provider with a single-flight cache per (mode, tenant, scope). */
export { mapAuthError } from "./mapAuthError";
export { createMsalNetworkClient } from "./msalNetworkClient";
export type { MsalTokenProviderOptions } from "./msalTokenProvider";
export { createMsalTokenProvider } from "./msalTokenProvider";
export { scopeFor } from "./scopes";
export type { AccessToken, TokenCache } from "./tokenCache";
export { createTokenCache } from "./tokenCache";
export type { GetTokenOptions, TokenAudience, TokenProvider, TokenRequest } from "./tokenProvider";
