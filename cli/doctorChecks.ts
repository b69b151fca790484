import { X509Certificate } from "node:crypto";
import { type Dispatcher, request } from "undici";
import { createMsalTokenProvider } from "../provider/auth/msalTokenProvider";
import type { TokenAudience, TokenProvider } from "../provider/auth/tokenProvider";
import { findPartnerBillingAccount } from "../provider/clients/arm/subscriptions";
import { createCspApi, sharedDispatcher } from "../provider/clients/createCspApi";
import type { CspApi } from "../provider/clients/cspApi";
import {
  findCustomersByDomain,
  getCustomer,
  type PcCustomer,
} from "../provider/clients/partnerCenter/customers";
import { accountVariableNames, missingAccountSettings } from "../provider/config";
import type { AccountCredentials, CspConfig } from "../provider/configTypes";
import { isCspError } from "../provider/errors";
import { gdapCustomerCheck, gdapRelationshipCheck } from "./doctorGdapChecks";
import { decodeJwtClaims, hasMfa, type TokenClaims, userName } from "./jwtClaims";

/** Outcome of one check. */
export type CheckStatus = "PASS" | "FAIL" | "SKIP";

/** One line of the doctor's report (also the `--json` element). */
export interface CheckResult {
  /** Stable name of the check, e.g. `app-token:partner-center`. */
  check: string;
  status: CheckStatus;
  /** What was found (never a secret). */
  detail: string;
  /** What to do about a failure (empty when there is nothing to do). */
  fix: string;
}

export interface DoctorInput {
  config: CspConfig;
  account: string;
  /** Customer tenant id or domain to check consent (and GDAP) for. */
  customer?: string;
  gdapRelationship?: string;
  /** Directory roles (names or template ids) the GDAP relationship must grant. */
  roles: string[];
  /** Receives every token obtained, so the output can be scrubbed of them. */
  onToken?: (token: string) => void;
  /** Test seam: the network (default: the configuration's shared dispatcher). */
  dispatcher?: Dispatcher;
  now?: () => number;
}

const SERVICE_LABEL: Record<TokenAudience, string> = {
  partnerCenter: "Partner Center",
  graph: "Microsoft Graph",
  arm: "Azure Resource Manager",
};

const SERVICE_SLUG: Record<TokenAudience, string> = {
  partnerCenter: "partner-center",
  graph: "graph",
  arm: "arm",
};

/**
 * Runs the doctor's checks in order. A check whose prerequisite failed is skipped (with the
 * reason) rather than failing again with a derived error. Never throws for a service failure:
 * every failure becomes a FAIL line with the service's message and what to do.
 */
export async function runDoctorChecks(input: DoctorInput): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const add = (r: CheckResult) => {
    results.push(r);
    return r;
  };
  const now = input.now ?? Date.now;
  // Diagnose quickly: a couple of retries and a short per-attempt timeout instead of the provider's budget.
  const config: CspConfig = {
    ...input.config,
    maxRetries: Math.min(input.config.maxRetries, 2),
    timeoutMs: Math.min(input.config.timeoutMs, 20_000),
  };
  const dispatcher = input.dispatcher ?? sharedDispatcher(config);
  const account: AccountCredentials = config.accounts[input.account] ?? {
    name: input.account,
    tenantId: "",
    clientId: "",
  };

  // 1. Credentials present.
  add(credentialsCheck(config, account));
  const canApp = Boolean(
    account.tenantId && account.clientId && (account.clientSecret || account.clientCertificatePem),
  );
  const canUser = canApp && Boolean(account.refreshToken);

  // 2. Endpoints and CA.
  add(await endpointsCheck(config, dispatcher));

  const inner = createMsalTokenProvider({ config, account, dispatcher });
  const tokens: TokenProvider = {
    async getToken(request, options) {
      const token = await inner.getToken(request, options);
      input.onToken?.(token);
      return token;
    },
  };
  const api = createCspApi(config, input.account, { dispatcher, tokens, rateLimiter: false });

  // 3. App-only tokens.
  const appOk: Partial<Record<TokenAudience, boolean>> = {};
  for (const service of ["partnerCenter", "graph", "arm"] as const) {
    const check = `app-token:${SERVICE_SLUG[service]}`;
    if (!canApp) {
      add(skip(check, "needs the app credentials (see credentials)"));
      continue;
    }
    const r = add(await tokenCheck(check, tokens, { service, mode: "app" }, now));
    appOk[service] = r.status === "PASS";
  }

  // 4. App+user token from the refresh token.
  let userOk = false;
  if (!canUser) {
    add(
      skip(
        "user-token",
        canApp
          ? "no refresh token configured (see credentials)"
          : "needs the app credentials (see credentials)",
      ),
    );
  } else {
    const r = add(await userTokenCheck(tokens, now));
    userOk = r.status === "PASS";
  }

  // 5. Partner Center reachable, MPA accepted.
  add(
    appOk.partnerCenter
      ? await partnerCenterCheck(api)
      : skip("partner-center", "needs an app-only Partner Center token (see app-token:partner-center)"),
  );
  add(userOk ? await mpaCheck(api) : skip("mpa", "needs an app+user token (see user-token)"));

  // 6. Customer: relationship, consent of the partner app there, GDAP.
  let customer: PcCustomer | undefined;
  let customerTenant: string | undefined;
  if (!input.customer) {
    add(skip("customer", "pass --customer <tenant id or domain> to check a customer", ""));
    add(
      skip("consent", "pass --customer <tenant id or domain> to check the partner app's consent there", ""),
    );
  } else {
    if (appOk.partnerCenter) {
      const found = await customerCheck(api, input.customer);
      add(found.result);
      customer = found.customer;
    } else {
      add(skip("customer", "needs an app-only Partner Center token (see app-token:partner-center)"));
    }
    customerTenant = customer?.id ?? input.customer;
    add(
      appOk.graph
        ? await consentCheck(tokens, customerTenant, input.customer, now)
        : skip("consent", "needs an app-only Graph token in the partner tenant (see app-token:graph)"),
    );
  }
  if (!input.gdapRelationship && !input.customer) {
    add(skip("gdap", "pass --gdap-relationship <id> or --customer <tenant id> to check GDAP", ""));
  } else if (!userOk) {
    add(skip("gdap", "needs an app+user token (see user-token)"));
  } else if (input.gdapRelationship) {
    add(await gdapRelationshipCheck(api, input.gdapRelationship, input.roles, customer?.id, now));
  } else if (customer?.id || isGuid(customerTenant ?? "")) {
    add(await gdapCustomerCheck(api, (customer?.id ?? customerTenant)!, input.roles, now));
  } else {
    add(skip("gdap", "the customer's tenant id is not known (see customer): pass --customer <tenant id>"));
  }
  return results;
}

export function pass(check: string, detail: string): CheckResult {
  return { check, status: "PASS", detail, fix: "" };
}

export function fail(check: string, detail: string, fix: string): CheckResult {
  return { check, status: "FAIL", detail, fix };
}

function skip(check: string, detail: string, fix = "fix the check it depends on first"): CheckResult {
  return { check, status: "SKIP", detail, fix };
}

/** A FAIL line from an error: the CspError's message without its hint as detail, the hint as fix. */
export function failFrom(check: string, e: unknown, fallbackFix: string): CheckResult {
  if (isCspError(e)) {
    const hintSuffix = e.hint ? `. What to do: ${e.hint}` : "";
    const detail =
      hintSuffix && e.message.endsWith(hintSuffix) ? e.message.slice(0, -hintSuffix.length) : e.message;
    return fail(check, detail, e.hint ?? fallbackFix);
  }
  return fail(check, e instanceof Error ? e.message : String(e), fallbackFix);
}

function credentialsCheck(config: CspConfig, account: AccountCredentials): CheckResult {
  const vars = accountVariableNames(account.name);
  const missing = missingAccountSettings(account, "app");
  if (!account.refreshToken) missing.push(`${vars.refreshToken} or ${vars.refreshTokenFile}`);
  const known = Object.keys(config.accounts);
  const have = [
    account.tenantId ? `tenant ${account.tenantId}` : undefined,
    account.clientId ? `client ${account.clientId}` : undefined,
    account.clientCertificatePem
      ? "client certificate set"
      : account.clientSecret
        ? "client secret set"
        : undefined,
    account.refreshToken ? "refresh token set" : undefined,
  ].filter(Boolean);
  const prefix = `account "${account.name}"${config.accounts[account.name] ? "" : ` is not configured${known.length ? ` (configured: ${known.join(", ")})` : ""}`}`;
  if (missing.length > 0) {
    const fix = `set ${missing.join("; ")}${!account.refreshToken ? " (`pulumi-csp login` writes the refresh token)" : ""}`;
    return fail(
      "credentials",
      `${prefix}: ${have.length ? `${have.join(", ")}; ` : ""}missing ${missing.join(", ")}`,
      fix,
    );
  }
  return pass("credentials", `${prefix}: ${have.join(", ")}`);
}

async function endpointsCheck(config: CspConfig, dispatcher: Dispatcher): Promise<CheckResult> {
  const e = config.endpoints;
  const where = `cloud ${config.cloud}${config.cloud === "emulator" ? " (local emulator)" : ""}${config.sandbox ? ", integration sandbox" : ""}: login ${e.login}, Partner Center ${e.partnerCenter}, Graph ${e.graph}, ARM ${e.arm}`;
  const ca = config.caCertPem ? `; extra CA ${describeCa(config.caCertPem)}` : "; system CAs only";
  const proxy = config.proxyUrl ? `; proxy ${safeOrigin(config.proxyUrl)}` : "";
  const origins = [...new Set([e.login, e.partnerCenter, e.graph, e.arm].map((u) => new URL(u).origin))];
  const failures: string[] = [];
  let tlsProblem = false;
  for (const origin of origins) {
    try {
      const res = await request(`${origin}/`, {
        dispatcher,
        method: "GET",
        signal: AbortSignal.timeout(Math.min(config.timeoutMs, 15_000)),
      });
      await res.body.dump();
    } catch (err) {
      const code = errorCode(err);
      if (code && /CERT|SELF_SIGNED|UNABLE_TO|TLS|SSL|HOSTNAME|ALTNAME/i.test(code)) tlsProblem = true;
      failures.push(`${origin}: ${code ?? (err instanceof Error ? err.message : String(err))}`);
    }
  }
  if (failures.length > 0) {
    const fix = tlsProblem
      ? `the server certificate is not trusted: set CSP_CA_CERT (or csp:caCert) to the CA PEM${config.cloud === "emulator" ? " of the emulator (the caCert that `npm run emulator` prints)" : " of your TLS-inspecting proxy"}`
      : config.cloud === "emulator"
        ? "start the emulator (`npm run emulator`) and set the CSP_*_URL variables it prints"
        : "check the network path to the endpoints (HTTPS_PROXY, NO_PROXY, firewall) and the CSP_*_URL overrides";
    return fail("endpoints", `${where}${ca}${proxy}; TLS connection failed for ${failures.join("; ")}`, fix);
  }
  return pass(
    "endpoints",
    `${where}${ca}${proxy}; TLS handshake OK with ${origins.map((o) => new URL(o).host).join(", ")}`,
  );
}

function describeCa(pem: string): string {
  const first = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0];
  if (!first) return "(not a PEM certificate)";
  try {
    const cert = new X509Certificate(first);
    const cn =
      cert.subject
        .split(/\n/)
        .find((l) => l.startsWith("CN="))
        ?.slice(3) ?? cert.subject.replace(/\n/g, ", ");
    return `"${cn}" (valid until ${new Date(cert.validTo).toISOString().slice(0, 10)})`;
  } catch {
    return "(unreadable certificate)";
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid URL)";
  }
}

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === "object"; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && code !== "UND_ERR_SOCKET") return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function expiry(claims: TokenClaims | undefined, now: () => number): string {
  if (!claims?.exp) return "";
  const minutes = Math.round((claims.exp * 1000 - now()) / 60_000);
  return `, expires ${new Date(claims.exp * 1000).toISOString()} (in ${minutes} min)`;
}

async function tokenCheck(
  check: string,
  tokens: TokenProvider,
  wanted: { service: TokenAudience; mode: "app"; tenantId?: string },
  now: () => number,
): Promise<CheckResult> {
  try {
    const token = await tokens.getToken(wanted);
    const claims = decodeJwtClaims(token);
    const roles = claims?.roles?.length ? `, application permissions: ${claims.roles.join(", ")}` : "";
    return pass(
      check,
      `app-only token for ${SERVICE_LABEL[wanted.service]}${claims?.aud ? ` (audience ${claims.aud})` : ""}${expiry(claims, now)}${roles}`,
    );
  } catch (e) {
    return failFrom(check, e, "check the account's tenant id, client id and secret or certificate");
  }
}

async function userTokenCheck(tokens: TokenProvider, now: () => number): Promise<CheckResult> {
  try {
    const token = await tokens.getToken({ service: "partnerCenter", mode: "user" });
    const claims = decodeJwtClaims(token);
    const who = userName(claims) ?? claims?.oid ?? "unknown user";
    if (!hasMfa(claims)) {
      return fail(
        "user-token",
        `the refresh token works (user ${who}${expiry(claims, now)}), but its sign-in did not use multi-factor authentication (amr: ${JSON.stringify(claims?.amr ?? [])}); Partner Center rejects app+user calls without MFA`,
        "enable MFA for the admin agent (security defaults or a Conditional Access policy) and run `pulumi-csp login` again",
      );
    }
    return pass(
      "user-token",
      `app+user token for Partner Center as ${who}${expiry(claims, now)}, sign-in with MFA (amr: ${(claims?.amr ?? []).join(", ")}); the refresh token rotates on use and expires after 90 days unused`,
    );
  } catch (e) {
    return failFrom("user-token", e, "run `pulumi-csp login` again");
  }
}

async function partnerCenterCheck(api: CspApi): Promise<CheckResult> {
  try {
    const res = await api.partnerCenter.send<{ totalCount?: number; items?: unknown[] }>({
      method: "GET",
      path: "/v1/customers",
      query: { size: 1 },
    });
    const count = res.body?.totalCount ?? res.body?.items?.length;
    return pass(
      "partner-center",
      `GET /v1/customers?size=1 answered HTTP ${res.status}${count !== undefined ? ` (totalCount ${count})` : ""}${res.requestId ? `, request id ${res.requestId}` : ""}`,
    );
  } catch (e) {
    return failFrom("partner-center", e, "check the Partner Center endpoint and the account's credentials");
  }
}

/**
 * [U] Partner Center has no documented "has this partner accepted the MPA" read for the partner
 * itself. The partner's Microsoft Partner Agreement billing account (ARM
 * `GET /providers/Microsoft.Billing/billingAccounts`, `agreementType: MicrosoftPartnerAgreement`,
 * documented in "Programmatically create Azure subscriptions for a Microsoft Partner Agreement with
 * the latest APIs",
 * https://learn.microsoft.com/azure/cost-management-billing/manage/programmatically-create-subscription-microsoft-partner-agreement)
 * exists once the MPA is signed; we take its presence as the signal. Its absence can also mean the
 * admin agent has no billing role in the partner tenant.
 */
async function mpaCheck(api: CspApi): Promise<CheckResult> {
  try {
    const account = await findPartnerBillingAccount(api.arm);
    if (!account) {
      return fail(
        "mpa",
        "[U] no billing account with agreementType MicrosoftPartnerAgreement is visible to the admin agent (GET /providers/Microsoft.Billing/billingAccounts): the Microsoft Partner Agreement looks not accepted",
        "have the partner's Global Administrator accept the Microsoft Partner Agreement in Partner Center (Settings > Account settings > Legal info); if it is accepted, give the admin agent a billing role (e.g. Global Administrator or Billing Administrator) in the partner tenant",
      );
    }
    return pass(
      "mpa",
      `[U] Microsoft Partner Agreement billing account found: ${account.properties?.displayName ?? account.name} (agreementType MicrosoftPartnerAgreement)`,
    );
  } catch (e) {
    return failFrom("mpa", e, "check the admin agent's access to Azure billing in the partner tenant");
  }
}

async function customerCheck(
  api: CspApi,
  customer: string,
): Promise<{ result: CheckResult; customer?: PcCustomer }> {
  try {
    let found: PcCustomer | undefined;
    if (isGuid(customer)) {
      found = await getCustomer(api.partnerCenter, customer);
    } else {
      found = (await findCustomersByDomain(api.partnerCenter, customer))[0];
    }
    if (!found) {
      return {
        result: fail(
          "customer",
          `${customer} is not a customer of this partner account in Partner Center`,
          "check the customer's tenant id or domain and the partner account (--account)",
        ),
      };
    }
    const profile = found.companyProfile;
    return {
      customer: found,
      result: pass(
        "customer",
        `customer ${found.id}${profile?.companyName ? ` "${profile.companyName}"` : ""}${profile?.domain ? ` (${profile.domain})` : ""}${found.relationshipToPartner ? `, relationship ${found.relationshipToPartner}` : ""}`,
      ),
    };
  } catch (e) {
    return { result: failFrom("customer", e, "check the customer id") };
  }
}

async function consentCheck(
  tokens: TokenProvider,
  tenant: string,
  given: string,
  now: () => number,
): Promise<CheckResult> {
  // A client-credentials token with the customer as authority exists only where the partner app has
  // a service principal, i.e. after consent there (Partner Center application consent or the
  // admin-consent URL: "Control Panel Vendor APIs for customer consent",
  // https://learn.microsoft.com/partner-center/developer/control-panel-vendor-apis; "Admin consent
  // on the Microsoft identity platform",
  // https://learn.microsoft.com/entra/identity-platform/v2-admin-consent).
  try {
    const token = await tokens.getToken({ service: "graph", mode: "app", tenantId: tenant });
    const claims = decodeJwtClaims(token);
    const roles = claims?.roles?.length ? claims.roles.join(", ") : "none";
    return pass(
      "consent",
      `the partner app is consented in customer tenant ${tenant}: app-only Graph token issued${expiry(claims, now)}, application permissions: ${roles}`,
    );
  } catch (e) {
    const r = failFrom("consent", e, "check the customer tenant id or domain");
    // AADSTS700016: the app is unknown in the tenant (no service principal); 65001 / 500011: not consented.
    const notConsented =
      isCspError(e) && ["AADSTS700016", "AADSTS65001", "AADSTS500011"].includes(e.serviceCode ?? "");
    if (!notConsented) {
      return fail("consent", `could not check the consent in customer tenant ${tenant}: ${r.detail}`, r.fix);
    }
    return fail(
      "consent",
      `the partner app has no consent in customer tenant ${tenant}: ${r.detail}`,
      `consent the partner app in the customer tenant: declare an ApplicationConsent for the customer (Partner Center application consent), or send the customer's Global Administrator the URL printed by \`pulumi-csp consent-url --customer ${given}\``,
    );
  }
}

function isGuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}
