import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckResult } from "../../cli/doctorChecks";
import { type RunningEmulator, startEmulator } from "../../emulator/index";
import { createAccessAssignment } from "../../provider/clients/graph/delegatedAdminAccessAssignments";
import {
  createRelationship,
  postRelationshipRequest,
} from "../../provider/clients/graph/delegatedAdminRelationships";
import { createHandlerContext } from "../../provider/context";
import type { HandlerContext } from "../../provider/handlers/types";
import { createTestCustomer } from "../support/identityFixtures";
import {
  createUserWithoutMfa,
  fakePulumi,
  leakedSecrets,
  pulumiProject,
  refreshTokenFor,
  runCliCaptured,
  ScriptedBrowser,
  tempDir,
} from "./cliTestKit";

const USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";

let emu: RunningEmulator;
let ctx: HandlerContext;
let browser: ScriptedBrowser;
let cwd: string;
/** Everything the doctor printed in this file, checked for secrets at the end. */
let printed = "";

beforeAll(async () => {
  emu = await startEmulator();
  ctx = await createHandlerContext(() => undefined, emu.env);
  browser = new ScriptedBrowser(emu.caCertPem);
  cwd = tempDir("doctor");
});
afterAll(async () => {
  await browser.close();
  await emu.stop();
});

/** Runs `pulumi-csp doctor --json <args>` with the emulator's environment plus `env`. */
async function doctor(args: string[], env: Record<string, string | undefined> = {}) {
  const run = await runCliCaptured(["doctor", "--json", ...args], {
    env: { ...emu.env, HOME: cwd, PATH: "", ...env },
    cwd,
  });
  printed += run.out + run.err;
  const results = JSON.parse(run.out) as CheckResult[];
  const by = (check: string) => {
    const r = results.find((x) => x.check === check);
    if (!r) throw new Error(`no ${check} in ${JSON.stringify(results.map((x) => x.check))}`);
    return r;
  };
  return { code: run.code, results, by, run };
}

/** A customer whose admin consented the partner app through the URL `pulumi-csp consent-url` prints. */
async function consentedCustomer(): Promise<{ customerId: string; domain: string }> {
  const customer = await createTestCustomer(ctx, "doctor");
  const run = await runCliCaptured(["consent-url", "--customer", customer.domain], { env: emu.env, cwd });
  expect(run.code).toBe(0);
  const visit = await browser.visit(run.out.trim(), (next) => next.hostname === "localhost");
  const back = new URL(visit.url).searchParams;
  expect(back.get("admin_consent")).toBe("True");
  expect(back.get("tenant")).toBe(customer.customerId);
  return customer;
}

/** A GDAP relationship with the customer, locked for approval; approved and assigned when asked. */
async function gdapRelationship(
  customerId: string,
  options: { approve: boolean; assign: boolean },
): Promise<string> {
  const graph = ctx.api().graph;
  const rel = await createRelationship(graph, {
    displayName: `doctor-${customerId.slice(0, 8)}-${Date.now().toString(36)}`,
    duration: "P730D",
    customer: { tenantId: customerId },
    accessDetails: { unifiedRoles: [{ roleDefinitionId: USER_ADMINISTRATOR }] },
    autoExtendDuration: "PT0S",
  });
  await postRelationshipRequest(graph, rel.id, "lockForApproval");
  if (options.approve) await emu.admin.approveGdapRelationship(rel.id);
  if (options.assign)
    await createAccessAssignment(graph, rel.id, emu.seed.adminAgentsGroupId, [USER_ADMINISTRATOR]);
  return rel.id;
}

describe("pulumi-csp doctor against a healthy emulator", () => {
  it("passes every check for a consented customer with an active GDAP relationship, and exits 0", async () => {
    const customer = await consentedCustomer();
    const relationship = await gdapRelationship(customer.customerId, { approve: true, assign: true });
    const d = await doctor([
      "--customer",
      customer.customerId,
      "--gdap-relationship",
      relationship,
      "--role",
      "User Administrator",
    ]);
    expect(d.results.filter((r) => r.status !== "PASS")).toEqual([]);
    expect(d.code).toBe(0);
    expect(d.results.map((r) => r.check)).toEqual([
      "credentials",
      "endpoints",
      "app-token:partner-center",
      "app-token:graph",
      "app-token:arm",
      "user-token",
      "partner-center",
      "mpa",
      "customer",
      "consent",
      "gdap",
    ]);
    expect(d.by("endpoints").detail).toContain(`cloud emulator (local emulator)`);
    expect(d.by("endpoints").detail).toContain(`TLS handshake OK with ${new URL(emu.url).host}`);
    expect(d.by("user-token").detail).toContain(`as ${emu.seed.adminAgentUpn}`);
    expect(d.by("user-token").detail).toContain("sign-in with MFA");
    expect(d.by("mpa").detail).toContain("MicrosoftPartnerAgreement");
    expect(d.by("gdap").detail).toContain("is active with roles User Administrator");
  });

  it("finds the customer's active GDAP relationship without its id, and checks required roles", async () => {
    const customer = await consentedCustomer();
    await gdapRelationship(customer.customerId, { approve: true, assign: true });
    const ok = await doctor(["--customer", customer.customerId, "--role", USER_ADMINISTRATOR]);
    expect(ok.by("gdap").status).toBe("PASS");
    const missing = await doctor(["--customer", customer.customerId, "--role", "Global Reader"]);
    expect(missing.by("gdap")).toMatchObject({ status: "FAIL" });
    expect(missing.by("gdap").detail).toContain("lacks Global Reader");
    expect(missing.code).toBe(1);
  });

  it("prints readable PASS/FAIL/SKIP lines with fixes and a summary without --json", async () => {
    const run = await runCliCaptured(["doctor"], { env: { ...emu.env, HOME: cwd, PATH: "" }, cwd });
    printed += run.out + run.err;
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^PASS {2}credentials: account "default"/m);
    expect(run.out).toMatch(/^SKIP {2}consent: pass --customer/m);
    expect(run.out).toContain("All checks passed: 8 passed, 0 failed, 3 skipped.");
  });
});

describe("pulumi-csp doctor reading the stack configuration", () => {
  it("uses csp:* values of the selected stack (secrets included) when run in a Pulumi project", async () => {
    const dir = tempDir("doctor-stack");
    const config = JSON.stringify({
      "csp:refreshToken": { value: emu.seed.refreshToken, secret: true },
      "aws:region": { value: "eu-west-1", secret: false },
    });
    const fake = fakePulumi(dir, config);
    const project = pulumiProject(dir);
    const env = { ...emu.env, CSP_REFRESH_TOKEN: undefined, HOME: dir, PATH: fake.binDir };
    const run = await runCliCaptured(["doctor"], { env, cwd: project });
    printed += run.out + run.err;
    expect(run.out).toContain("configuration: environment and stack config (1 csp:* keys)");
    expect(run.out).toMatch(/^PASS {2}user-token: /m);
    expect(run.code).toBe(0);
    const envOnly = await runCliCaptured(["doctor", "--no-stack"], { env, cwd: project });
    printed += envOnly.out + envOnly.err;
    expect(envOnly.out).toMatch(/^SKIP {2}user-token: no refresh token configured/m);
    expect(envOnly.code).toBe(1);
  });
});

describe("pulumi-csp doctor failing with the right message", () => {
  it("reports a wrong client secret on every app-only token with the secret's fix", async () => {
    const d = await doctor([], { CSP_CLIENT_SECRET: "wrong-secret-value-123" });
    expect(d.code).toBe(1);
    for (const check of ["app-token:partner-center", "app-token:graph", "app-token:arm"]) {
      expect(d.by(check).status).toBe("FAIL");
      expect(d.by(check).detail).toContain("AADSTS7000215");
      expect(d.by(check).fix).toContain("the client secret is wrong");
    }
    expect(d.by("partner-center").status).toBe("SKIP");
    expect(d.run.out).not.toContain("wrong-secret-value-123");
  });

  it("reports a revoked refresh token and says to run pulumi-csp login again", async () => {
    const token = await refreshTokenFor(emu, emu.seed.adminAgentUpn);
    await emu.admin.revokeRefreshTokens(emu.seed.adminAgentUserId);
    try {
      const d = await doctor([], { CSP_REFRESH_TOKEN: token });
      expect(d.code).toBe(1);
      expect(d.by("user-token").status).toBe("FAIL");
      expect(d.by("user-token").detail).toContain("AADSTS50173");
      expect(d.by("user-token").fix).toContain("pulumi-csp login");
      expect(d.by("mpa").status).toBe("SKIP");
      expect(d.by("app-token:partner-center").status).toBe("PASS");
      expect(d.run.out).not.toContain(token);
    } finally {
      await emu.reset();
      ctx = await createHandlerContext(() => undefined, emu.env);
    }
  });

  it("reports a refresh token expired after 90 days without use", async () => {
    await emu.admin.advanceTime(91 * 24 * 3600_000);
    try {
      const d = await doctor([]);
      expect(d.by("user-token").status).toBe("FAIL");
      expect(d.by("user-token").detail).toContain("AADSTS700082");
      expect(d.by("user-token").fix).toContain("re-run onboarding (`pulumi-csp login`)");
    } finally {
      await emu.reset();
      ctx = await createHandlerContext(() => undefined, emu.env);
    }
  });

  it("reports a refresh token from a sign-in without MFA", async () => {
    const upn = await createUserWithoutMfa(emu);
    const token = await refreshTokenFor(emu, upn);
    const d = await doctor([], { CSP_REFRESH_TOKEN: token });
    expect(d.code).toBe(1);
    expect(d.by("user-token").status).toBe("FAIL");
    expect(d.by("user-token").detail).toContain(`user ${upn}`);
    expect(d.by("user-token").detail).toContain("did not use multi-factor authentication");
    expect(d.by("user-token").fix).toContain("enable MFA");
  });

  it("reports a customer where the partner app was never consented, pointing at consent-url", async () => {
    const customer = await createTestCustomer(ctx, "noconsent");
    const d = await doctor(["--customer", customer.customerId]);
    expect(d.code).toBe(1);
    expect(d.by("customer").status).toBe("PASS");
    expect(d.by("consent").status).toBe("FAIL");
    expect(d.by("consent").detail).toContain(`no consent in customer tenant ${customer.customerId}`);
    expect(d.by("consent").detail).toContain("AADSTS700016");
    expect(d.by("consent").fix).toContain(`pulumi-csp consent-url --customer ${customer.customerId}`);
  });

  it("does not claim a missing consent for a tenant that does not exist", async () => {
    const unknown = "0badc0de-0000-4000-8000-000000000001";
    const d = await doctor(["--customer", unknown]);
    expect(d.by("customer")).toMatchObject({ status: "FAIL" });
    expect(d.by("customer").detail).toContain("is not a customer of this partner");
    expect(d.by("consent").status).toBe("FAIL");
    expect(d.by("consent").detail).toContain(`could not check the consent in customer tenant ${unknown}`);
    expect(d.by("consent").detail).toContain("AADSTS90002");
  });

  it("reports a GDAP relationship still waiting for the customer's approval, with the approval link", async () => {
    const customer = await consentedCustomer();
    const relationship = await gdapRelationship(customer.customerId, { approve: false, assign: false });
    const d = await doctor(["--customer", customer.customerId, "--gdap-relationship", relationship]);
    expect(d.code).toBe(1);
    expect(d.by("consent").status).toBe("PASS");
    expect(d.by("gdap").status).toBe("FAIL");
    expect(d.by("gdap").detail).toContain("is approvalPending, not active");
    expect(d.by("gdap").fix).toContain(`granularAdminRelationships/${relationship}`);
    // Without the id, the customer's relationships are searched and the pending one reported.
    const found = await doctor(["--customer", customer.customerId]);
    expect(found.by("gdap").detail).toContain("approvalPending");
  });

  it("reports an active GDAP relationship whose roles no security group holds", async () => {
    const customer = await consentedCustomer();
    const relationship = await gdapRelationship(customer.customerId, { approve: true, assign: false });
    const d = await doctor(["--gdap-relationship", relationship]);
    expect(d.by("gdap").status).toBe("FAIL");
    expect(d.by("gdap").detail).toContain("no active access assignment");
    expect(d.by("gdap").fix).toContain("GdapAccessAssignment");
  });

  it("reports an untrusted emulator certificate on the endpoints check, naming CSP_CA_CERT", async () => {
    const d = await doctor([], { CSP_CA_CERT: undefined, NODE_EXTRA_CA_CERTS: undefined });
    expect(d.code).toBe(1);
    expect(d.by("endpoints").status).toBe("FAIL");
    expect(d.by("endpoints").detail).toContain("system CAs only");
    expect(d.by("endpoints").fix).toContain("set CSP_CA_CERT");
  });

  it("names the missing variables and skips what depends on them", async () => {
    const d = await doctor([], { CSP_CLIENT_SECRET: undefined, CSP_REFRESH_TOKEN: undefined });
    expect(d.by("credentials").status).toBe("FAIL");
    expect(d.by("credentials").fix).toContain("CSP_CLIENT_SECRET (or csp:clientSecret)");
    expect(d.by("credentials").fix).toContain("CSP_REFRESH_TOKEN (or csp:refreshToken)");
    expect(d.by("app-token:graph").status).toBe("SKIP");
    expect(d.by("user-token").status).toBe("SKIP");
  });

  it("reports configuration that cannot be resolved as one failed check", async () => {
    const d = await doctor([], { CSP_CLOUD: "mars" });
    expect(d.code).toBe(1);
    expect(d.results).toEqual([
      expect.objectContaining({
        check: "configuration",
        status: "FAIL",
        fix: expect.stringContaining("CSP_CLOUD"),
      }),
    ]);
  });

  it("never printed a secret in any of these runs", () => {
    expect(printed.length).toBeGreaterThan(1000);
    expect(
      leakedSecrets(printed, { clientSecret: emu.seed.clientSecret, refreshToken: emu.seed.refreshToken }),
    ).toEqual([]);
  });
});
