import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCheckpoint } from "../../automation/checkpoint";
import { type RunProgramResult, runProgram } from "../../automation/runProgram";
import type { Command } from "../../automation/runSummary";
import { assertBuilt } from "../support/distFreshness";
import { type EmulatorContext, startEmulatorContext } from "../support/emulatorContext";

/**
 * The commerce resources as a user runs them: a Pulumi program (test/support/programs/commerce)
 * through the Pulumi CLI (Automation API) and the real dynamic-provider host, against the
 * emulator (integration sandbox). Then a second stack (test/support/programs/adopt) takes over the
 * customer the first one created, with `adopt` (`pulumi import` does not work for dynamic
 * resources). Needs `dist/` (npm run build).
 */

const root = path.join(__dirname, "..", "..");
const programDir = path.join(__dirname, "..", "support", "programs", "commerce");
const adoptDir = path.join(__dirname, "..", "support", "programs", "adopt");

let t: EmulatorContext;
let dir: string;
let env: Record<string, string>;
let config: Record<string, string>;

beforeAll(async () => {
  assertBuilt(root, [
    "provider/host.ts",
    "provider/handlers/commerce/customer.ts",
    "provider/handlers/commerce/azurePlan.ts",
  ]);
  t = await startEmulatorContext({ sandbox: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-commerce-"));
  env = { ...t.emu.env, CSP_ALLOW_PURCHASES: "true" };
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

function run(
  command: Command,
  extraEnv: Record<string, string> = {},
  expectNoChanges = false,
): Promise<RunProgramResult> {
  return runProgram({
    command,
    programDir,
    stateDir: path.join(dir, "commerce"),
    config,
    env: { ...env, ...extraEnv },
    expectNoChanges,
  });
}

async function lastSeq(): Promise<number> {
  return (await t.emu.admin.requestLog()).at(-1)?.seq ?? 0;
}

async function writesSince(seq: number): Promise<string[]> {
  return (await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).map(
    (e) => `${e.method} ${e.path}`,
  );
}

function ok(result: RunProgramResult): RunProgramResult {
  if (!result.ok) {
    throw new Error(
      `${result.command} failed: ${JSON.stringify(result.errors)}\n${result.stderr.slice(-2000)}`,
    );
  }
  return result;
}

describe("commerce program", () => {
  let customerId: string;

  it("previews the purchases as billable creates without writing anything", async () => {
    const seq = await lastSeq();
    const preview = ok(await run("preview"));
    const steps = Object.fromEntries(preview.resources.map((r) => [r.displayType, r]));
    expect(steps["csp:Customer"]?.op).toBe("create");
    expect(steps["csp:AzurePlan"]?.billable).toBe(true);
    expect(steps["csp:AzureSubscription"]?.billable).toBe(true);
    expect(steps["csp:Customer"]?.billable).toBeFalsy();
    expect(await writesSince(seq)).toEqual([]);
  });

  it("refuses the whole preview when purchases are disabled for the stack", async () => {
    const preview = await run("preview", { CSP_ALLOW_PURCHASES: "false" });
    expect(preview.ok).toBe(false);
    expect(preview.exitCode).not.toBe(0);
    expect(preview.errors.map((e) => e.message).join("\n")).toMatch(/purchases are disabled for this stack/);
  });

  it("creates everything, keeps the admin password secret, and is a no-op the second time", async () => {
    const up = ok(await run("up"));
    expect(up.errors).toEqual([]);
    expect(ops(up)).toEqual(Object.fromEntries(ALL.map((k) => [k, "create"])));
    expect(up.outputs.adminPassword).toBe("[secret]");
    expect(String(up.outputs.customerDeletion)).toMatch(/^deleteTenant:/);
    customerId = String(up.outputs.customerId);

    // The engine's checkpoint: the password is a ciphertext envelope, never plain text.
    const checkpoint = readCheckpoint(up.workspace);
    const customer = checkpoint?.resources.find((r) => r.type === "pulumi-nodejs:dynamic/csp:Customer");
    expect(customer?.id).toBe(customerId);
    expect(customer?.outputs?.adminPassword).toMatchObject({ ciphertext: expect.stringMatching(/^v1:/) });
    expect(checkpoint?.text).not.toMatch(/"adminPassword":\s*"[^"]/);
    expect(checkpoint?.pendingOperations).toEqual([]);

    const again = ok(await run("up"));
    expect(ops(again)).toEqual(Object.fromEntries(ALL.map((k) => [k, "same"])));
    // A refresh right after create finds no drift (the engine fails it on any change).
    ok(await run("refresh", {}, true));
  });

  it("lets a second stack adopt the customer and its Azure plan without buying, and let go of them without deleting", async () => {
    const adopt = (command: Command): Promise<RunProgramResult> =>
      runProgram({
        command,
        programDir: adoptDir,
        stateDir: path.join(dir, "adopt"),
        config: {
          "adopt-test:customerId": customerId,
          "adopt-test:domainPrefix": config["commerce-test:domainPrefix"]!,
        },
        // Purchases disabled: the preview would refuse anything that buys.
        env: { ...env, CSP_ALLOW_PURCHASES: "false" },
      });

    let seq = await lastSeq();
    const preview = ok(await adopt("preview"));
    expect(ops(preview)).toEqual({
      "csp:Customer": "create",
      "csp:CustomerAgreement": "create",
      "csp:AzurePlan": "create",
    });
    expect(await writesSince(seq)).toEqual([]);

    seq = await lastSeq();
    const up = ok(await adopt("up"));
    expect(up.outputs).toMatchObject({ adopted: true, planAdopted: true, agreementAdopted: true });
    expect(String(up.outputs.customerDeletion)).toMatch(/^leave:/);
    expect(up.resources.find((r) => r.displayType === "csp:Customer")?.id).toBe(customerId);
    // Nothing bought, nothing attested again: no cart, no order, no agreement written.
    const writes = await writesSince(seq);
    expect(writes.filter((w) => /carts|orders|agreements/i.test(w))).toEqual([]);

    seq = await lastSeq();
    const destroy = ok(await adopt("destroy"));
    expect(ops(destroy)).toEqual({
      "csp:Customer": "delete",
      "csp:CustomerAgreement": "delete",
      "csp:AzurePlan": "delete",
    });
    // An adopted sandbox customer is left (not deleted) and the plan stays active (onDelete: leave).
    expect(await writesSince(seq)).toEqual([]);
    const state = await t.emu.admin.state();
    expect(state.partnerCenter.customers[customerId]).toBeDefined();
    expect(readCheckpoint(destroy.workspace)?.resources ?? []).toEqual([]);
  });

  it("destroys: cancels the subscriptions, suspends the plan and deletes the sandbox customer", async () => {
    const destroy = ok(await run("destroy"));
    expect(destroy.errors).toEqual([]);
    expect(ops(destroy)).toEqual(Object.fromEntries(ALL.map((k) => [k, "delete"])));
    const state = await t.emu.admin.state();
    expect(Object.values(state.azure.subscriptions).every((s) => s.entitlementStatus === "inactive")).toBe(
      true,
    );
    expect(state.partnerCenter.customers[customerId]).toBeUndefined();
  });
});
