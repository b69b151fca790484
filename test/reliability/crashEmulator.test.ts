import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";
import { killEmulatorDuringUp } from "./support/emulatorKill";

/**
 * The file-backed emulator (`node dist/emulator/main.js --data-dir ...`) SIGKILLed in the middle of
 * the quickstart's `up`, while the program's parallel writes (users, consent, agreement, GDAP...)
 * are in flight: restarted from the same directory it loads, still has every object it had
 * answered (all of a snapshot taken just before the kill, and every id the stack recorded), and the
 * next `up` converges. The per-request crash safety of the store itself (a torn temp file, SIGKILL
 * during token rotations) is `test/emulator/corePersistence.test.ts`; this extends it to a
 * quickstart-sized world. Every kill point runs in `node dist/test/bench/reliabilityFigures.js crash`.
 */

const root = path.resolve(__dirname, "..", "..");
let dir: string;

beforeAll(() => {
  assertBuilt(root, [
    ...sourcesUnder(root, "emulator"),
    ...sourcesUnder(root, "test/harness"),
    ...sourcesUnder(root, "provider"),
    "examples/quickstart/index.ts",
  ]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-crash-emulator-"));
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("a file-backed emulator killed with SIGKILL in the middle of the quickstart's writes", () => {
  it("restarts with everything it acknowledged, and the next up converges with no duplicate or orphan", async () => {
    const dataDir = path.join(dir, "emulator");
    fs.mkdirSync(dataDir);
    const outcome = await killEmulatorDuringUp({
      dataDir,
      programDir: path.join(root, "examples", "quickstart"),
      stateFile: path.join(dir, "quickstart.json"),
      passphrase: "crash-emulator-test",
      killAfterWrites: 6,
    });

    // Killed mid-run: the up in progress failed, with at least the customer and five more writes answered.
    expect(outcome.answeredBeforeKill).toBeGreaterThanOrEqual(6);
    expect(outcome.interruptedRunFailed).toBe(true);

    // The snapshot holds the customer, its consent, users, agreement... (at least one per write).
    expect(outcome.snapshotSize).toBeGreaterThanOrEqual(6);
    expect(outcome.loaded).toBe(true);
    expect(outcome.lost).toEqual([]);
    expect(outcome.recordedMissing).toEqual([]);

    expect(outcome.rerunErrors).toEqual([]);
    expect(outcome.rerunOk).toBe(true);
    expect(outcome.duplicates).toEqual([]);
    expect(outcome.orphans).toEqual([]);
    expect(outcome.incomplete).toEqual([]);
    expect(outcome.previewChanges).toEqual([]);
  });
});
