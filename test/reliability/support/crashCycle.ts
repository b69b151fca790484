import * as fs from "node:fs";
import type { RunningEmulator } from "../../../emulator/index";
import { runProgram } from "../../harness/runProgram";
import type { StackState } from "../../harness/stackState";
import {
  type CensusEntry,
  type CensusKind,
  countByKind,
  type Duplicate,
  findDuplicates,
  findOrphans,
  takeCensus,
} from "./emulatorCensus";
import { type KillMode, type KillPoint, killPointsOf, upKilledAt } from "./runnerKill";

/** A program, its stack and where it runs. */
export interface CrashTarget {
  emulator: RunningEmulator;
  programDir: string;
  stateFile: string;
  env: Record<string, string>;
  config?: Record<string, string>;
}

/** What a clean `up` produces: the yardstick for runs that were killed. */
export interface CleanRun {
  /** Provider writes of the clean run, in order: the kill points. */
  points: KillPoint[];
  /** Objects per kind at the emulator. */
  counts: Partial<Record<CensusKind, number>>;
  /** Names of the program's dynamic resources. */
  resources: string[];
  durationMs: number;
}

/** The outcome of one kill and the `up` that follows it. */
export interface CrashOutcome {
  point: KillPoint;
  mode: KillMode;
  killed: boolean;
  committedAfterKill?: boolean;
  /** Provider calls the state recorded as in progress when the runner died. */
  pendingAfterKill: string[];
  rerunOk: boolean;
  rerunErrors: string[];
  rerunWarnings: string[];
  duplicates: Duplicate[];
  /** Objects at the emulator that no resource of the state owns. */
  orphans: CensusEntry[];
  /** Program resources missing from the state or recorded without an id. */
  incomplete: string[];
  /** Kinds whose object count differs from the clean run (`kind: clean → now`). */
  countDiffs: string[];
  /** Resources a preview after the re-run would still change (empty: converged). */
  previewChanges?: string[];
}

function readState(stateFile: string): StackState {
  return JSON.parse(fs.readFileSync(stateFile, "utf8")) as StackState;
}

/** Starts the emulator's world and the stack over (seeded world, no state file). */
export async function freshWorld(target: CrashTarget): Promise<void> {
  await target.emulator.reset();
  fs.rmSync(target.stateFile, { force: true });
  fs.rmSync(`${target.stateFile}.lock`, { force: true });
}

/** A clean `up` from a fresh world, for the kill points and the expected object counts. */
export async function cleanRun(target: CrashTarget): Promise<CleanRun> {
  await freshWorld(target);
  const { emulator, ...run } = target;
  const result = await runProgram({ command: "up", ...run });
  if (!result.ok) {
    throw new Error(`clean up failed: ${JSON.stringify(result.errors)}\n${result.stderr.slice(-2000)}`);
  }
  const log = await emulator.admin.requestLog();
  const census = takeCensus(await emulator.admin.state());
  return {
    points: killPointsOf(log),
    counts: countByKind(census),
    resources: dynamicNames(readState(target.stateFile)),
    durationMs: result.durationMs,
  };
}

function dynamicNames(state: StackState): string[] {
  return state.resources
    .filter((r) => r.kind === "dynamic" && !r.delete)
    .map((r) => r.name)
    .sort();
}

/**
 * From a fresh world: `up` killed at `point`, then `up` again; then the emulator's objects and
 * the state are compared with the clean run. With `preview`, a preview after the re-run reports
 * what would still change.
 */
export async function crashAndConverge(
  target: CrashTarget,
  clean: CleanRun,
  point: KillPoint,
  mode: KillMode,
  options: { preview?: boolean } = {},
): Promise<CrashOutcome> {
  await freshWorld(target);
  const { emulator, ...run } = target;
  const killedRun = await upKilledAt(emulator.admin, point, mode, run);
  const pendingAfterKill = fs.existsSync(target.stateFile)
    ? readState(target.stateFile).pendingOperations.map(
        (p) => `${p.operation} ${p.urn.split("::").pop() ?? p.urn}`,
      )
    : [];

  const rerun = await runProgram({ command: "up", ...run });
  const state = readState(target.stateFile);
  const census = takeCensus(await emulator.admin.state());
  const counts = countByKind(census);
  const countDiffs: string[] = [];
  for (const kind of new Set([...Object.keys(clean.counts), ...Object.keys(counts)]) as Set<CensusKind>) {
    if ((clean.counts[kind] ?? 0) !== (counts[kind] ?? 0)) {
      countDiffs.push(`${kind}: ${clean.counts[kind] ?? 0} → ${counts[kind] ?? 0}`);
    }
  }
  const recorded = new Map(
    state.resources.filter((r) => r.kind === "dynamic" && !r.delete).map((r) => [r.name, r]),
  );
  const incomplete = clean.resources.filter((name) => !recorded.get(name)?.id);
  if (state.pendingOperations.length > 0) {
    incomplete.push(...state.pendingOperations.map((p) => `pending ${p.operation} ${p.urn}`));
  }

  const outcome: CrashOutcome = {
    point,
    mode,
    killed: killedRun.killed,
    ...(killedRun.committedAfterKill !== undefined
      ? { committedAfterKill: killedRun.committedAfterKill }
      : {}),
    pendingAfterKill,
    rerunOk: rerun.ok,
    rerunErrors: rerun.errors.map((e) => `${e.name ?? ""}: ${e.message}`),
    rerunWarnings: rerun.warnings,
    duplicates: findDuplicates(census),
    orphans: findOrphans(census, fs.readFileSync(target.stateFile, "utf8")),
    incomplete,
    countDiffs,
  };
  if (options.preview) {
    const preview = await runProgram({ command: "preview", ...run });
    outcome.previewChanges = preview.ok
      ? preview.resources.filter((r) => r.op !== "same" && !r.unmanaged).map((r) => `${r.op} ${r.name}`)
      : [`preview failed: ${JSON.stringify(preview.errors)}`];
  }
  return outcome;
}

/** True when the re-run converged: no duplicate, no orphan, a complete state, the clean run's objects. */
export function converged(o: CrashOutcome): boolean {
  return (
    o.rerunOk &&
    o.duplicates.length === 0 &&
    o.orphans.length === 0 &&
    o.incomplete.length === 0 &&
    o.countDiffs.length === 0 &&
    (o.previewChanges === undefined || o.previewChanges.length === 0)
  );
}
