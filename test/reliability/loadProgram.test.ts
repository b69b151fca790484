import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index";
import { runProgram } from "../harness/runProgram";
import type { StackState } from "../harness/stackState";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";
import { findDuplicates, findOrphans, takeCensus } from "./support/emulatorCensus";
import { LOAD_RESOURCES_PER_TENANT, loadFigures, writeLoadProject } from "./support/loadProgram";

/**
 * Load (issue 8): the gitops example with generated customer files (customer, agreement, Azure
 * plan, an extra subscription, a user with a directory role, the partner app's consent), applied
 * by the local runner with its default parallelism (every independent resource at once) against
 * an emulator enforcing the documented Partner Center limits. Nothing may be answered 429 and
 * everything must converge. 8 customers here; the 50-customer run with its figures is
 * `node dist/test/bench/reliabilityFigures.js load`. Needs `dist/` (npx tsc -p .).
 */

const root = path.resolve(__dirname, "..", "..");
const CUSTOMERS = 8;

let emu: RunningEmulator;
let dir: string;

beforeAll(async () => {
  assertBuilt(root, [
    ...sourcesUnder(root, "test/harness"),
    ...sourcesUnder(root, "provider"),
    ...sourcesUnder(root, "components"),
    "examples/gitops/index.ts",
  ]);
  emu = await startEmulator({ enforceRateLimits: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-load-"));
});

afterAll(async () => {
  await emu?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe(`${CUSTOMERS} customers' tenants applied at once against enforced Partner Center limits`, () => {
  it("are all created with no request answered 429, no duplicate and no orphan, and a preview then shows no change", async () => {
    const programDir = writeLoadProject(dir, CUSTOMERS);
    const stateFile = path.join(dir, "load.json");
    const env = { ...emu.env, PULUMI_CONFIG_PASSPHRASE: "load-test" };
    const up = await runProgram({ command: "up", programDir, stateFile, env });
    expect(up.errors).toEqual([]);
    expect(up.ok).toBe(true);

    const figures = loadFigures(await emu.admin.requestLog());
    expect(figures.throttled).toBe(0);
    expect(figures.byFamily.consent).toBe(CUSTOMERS);
    // Within the documented limits in every window, not just without 429s.
    expect(figures.peakPerWindow.customer).toBeLessThanOrEqual(500);
    expect(figures.peakPerWindow.consent).toBeLessThanOrEqual(50);

    const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as StackState;
    const dynamic = state.resources.filter((r) => r.kind === "dynamic");
    expect(dynamic).toHaveLength(CUSTOMERS * LOAD_RESOURCES_PER_TENANT);
    expect(dynamic.filter((r) => !r.id).map((r) => r.name)).toEqual([]);
    const census = takeCensus(await emu.admin.state());
    expect(census.filter((e) => e.kind === "customer")).toHaveLength(CUSTOMERS);
    expect(findDuplicates(census)).toEqual([]);
    expect(findOrphans(census, fs.readFileSync(stateFile, "utf8"))).toEqual([]);

    const preview = await runProgram({ command: "preview", programDir, stateFile, env });
    expect(preview.ok).toBe(true);
    expect(preview.resources.filter((r) => r.op !== "same" && !r.unmanaged).map((r) => r.name)).toEqual([]);
  });
});
