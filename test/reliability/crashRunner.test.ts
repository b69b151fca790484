import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorState, type RunningEmulator, startEmulator } from "../../emulator/index";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";
import { type CleanRun, type CrashTarget, cleanRun, crashAndConverge } from "./support/crashCycle";
import { findDuplicates, findOrphans, takeCensus } from "./support/emulatorCensus";
import type { KillPoint } from "./support/runnerKill";

/**
 * Crash safety of the quickstart `up` (issue 8): the local runner is SIGKILLed while one provider
 * write is in flight; the emulator then commits that write to a caller that is gone (the object
 * exists, no state records it: the most dangerous moment). The next `up` must converge: no second
 * customer, plan, order, subscription, user, role membership, application, consent, grant, role
 * assignment or GDAP relationship, a complete state with every resource's id, and no object at the
 * emulator that no resource owns. Three representative kill points run here; every provider write
 * in both kill modes runs in `node dist/test/bench/reliabilityFigures.js crash` (README figures).
 * Needs `dist/` (npx tsc -p .).
 */

const root = path.resolve(__dirname, "..", "..");

let emu: RunningEmulator;
let dir: string;
let target: CrashTarget;
let clean: CleanRun;
/** The emulator's world and the state file right after the clean run. */
let cleanWorld: EmulatorState;
let cleanStateText: string;

beforeAll(async () => {
  assertBuilt(root, [
    ...sourcesUnder(root, "test/harness"),
    ...sourcesUnder(root, "provider"),
    ...sourcesUnder(root, "components"),
    "examples/quickstart/index.ts",
  ]);
  emu = await startEmulator({});
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-crash-runner-"));
  target = {
    emulator: emu,
    programDir: path.join(root, "examples", "quickstart"),
    stateFile: path.join(dir, "quickstart.json"),
    env: { ...emu.env, PULUMI_CONFIG_PASSPHRASE: "crash-runner-test" },
  };
  clean = await cleanRun(target);
  cleanWorld = await emu.admin.state();
  cleanStateText = fs.readFileSync(target.stateFile, "utf8");
});

afterAll(async () => {
  await emu?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function point(label: string): KillPoint {
  const found = clean.points.find((p) => p.label === label);
  if (!found) {
    throw new Error(
      `the quickstart no longer writes ${label}: ${clean.points.map((p) => p.label).join("; ")}`,
    );
  }
  return found;
}

describe("the census the crash checks rely on", () => {
  it("finds nothing wrong in a clean quickstart world, and flags a second customer, plan and user and an unrecorded object", () => {
    expect(findDuplicates(takeCensus(cleanWorld))).toEqual([]);
    expect(findOrphans(takeCensus(cleanWorld), cleanStateText)).toEqual([]);

    const world = structuredClone(cleanWorld);
    const [customer] = Object.values(world.partnerCenter.customers);
    world.partnerCenter.customers["00000000-0000-4000-8000-000000000001"] = {
      ...customer,
      id: "00000000-0000-4000-8000-000000000001",
    };
    const subs = world.partnerCenter.subscriptions as Record<string, { id: string }>;
    const [plan] = Object.values(subs);
    subs.second = { ...plan, id: "00000000-0000-4000-8000-000000000002" };
    const tenant = world.directory[customer.id];
    const alice = Object.values(tenant.users).find((u) => u.userPrincipalName.startsWith("alice@"));
    if (!alice) throw new Error("the quickstart has no alice");
    tenant.users.x = { ...alice, id: "00000000-0000-4000-8000-000000000003" };

    const census = takeCensus(world);
    expect(
      findDuplicates(census)
        .map((d) => d.kind)
        .sort(),
    ).toEqual(["azurePlan", "customer", "user"]);
    expect(
      findOrphans(census, cleanStateText)
        .map((o) => o.id)
        .sort(),
    ).toEqual([
      "00000000-0000-4000-8000-000000000001",
      "00000000-0000-4000-8000-000000000002",
      "00000000-0000-4000-8000-000000000003",
    ]);
  });
});

describe("the quickstart up, killed with SIGKILL while a write is in flight, then run again", () => {
  it.each([
    ["the customer create", "POST partnerCenter /v1/customers", "creating contoso-customer"],
    [
      "the Azure plan checkout",
      "POST partnerCenter /v1/customers/{id}/carts/{id}/checkout",
      "creating contoso-plan",
    ],
    [
      "a user's directory role membership",
      "POST partnerCenter /v1/customers/{id}/directoryroles/{id}/usermembers",
      "creating contoso-user-",
    ],
  ])(
    "converges when killed during %s: no duplicate, no orphan, a complete state",
    async (_what, label, pending) => {
      const outcome = await crashAndConverge(target, clean, point(label), "inFlight");

      // The kill happened with the write in flight, and the write then committed at the emulator.
      expect(outcome.killed).toBe(true);
      expect(outcome.committedAfterKill).toBe(true);
      expect(outcome.pendingAfterKill.join("\n")).toContain(pending);

      expect(outcome.rerunErrors).toEqual([]);
      expect(outcome.rerunOk).toBe(true);
      expect(outcome.duplicates).toEqual([]);
      expect(outcome.orphans).toEqual([]);
      expect(outcome.incomplete).toEqual([]);
      expect(outcome.countDiffs).toEqual([]);
    },
  );
});
