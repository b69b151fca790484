import { spawnSync } from "node:child_process";

/**
 * The fault matrix and bad-input figures: `npx vitest run` of test/reliability/faultMatrix.*.test.ts
 * and badInput.test.ts, whose `afterAll` print one summary line each
 * (test/reliability/support/faultMatrix.ts, test/reliability/badInput.test.ts); this reads those
 * lines. The tests' assertions are the verdict; these are their counts.
 */
export interface FaultMatrixFigures {
  label: string;
  writes: number;
  operations: number;
  faultKinds: number;
  cells: number;
  faultsInjected: number;
  /** Faults injected per kind, as the line names them. */
  byKind: Record<string, number>;
  ranThrough: number;
  surfacedAndConverged: number;
  duplicates: number;
  lost: number;
  removedByLateRequestRestored: number;
  /** Rows that surfaced an error under some kinds: `row surfaced under: kinds`. */
  surfaced: string[];
}

export interface BadInputFigures {
  tried: number;
  resources: number;
  fields: number;
  refusedAtCheck: number;
  refusedByCreate: number;
  writeCalls: string;
}

export interface FaultFigures {
  /** The vitest command and whether every test passed. */
  command: string;
  passed: boolean;
  durationMs: number;
  matrices: FaultMatrixFigures[];
  badInput?: BadInputFigures;
}

const MATRIX =
  /fault matrix \(([^)]+)\): (\d+) writes of (\d+) operations x (\d+) fault kinds = (\d+) cases; faults injected (\d+) \(([^)]*)\); ran through the fault (\d+), surfaced an error and converged on the re-run (\d+); duplicates (\d+); lost objects (\d+); removed by a late request and restored after refresh \(documented\) (\d+)/;
const SURFACED = /^\s+(.+ surfaced under: .+)$/;
const BAD_INPUT =
  /bad input: (\d+) invalid inputs tried over (\d+) resources and (\d+) fields: (\d+) refused at check naming the field, (\d+) refused by create before any write; write calls sent: (\S+)/;

/** Reads the summary lines out of the tests' output. */
export function parseFaultOutput(text: string): Pick<FaultFigures, "matrices" | "badInput"> {
  const matrices: FaultMatrixFigures[] = [];
  let badInput: BadInputFigures | undefined;
  let current: FaultMatrixFigures | undefined;
  for (const line of text.split("\n")) {
    const m = MATRIX.exec(line);
    if (m) {
      const n = (i: number) => Number(m[i]);
      current = {
        label: m[1]!,
        writes: n(2),
        operations: n(3),
        faultKinds: n(4),
        cells: n(5),
        faultsInjected: n(6),
        byKind: Object.fromEntries(
          m[7]!.split(", ").map((part) => {
            const at = part.lastIndexOf(": ");
            return [part.slice(0, at), Number(part.slice(at + 2))];
          }),
        ),
        ranThrough: n(8),
        surfacedAndConverged: n(9),
        duplicates: n(10),
        lost: n(11),
        removedByLateRequestRestored: n(12),
        surfaced: [],
      };
      matrices.push(current);
      continue;
    }
    const s = current ? SURFACED.exec(line) : null;
    if (s && current) {
      current.surfaced.push(s[1]!);
      continue;
    }
    const b = BAD_INPUT.exec(line);
    if (b) {
      badInput = {
        tried: Number(b[1]),
        resources: Number(b[2]),
        fields: Number(b[3]),
        refusedAtCheck: Number(b[4]),
        refusedByCreate: Number(b[5]),
        writeCalls: b[6]!.replace(/;$/, ""),
      };
    }
    if (!line.startsWith(" ")) current = undefined;
  }
  return { matrices, ...(badInput ? { badInput } : {}) };
}

/** Runs the fault matrix and the bad-input suite with vitest from the package root. */
export function runFaultFigures(root: string): FaultFigures {
  const files = [
    "test/reliability/faultMatrix.commerce.test.ts",
    "test/reliability/faultMatrix.identity.test.ts",
    "test/reliability/badInput.test.ts",
  ];
  const args = ["vitest", "run", ...files];
  const started = Date.now();
  const run = spawnSync("npx", args, {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 2 ** 20,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  const figures = parseFaultOutput(`${run.stdout ?? ""}\n${run.stderr ?? ""}`);
  if (figures.matrices.length === 0 || !figures.badInput) {
    throw new Error(
      `the fault tests printed no figures (exit ${run.status}):\n${(run.stdout ?? "").slice(-3000)}\n${(run.stderr ?? "").slice(-3000)}`,
    );
  }
  return {
    command: `npx ${args.join(" ")}`,
    passed: run.status === 0,
    durationMs: Date.now() - started,
    ...figures,
  };
}
