import * as pulumi from "@pulumi/pulumi";
import { requireAccount, resolveConfig } from "../provider/config";

/** The partner app's client credentials, as the azuread / azure-native providers take them. */
export interface PartnerAppCredentials {
  /** The partner tenant of the account (the customer tenant is what the providers target). */
  partnerTenantId: string;
  clientId: string;
  /** The client secret, as a secret Output (never shown in plain text). */
  clientSecret: pulumi.Output<string>;
  /** `public` or `china`; absent for the emulator (the native providers cannot reach it). */
  environment?: "public" | "china";
}

/** Where {@link partnerAppCredentials} reads from; the defaults are the running program's. */
export interface CredentialSources {
  env?: NodeJS.ProcessEnv | Record<string, string | undefined>;
  /** Reads a full stack config key such as `csp:clientId`. */
  getConfig?: (key: string) => string | undefined;
}

/**
 * Reads the partner app credentials of `account` from the same configuration the pulumi-csp
 * provider resolves (stack config `csp:*` over environment `CSP_*` / `CSP_ACCOUNT_<NAME>_*`, see
 * `provider/configTypes.ts`). Throws a `CSP_CONFIG` error naming what to set when the account or
 * its client secret is missing: the azuread and azure-native providers take a client secret
 * (a PEM certificate configured for pulumi-csp is not handed on; those providers expect PKCS#12).
 */
export function partnerAppCredentials(
  account = "default",
  sources: CredentialSources = {},
): PartnerAppCredentials {
  const config = resolveConfig({
    env: sources.env ?? process.env,
    getConfig: sources.getConfig ?? ((key) => pulumi.runtime.getConfig(key)),
  });
  const creds = requireAccount(config, account, "ids");
  if (!creds.clientSecret) {
    const vars =
      account === "default"
        ? "CSP_CLIENT_SECRET (or csp:clientSecret)"
        : `CSP_ACCOUNT_${account.toUpperCase()}_CLIENT_SECRET (or csp:accounts.${account}.clientSecret)`;
    const error = new Error(
      `partner account "${account}" has no client secret: the azuread and azure-native providers of CustomerTenant authenticate as the partner app with a client secret; set ${vars}, or configure those providers yourself`,
    );
    throw Object.assign(error, { code: "CSP_CONFIG" });
  }
  const out: PartnerAppCredentials = {
    partnerTenantId: creds.tenantId,
    clientId: creds.clientId,
    clientSecret: pulumi.secret(creds.clientSecret),
  };
  if (config.cloud !== "emulator") out.environment = config.cloud;
  return out;
}
