import { describe, expect, it } from "vitest";
import { type EmulatorKillOutcome, survivedEmulatorKill } from "../../reliability/emulatorKill";
import { parseFaultOutput } from "../../reliability/faultFigures";
import { reliabilityDoc } from "../../reliability/reliabilityDoc";

/**
 * `npm run reliability` reads the fault suites' summary lines (printed by
 * test/reliability/support/faultMatrix.ts and badInput.test.ts) and writes docs/reliability.md.
 */

const OUTPUT = `
 RUN  v4.0.0 /repo

stdout | test/reliability/faultMatrix.commerce.test.ts
fault matrix (commerce): 14 writes of 12 operations x 7 fault kinds = 98 cases; faults injected 120 (429 Retry-After seconds: 14, 429 Retry-After date: 14, 500 burst: 25, 503 burst: 25, slow response: 14, connection reset: 14, commit then drop: 14); ran through the fault 90, surfaced an error and converged on the re-run 8; duplicates 0; lost objects 0; removed by a late request and restored after refresh (documented) 1
  ApplicationConsent update (delete) surfaced under: 500 burst, 503 burst

stdout | test/reliability/badInput.test.ts
bad input: 158 invalid inputs tried over 11 resources and 104 fields: 151 refused at check naming the field, 7 refused by create before any write; write calls sent: 0

 ✓ test/reliability/badInput.test.ts (170 tests) 5012ms
`;

describe("the reliability figures", () => {
  it("reads the fault matrix and bad-input summary lines", () => {
    const f = parseFaultOutput(OUTPUT);
    expect(f.matrices).toEqual([
      {
        label: "commerce",
        writes: 14,
        operations: 12,
        faultKinds: 7,
        cells: 98,
        faultsInjected: 120,
        byKind: {
          "429 Retry-After seconds": 14,
          "429 Retry-After date": 14,
          "500 burst": 25,
          "503 burst": 25,
          "slow response": 14,
          "connection reset": 14,
          "commit then drop": 14,
        },
        ranThrough: 90,
        surfacedAndConverged: 8,
        duplicates: 0,
        lost: 0,
        removedByLateRequestRestored: 1,
        surfaced: ["ApplicationConsent update (delete) surfaced under: 500 burst, 503 burst"],
      },
    ]);
    expect(f.badInput).toEqual({
      tried: 158,
      resources: 11,
      fields: 104,
      refusedAtCheck: 151,
      refusedByCreate: 7,
      writeCalls: "0",
    });
  });

  it("writes the figures of the parts that ran, and names the parts that did not", () => {
    const text = reliabilityDoc({
      engine: "pulumi v3.248.0 (/x/pulumi), file backend, Automation API",
      startedAt: "2025-01-01T00:00:00.000Z",
      command: "npm run reliability -- faults",
      faults: { command: "npx vitest run …", passed: true, durationMs: 50_000, ...parseFaultOutput(OUTPUT) },
    });
    expect(text).toContain("- **Run:** `npm run reliability -- faults`, 2025-01-01T00:00:00.000Z.");
    expect(text).toContain("- **Engine:** pulumi v3.248.0");
    expect(text).toContain("| commerce | 14 (12) | 98 | 120: 429 Retry-After seconds 14,");
    expect(text).toContain("- ApplicationConsent update (delete) surfaced under: 500 burst, 503 burst");
    expect(text).toContain("| 158 | 11 | 104 | 151 | 7 | 0 |");
    expect(text).toContain("Not in this run: crash, load, secrets.");
  });
});

describe("the verdict of an emulator kill", () => {
  const converged: EmulatorKillOutcome = {
    answeredBeforeKill: 3,
    snapshotSize: 5,
    interruptedRunFailed: true,
    loaded: true,
    lost: [],
    recordedMissing: [],
    lockedAfterKill: false,
    pendingAfterKill: [],
    recovery: ["pulumi up --yes"],
    rerunOk: true,
    rerunErrors: [],
    duplicates: [],
    orphans: [],
    resources: 13,
    incomplete: [],
    previewChanges: [],
  };

  it("counts the resources against the clean run's, not a fixed number", () => {
    expect(survivedEmulatorKill(converged, 13)).toBe(true);
    expect(survivedEmulatorKill({ ...converged, resources: 12 }, 13)).toBe(false);
    expect(survivedEmulatorKill({ ...converged, previewChanges: ["update contoso-user-ada"] }, 13)).toBe(
      false,
    );
  });
});
