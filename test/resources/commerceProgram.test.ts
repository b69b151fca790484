import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProgram } from "../harness/runProgram";
import { type EmulatorContext, startEmulatorContext } from "../support/emulatorContext";

/**
 * The commerce resources as a user runs them: a Pulumi program (test/support/programs/commerce)
 * through the local runner, with the real dynamic-provider host, against the emulator.
 * Needs `dist/` (npx tsc -p .).
 */

const programDir = path.join(__dirname, "..", "support", "programs", "commerce");

let t: EmulatorContext;
let dir: string;
let env: Record<string, string>;
let config: Record<string, string>;

beforeAll(async () => {
  t = await startEmulatorContext();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-commerce-"));
  env = { ...t.emu.env, CSP_ALLOW_PURCHASES: "true", PULUMI_CONFIG_PASSPHRASE: "test-passphrase" };
  config = { "commerce-test:domainPrefix": `prog${Date.now().toString(36)}` };
});
afterAll(async () => {
  await t?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Operations on the pulumi-csp resources of a run, by display type. */
function ops(summary: { resources: { displayType: string; op: string }[] }): Record<string, string> {
  return Object.fromEntries(
    summary.resources.filter((r) => r.displayType.startsWith("csp:")).map((r) => [r.displayType, r.op]),
  );
}

const ALL = ["csp:AzurePlan", "csp:AzureSubscription", "csp:Customer", "csp:CustomerAgreement"];

function run(command: "preview" | "up" | "refresh" | "destroy", extraEnv: Record<string, string> = {}) {
  return runProgram({
    command,
    programDir,
    stateFile: path.join(dir, "state.json"),
    config,
    env: { ...env, ...extraEnv },
  });
}

describe("commerce program", () => {
  it("previews the purchases as billable creates without writing anything", async () => {
    const seq = (await t.emu.admin.requestLog()).at(-1)?.seq ?? 0;
    const preview = await run("preview");
    expect(preview.ok).toBe(true);
    const steps = Object.fromEntries(preview.resources.map((r) => [r.displayType, r]));
    expect(steps["csp:Customer"]?.op).toBe("create");
    expect(steps["csp:AzurePlan"]?.billable).toBe(true);
    expect(steps["csp:AzureSubscription"]?.billable).toBe(true);
    expect(steps["csp:Customer"]?.billable).toBeFalsy();
    expect(
      await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true, service: "partnerCenter" }),
    ).toEqual([]);
  });

  it("refuses the whole preview when purchases are disabled for the stack", async () => {
    const preview = await run("preview", { CSP_ALLOW_PURCHASES: "false" });
    expect(preview.ok).toBe(false);
    expect(preview.errors.map((e) => e.message).join("\n")).toMatch(/purchases are disabled for this stack/);
  });

  it("creates everything, keeps the admin password secret, and is a no-op the second time", async () => {
    const up = await run("up");
    expect(up.errors).toEqual([]);
    expect(up.ok).toBe(true);
    expect(ops(up)).toEqual(Object.fromEntries(ALL.map((k) => [k, "create"])));
    expect(up.outputs["adminPassword"]).toBe("[secret]");
    expect(String(up.outputs["customerDeletion"])).toMatch(/^deleteTenant:/);
    const state = fs.readFileSync(path.join(dir, "state.json"), "utf8");
    const customerId = String(up.outputs["customerId"]);
    expect(state).toContain(customerId);
    expect(state).not.toMatch(/"adminPassword":\s*"[^"]/);

    const again = await run("up");
    expect(again.ok).toBe(true);
    expect(ops(again)).toEqual(Object.fromEntries(ALL.map((k) => [k, "same"])));
    const refresh = await run("refresh");
    expect(refresh.ok).toBe(true);
  });

  it("destroys: cancels the subscriptions, suspends the plan and deletes the sandbox customer", async () => {
    const destroy = await run("destroy");
    expect(destroy.errors).toEqual([]);
    expect(destroy.ok).toBe(true);
    expect(ops(destroy)).toEqual(Object.fromEntries(ALL.map((k) => [k, "delete"])));
    const state = await t.emu.admin.state();
    expect(Object.values(state.azure.subscriptions).every((s) => s.entitlementStatus === "inactive")).toBe(
      true,
    );
  });
});
