import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ItemService } from "../fixtures/itemService";
import { type RunProgramResult, runProgram } from "../harness/runProgram";
import type { Command } from "../harness/runSummary";
import type { StackState } from "../harness/stackState";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";

/**
 * Whole-program layer (dynamic-providers reference, "Test layers" 4): the fixture program
 * (test/fixtures/programs/items) runs through the local runner CLI, with the real SDK and the real
 * dynamic-provider host; its hand-written dynamic provider writes to an in-process item service,
 * whose request log shows exactly which API calls each command made.
 */

const root = path.resolve(__dirname, "..", "..");
const programDir = path.join(root, "test", "fixtures", "programs", "items");
const PASSPHRASE = "correct horse battery staple";

let service: ItemService;
let dir: string;

beforeAll(async () => {
  assertBuilt(root, sourcesUnder(root, "test/harness"));
  service = await ItemService.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-runner-"));
});

afterAll(async () => {
  await service?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function run(
  command: Command,
  stateFile: string,
  config: Record<string, string> = {},
  env: Record<string, string | undefined> = {},
): Promise<RunProgramResult> {
  return runProgram({
    command,
    programDir,
    stateFile,
    config,
    env: { FIXTURE_SERVICE_URL: service.url, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE, ...env },
  });
}

/** `name → op` for the fixture items of a run. */
function ops(result: RunProgramResult): Record<string, string> {
  return Object.fromEntries(
    result.resources.filter((r) => r.displayType === "fixture:Item").map((r) => [r.name, r.op]),
  );
}

function readState(file: string): StackState {
  return JSON.parse(fs.readFileSync(file, "utf8")) as StackState;
}

function idOf(state: StackState, name: string): string | undefined {
  return state.resources.find((r) => r.name === name && !r.delete)?.id;
}

/** Writes to the service since the given log position, as `METHOD /path`. */
function writesSince(mark: number): string[] {
  return service.log
    .slice(mark)
    .filter((r) => r.write)
    .map((r) => `${r.method} ${r.path}`);
}

describe("a program's lifecycle through the local runner", () => {
  let stateFile: string;
  beforeAll(() => {
    service.reset();
    stateFile = path.join(dir, "lifecycle.json");
  });

  it("previews a new stack with Check only: no write call, no state file", async () => {
    const preview = await run("preview", stateFile);
    expect(preview.errors).toEqual([]);
    expect(preview.exitCode).toBe(0);
    expect(ops(preview)).toEqual({ a: "create", "group-b": "create" });
    expect(preview.resources.every((r) => r.status === "planned")).toBe(true);
    expect(preview.providerCalls).toEqual({ configure: 1, check: 2 });
    expect(service.log).toEqual([]);
    expect(fs.existsSync(stateFile)).toBe(false);
    // Outputs of resources not created yet are unknown.
    expect(preview.outputs.aId).toBe("[unknown]");
    expect(preview.outputs.aLabel).toBe("alpha");
  });

  it("creates the resources, a dependent one after its dependency, and records them in the state", async () => {
    const up = await run("up", stateFile);
    expect(up.errors).toEqual([]);
    expect(ops(up)).toEqual({ a: "create", "group-b": "create" });
    expect(up.counts).toMatchObject({ create: 4, failed: 0 });
    expect(writesSince(0)).toEqual(["POST /items", "POST /items"]);
    expect([...service.items.values()].map((i) => i.label).sort()).toEqual(["alpha", "alpha-child"]);

    const state = readState(stateFile);
    const a = state.resources.find((r) => r.name === "a");
    const b = state.resources.find((r) => r.name === "group-b");
    expect(a?.id).toBe(up.outputs.aId);
    expect(b?.id).toBe(up.outputs.bId);
    expect(b?.parent).toMatch(/::fixture:index:Group::group$/);
    expect(b?.urn).toMatch(/::fixture:index:Group\$pulumi-nodejs:dynamic\/fixture:Item::group-b$/);
    expect(b?.dependencies).toEqual([a?.urn]);
    expect(typeof a?.inputs.__provider).toBe("string");
    expect(state.pendingOperations).toEqual([]);

    // The secret output is encrypted in the file and still a secret in the program.
    const token = service.items.get(a?.id ?? "")?.token;
    expect(token).toMatch(/^tok-/);
    const text = fs.readFileSync(stateFile, "utf8");
    expect(text).not.toContain(token);
    expect(text).toContain('"ciphertext": "v1:');
    expect(up.outputs.aToken).toBe("[secret]");
    expect(up.outputs.aTokenIsSecret).toBe(true);
  });

  it("previews an unchanged program as no changes, with no write call, secrets read back as secrets", async () => {
    const mark = service.log.length;
    const preview = await run("preview", stateFile);
    expect(preview.errors).toEqual([]);
    expect(preview.outputs.aToken).toBe("[secret]");
    expect(preview.outputs.aTokenIsSecret).toBe(true);
    expect(ops(preview)).toEqual({ a: "same", "group-b": "same" });
    expect(preview.counts).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0, same: 4 });
    expect(preview.providerCalls).toMatchObject({ check: 2, diff: 2 });
    expect(preview.providerCalls.create ?? 0).toBe(0);
    expect(writesSince(mark)).toEqual([]);
  });

  it("refreshes outputs from the service with Read", async () => {
    const aId = idOf(readState(stateFile), "a") ?? "";
    service.items.get(aId)!.label = "changed-outside";
    const refresh = await run("refresh", stateFile);
    expect(refresh.errors).toEqual([]);
    const step = refresh.resources.find((r) => r.name === "a");
    expect(step?.op).toBe("update");
    expect(step?.diffs).toEqual(["label"]);
    const a = readState(stateFile).resources.find((r) => r.name === "a");
    expect(a?.outputs.label).toBe("changed-outside");
    expect(refresh.providerCalls).toMatchObject({ read: 2 });
  });

  it("updates in place when an input changes, shows the changed property, records an unmanaged resource", async () => {
    const mark = service.log.length;
    const config = { "fixture:labelA": "beta", "fixture:withUnmanaged": "true", "fixture:withKept": "true" };
    const up = await run("up", stateFile, config);
    expect(up.errors).toEqual([]);
    expect(ops(up)).toEqual({ a: "update", "group-b": "update", kept: "create" });
    expect(up.resources.find((r) => r.name === "a")?.diffs).toEqual(["label"]);
    const aId = idOf(readState(stateFile), "a") ?? "";
    const bId = idOf(readState(stateFile), "group-b");
    expect(writesSince(mark).sort()).toEqual(
      ["POST /items", `PUT /items/${aId}`, `PUT /items/${bId}`].sort(),
    );
    expect(service.items.get(aId)?.label).toBe("beta");
    const u = up.resources.find((r) => r.name === "u");
    expect(u).toMatchObject({ op: "create", unmanaged: true });
    expect(readState(stateFile).resources.find((r) => r.name === "u")?.kind).toBe("unmanaged");
  });

  it("deletes a resource that left the program, and drops a retained one without deleting it", async () => {
    const keptId = idOf(readState(stateFile), "kept") ?? "";
    const bId = idOf(readState(stateFile), "group-b") ?? "";

    const mark = service.log.length;
    const up = await run("up", stateFile, { "fixture:labelA": "beta", "fixture:withB": "false" });
    expect(up.errors).toEqual([]);
    expect(ops(up)).toEqual({ a: "same", "group-b": "delete", kept: "delete" });
    expect(up.resources.find((r) => r.name === "kept")?.retained).toBe(true);
    expect(writesSince(mark)).toEqual([`DELETE /items/${bId}`]);
    expect(service.items.has(keptId)).toBe(true);
    const names = readState(stateFile).resources.map((r) => r.name);
    expect(names).not.toContain("group-b");
    expect(names).not.toContain("group");
    expect(names).not.toContain("kept");
    expect(names).not.toContain("u");
  });

  it("destroys everything that is left", async () => {
    const aId = idOf(readState(stateFile), "a") ?? "";
    const mark = service.log.length;
    const destroy = await run("destroy", stateFile);
    expect(destroy.errors).toEqual([]);
    expect(ops(destroy)).toEqual({ a: "delete" });
    expect(writesSince(mark)).toEqual([`DELETE /items/${aId}`]);
    expect(readState(stateFile).resources).toEqual([]);
  });
});

describe("replacements", () => {
  it("creates the replacement before deleting the old object, or deletes first when asked", async () => {
    service.reset();
    const stateFile = path.join(dir, "replace.json");
    const config = { "fixture:withB": "false" };
    await run("up", stateFile, config);
    const first = idOf(readState(stateFile), "a") ?? "";

    let mark = service.log.length;
    const cbd = await run("up", stateFile, { ...config, "fixture:kindA": "gold" });
    expect(cbd.errors).toEqual([]);
    const step = cbd.resources.find((r) => r.name === "a");
    expect(step).toMatchObject({ op: "replace", replaces: ["kind"] });
    const second = idOf(readState(stateFile), "a") ?? "";
    expect(writesSince(mark)).toEqual(["POST /items", `DELETE /items/${first}`]);

    mark = service.log.length;
    const dbr = await run("up", stateFile, {
      ...config,
      "fixture:kindA": "platinum",
      "fixture:dbrA": "true",
    });
    expect(dbr.errors).toEqual([]);
    expect(dbr.resources.find((r) => r.name === "a")).toMatchObject({
      op: "replace",
      deleteBeforeReplace: true,
    });
    expect(writesSince(mark)).toEqual([`DELETE /items/${second}`, "POST /items"]);
    expect([...service.items.values()].map((i) => i.kind)).toEqual(["platinum"]);
    expect(readState(stateFile).resources.filter((r) => r.name === "a")).toHaveLength(1);
  });
});

describe("protection", () => {
  it("refuses to destroy a protected resource and leaves it untouched", async () => {
    service.reset();
    const stateFile = path.join(dir, "protect.json");
    const protectedConfig = { "fixture:withB": "false", "fixture:protectA": "true" };
    await run("up", stateFile, protectedConfig);
    const aId = idOf(readState(stateFile), "a") ?? "";

    const mark = service.log.length;
    const destroy = await run("destroy", stateFile);
    expect(destroy.ok).toBe(false);
    expect(destroy.exitCode).toBe(1);
    expect(destroy.errors[0]).toMatchObject({ name: "a", type: "fixture:Item" });
    expect(destroy.errors[0].message).toContain("marked for protection");
    expect(writesSince(mark)).toEqual([]);
    expect(service.items.has(aId)).toBe(true);
  });
});

describe("secrets without a passphrase", () => {
  it("refuses to create a resource with secret outputs instead of writing them in plain text", async () => {
    service.reset();
    const stateFile = path.join(dir, "nopass.json");
    const up = await run(
      "up",
      stateFile,
      { "fixture:withB": "false" },
      { PULUMI_CONFIG_PASSPHRASE: undefined },
    );
    expect(up.ok).toBe(false);
    expect(up.errors[0]).toMatchObject({ name: "a" });
    expect(up.errors[0].message).toContain("PULUMI_CONFIG_PASSPHRASE");
    expect(service.writes()).toEqual([]);
  });
});

describe("in-process mode", () => {
  it("runs the program in the calling process, again on a second call, with the same plan as the CLI", async () => {
    service.reset();
    const stateFile = path.join(dir, "in-process.json");
    for (let i = 0; i < 2; i++) {
      const preview = await runProgram({
        command: "preview",
        programDir,
        stateFile,
        mode: "inProcess",
        env: { FIXTURE_SERVICE_URL: service.url, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE },
      });
      expect(preview.errors).toEqual([]);
      expect(ops(preview)).toEqual({ a: "create", "group-b": "create" });
      expect(preview.providerCalls).toEqual({ configure: 1, check: 2 });
    }
    expect(service.log).toEqual([]);
  });
});
