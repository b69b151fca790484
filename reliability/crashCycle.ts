import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { type Checkpoint, readCheckpoint } from "../automation/checkpoint";
import { LOCAL_PASSPHRASE, type RunProgramOptions, runProgram } from "../automation/runProgram";
import { prepareWorkspace, type StackWorkspace } from "../automation/stackWorkspace";
import { pulumiEnv, pulumiToolchain } from "../automation/toolchain";
import type { RunningEmulator } from "../emulator/index";
import {
  type CensusEntry,
  type CensusKind,
  countByKind,
  type Duplicate,
  findDuplicates,
  findOrphans,
  takeCensus,
} from "./emulatorCensus";
import { type KillMode, type KillPoint, type KillVictim, killPointsOf, upKilledAt } from "./pulumiKill";

/**
 * The recovery after an interrupted `pulumi up`, as a user of Pulumi CLI v3.248.0 with a file
 * backend does it (found by running it; each step is taken only when its symptom is there):
 *
 * 0. Only when every command fails with "error: failed to load checkpoint: EOF": delete the empty
 *    `.pulumi/stacks/<project>/<stack>.json.attrs` in the backend ({@link REMOVE_EMPTY_ATTRS}
 *    deletes every empty `.attrs` sidecar there: the kill can also land on the rewrite of the
 *    backup's, `<stack>.json.bak.attrs`).
 *    The file backend (gocloud.dev fileblob) writes the checkpoint atomically (a temp file renamed
 *    over `<stack>.json`), but rewrites its `.attrs` sidecar in place just before the rename
 *    (truncate, then write). A CLI killed in between leaves that sidecar empty, the previous
 *    checkpoint intact beside it (and the new one as `<stack>.json.<hex>.tmp`), and every
 *    command, `pulumi cancel` included, fails to read the stack. Without the sidecar the backend
 *    reads the checkpoint again. It happens when the kill lands on a checkpoint write, which the
 *    engine does for every step start and end.
 * 1. `pulumi cancel --yes`: a SIGKILLed CLI leaves its lock in the backend
 *    (`.pulumi/locks/organization/<project>/<stack>/<id>.json`), and every later command fails
 *    with "the stack is currently locked by 1 lock(s). Either wait for the other process(es) to
 *    end or delete the lock file with `pulumi cancel`." `pulumi cancel` deletes it.
 * 2. `pulumi refresh --clear-pending-creates --yes`: the checkpoint keeps the operations the
 *    killed CLI had started (`pending_operations`, e.g. "creating contoso-customer"). `pulumi up`
 *    warns about them ("Attempting to deploy or update resources with 1 pending operations from
 *    previous deployment") but does not clear them: they stay in the checkpoint, and the warning
 *    comes back on every run, until a refresh clears them (non-interactively only with
 *    `--clear-pending-creates`).
 * 3. `pulumi up --yes`: creates what is missing. The provider finds what the interrupted run had
 *    created but never recorded (the customer by its domain, the Azure plan and subscriptions by
 *    their purchase records, users by principal name...) instead of creating it twice.
 *
 * A killed provider host needs none of 1 and 2: the CLI reports the create as failed ("error
 * reading from server: EOF"), releases its lock and records no pending operation; `pulumi up`
 * is all it takes.
 */
/** Step 0 of the recovery (see {@link RECOVERY_STEPS}); only when the symptom is there. */
export const REMOVE_EMPTY_ATTRS = "rm the empty .attrs sidecars under <backend>/.pulumi";

export const RECOVERY_STEPS = [
  "pulumi cancel --yes",
  "pulumi refresh --clear-pending-creates --yes",
  "pulumi up --yes",
] as const;

/** A program, its stack and where it runs. */
export interface CrashTarget {
  emulator: RunningEmulator;
  programDir: string;
  /** The stack's workspace folder (removed and recreated for each fresh world). */
  stateDir: string;
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

/** The outcome of one kill, the recovery and the `up` that follows it. */
export interface CrashOutcome {
  point: KillPoint;
  mode: KillMode;
  victim: KillVictim;
  killed: boolean;
  committedAfterKill?: boolean;
  /** Processes of the killed run still running after it (killed by the test). */
  survivors: string[];
  /** Whether the backend held a lock of the killed run. */
  lockedAfterKill: boolean;
  /** `.attrs` sidecars the kill left empty (the stack unreadable until they are removed). */
  emptyAttrsAfterKill: string[];
  /** Operations the checkpoint recorded as in progress when the process died. */
  pendingAfterKill: string[];
  /** With `probe`: what the first `up` after the kill said (before any recovery). */
  probe?: { ok: boolean; errors: string[]; warnings: string[] };
  /** The recovery commands run, in order (the last is always `pulumi up --yes`). */
  recovery: string[];
  rerunOk: boolean;
  rerunErrors: string[];
  rerunWarnings: string[];
  duplicates: Duplicate[];
  /** Objects at the emulator that no resource of the checkpoint owns. */
  orphans: CensusEntry[];
  /** Program resources missing from the checkpoint or without an id; pending operations or locks left. */
  incomplete: string[];
  /** Kinds whose object count differs from the clean run (`kind: clean → now`). */
  countDiffs: string[];
  /** What a preview after the re-run would still change (empty: converged). */
  previewChanges: string[];
  /** Wall time of the cycle (killed up, recovery, up, preview). */
  durationMs: number;
}

/** The run options of a target's stack (everything but the command). */
function runOptions(target: CrashTarget): Omit<RunProgramOptions, "command"> & { stateDir: string } {
  return {
    programDir: target.programDir,
    stateDir: target.stateDir,
    env: target.env,
    ...(target.config ? { config: target.config } : {}),
  };
}

function workspaceOf(run: { programDir: string; stateDir: string; stack?: string }): StackWorkspace {
  return prepareWorkspace(run.programDir, run.stateDir, run.stack ?? "dev");
}

/** Lock files of the stack in the file backend (a live or killed update holds one). */
export function lockFiles(ws: StackWorkspace): string[] {
  const dir = path.join(ws.backendDir, ".pulumi", "locks");
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".json"))
    .map((f) => path.join(dir, f));
}

/**
 * `.attrs` sidecars of the file backend left empty by a CLI killed while rewriting them (see
 * {@link REMOVE_EMPTY_ATTRS}), relative to the backend folder.
 */
export function emptyAttrsFiles(ws: StackWorkspace): string[] {
  const dir = path.join(ws.backendDir, ".pulumi");
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".attrs") && fs.statSync(path.join(dir, f)).size === 0)
    .map((f) => path.join(".pulumi", f));
}

/** `operation name` of each pending operation of the checkpoint. */
export function pendingOf(checkpoint: Checkpoint | undefined): string[] {
  return (checkpoint?.pendingOperations ?? []).map(
    (p) => `${p.type} ${p.resource.urn.slice(p.resource.urn.lastIndexOf("::") + 2)}`,
  );
}

/** Names of the live dynamic (pulumi-csp) resources of a checkpoint, and their ids. */
export function dynamicResources(checkpoint: Checkpoint | undefined): Map<string, string | undefined> {
  return new Map(
    (checkpoint?.resources ?? [])
      .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/") && !r.delete)
      .map((r) => [r.urn.slice(r.urn.lastIndexOf("::") + 2), r.id || undefined]),
  );
}

const execFileAsync = promisify(execFile);

/** `pulumi cancel --yes` in the stack's workspace, as a user runs it (the CLI directly). */
export async function cancelUpdate(ws: StackWorkspace, env: Record<string, string> = {}): Promise<string> {
  const toolchain = pulumiToolchain();
  const { stdout, stderr } = await execFileAsync(
    toolchain.pulumi,
    ["cancel", "--yes", "--non-interactive", "--stack", ws.stack],
    {
      cwd: ws.workDir,
      env: {
        ...process.env,
        PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? LOCAL_PASSPHRASE,
        ...env,
        ...pulumiEnv(toolchain, ws.backendDir, ws.pulumiHome),
      },
    },
  );
  return `${stdout}${stderr}`.trim();
}

/**
 * Steps 0, 1 and 2 of {@link RECOVERY_STEPS}, each when its symptom is there (an empty `.attrs`
 * sidecar; a lock left in the backend; pending operations in the checkpoint). Returns the steps
 * taken and their errors.
 */
export async function repairStack(
  run: Omit<RunProgramOptions, "command"> & { stateDir: string },
): Promise<{ steps: string[]; errors: string[] }> {
  const ws = workspaceOf(run);
  const steps: string[] = [];
  const errors: string[] = [];
  const emptyAttrs = emptyAttrsFiles(ws);
  if (emptyAttrs.length > 0) {
    steps.push(REMOVE_EMPTY_ATTRS);
    for (const f of emptyAttrs) fs.rmSync(path.join(ws.backendDir, f));
  }
  if (lockFiles(ws).length > 0) {
    steps.push(RECOVERY_STEPS[0]);
    try {
      await cancelUpdate(ws, run.env as Record<string, string>);
    } catch (e) {
      errors.push(`pulumi cancel: ${(e as Error).message}`);
    }
  }
  if (pendingOf(readCheckpoint(ws)).length > 0) {
    steps.push(RECOVERY_STEPS[1]);
    const refresh = await runProgram({ ...run, command: "refresh", clearPendingCreates: true });
    if (!refresh.ok)
      errors.push(...refresh.errors.map((e) => `pulumi refresh: ${e.name ?? ""} ${e.message}`));
  }
  return { steps, errors };
}

/** Starts the emulator's world and the stack over (seeded world, no workspace). */
export async function freshWorld(target: CrashTarget): Promise<void> {
  await target.emulator.reset();
  fs.rmSync(target.stateDir, { recursive: true, force: true });
}

/** A clean `up` from a fresh world, for the kill points and the expected object counts. */
export async function cleanRun(target: CrashTarget): Promise<CleanRun> {
  await freshWorld(target);
  const result = await runProgram({ command: "up", ...runOptions(target) });
  if (!result.ok) {
    throw new Error(`clean up failed: ${JSON.stringify(result.errors)}\n${result.stderr.slice(-2000)}`);
  }
  const log = await target.emulator.admin.requestLog();
  const census = takeCensus(await target.emulator.admin.state());
  return {
    points: killPointsOf(log),
    counts: countByKind(census),
    resources: [...dynamicResources(readCheckpoint(result.workspace)).keys()].sort(),
    durationMs: result.durationMs,
  };
}

/** Resources a preview would change (empty: converged), or why the preview failed. */
export function changesOf(preview: Awaited<ReturnType<typeof runProgram>>): string[] {
  return preview.ok
    ? preview.resources.filter((r) => r.op !== "same").map((r) => `${r.op} ${r.name}`)
    : [`preview failed: ${JSON.stringify(preview.errors)}`];
}

/**
 * From a fresh world: `up` with `victim` SIGKILLed at `point`; the recovery of
 * {@link RECOVERY_STEPS} (with `probe`, a plain `up` first, to see what the CLI says); `up`;
 * a preview. Then the emulator's objects and the checkpoint are compared with the clean run.
 */
export async function crashAndConverge(
  target: CrashTarget,
  clean: CleanRun,
  point: KillPoint,
  mode: KillMode,
  victim: KillVictim,
  options: { probe?: boolean } = {},
): Promise<CrashOutcome> {
  const started = Date.now();
  await freshWorld(target);
  const run = runOptions(target);
  const ws = workspaceOf(run);
  const killedRun = await upKilledAt(target.emulator.admin, point, mode, victim, run);
  const lockedAfterKill = lockFiles(ws).length > 0;
  const emptyAttrsAfterKill = emptyAttrsFiles(ws);
  let pendingAfterKill: string[];
  try {
    pendingAfterKill = pendingOf(readCheckpoint(ws));
  } catch (e) {
    pendingAfterKill = [`unreadable checkpoint: ${(e as Error).message}`];
  }

  let probe: CrashOutcome["probe"];
  if (options.probe) {
    const first = await runProgram({ command: "up", ...run });
    probe = { ok: first.ok, errors: first.errors.map((e) => e.message), warnings: first.warnings };
  }
  const repair = await repairStack(run);
  const rerun = await runProgram({ command: "up", ...run });
  const preview = await runProgram({ command: "preview", ...run });

  const checkpoint = readCheckpoint(ws);
  const census = takeCensus(await target.emulator.admin.state());
  const counts = countByKind(census);
  const countDiffs: string[] = [];
  for (const kind of new Set([...Object.keys(clean.counts), ...Object.keys(counts)]) as Set<CensusKind>) {
    if ((clean.counts[kind] ?? 0) !== (counts[kind] ?? 0)) {
      countDiffs.push(`${kind}: ${clean.counts[kind] ?? 0} → ${counts[kind] ?? 0}`);
    }
  }
  const recorded = dynamicResources(checkpoint);
  const incomplete = clean.resources.filter((name) => !recorded.get(name));
  incomplete.push(...pendingOf(checkpoint).map((p) => `pending ${p}`));
  incomplete.push(...lockFiles(ws).map((f) => `lock ${path.basename(f)}`));
  incomplete.push(...emptyAttrsFiles(ws).map((f) => `empty ${f}`));

  return {
    point,
    mode,
    victim,
    killed: killedRun.killed,
    ...(killedRun.committedAfterKill !== undefined
      ? { committedAfterKill: killedRun.committedAfterKill }
      : {}),
    survivors: killedRun.survivors,
    lockedAfterKill,
    emptyAttrsAfterKill,
    pendingAfterKill,
    ...(probe ? { probe } : {}),
    recovery: [...repair.steps, RECOVERY_STEPS[2]],
    rerunOk: rerun.ok && repair.errors.length === 0,
    rerunErrors: [...repair.errors, ...rerun.errors.map((e) => `${e.name ?? ""}: ${e.message}`)],
    rerunWarnings: rerun.warnings,
    duplicates: findDuplicates(census),
    orphans: findOrphans(census, checkpoint?.text ?? ""),
    incomplete,
    countDiffs,
    previewChanges: changesOf(preview),
    durationMs: Date.now() - started,
  };
}

/** True when the re-run converged: no duplicate, no orphan, a complete state, the clean run's objects. */
export function converged(o: CrashOutcome): boolean {
  return (
    o.rerunOk &&
    o.duplicates.length === 0 &&
    o.orphans.length === 0 &&
    o.incomplete.length === 0 &&
    o.countDiffs.length === 0 &&
    o.previewChanges.length === 0
  );
}
