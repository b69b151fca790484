import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCheckpoint } from "../../automation/checkpoint";
import { runProgram } from "../../automation/runProgram";
import { type RunningEmulator, startEmulator } from "../../emulator/index";
import { changesOf, dynamicResources, pendingOf } from "../../reliability/crashCycle";
import { findDuplicates, findOrphans, takeCensus } from "../../reliability/emulatorCensus";
import {
  LOAD_RESOURCES_PER_TENANT,
  loadFigures,
  loadStackConfig,
  writeLoadProject,
} from "../../reliability/loadProgram";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";

/**
 * Load (issue 8): the gitops example with generated customer files (customer, agreement, Azure
 * plan, an extra subscription, a user with a directory role, the partner app's consent), applied
 * by `pulumi up` (the real CLI, v3.248.0, with its default parallelism: every independent
 * resource at once) against an emulator enforcing the documented Partner Center limits. Nothing
 * may be answered 429 and everything must converge. 8 customers here (48 resources); the
 * 50-customer run with its figures is `npm run reliability -- load`. Needs `dist/` (npm run build).
 */

const root = path.resolve(__dirname, "..", "..");
const CUSTOMERS = 8;

let emu: RunningEmulator;
let dir: string;

beforeAll(async () => {
  assertBuilt(root, [
    ...sourcesUnder(root, "automation"),
    ...sourcesUnder(root, "provider"),
    ...sourcesUnder(root, "components"),
    "examples/gitops/index.ts",
  ]);
  // Customers approve the GDAP relationships at once: this test is about load.
  emu = await startEmulator({ enforceRateLimits: true, autoApproveGdap: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-load-"));
});

afterAll(async () => {
  await emu?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe(`${CUSTOMERS} customers' tenants applied at once against enforced Partner Center limits`, () => {
  it("are all created with no request answered 429, no duplicate and no orphan, and a preview then shows no change", {
    timeout: 240_000,
  }, async () => {
    const programDir = writeLoadProject(dir, CUSTOMERS);
    const stateDir = path.join(dir, "stack");
    const config = loadStackConfig(programDir, emu.seed.gdapAdminsGroupId);
    const env = { ...emu.env, PULUMI_CONFIG_PASSPHRASE: "load-test" };
    const up = await runProgram({ command: "up", programDir, stateDir, env, config });
    expect(up.errors).toEqual([]);
    expect(up.ok).toBe(true);

    const figures = loadFigures(await emu.admin.requestLog());
    expect(figures.throttled).toBe(0);
    expect(figures.byFamily.consent).toBe(CUSTOMERS);
    // Within the documented limits in every window, not just without 429s.
    expect(figures.peakPerWindow.customer).toBeLessThanOrEqual(500);
    expect(figures.peakPerWindow.consent).toBeLessThanOrEqual(50);

    const checkpoint = readCheckpoint(up.workspace);
    const dynamic = dynamicResources(checkpoint);
    expect(dynamic.size).toBe(CUSTOMERS * LOAD_RESOURCES_PER_TENANT);
    expect([...dynamic].filter(([, id]) => !id).map(([name]) => name)).toEqual([]);
    expect(pendingOf(checkpoint)).toEqual([]);
    const census = takeCensus(await emu.admin.state());
    expect(census.filter((e) => e.kind === "customer")).toHaveLength(CUSTOMERS);
    expect(census.filter((e) => e.kind === "azurePlan")).toHaveLength(CUSTOMERS);
    expect(findDuplicates(census)).toEqual([]);
    expect(findOrphans(census, checkpoint?.text ?? "")).toEqual([]);

    const preview = await runProgram({ command: "preview", programDir, stateDir, env, config });
    expect(changesOf(preview)).toEqual([]);
  });
});
