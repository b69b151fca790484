import * as fs from "node:fs";
import * as path from "node:path";
import { readCheckpoint } from "../automation/checkpoint";
import { runProgram } from "../automation/runProgram";
import { prepareWorkspace } from "../automation/stackWorkspace";
import { startEmulator } from "../emulator/index";
import { changesOf, dynamicResources, lockFiles, pendingOf, repairStack } from "./crashCycle";
import { type CensusEntry, type Duplicate, findDuplicates, findOrphans, takeCensus } from "./emulatorCensus";
import { spawnEmulator } from "./emulatorProcess";

/** The outcome of one emulator kill in the middle of a program's `up`, its restart, and `up` again. */
export interface EmulatorKillOutcome {
  /** Provider writes the emulator had answered when the snapshot before the kill was taken. */
  answeredBeforeKill: number;
  /** Objects in the snapshot taken just before the kill (customer, consent, users...). */
  snapshotSize: number;
  /** Whether the `up` in progress failed (it should: its emulator died under it). */
  interruptedRunFailed: boolean;
  /** The data directory after the kill: no torn state file, no temp file after the restart. */
  loaded: boolean;
  /** Objects in the snapshot taken just before the kill that the restarted emulator lacks. */
  lost: CensusEntry[];
  /** Resource ids the stack recorded (each answered before the kill) that the restarted emulator lacks. */
  recordedMissing: string[];
  /** What the interrupted run left in the stack: a lock, pending operations. */
  lockedAfterKill: boolean;
  pendingAfterKill: string[];
  /** The commands run to bring the stack back (see RECOVERY_STEPS in crashCycle.ts). */
  recovery: string[];
  rerunOk: boolean;
  rerunErrors: string[];
  duplicates: Duplicate[];
  orphans: CensusEntry[];
  /** Program (pulumi-csp) resources in the checkpoint after the re-run. */
  resources: number;
  /** Program resources without an id, pending operations or locks left after the re-run. */
  incomplete: string[];
  /** What a preview after the re-run would still change (empty: converged). */
  previewChanges: string[];
}

/**
 * Whether the stack survived the kill: everything acknowledged is still at the restarted emulator,
 * the re-run succeeded with `resources` program resources (what a clean run records), nothing is
 * duplicated, orphaned or left incomplete, and a preview changes nothing.
 */
export function survivedEmulatorKill(o: EmulatorKillOutcome, resources: number): boolean {
  return (
    o.resources === resources &&
    o.loaded &&
    o.lost.length === 0 &&
    o.recordedMissing.length === 0 &&
    o.rerunOk &&
    o.duplicates.length === 0 &&
    o.orphans.length === 0 &&
    o.incomplete.length === 0 &&
    o.previewChanges.length === 0
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts a file-backed emulator process in `dataDir` (empty), runs `up` of `programDir` against it
 * and SIGKILLs the emulator as soon as it has answered `killAfterWrites` provider writes, while the
 * program's other writes are in flight. Then restarts the emulator from the same directory,
 * checks that everything acknowledged is still there, repairs the stack if the interrupted run
 * left a lock or pending operations (it does not when only the emulator died: the CLI fails the
 * steps and ends normally), runs `up` again and a preview, all with the Pulumi CLI.
 */
export async function killEmulatorDuringUp(options: {
  dataDir: string;
  programDir: string;
  /** The stack's workspace folder (empty or absent). */
  stateDir: string;
  passphrase: string;
  killAfterWrites: number;
  /** Stack config, or a function of the seeded partner tenant id (CSP_TENANT_ID) giving it. */
  config?: Record<string, string> | ((partnerTenantId: string) => Record<string, string>);
  /** Further arguments of the emulator's command line (e.g. `--auto-approve-gdap`). */
  emulatorArgs?: string[];
}): Promise<EmulatorKillOutcome> {
  const first = await spawnEmulator(options.dataDir, options.emulatorArgs ?? []);
  const config =
    typeof options.config === "function" ? options.config(first.env.CSP_TENANT_ID ?? "") : options.config;
  const runEnv = (env: Record<string, string>) => ({
    ...env,
    PULUMI_CONFIG_PASSPHRASE: options.passphrase,
    // The emulator is gone for good: fail fast instead of backing off for a minute.
    CSP_MAX_RETRIES: "1",
  });
  const stack = (env: Record<string, string>) => ({
    programDir: options.programDir,
    stateDir: options.stateDir,
    env: runEnv(env),
    ...(config ? { config } : {}),
  });
  const run = (command: "up" | "preview", env: Record<string, string>) =>
    runProgram({ command, ...stack(env) });
  const ws = prepareWorkspace(options.programDir, options.stateDir, "dev");

  let finished = false;
  const interrupted = run("up", first.env).finally(() => {
    finished = true;
  });
  let snapshot: CensusEntry[] = [];
  let answered = 0;
  for (;;) {
    const writes = (await first.admin.requestLog({ writesOnly: true })).filter(
      (e) => e.service !== "identity" && e.method !== "GET" && e.status > 0 && e.status < 400,
    );
    answered = writes.length;
    if (answered >= options.killAfterWrites) {
      snapshot = takeCensus(await first.admin.state());
      // The emulator persists a change before answering its request, within the same turn of its
      // event loop (group commit): after this pause everything in the snapshot was committed.
      await sleep(25);
      break;
    }
    if (finished || first.child.exitCode !== null) break;
    await sleep(5);
  }
  await first.kill();
  const interruptedRun = await interrupted;
  const lockedAfterKill = lockFiles(ws).length > 0;
  const pendingAfterKill = pendingOf(readCheckpoint(ws));

  const leftovers = fs.readdirSync(options.dataDir).filter((n) => n.endsWith(".tmp"));
  const second = await startEmulator({ dataDir: options.dataDir });
  try {
    const loaded = fs.readdirSync(options.dataDir).filter((n) => n.endsWith(".tmp")).length === 0;
    const after = takeCensus(await second.admin.state());
    const present = new Set(after.map((e) => `${e.kind}|${e.id}`));
    const lost = snapshot.filter((e) => !present.has(`${e.kind}|${e.id}`));

    // Ids the stack recorded were answered before the kill. Plain ids appear verbatim in the
    // emulator's state; composite ids (consent, agreement, grant) are checked part by part.
    const worldText = JSON.stringify(await second.admin.state()).toLowerCase();
    const recordedMissing = [...dynamicResources(readCheckpoint(ws)).values()]
      .filter((id): id is string => Boolean(id))
      .filter(
        (id) =>
          !id
            .split("/")
            .filter(Boolean)
            .every((part) => worldText.includes(part.toLowerCase())),
      );

    const repair = await repairStack(stack(second.env));
    const rerun = await run("up", second.env);
    const checkpoint = readCheckpoint(ws);
    const census = takeCensus(await second.admin.state());
    const preview = await run("preview", second.env);
    return {
      answeredBeforeKill: answered,
      snapshotSize: snapshot.length,
      interruptedRunFailed: !interruptedRun.ok,
      loaded: loaded && leftovers.every((n) => !fs.existsSync(path.join(options.dataDir, n))),
      lost,
      recordedMissing,
      lockedAfterKill,
      pendingAfterKill,
      recovery: [...repair.steps, "pulumi up --yes"],
      rerunOk: rerun.ok && repair.errors.length === 0,
      rerunErrors: [...repair.errors, ...rerun.errors.map((e) => `${e.name ?? ""}: ${e.message}`)],
      duplicates: findDuplicates(census),
      orphans: findOrphans(census, checkpoint?.text ?? ""),
      resources: dynamicResources(checkpoint).size,
      incomplete: [
        ...[...dynamicResources(checkpoint)].filter(([, id]) => !id).map(([name]) => name),
        ...pendingOf(checkpoint).map((p) => `pending ${p}`),
        ...lockFiles(ws).map((f) => `lock ${path.basename(f)}`),
      ],
      previewChanges: changesOf(preview),
    };
  } finally {
    await second.stop();
  }
}
