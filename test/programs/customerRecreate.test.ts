import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCheckpoint } from "../../automation/checkpoint";
import { runProgram } from "../../automation/runProgram";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";

/**
 * Two customers through the Pulumi CLI: up, destroy, up with a changed billing email, destroy, up
 * (integration sandbox, where destroy deletes the tenants). Every up must succeed and record two
 * live customers that were not deleted before; the emulator then holds exactly those two.
 */

const root = path.resolve(__dirname, "..", "..");
const program = path.join(root, "test", "fixtures", "programs", "two-customers");
let emu: RunningEmulator;
let stateDir: string;

beforeAll(async () => {
  assertBuilt(root, sourcesUnder(root, "provider"));
  emu = await startEmulator({ sandbox: true });
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-recreate-"));
});

afterAll(async () => {
  await emu?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

async function liveCustomerIds(): Promise<string[]> {
  const state = await emu.admin.state();
  return Object.values(state.partnerCenter.customers)
    .map((c) => c.id)
    .sort();
}

describe("customers destroyed and declared again through the Pulumi CLI", () => {
  it("up, destroy, up with a changed billing email, destroy, up: two live customers each time, none come back deleted", async () => {
    const run = Date.now().toString(36);
    const seen = new Set<string>();
    const emails = ["billing@north.example", "billing@north.example", "accounts@north.example"];
    for (const [cycle, billingEmail] of emails.entries()) {
      const common = { programDir: program, stateDir, env: emu.env, config: { run, billingEmail } };
      const up = await runProgram({ ...common, command: "up" });
      expect(up.errors, `cycle ${cycle}`).toEqual([]);
      expect(up.ok, `cycle ${cycle}`).toBe(true);
      const ids = [String(up.outputs.north), String(up.outputs.south)].sort();
      for (const id of ids) expect(seen.has(id), `cycle ${cycle}: ${id} was deleted before`).toBe(false);
      expect(await liveCustomerIds(), `cycle ${cycle}`).toEqual(ids);
      const recorded = readCheckpoint(up.workspace)
        ?.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/csp:Customer")
        .map((r) => r.id)
        .sort();
      expect(recorded).toEqual(ids);
      for (const id of ids) seen.add(id);
      if (cycle === emails.length - 1) break;
      const destroy = await runProgram({ ...common, command: "destroy" });
      expect(destroy.ok, `cycle ${cycle} destroy`).toBe(true);
      expect(await liveCustomerIds()).toEqual([]);
    }
  }, 180_000);
});
