/**
 * What the HTTP core needs from authentication: a bearer token for (service, identity, tenant).
 */

/** APIs that take bearer tokens. */
export type TokenAudience = "partnerCenter" | "graph" | "arm";

export interface TokenRequest {
  service: TokenAudience;
  /** `app`: client credentials; `user`: app+user from the stored refresh token. */
  mode: "app" | "user";
  /** Tenant that issues the token; the account's partner tenant when omitted. */
  tenantId?: string | undefined;
}

export interface GetTokenOptions {
  signal?: AbortSignal;
  /** Ignore the cached token (after a 401). */
  forceRefresh?: boolean;
}

export interface TokenProvider {
  /** Returns a valid access token; never logs it. */
  getToken(request: TokenRequest, options?: GetTokenOptions): Promise<string>;
}
