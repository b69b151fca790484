import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededSecurityGroupIds } from "../../emulator/login/index";
import { killEmulatorDuringUp, survivedEmulatorKill } from "../../reliability/emulatorKill";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";

/**
 * The file-backed emulator (`node dist/emulator/main.js --data-dir ...`) SIGKILLed in the middle of
 * the quickstart's `up`, while the program's parallel writes (users, consent, agreement, GDAP...)
 * are in flight: restarted from the same directory it loads, still has every object it had
 * answered (all of a snapshot taken just before the kill, and every id the checkpoint recorded), and
 * the next `pulumi up` (the real CLI, v3.248.0, file backend) converges. The interrupted `up` fails
 * its steps and ends normally: no lock and no pending operation to repair. The per-request crash safety of the store itself (a torn temp file, SIGKILL
 * during token rotations) is `test/emulator/corePersistence.test.ts`; this extends it to a
 * quickstart-sized world. This file kills after the 6th write (the customer and its first
 * parallel writes answered); every kill point (after the 1st, 2nd... 16th write) runs in
 * `npm run reliability -- crash` (reliability/figures.ts).
 */

const root = path.resolve(__dirname, "..", "..");
let dir: string;

beforeAll(() => {
  assertBuilt(root, [
    ...sourcesUnder(root, "emulator"),
    ...sourcesUnder(root, "automation"),
    ...sourcesUnder(root, "provider"),
    "examples/quickstart/index.ts",
  ]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-crash-emulator-"));
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("a file-backed emulator killed with SIGKILL in the middle of the quickstart's writes", () => {
  it("restarts with everything it acknowledged, and the next up converges with no duplicate or orphan", {
    timeout: 180_000,
  }, async () => {
    const dataDir = path.join(dir, "emulator");
    fs.mkdirSync(dataDir);
    const outcome = await killEmulatorDuringUp({
      dataDir,
      programDir: path.join(root, "examples", "quickstart"),
      stateDir: path.join(dir, "quickstart"),
      passphrase: "crash-emulator-test",
      killAfterWrites: 6,
      // The customer approves the quickstart's GDAP relationship at once: this is about crashes.
      emulatorArgs: ["--auto-approve-gdap"],
      config: (partnerTenantId) => ({
        gdapSecurityGroupId: seededSecurityGroupIds(partnerTenantId).gdapAdminsGroupId,
      }),
    });

    // Killed mid-run: the up in progress failed, with at least the customer and five more writes answered.
    expect(outcome.answeredBeforeKill).toBeGreaterThanOrEqual(6);
    expect(outcome.interruptedRunFailed).toBe(true);

    // The snapshot holds the customer, its consent, users, agreement... (at least one per write).
    expect(outcome.snapshotSize).toBeGreaterThanOrEqual(6);
    expect(outcome.loaded).toBe(true);
    expect(outcome.lost).toEqual([]);
    expect(outcome.recordedMissing).toEqual([]);
    expect(outcome.lockedAfterKill).toBe(false);
    expect(outcome.pendingAfterKill).toEqual([]);
    expect(outcome.recovery).toEqual(["pulumi up --yes"]);

    expect(outcome.rerunErrors).toEqual([]);
    expect(outcome.rerunOk).toBe(true);
    expect(outcome.duplicates).toEqual([]);
    expect(outcome.orphans).toEqual([]);
    // The quickstart's 13 pulumi-csp resources (no partner access configured), each with its id.
    expect(outcome.resources).toBe(13);
    expect(outcome.incomplete).toEqual([]);
    expect(outcome.previewChanges).toEqual([]);
    // The verdict `npm run reliability` prints for each kill, given the clean run's count.
    expect(survivedEmulatorKill(outcome, 13)).toBe(true);
  });
});
