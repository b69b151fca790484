import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator/index";
import { packageRoot, runProgram } from "../harness/runProgram";
import {
  type CrashOutcome,
  type CrashTarget,
  cleanRun,
  converged,
  crashAndConverge,
} from "../reliability/support/crashCycle";
import { findDuplicates, findOrphans, takeCensus } from "../reliability/support/emulatorCensus";
import { killEmulatorDuringUp } from "../reliability/support/emulatorKill";
import { LOAD_RESOURCES_PER_TENANT, loadFigures, writeLoadProject } from "../reliability/support/loadProgram";
import type { KillMode } from "../reliability/support/runnerKill";
import { runSecretsScenario } from "../reliability/support/secretsRun";

/**
 * Reliability figures for the README (issue 8): the full crash sweep (the local runner SIGKILLed at
 * every provider write of the quickstart `up`, in both kill modes, then `up` again), the emulator
 * killed mid-write, the 50-customer load under enforced Partner Center limits, and the secret scan.
 * Heavier than the test suite (which runs a few points of each); prints one JSON document.
 *
 *   npx tsc -p . && node dist/test/bench/reliabilityFigures.js [crash] [load] [secrets] [--customers N]
 */

const root = packageRoot();

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function crashSweep(): Promise<Record<string, unknown>> {
  const emulator = await startEmulator({});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-crash-sweep-"));
  try {
    const target: CrashTarget = {
      emulator,
      programDir: path.join(root, "examples", "quickstart"),
      stateFile: path.join(dir, "quickstart.json"),
      env: { ...emulator.env, PULUMI_CONFIG_PASSPHRASE: "crash-sweep" },
    };
    const clean = await cleanRun(target);
    say(`clean up: ${clean.points.length} provider writes, ${clean.resources.length} resources`);
    const outcomes: CrashOutcome[] = [];
    const modes: KillMode[] = ["inFlight", "answered"];
    for (const point of clean.points) {
      for (const mode of modes) {
        const o = await crashAndConverge(target, clean, point, mode, { preview: true });
        outcomes.push(o);
        say(
          `${String(point.step).padStart(2)} ${mode.padEnd(8)} ${point.label}: ${o.killed ? "killed" : "NOT KILLED"}` +
            `${o.committedAfterKill ? ", committed after the kill" : ""}; pending ${JSON.stringify(o.pendingAfterKill)}; ` +
            `${converged(o) ? "converged" : `NOT CONVERGED ${JSON.stringify({ e: o.rerunErrors, d: o.duplicates, o: o.orphans, i: o.incomplete, c: o.countDiffs, p: o.previewChanges })}`}`,
        );
      }
    }
    return {
      program: "examples/quickstart",
      providerWrites: clean.points.length,
      resources: clean.resources.length,
      killPoints: outcomes.length,
      killed: outcomes.filter((o) => o.killed).length,
      committedAfterKill: outcomes.filter((o) => o.committedAfterKill).length,
      converged: outcomes.filter(converged).length,
      duplicates: outcomes.reduce((n, o) => n + o.duplicates.length, 0),
      orphans: outcomes.reduce((n, o) => n + o.orphans.length, 0),
      failures: outcomes
        .filter((o) => !converged(o) || !o.killed)
        .map((o) => ({
          step: o.point.step,
          label: o.point.label,
          mode: o.mode,
          killed: o.killed,
          errors: o.rerunErrors,
          duplicates: o.duplicates,
          orphans: o.orphans,
          incomplete: o.incomplete,
          countDiffs: o.countDiffs,
          previewChanges: o.previewChanges,
        })),
    };
  } finally {
    await emulator.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The file-backed emulator SIGKILLed after the k-th answered provider write of the quickstart, for every k. */
async function emulatorKills(writes: number): Promise<Record<string, unknown>> {
  const outcomes: { k: number; survived: boolean; midRun: boolean; detail?: unknown }[] = [];
  for (let k = 1; k <= writes; k++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-emulator-kill-"));
    try {
      const dataDir = path.join(dir, "emulator");
      fs.mkdirSync(dataDir);
      const o = await killEmulatorDuringUp({
        dataDir,
        programDir: path.join(root, "examples", "quickstart"),
        stateFile: path.join(dir, "quickstart.json"),
        passphrase: "emulator-kill-figures",
        killAfterWrites: k,
      });
      const survived =
        o.loaded &&
        o.lost.length === 0 &&
        o.recordedMissing.length === 0 &&
        o.rerunOk &&
        o.duplicates.length === 0 &&
        o.orphans.length === 0 &&
        o.incomplete.length === 0 &&
        o.previewChanges.length === 0;
      outcomes.push({ k, survived, midRun: o.interruptedRunFailed, ...(survived ? {} : { detail: o }) });
      say(
        `emulator killed after write ${k}: ${o.interruptedRunFailed ? "mid-run" : "after the run"}, ${survived ? "intact and converged" : `FAILED ${JSON.stringify(o)}`}`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    kills: outcomes.length,
    midRun: outcomes.filter((o) => o.midRun).length,
    survived: outcomes.filter((o) => o.survived).length,
    failures: outcomes.filter((o) => !o.survived),
  };
}

async function secrets(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-secrets-figures-"));
  try {
    const r = await runSecretsScenario(dir);
    return {
      filesScanned: r.files,
      bytesScanned: r.bytes,
      traceExchanges: r.traceLines,
      secretsSoughtByValue: new Set(r.knownSecrets.map((k) => k.value)).size,
      secretsSoughtByHash: r.hashedByKind,
      forcedErrors: Object.fromEntries(Object.entries(r.forcedErrors).map(([k, v]) => [k, v.length])),
      secretOutputsEncrypted: `${r.stateSecretFields.filter((f) => f.encrypted).length}/${r.stateSecretFields.length}`,
      summaryOutputs: r.summaryOutputs,
      secretsFound: r.leaks.length,
      leaks: r.leaks,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function load(customers: number): Promise<Record<string, unknown>> {
  // Production mode: an integration sandbox allows at most 10 Azure plans (reference 9).
  const emulator = await startEmulator({ enforceRateLimits: true, sandbox: false });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-load-"));
  try {
    const programDir = writeLoadProject(dir, customers);
    const env = { ...emulator.env, PULUMI_CONFIG_PASSPHRASE: "load-figures" };
    const stateFile = path.join(dir, "load.json");
    const up = await runProgram({ command: "up", programDir, stateFile, env });
    const log = await emulator.admin.requestLog();
    const census = takeCensus(await emulator.admin.state());
    const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as {
      resources: { kind: string; id?: string }[];
    };
    const dynamic = state.resources.filter((r) => r.kind === "dynamic");
    const preview = await runProgram({ command: "preview", programDir, stateFile, env });
    const changes = preview.resources.filter((r) => r.op !== "same" && !r.unmanaged).length;
    say(
      `load: ${customers} customers, up ${up.ok ? "ok" : `FAILED ${JSON.stringify(up.errors).slice(0, 2000)}`} in ${up.durationMs} ms`,
    );
    return {
      customers,
      resources: dynamic.length,
      expectedResources: customers * LOAD_RESOURCES_PER_TENANT,
      withId: dynamic.filter((r) => r.id).length,
      upOk: up.ok,
      upDurationMs: up.durationMs,
      errors: up.errors.slice(0, 5),
      ...loadFigures(log),
      duplicates: findDuplicates(census).length,
      orphans: findOrphans(census, fs.readFileSync(stateFile, "utf8")).length,
      previewChanges: changes,
    };
  } finally {
    await emulator.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const all = !args.some((a) => ["crash", "load", "secrets"].includes(a));
  const figures: Record<string, unknown> = {};
  const started = Date.now();
  const n = args.indexOf("--customers");
  const customers = n >= 0 ? Number(args[n + 1]) : 50;
  if (all || args.includes("crash")) {
    figures.crash = await crashSweep();
    figures.emulatorKills = await emulatorKills(16);
  }
  if (all || args.includes("secrets")) figures.secrets = await secrets();
  if (all || args.includes("load")) figures.load = await load(customers);
  figures.durationMs = Date.now() - started;
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
