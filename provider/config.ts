import { readFileSync } from "node:fs";
import type { AccountCredentials, CspConfig, Endpoints } from "./configTypes";
import { CspError, configError } from "./errors";

/**
 * Resolves the provider configuration from Pulumi stack config (`csp:*`, read through
 * `getConfig`) and environment variables; a stack value wins over the environment. The names are
 * documented on {@link CspConfig} in `configTypes.ts`.
 *
 * Missing credentials are not an error here (a preview may not need them): the HTTP core raises a
 * `CSP_CONFIG` error naming the variables to set when a call needs them. Explicit mistakes (an
 * unknown cloud, an unreadable file that was named, malformed `csp:accounts`) fail here.
 */
export interface ResolveConfigInput {
  env: NodeJS.ProcessEnv | Record<string, string | undefined>;
  /** Reads a stack config key; called with the full key, e.g. `csp:tenantId`. */
  getConfig: (key: string) => string | undefined;
}

/**
 * Endpoint sets per cloud. China = 21Vianet ("Partner Center REST URLs",
 * https://learn.microsoft.com/partner-center/developer/partner-center-rest-urls).
 */
export const CLOUD_ENDPOINTS: Record<"public" | "china", Endpoints> = {
  public: {
    login: "https://login.microsoftonline.com",
    partnerCenter: "https://api.partnercenter.microsoft.com",
    graph: "https://graph.microsoft.com",
    arm: "https://management.azure.com",
  },
  china: {
    login: "https://login.chinacloudapi.cn",
    partnerCenter: "https://partner.partnercenterapi.microsoftonline.cn",
    graph: "https://microsoftgraph.chinacloudapi.cn",
    arm: "https://management.chinacloudapi.cn",
  },
};

/** Suffixes of account variables: `CSP_<SUFFIX>` (default account) and `CSP_ACCOUNT_<NAME>_<SUFFIX>`. */
const ACCOUNT_FIELDS = {
  TENANT_ID: "tenantId",
  CLIENT_ID: "clientId",
  CLIENT_SECRET: "clientSecret",
  CLIENT_CERTIFICATE_PATH: "clientCertificatePath",
  REFRESH_TOKEN: "refreshToken",
  REFRESH_TOKEN_FILE: "refreshTokenFile",
} as const;

type RawAccountKey = (typeof ACCOUNT_FIELDS)[keyof typeof ACCOUNT_FIELDS];
type RawAccount = Partial<Record<RawAccountKey, string>>;

const NAMED_ACCOUNT_VAR =
  /^CSP_ACCOUNT_(.+?)_(TENANT_ID|CLIENT_ID|CLIENT_SECRET|CLIENT_CERTIFICATE_PATH|REFRESH_TOKEN_FILE|REFRESH_TOKEN)$/;

export const DEFAULT_MAX_RETRIES = 5;
export const DEFAULT_TIMEOUT_MS = 60_000;

/** See {@link ResolveConfigInput}. */
export function resolveConfig({ env, getConfig }: ResolveConfigInput): CspConfig {
  const envValue = (name: string): string | undefined => nonEmpty(env[name]);
  const stack = (key: string): string | undefined => nonEmpty(getConfig(`csp:${key}`));
  const get = (key: string, envName: string): string | undefined => stack(key) ?? envValue(envName);

  const cloudText = (get("cloud", "CSP_CLOUD") ?? "public").toLowerCase();
  if (cloudText !== "public" && cloudText !== "china" && cloudText !== "emulator") {
    throw configError(
      `unknown cloud "${cloudText}"`,
      "set CSP_CLOUD (or csp:cloud) to public, china or emulator",
    );
  }
  const cloud = cloudText;
  const endpoints = resolveEndpoints(cloud, envValue);

  const caCert = get("caCert", "CSP_CA_CERT");
  const config: CspConfig = {
    cloud,
    endpoints,
    accounts: resolveAccounts(env, stack, envValue),
    sandbox: parseBool(get("sandbox", "CSP_SANDBOX"), "CSP_SANDBOX"),
    allowPurchases: parseBool(get("allowPurchases", "CSP_ALLOW_PURCHASES"), "CSP_ALLOW_PURCHASES"),
    maxRetries: parseInteger(envValue("CSP_MAX_RETRIES"), "CSP_MAX_RETRIES", DEFAULT_MAX_RETRIES, 0, 20),
    timeoutMs: parseInteger(envValue("CSP_TIMEOUT_MS"), "CSP_TIMEOUT_MS", DEFAULT_TIMEOUT_MS, 100, 3_600_000),
  };
  if (caCert !== undefined) {
    config.caCertPem = caCert.includes("-----BEGIN") ? caCert : readText(caCert, "CSP_CA_CERT (csp:caCert)");
  }
  const httpLog = get("httpLog", "CSP_HTTP_LOG");
  if (httpLog !== undefined) config.httpLogFile = httpLog;
  const proxy = envValue("HTTPS_PROXY") ?? envValue("https_proxy");
  if (proxy !== undefined) config.proxyUrl = proxy;
  const noProxy = envValue("NO_PROXY") ?? envValue("no_proxy");
  if (noProxy !== undefined) config.noProxy = noProxy;
  return config;
}

function resolveEndpoints(
  cloud: CspConfig["cloud"],
  envValue: (name: string) => string | undefined,
): Endpoints {
  const overrides: Partial<Record<keyof Endpoints, string>> = {};
  const vars: Record<keyof Endpoints, string> = {
    login: "CSP_LOGIN_URL",
    partnerCenter: "CSP_PARTNER_CENTER_URL",
    graph: "CSP_GRAPH_URL",
    arm: "CSP_ARM_URL",
  };
  for (const [key, name] of Object.entries(vars) as [keyof Endpoints, string][]) {
    const value = envValue(name);
    if (value === undefined) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw configError(`${name} is not a URL ("${value}")`, `set ${name} to an https:// URL`);
    }
    if (url.search || url.hash) {
      throw configError(`${name} must not carry a query or fragment`, `set ${name} to a plain base URL`);
    }
    overrides[key] = value.replace(/\/+$/, "");
  }
  if (cloud === "emulator") {
    const missing = (Object.keys(vars) as (keyof Endpoints)[]).filter((k) => overrides[k] === undefined);
    if (missing.length > 0) {
      throw configError(
        "CSP_CLOUD=emulator needs the emulator's endpoints",
        `set ${missing.map((k) => vars[k]).join(", ")} (startEmulator() returns them in \`env\`)`,
      );
    }
    return overrides as Endpoints;
  }
  return { ...CLOUD_ENDPOINTS[cloud], ...overrides };
}

function resolveAccounts(
  env: ResolveConfigInput["env"],
  stack: (key: string) => string | undefined,
  envValue: (name: string) => string | undefined,
): Record<string, AccountCredentials> {
  const raw = new Map<string, { env: RawAccount; stack: RawAccount }>();
  const entry = (name: string) => {
    let e = raw.get(name);
    if (!e) {
      e = { env: {}, stack: {} };
      raw.set(name, e);
    }
    return e;
  };

  // Default account: CSP_<SUFFIX> / csp:<field>.
  for (const [suffix, field] of Object.entries(ACCOUNT_FIELDS)) {
    const e = envValue(`CSP_${suffix}`);
    if (e !== undefined) entry("default").env[field] = e;
    const s = stack(field);
    if (s !== undefined) entry("default").stack[field] = s;
  }
  // Named accounts: CSP_ACCOUNT_<NAME>_<SUFFIX>; the name is lower-cased (`EU` -> `eu`).
  for (const [name, value] of Object.entries(env)) {
    const m = NAMED_ACCOUNT_VAR.exec(name);
    const v = nonEmpty(value);
    if (!m || v === undefined) continue;
    const field = ACCOUNT_FIELDS[m[2] as keyof typeof ACCOUNT_FIELDS];
    const target = entry(m[1]!.toLowerCase()).env;
    target[field] ??= v;
  }
  // Named accounts from stack config: csp:accounts = {"eu": {"tenantId": "...", ...}}.
  const accountsJson = stack("accounts");
  if (accountsJson !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(accountsJson);
    } catch {
      throw configError(
        "csp:accounts is not JSON",
        'set csp:accounts to an object like {"eu": {"tenantId": "..."}}',
      );
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw configError(
        "csp:accounts is not an object",
        'set csp:accounts to an object like {"eu": {"tenantId": "..."}}',
      );
    }
    const allowed = new Set<string>(Object.values(ACCOUNT_FIELDS));
    for (const [name, fields] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof fields !== "object" || fields === null) continue;
      for (const [field, value] of Object.entries(fields as Record<string, unknown>)) {
        if (!allowed.has(field)) {
          throw configError(
            `csp:accounts.${name} has an unknown key "${field}"`,
            `use ${[...allowed].join(", ")}`,
          );
        }
        if (typeof value === "string" && value !== "")
          entry(name.toLowerCase()).stack[field as RawAccountKey] = value;
      }
    }
  }

  const accounts: Record<string, AccountCredentials> = {};
  for (const [name, { env: e, stack: s }] of raw) {
    const merged: RawAccount = { ...e, ...s };
    const vars = accountVariableNames(name);
    const account: AccountCredentials = {
      name,
      tenantId: merged.tenantId ?? "",
      clientId: merged.clientId ?? "",
    };
    if (merged.clientSecret !== undefined) account.clientSecret = merged.clientSecret;
    if (merged.clientCertificatePath !== undefined) {
      account.clientCertificatePem = readText(merged.clientCertificatePath, vars.clientCertificatePath);
    }
    // A refresh token given directly wins over the file (the file is what `pulumi-csp login` writes).
    if (merged.refreshToken !== undefined) {
      account.refreshToken = merged.refreshToken.trim();
    } else if (merged.refreshTokenFile !== undefined) {
      const token = readText(merged.refreshTokenFile, vars.refreshTokenFile).trim();
      if (token) account.refreshToken = token;
    }
    accounts[name] = account;
  }
  return accounts;
}

/** The variable names (and stack keys) that configure an account, for error messages. */
export function accountVariableNames(name: string): Record<RawAccountKey, string> {
  const out = {} as Record<RawAccountKey, string>;
  for (const [suffix, field] of Object.entries(ACCOUNT_FIELDS)) {
    out[field] =
      name === "default"
        ? `CSP_${suffix} (or csp:${field})`
        : `CSP_ACCOUNT_${name.toUpperCase()}_${suffix} (or csp:accounts.${name}.${field})`;
  }
  return out;
}

/**
 * What `account` lacks, each named by its variable (and stack config key): for `"ids"` its tenant
 * and client ids, for `"app"` (app-only tokens) also a client secret or certificate. The refresh
 * token app+user calls need is the caller's to add, with its own advice.
 */
export function missingAccountSettings(account: AccountCredentials, needs: "ids" | "app"): string[] {
  const vars = accountVariableNames(account.name);
  const missing: string[] = [];
  if (!account.tenantId) missing.push(vars.tenantId);
  if (!account.clientId) missing.push(vars.clientId);
  if (needs === "app" && !account.clientSecret && !account.clientCertificatePem) {
    missing.push(`${vars.clientSecret} or ${vars.clientCertificatePath}`);
  }
  return missing;
}

/**
 * Returns the credentials of `name`, or throws a `CSP_CONFIG` error naming what to set.
 * `needs` says what the call is about to use: app-only tokens need a secret or certificate,
 * app+user tokens additionally need the refresh token.
 */
export function requireAccount(
  config: CspConfig,
  name: string,
  needs: "app" | "user" | "ids",
): AccountCredentials {
  const vars = accountVariableNames(name);
  const account = config.accounts[name];
  if (!account) {
    const known = Object.keys(config.accounts);
    throw configError(
      `partner account "${name}" is not configured${known.length ? ` (configured: ${known.join(", ")})` : ""}`,
      `set ${vars.tenantId}, ${vars.clientId} and ${vars.clientSecret}`,
    );
  }
  const missing = missingAccountSettings(account, needs === "ids" ? "ids" : "app");
  if (needs === "user" && !account.refreshToken) {
    missing.push(`${vars.refreshToken} or ${vars.refreshTokenFile} (run \`pulumi-csp login\`)`);
  }
  if (missing.length > 0) {
    throw configError(
      `partner account "${name}" lacks credentials for ${needs === "user" ? "app+user" : "app-only"} calls`,
      `set ${missing.join("; ")}`,
    );
  }
  return account;
}

function nonEmpty(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === "" ? undefined : v;
}

function parseBool(v: string | undefined, name: string): boolean {
  if (v === undefined) return false;
  const t = v.trim().toLowerCase();
  if (["true", "1", "yes", "on"].includes(t)) return true;
  if (["false", "0", "no", "off"].includes(t)) return false;
  throw configError(`${name} must be true or false (got "${v}")`, `set ${name} to true or false`);
}

function parseInteger(
  v: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw configError(`${name} must be an integer between ${min} and ${max} (got "${v}")`, `fix ${name}`);
  }
  return n;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new CspError({
      code: "CSP_CONFIG",
      service: "config",
      summary: `cannot read the file named by ${what} (${path}): ${(e as NodeJS.ErrnoException).code ?? "error"}`,
      hint: `check ${what}`,
    });
  }
}
