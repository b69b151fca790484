import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCheckpoint } from "../../automation/checkpoint";
import { type RunProgramResult, runProgram } from "../../automation/runProgram";
import type { Command } from "../../automation/runSummary";
import { type RunningEmulator, startEmulator } from "../../emulator/index";
import { assertBuilt } from "../support/distFreshness";

/**
 * pulumi-csp's dynamic resources under the real engine (Pulumi CLI through the Automation API),
 * one stack going through a resource's whole life: what the engine stores for them (the
 * serialized provider is a one-line require, not a closure), a no-op preview, update in place,
 * replacement, delete, retainOnDelete and protect, each checked against the emulator's request
 * log (which API writes each run made). Program: test/support/programs/lifecycle (its users wait
 * for a GDAP access assignment; the emulator approves the relationship at once).
 */

const root = path.resolve(__dirname, "..", "..");
const programDir = path.join(root, "test", "support", "programs", "lifecycle");

let emu: RunningEmulator;
let dir: string;
const config: Record<string, string> = { domainPrefix: `life${Date.now().toString(36)}` };

beforeAll(async () => {
  assertBuilt(root, [
    "provider/host.ts",
    "provider/providerModule.ts",
    "provider/handlers/directory/customerUser.ts",
  ]);
  emu = await startEmulator({ sandbox: true, autoApproveGdap: true });
  config.gdapGroupId = emu.seed.gdapAdminsGroupId;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-lifecycle-"));
});

afterAll(async () => {
  await emu?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function run(
  command: Command,
  settings: Record<string, string> = {},
  options: { expectNoChanges?: boolean } = {},
): Promise<RunProgramResult> {
  Object.assign(config, settings);
  return runProgram({ command, programDir, stateDir: dir, config, env: emu.env, ...options });
}

function ok(result: RunProgramResult): RunProgramResult {
  if (!result.ok) {
    throw new Error(
      `${result.command} failed: ${JSON.stringify(result.errors)}\n${result.stderr.slice(-2000)}`,
    );
  }
  return result;
}

/** `name → op` of the pulumi-csp resources of a run. */
function ops(result: RunProgramResult): Record<string, string> {
  return Object.fromEntries(
    result.resources.filter((r) => r.displayType.startsWith("csp:")).map((r) => [r.name, r.op]),
  );
}

async function lastSeq(): Promise<number> {
  return (await emu.admin.requestLog()).at(-1)?.seq ?? 0;
}

/** API writes since `seq`, as `METHOD /path`. */
async function writesSince(seq: number): Promise<string[]> {
  return (await emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).map(
    (e) => `${e.method} ${e.path}`,
  );
}

async function userState(customerId: string, userId: string): Promise<string | undefined> {
  return (await emu.admin.state()).directory[customerId]?.users[userId]?.state;
}

describe("pulumi-csp resources through a stack's life on the Pulumi engine", () => {
  let customerId: string;
  let ids: { operator: string; temp: string; kept: string };

  it("creates them, and the engine stores the provider as a one-line require of pulumi-csp", async () => {
    const up = ok(await run("up"));
    expect(ops(up)).toEqual({
      customer: "create",
      gdap: "create",
      "gdap-access": "create",
      operator: "create",
      temp: "create",
      kept: "create",
    });
    customerId = String(up.outputs.customerId);
    ids = {
      operator: String(up.outputs.operatorId),
      temp: String(up.outputs.tempId),
      kept: String(up.outputs.keptId),
    };

    const checkpoint = readCheckpoint(up.workspace);
    const ours = checkpoint?.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/csp:")) ?? [];
    expect(ours.map((r) => r.type).sort()).toEqual([
      "pulumi-nodejs:dynamic/csp:Customer",
      "pulumi-nodejs:dynamic/csp:CustomerUser",
      "pulumi-nodejs:dynamic/csp:CustomerUser",
      "pulumi-nodejs:dynamic/csp:CustomerUser",
      "pulumi-nodejs:dynamic/csp:GdapAccessAssignment",
      "pulumi-nodejs:dynamic/csp:GdapRelationship",
    ]);
    for (const r of ours) {
      const type = r.type.slice("pulumi-nodejs:dynamic/csp:".length);
      const expected = `exports.handler = function () { return require("pulumi-csp/dist/provider/host").handler("${type}"); };\n`;
      expect(r.inputs?.__provider).toBe(expected);
      expect(r.outputs?.__provider).toBe(expected);
      expect(Buffer.byteLength(expected)).toBeLessThan(1024);
    }
    expect(checkpoint?.pendingOperations).toEqual([]);
    expect(ours.find((r) => r.urn.endsWith("::kept"))?.retainOnDelete).toBe(true);
  });

  it("previews the unchanged program as no changes (--expect-no-changes), without an API write", async () => {
    const seq = await lastSeq();
    const preview = ok(await run("preview", {}, { expectNoChanges: true }));
    expect(new Set(Object.values(ops(preview)))).toEqual(new Set(["same"]));
    // (The access assignment's check reads its relationship as the admin agent: a token redemption.)
    expect((await writesSince(seq)).filter((w) => !w.includes("/oauth2/"))).toEqual([]);
  });

  it("updates in place, deletes what left the program, and drops a retained resource without deleting it", async () => {
    const seq = await lastSeq();
    const up = ok(await run("up", { displayName: "Operator EU", withTemp: "false", withKept: "false" }));
    expect(ops(up)).toEqual({
      customer: "same",
      gdap: "same",
      "gdap-access": "same",
      operator: "update",
      temp: "delete",
      kept: "delete",
    });
    expect(up.resources.find((r) => r.name === "kept")?.retained).toBe(true);
    const users = `/v1/customers/${customerId}/users`;
    expect((await writesSince(seq)).filter((w) => !w.includes("/oauth2/")).sort()).toEqual(
      [`PATCH ${users}/${ids.operator}`, `DELETE ${users}/${ids.temp}`].sort(),
    );
    const tenant = (await emu.admin.state()).directory[customerId];
    expect(tenant?.users[ids.operator]?.displayName).toBe("Operator EU");
    expect(await userState(customerId, ids.kept)).toBe("active");
    expect(await userState(customerId, ids.temp)).not.toBe("active");
    const names = (readCheckpoint(up.workspace)?.resources ?? []).map((r) =>
      r.urn.slice(r.urn.lastIndexOf("::") + 2),
    );
    expect(names).not.toContain("temp");
    expect(names).not.toContain("kept");
  });

  it("replaces a user whose UPN changes: the new one first, then the old one deleted", async () => {
    const seq = await lastSeq();
    const up = ok(await run("up", { userName: "operator", protectCustomer: "true" }));
    expect(ops(up)).toEqual({ customer: "same", gdap: "same", "gdap-access": "same", operator: "replace" });
    expect(up.resources.find((r) => r.name === "operator")?.replaces).toEqual(["userPrincipalName"]);
    const newId = String(up.outputs.operatorId);
    expect(newId).not.toBe(ids.operator);
    const users = `/v1/customers/${customerId}/users`;
    expect((await writesSince(seq)).filter((w) => !w.includes("/oauth2/"))).toEqual([
      `POST ${users}`,
      `DELETE ${users}/${ids.operator}`,
    ]);
    expect(await userState(customerId, newId)).toBe("active");
    ids.operator = newId;
  });

  it("never deletes a protected customer; destroy still deletes the unprotected resources that depend on it", async () => {
    // The engine deletes dependents first and stops at the protected resource: protect only
    // protects the resource that carries it (protect the users too to keep them).
    const seq = await lastSeq();
    const destroy = await run("destroy");
    expect(destroy.ok).toBe(false);
    expect(destroy.exitCode).not.toBe(0);
    expect(destroy.errors.map((e) => e.message).join("\n")).toMatch(/protected/);
    expect(destroy.resources.find((r) => r.name === "customer")?.status).not.toBe("done");
    // The users first, then the GDAP access assignment and relationship (terminated) they waited for.
    // (A GET that finds the termination completed changes the emulator's state, but is no write.)
    const writes = (await writesSince(seq)).filter((w) => !w.includes("/oauth2/") && !w.startsWith("GET "));
    expect(writes[0]).toBe(`DELETE /v1/customers/${customerId}/users/${ids.operator}`);
    expect(writes.slice(1).map((w) => w.replace(/[0-9a-f-]{36}(-[0-9a-f-]{36})?/g, "{id}"))).toEqual([
      "DELETE /v1.0/tenantRelationships/delegatedAdminRelationships/{id}/accessAssignments/{id}",
      "POST /v1.0/tenantRelationships/delegatedAdminRelationships/{id}/requests",
    ]);
    expect((await emu.admin.state()).partnerCenter.customers[customerId]).toBeDefined();
    const left = (readCheckpoint(destroy.workspace)?.resources ?? []).filter((r) => r.type.includes("csp:"));
    expect(left.map((r) => [r.type, r.protect])).toEqual([["pulumi-nodejs:dynamic/csp:Customer", true]]);
  });
});
