import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index";
import { createHandlerContext } from "../../provider/context";
import { createTestCustomer } from "../support/identityFixtures";
import { runCliCaptured, ScriptedBrowser, tempDir } from "./cliTestKit";

let emu: RunningEmulator;
let browser: ScriptedBrowser;
let cwd: string;

beforeAll(async () => {
  emu = await startEmulator();
  browser = new ScriptedBrowser(emu.caCertPem);
  cwd = tempDir("consent-url");
});
afterAll(async () => {
  await browser.close();
  await emu.stop();
});

const run = (args: string[], env: Record<string, string | undefined> = emu.env) =>
  runCliCaptured(["consent-url", ...args], { env: { ...env, PATH: "" }, cwd });

describe("pulumi-csp consent-url", () => {
  it("prints only the admin-consent URL of the partner app for the customer tenant on stdout", async () => {
    const tenant = "0f6a2a1e-64b5-4d57-9a4b-0a3c7e3f7a11";
    const r = await run([
      "--customer",
      tenant,
      "--redirect-uri",
      "https://partner.example/onboarded",
      "--state",
      "c42",
    ]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n")).toHaveLength(1);
    const url = new URL(r.out.trim());
    expect(`${url.origin}${url.pathname}`).toBe(`${emu.url}/${tenant}/adminconsent`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: emu.seed.clientId,
      redirect_uri: "https://partner.example/onboarded",
      state: "c42",
    });
    expect(r.err).toBe("");
  });

  it("uses the real login endpoint for the public cloud and a random state by default", async () => {
    const env = { CSP_CLIENT_ID: "11111111-2222-3333-4444-555555555555" };
    const a = await run(["--customer", "contoso.onmicrosoft.com"], env);
    const b = await run(["--customer", "contoso.onmicrosoft.com"], env);
    expect(a.code).toBe(0);
    const url = new URL(a.out.trim());
    expect(`${url.origin}${url.pathname}`).toBe(
      "https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent",
    );
    expect(url.searchParams.get("redirect_uri")).toBe("http://localhost");
    expect(url.searchParams.get("state")).not.toBe(new URL(b.out.trim()).searchParams.get("state"));
    expect(a.err).toContain("Pass --redirect-uri");
  });

  it("is a URL a customer's administrator can open to consent the partner app in the customer tenant", async () => {
    const ctx = await createHandlerContext(() => undefined, emu.env);
    const customer = await createTestCustomer(ctx, "consenturl");
    const r = await run(["--customer", customer.domain]);
    const visit = await browser.visit(r.out.trim(), (next) => next.hostname === "localhost");
    expect(new URL(visit.url).searchParams.get("admin_consent")).toBe("True");
    const state = await emu.admin.state();
    const sps = Object.values(state.directory[customer.customerId]?.servicePrincipals ?? {});
    expect(sps.some((sp) => sp.appId === emu.seed.clientId)).toBe(true);
  });

  it("rejects a missing or malformed customer and a non-https redirect URI with usage and exit code 2", async () => {
    for (const args of [
      [],
      ["--customer", "not a tenant"],
      ["--customer", "contoso.com", "--redirect-uri", "http://evil.example/"],
    ]) {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.err).toContain("usage: pulumi-csp consent-url");
      expect(r.out).toBe("");
    }
  });

  it("names the variable to set when no client id is configured", async () => {
    const r = await run(["--customer", "contoso.com"], {});
    expect(r.code).toBe(1);
    expect(r.err).toContain("pass --client-id or set CSP_CLIENT_ID (or csp:clientId)");
  });
});
