import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { missingAccountSettings, requireAccount, resolveConfig } from "../../provider/config";
import { isCspError } from "../../provider/errors";

const noStack = () => undefined;
const stackOf = (values: Record<string, string>) => (key: string) => values[key];

describe("resolveConfig", () => {
  it("defaults to the public cloud with no accounts and no error when nothing is configured", () => {
    const c = resolveConfig({ env: {}, getConfig: noStack });
    expect(c).toMatchObject({
      cloud: "public",
      endpoints: {
        login: "https://login.microsoftonline.com",
        partnerCenter: "https://api.partnercenter.microsoft.com",
        graph: "https://graph.microsoft.com",
        arm: "https://management.azure.com",
      },
      accounts: {},
      sandbox: false,
      allowPurchases: false,
      maxRetries: 5,
      timeoutMs: 60_000,
    });
  });

  it("reads the default account from the environment and lets stack config win", () => {
    const c = resolveConfig({
      env: {
        CSP_TENANT_ID: "env-tenant",
        CSP_CLIENT_ID: "env-client",
        CSP_CLIENT_SECRET: "env-secret",
        CSP_SANDBOX: "true",
      },
      getConfig: stackOf({ "csp:clientSecret": "stack-secret", "csp:sandbox": "false" }),
    });
    expect(c.accounts["default"]).toEqual({
      name: "default",
      tenantId: "env-tenant",
      clientId: "env-client",
      clientSecret: "stack-secret",
    });
    expect(c.sandbox).toBe(false);
  });

  it("reads named accounts from CSP_ACCOUNT_<NAME>_* (lower-cased name) and csp:accounts", () => {
    const dir = mkdtempSync(join(tmpdir(), "csp-config-"));
    const rtFile = join(dir, "rt");
    writeFileSync(rtFile, "refresh-from-file\n");
    const c = resolveConfig({
      env: {
        CSP_ACCOUNT_EU_TENANT_ID: "eu-tenant",
        CSP_ACCOUNT_EU_CLIENT_ID: "eu-client",
        CSP_ACCOUNT_EU_CLIENT_SECRET: "eu-secret",
        CSP_ACCOUNT_EU_REFRESH_TOKEN_FILE: rtFile,
        CSP_ACCOUNT_US_WEST_TENANT_ID: "usw-tenant",
      },
      getConfig: stackOf({
        "csp:accounts": JSON.stringify({
          us_west: { clientId: "usw-client" },
          eu: { clientSecret: "eu-stack" },
        }),
      }),
    });
    expect(c.accounts["eu"]).toEqual({
      name: "eu",
      tenantId: "eu-tenant",
      clientId: "eu-client",
      clientSecret: "eu-stack",
      refreshToken: "refresh-from-file",
    });
    expect(c.accounts["us_west"]).toEqual({
      name: "us_west",
      tenantId: "usw-tenant",
      clientId: "usw-client",
    });
    expect(c.accounts["default"]).toBeUndefined();
  });

  it("builds the emulator endpoint set from the CSP_*_URL overrides and reads the CA file", () => {
    const dir = mkdtempSync(join(tmpdir(), "csp-config-"));
    const ca = join(dir, "ca.pem");
    writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    const c = resolveConfig({
      env: {
        CSP_CLOUD: "emulator",
        CSP_LOGIN_URL: "https://127.0.0.1:8443",
        CSP_PARTNER_CENTER_URL: "https://127.0.0.1:8443/partnercenter/",
        CSP_GRAPH_URL: "https://127.0.0.1:8443/graph",
        CSP_ARM_URL: "https://127.0.0.1:8443/arm",
        CSP_CA_CERT: ca,
        CSP_HTTP_LOG: "logs/http.log",
        CSP_MAX_RETRIES: "2",
        CSP_TIMEOUT_MS: "5000",
        HTTPS_PROXY: "http://proxy:3128",
        NO_PROXY: "127.0.0.1,localhost",
      },
      getConfig: noStack,
    });
    expect(c.endpoints).toEqual({
      login: "https://127.0.0.1:8443",
      partnerCenter: "https://127.0.0.1:8443/partnercenter",
      graph: "https://127.0.0.1:8443/graph",
      arm: "https://127.0.0.1:8443/arm",
    });
    expect(c.caCertPem).toContain("BEGIN CERTIFICATE");
    expect(c).toMatchObject({
      cloud: "emulator",
      httpLogFile: "logs/http.log",
      maxRetries: 2,
      timeoutMs: 5000,
    });
    expect(c).toMatchObject({ proxyUrl: "http://proxy:3128", noProxy: "127.0.0.1,localhost" });
  });

  it("uses the 21Vianet endpoints for the china cloud", () => {
    const c = resolveConfig({ env: {}, getConfig: stackOf({ "csp:cloud": "china" }) });
    expect(c.endpoints.login).toBe("https://login.chinacloudapi.cn");
    expect(c.endpoints.partnerCenter).toBe("https://partner.partnercenterapi.microsoftonline.cn");
  });

  it("fails clearly on explicit mistakes: unknown cloud, emulator without URLs, unreadable files", () => {
    const attempt = (env: Record<string, string>) => {
      try {
        resolveConfig({ env, getConfig: noStack });
        return undefined;
      } catch (e) {
        return e;
      }
    };
    const cloud = attempt({ CSP_CLOUD: "mars" });
    expect(isCspError(cloud) && cloud.code).toBe("CSP_CONFIG");
    expect(String(cloud)).toContain("CSP_CLOUD");
    expect(String(attempt({ CSP_CLOUD: "emulator", CSP_LOGIN_URL: "https://127.0.0.1:1" }))).toContain(
      "CSP_PARTNER_CENTER_URL",
    );
    expect(String(attempt({ CSP_REFRESH_TOKEN_FILE: "/nonexistent/rt" }))).toContain(
      "CSP_REFRESH_TOKEN_FILE",
    );
  });
});

describe("requireAccount", () => {
  it("names the variables to set when credentials are missing", () => {
    const c = resolveConfig({ env: { CSP_ACCOUNT_EU_TENANT_ID: "t" }, getConfig: noStack });
    expect(() => requireAccount(c, "eu", "user")).toThrow(
      /CSP_ACCOUNT_EU_CLIENT_ID.*CSP_ACCOUNT_EU_CLIENT_SECRET.*CSP_ACCOUNT_EU_REFRESH_TOKEN/,
    );
    expect(() => requireAccount(c, "default", "app")).toThrow(/CSP_TENANT_ID/);
  });
});

describe("missingAccountSettings", () => {
  it("names the ids an account lacks, and for app-only tokens a secret or certificate too", () => {
    const bare = { name: "eu", tenantId: "", clientId: "c" };
    expect(missingAccountSettings(bare, "ids")).toEqual([
      "CSP_ACCOUNT_EU_TENANT_ID (or csp:accounts.eu.tenantId)",
    ]);
    expect(missingAccountSettings(bare, "app")).toEqual([
      "CSP_ACCOUNT_EU_TENANT_ID (or csp:accounts.eu.tenantId)",
      "CSP_ACCOUNT_EU_CLIENT_SECRET (or csp:accounts.eu.clientSecret) or CSP_ACCOUNT_EU_CLIENT_CERTIFICATE_PATH (or csp:accounts.eu.clientCertificatePath)",
    ]);
    const withCertificate = { name: "default", tenantId: "t", clientId: "c", clientCertificatePem: "pem" };
    expect(missingAccountSettings(withCertificate, "app")).toEqual([]);
  });
});
