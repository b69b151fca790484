/**
 * Resolved provider configuration. Produced by `resolveConfig()` in `config.ts` from environment
 * variables and Pulumi stack config (namespace `csp`), never from resource inputs.
 *
 * Environment variables (stack config key in brackets; a stack value wins over the environment):
 *
 * | variable | meaning |
 * | --- | --- |
 * | `CSP_CLOUD` (`csp:cloud`) | `public` (default), `china`, or `emulator` |
 * | `CSP_LOGIN_URL`, `CSP_PARTNER_CENTER_URL`, `CSP_GRAPH_URL`, `CSP_ARM_URL` | endpoint overrides (the emulator sets all four) |
 * | `CSP_CA_CERT` (`csp:caCert`) | path of an extra PEM CA bundle to trust (emulator CA, corporate CA) |
 * | `CSP_TENANT_ID` (`csp:tenantId`) | partner tenant id of the default account |
 * | `CSP_CLIENT_ID` (`csp:clientId`) | partner app (multi-tenant, Secure Application Model) client id |
 * | `CSP_CLIENT_SECRET` (`csp:clientSecret`, secret) | its client secret |
 * | `CSP_CLIENT_CERTIFICATE_PATH` (`csp:clientCertificatePath`) | PEM with private key + certificate, instead of a secret |
 * | `CSP_REFRESH_TOKEN` (`csp:refreshToken`, secret) | admin agent refresh token for app+user calls |
 * | `CSP_REFRESH_TOKEN_FILE` (`csp:refreshTokenFile`) | file holding it (written by `pulumi-csp login`, mode 0600) |
 * | `CSP_ACCOUNT_<NAME>_TENANT_ID` etc. (`csp:accounts`) | further named accounts, same suffixes as above |
 * | `CSP_SANDBOX` (`csp:sandbox`) | `true` when the account is a Partner Center integration sandbox |
 * | `CSP_ALLOW_PURCHASES` (`csp:allowPurchases`) | `true` lets `check` accept billable purchases (see README) |
 * | `CSP_HTTP_LOG` (`csp:httpLog`) | file receiving one redacted JSON line per HTTP exchange |
 * | `CSP_MAX_RETRIES`, `CSP_TIMEOUT_MS` | retry budget (default 5) and per-attempt timeout (default 60000) |
 * | `HTTPS_PROXY` / `NO_PROXY` | corporate proxy |
 */
export interface CspConfig {
  cloud: "public" | "china" | "emulator";
  endpoints: Endpoints;
  /** Named partner accounts; `default` is always present when credentials are configured. */
  accounts: Record<string, AccountCredentials>;
  /** PEM text of extra trusted CAs, if configured. */
  caCertPem?: string;
  sandbox: boolean;
  allowPurchases: boolean;
  httpLogFile?: string;
  maxRetries: number;
  timeoutMs: number;
  proxyUrl?: string;
  noProxy?: string;
}

export interface Endpoints {
  /** Entra ID authority host, e.g. `https://login.microsoftonline.com` (no tenant, no trailing slash). */
  login: string;
  /** e.g. `https://api.partnercenter.microsoft.com` (routes are under `/v1`). */
  partnerCenter: string;
  /** e.g. `https://graph.microsoft.com` (routes are under `/v1.0`). */
  graph: string;
  /** e.g. `https://management.azure.com`. */
  arm: string;
}

export interface AccountCredentials {
  name: string;
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  clientCertificatePem?: string;
  refreshToken?: string;
}
