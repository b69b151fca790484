import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ItemService } from "../fixtures/itemService";
import { runProgram } from "../harness/runProgram";
import type { StackState } from "../harness/stackState";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";

/**
 * A runner killed with SIGKILL mid-`up` loses nothing it created: the state is written atomically
 * after every step, so the next `up` finds the first object and creates only what is missing.
 */

const root = path.resolve(__dirname, "..", "..");
const programDir = path.join(root, "test", "fixtures", "programs", "items");

let service: ItemService;
let dir: string;

beforeAll(async () => {
  assertBuilt(root, sourcesUnder(root, "test/harness"));
  service = await ItemService.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-crash-"));
});

afterAll(async () => {
  await service?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("a runner killed right after the first created resource", () => {
  it("resumes on the next up with no duplicate and a complete state", async () => {
    const stateFile = path.join(dir, "state.json");
    const env = { FIXTURE_SERVICE_URL: service.url, PULUMI_CONFIG_PASSPHRASE: "crash-test" };
    let runner: ChildProcess | undefined;
    // "group-b" needs "a"'s output, so its create starts only after "a" is recorded. Hold that
    // second create, kill the runner, and drop the request unanswered (never committed).
    service.holdNext({ method: "POST", path: /^\/items$/, skip: 1 }, (req) => {
      runner?.kill("SIGKILL");
      req.socket.destroy();
    });
    const killed = await runProgram({
      command: "up",
      programDir,
      stateFile,
      env,
      onSpawn: (child) => {
        runner = child;
      },
    });
    expect(killed.signal).toBe("SIGKILL");
    expect(service.items.size).toBe(1);
    const [first] = [...service.items.keys()];
    const interrupted = JSON.parse(fs.readFileSync(stateFile, "utf8")) as StackState;
    expect(interrupted.resources.find((r) => r.name === "a")?.id).toBe(first);
    expect(interrupted.pendingOperations.map((p) => [p.operation, p.urn.split("::").pop()])).toEqual([
      ["creating", "group-b"],
    ]);

    const resumed = await runProgram({ command: "up", programDir, stateFile, env });
    expect(resumed.errors).toEqual([]);
    const ops = Object.fromEntries(
      resumed.resources.filter((r) => r.displayType === "fixture:Item").map((r) => [r.name, r.op]),
    );
    expect(ops).toEqual({ a: "same", "group-b": "create" });
    expect(resumed.warnings.join("\n")).toContain("interrupted while creating");

    const posts = service.log.filter((r) => r.method === "POST");
    expect(posts).toHaveLength(2);
    expect(service.items.size).toBe(2);
    const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as StackState;
    const ids = state.resources.filter((r) => r.kind === "dynamic").map((r) => r.id);
    expect(ids.sort()).toEqual([...service.items.keys()].sort());
    expect(state.pendingOperations).toEqual([]);
  });
});

describe("a runner interrupted with Ctrl-C during a create", () => {
  it("lets the create finish, records it, starts nothing else and exits with an error", async () => {
    service.reset();
    const stateFile = path.join(dir, "interrupt.json");
    const env = { FIXTURE_SERVICE_URL: service.url, PULUMI_CONFIG_PASSPHRASE: "crash-test" };
    let runner: ChildProcess | undefined;
    // The create of "a" is in progress when SIGINT arrives; "kept" (independent) may be too;
    // "group-b" needs "a"'s output, so it would start after the interrupt.
    service.holdNext(
      { method: "POST", path: /^\/items$/, body: (b) => b.label === "alpha" },
      (_req, release) => {
        runner?.kill("SIGINT");
        setTimeout(release, 300);
      },
    );
    const result = await runProgram({
      command: "up",
      programDir,
      stateFile,
      env,
      config: { "fixture:withKept": "true" },
      onSpawn: (child) => {
        runner = child;
      },
    });
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.errors.map((e) => e.message).join("\n")).toContain("interrupted");
    expect([...service.items.values()].map((i) => i.label)).not.toContain("alpha-child");
    expect(service.items.size).toBeGreaterThanOrEqual(1);
    const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as StackState;
    const recorded = state.resources.filter((r) => r.kind === "dynamic").map((r) => r.id);
    // Every object the service holds is in the state; nothing started after the interrupt.
    expect(recorded.sort()).toEqual([...service.items.keys()].sort());
    expect(state.pendingOperations).toEqual([]);
  });
});
