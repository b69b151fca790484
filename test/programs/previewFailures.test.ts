import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProgram } from "../../automation/runProgram";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";

/**
 * A preview whose checks cannot run fails through the Pulumi CLI, with one clear error naming the
 * configuration problem: no credentials (a CI run from a fork without secrets), a wrong client
 * secret, an endpoint where nothing listens. Never a green preview listing purchases.
 */

const root = path.resolve(__dirname, "..", "..");
const quickstart = path.join(root, "examples", "quickstart");
let emu: RunningEmulator;
let scratch: string;

beforeAll(async () => {
  assertBuilt(root, [...sourcesUnder(root, "provider"), ...sourcesUnder(root, "automation")]);
  // The quickstart's GDAP relationship is approved at once: these tests are about failing checks.
  emu = await startEmulator({ sandbox: true, autoApproveGdap: true });
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "csp-preview-failures-"));
});

afterAll(async () => {
  await emu?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const noCspVariables = (): Record<string, undefined> =>
  Object.fromEntries(
    Object.keys(process.env)
      .filter((k) => k.startsWith("CSP_"))
      .map((k) => [k, undefined]),
  );

async function preview(name: string, env: Record<string, string | undefined>) {
  const result = await runProgram({
    command: "preview",
    programDir: quickstart,
    stateDir: path.join(scratch, name),
    env: { ...noCspVariables(), ...env },
  });
  expect(result.ok, name).toBe(false);
  expect(result.exitCode, name).not.toBe(0);
  // One error per cause, without stack traces into the package's sources.
  expect(
    result.errors.map((e) => e.name),
    name,
  ).toEqual(["contoso-customer"]);
  expect(result.stdout, name).not.toMatch(/\bat .*\.(ts|js):\d+/);
  expect(result.stdout, name).not.toContain("[BILLABLE PURCHASE]");
  expect(result.stdout.length, name).toBeLessThan(4000);
  return result.errors[0]!.message;
}

describe("a preview that cannot run its checks fails", () => {
  it("without any credentials, naming the variables to set", async () => {
    const {
      CSP_TENANT_ID: _t,
      CSP_CLIENT_ID: _c,
      CSP_CLIENT_SECRET: _s,
      CSP_REFRESH_TOKEN: _r,
      ...endpoints
    } = emu.env;
    const message = await preview("none", endpoints);
    expect(message).toContain(
      "the preview cannot check whether the domain contosodemo.onmicrosoft.com is free",
    );
    expect(message).toContain("CSP_TENANT_ID");
  });

  it("with a wrong client secret, saying the secret is wrong without showing it", async () => {
    const message = await preview("secret", { ...emu.env, CSP_CLIENT_SECRET: "not-the-secret" });
    expect(message).toContain("AADSTS7000215");
    expect(message).toContain("CSP_CLIENT_SECRET");
    expect(message).not.toContain("not-the-secret");
  });

  it("against an endpoint where nothing listens, naming the URL and asking whether the emulator runs", async () => {
    const dead = "https://127.0.0.1:9";
    const message = await preview("unreachable", {
      ...emu.env,
      CSP_LOGIN_URL: dead,
      CSP_PARTNER_CENTER_URL: `${dead}/partnercenter`,
      CSP_GRAPH_URL: `${dead}/graph`,
      CSP_ARM_URL: `${dead}/arm`,
    });
    expect(message).toContain(dead);
    expect(message).toContain("is the emulator running?");
  });

  it("a refresh with a wrong secret shows the full error once, and points every other resource to it", async () => {
    const stateDir = path.join(scratch, "refresh");
    const config = { gdapSecurityGroupId: emu.seed.gdapAdminsGroupId };
    expect(
      (await runProgram({ command: "up", programDir: quickstart, stateDir, env: emu.env, config })).ok,
    ).toBe(true);
    const refresh = await runProgram({
      command: "refresh",
      programDir: quickstart,
      stateDir,
      config,
      env: { ...emu.env, CSP_CLIENT_SECRET: "not-the-secret" },
    });
    expect(refresh.ok).toBe(false);
    expect(refresh.stdout).toContain("refreshing failed");
    const messages = refresh.errors.filter((e) => e.urn).map((e) => e.message);
    expect(messages.length).toBeGreaterThan(5);
    expect(messages.filter((m) => m.includes("What to do: the client secret is wrong"))).toHaveLength(1);
    for (const m of messages.filter((m) => !m.includes("What to do: the client secret is wrong"))) {
      expect(m).toMatch(/the same error as on another resource of this run \(AADSTS7000215\)/);
    }
  });
});
