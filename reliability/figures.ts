import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readCheckpoint } from "../automation/checkpoint";
import { runProgram } from "../automation/runProgram";
import { packageRoot, pulumiToolchain } from "../automation/toolchain";
import { docCommand } from "../bench/docCommand";
import { startEmulator } from "../emulator/index";
import { seededSecurityGroupIds } from "../emulator/login/index";
import {
  type CrashOutcome,
  type CrashTarget,
  changesOf,
  cleanRun,
  converged,
  crashAndConverge,
  dynamicResources,
  pendingOf,
  RECOVERY_STEPS,
  REMOVE_EMPTY_ATTRS,
} from "./crashCycle";
import { findDuplicates, findOrphans, takeCensus } from "./emulatorCensus";
import { killEmulatorDuringUp, survivedEmulatorKill } from "./emulatorKill";
import { runFaultFigures } from "./faultFigures";
import { LOAD_RESOURCES_PER_TENANT, loadFigures, loadStackConfig, writeLoadProject } from "./loadProgram";
import type { KillMode, KillVictim } from "./pulumiKill";
import {
  type CrashFigures,
  type EmulatorKillFigures,
  type LoadRunFigures,
  type ReliabilityFigures,
  type SecretsFigures,
  writeReliabilityDoc,
} from "./reliabilityDoc";
import { runSecretsScenario } from "./secretsRun";

/**
 * Reliability figures (docs/reliability.md, linked from the README), on the real engine (the
 * project's Pulumi CLI, v3.248.0, file backend, through the Automation API):
 *
 * - crash: the full sweep: at every provider write of the quickstart `pulumi up`, the `pulumi` CLI
 *   and, separately, the dynamic-provider host SIGKILLed with the write in flight and just
 *   answered; the stack recovered as a user does (`pulumi cancel`, `pulumi refresh
 *   --clear-pending-creates`, each when needed; see RECOVERY_STEPS in
 *   reliability/crashCycle.ts), `pulumi up`, then a preview; plus the file-backed
 *   emulator SIGKILLed after each of the quickstart's writes, restarted, and `pulumi up` again;
 * - load: N customers (default 50) applied at once under enforced Partner Center limits;
 * - secrets: the secret scan of test/reliability/secretsLeak.test.ts, with its figures.
 *
 * The test suite runs a deterministic subset of each (see the test files). Prints one JSON
 * document on stdout, progress on stderr.
 *
 * - faults: the fault matrix and bad-input suites (vitest), their summary lines read
 *   (reliability/faultFigures.ts).
 *
 *   npm run reliability -- [faults] [crash] [load] [secrets] [--customers N]
 *     [--victims cli,provider-host] [--modes inFlight,answered] [--doc FILE]
 *
 * The run with no argument writes docs/reliability.md (reliability/reliabilityDoc.ts); `--doc`
 * writes the document of any run to FILE.
 */

const root = packageRoot();

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function crashSweep(victims: KillVictim[], modes: KillMode[]): Promise<CrashFigures> {
  // The customer approves the quickstart's GDAP relationship at once: these figures are about crashes.
  const emulator = await startEmulator({ autoApproveGdap: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-crash-sweep-"));
  try {
    const target: CrashTarget = {
      emulator,
      programDir: path.join(root, "examples", "quickstart"),
      stateDir: path.join(dir, "quickstart"),
      env: { ...emulator.env, PULUMI_CONFIG_PASSPHRASE: "crash-sweep" },
      config: { gdapSecurityGroupId: emulator.seed.gdapAdminsGroupId },
    };
    const clean = await cleanRun(target);
    say(`clean up: ${clean.points.length} provider writes, ${clean.resources.length} resources`);
    const outcomes: CrashOutcome[] = [];
    for (const victim of victims) {
      for (const point of clean.points) {
        for (const mode of modes) {
          const o = await crashAndConverge(target, clean, point, mode, victim);
          outcomes.push(o);
          say(
            `${victim.padEnd(13)} ${String(point.step).padStart(2)} ${mode.padEnd(8)} ${point.label}: ${o.killed ? "killed" : "NOT KILLED"}` +
              `${o.committedAfterKill ? ", committed after the kill" : ""}; lock ${o.lockedAfterKill ? "left" : "none"}${o.emptyAttrsAfterKill.length > 0 ? `; EMPTY ${o.emptyAttrsAfterKill.join(", ")}` : ""}; pending ${JSON.stringify(o.pendingAfterKill)}; ` +
              `recovery ${o.recovery.join(" && ")}; ${Math.round(o.durationMs / 1000)} s; ` +
              `${converged(o) ? "converged" : `NOT CONVERGED ${JSON.stringify({ e: o.rerunErrors, d: o.duplicates, o: o.orphans, i: o.incomplete, c: o.countDiffs, p: o.previewChanges })}`}`,
          );
        }
      }
    }
    const per = (victim: KillVictim) => {
      const mine = outcomes.filter((o) => o.victim === victim);
      return {
        kills: mine.length,
        killed: mine.filter((o) => o.killed).length,
        committedAfterKill: mine.filter((o) => o.committedAfterKill).length,
        lockLeft: mine.filter((o) => o.lockedAfterKill).length,
        emptyCheckpointAttrsLeft: mine.filter((o) => o.emptyAttrsAfterKill.length > 0).length,
        pendingOperationsLeft: mine.filter((o) => o.pendingAfterKill.length > 0).length,
        pluginProcessesLeftRunning: mine.filter((o) => o.survivors.length > 0).length,
        recoveries: Object.fromEntries(
          [...new Set(mine.map((o) => o.recovery.join(" && ")))].map((r) => [
            r,
            mine.filter((o) => o.recovery.join(" && ") === r).length,
          ]),
        ),
        converged: mine.filter(converged).length,
      };
    };
    return {
      program: "examples/quickstart",
      providerWrites: clean.points.length,
      resources: clean.resources.length,
      recoverySteps: [`${REMOVE_EMPTY_ATTRS}: only when it is empty`, ...RECOVERY_STEPS],
      killPoints: outcomes.length,
      killed: outcomes.filter((o) => o.killed).length,
      committedAfterKill: outcomes.filter((o) => o.committedAfterKill).length,
      converged: outcomes.filter(converged).length,
      duplicates: outcomes.reduce((n, o) => n + o.duplicates.length, 0),
      orphans: outcomes.reduce((n, o) => n + o.orphans.length, 0),
      byVictim: Object.fromEntries(victims.map((v) => [v, per(v)])),
      meanCycleMs: Math.round(outcomes.reduce((n, o) => n + o.durationMs, 0) / Math.max(1, outcomes.length)),
      failures: outcomes
        .filter((o) => !converged(o) || !o.killed)
        .map((o) => ({
          victim: o.victim,
          step: o.point.step,
          label: o.point.label,
          mode: o.mode,
          killed: o.killed,
          recovery: o.recovery,
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

/**
 * The file-backed emulator SIGKILLed after the k-th answered provider write of the quickstart, for
 * every k of its `writes`; `resources`: how many pulumi-csp resources a clean run of it records
 * (both counted by the crash sweep's clean run).
 */
async function emulatorKills(writes: number, resources: number): Promise<EmulatorKillFigures> {
  const outcomes: { k: number; survived: boolean; midRun: boolean; recovery: string; detail?: unknown }[] =
    [];
  for (let k = 1; k <= writes; k++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-emulator-kill-"));
    try {
      const dataDir = path.join(dir, "emulator");
      fs.mkdirSync(dataDir);
      const o = await killEmulatorDuringUp({
        dataDir,
        programDir: path.join(root, "examples", "quickstart"),
        stateDir: path.join(dir, "quickstart"),
        passphrase: "emulator-kill-figures",
        killAfterWrites: k,
        // The customer approves the quickstart's GDAP relationship at once: this is about crashes.
        emulatorArgs: ["--auto-approve-gdap"],
        config: (partnerTenantId) => ({
          gdapSecurityGroupId: seededSecurityGroupIds(partnerTenantId).gdapAdminsGroupId,
        }),
      });
      const survived = survivedEmulatorKill(o, resources);
      outcomes.push({
        k,
        survived,
        midRun: o.interruptedRunFailed,
        recovery: o.recovery.join(" && "),
        ...(survived ? {} : { detail: o }),
      });
      say(
        `emulator killed after write ${k}: ${o.interruptedRunFailed ? "mid-run" : "after the run"}, recovery ${o.recovery.join(" && ")}, ${survived ? "intact and converged" : `FAILED ${JSON.stringify(o)}`}`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    kills: outcomes.length,
    midRun: outcomes.filter((o) => o.midRun).length,
    survived: outcomes.filter((o) => o.survived).length,
    recoveries: Object.fromEntries(
      [...new Set(outcomes.map((o) => o.recovery))].map((r) => [
        r,
        outcomes.filter((o) => o.recovery === r).length,
      ]),
    ),
    failures: outcomes.filter((o) => !o.survived),
  };
}

async function secrets(): Promise<SecretsFigures> {
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
      // Pulumi's debug diagnostics that runProgram keeps in RunSummary.infos (not pulumi-csp's lines).
      secretsInRunSummaryDebugDiagnostics: r.secretsInSummaryDebugDiagnostics,
      debugLogging: {
        command: "pulumi refresh --debug --logtostderr -v=9 --logflow",
        lines: r.debugRun.lines,
        pulumiCspLines: r.debugRun.pulumiCspLines,
        secretsInPulumiCspLines: r.debugRun.leaksInPulumiCspLines.length,
        secretsInPulumiOwnRpcTraces: r.debugRun.leaksInPulumiTraces,
        secretsElsewhere: r.debugRun.leaksElsewhere.length,
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function load(customers: number): Promise<LoadRunFigures> {
  // Production mode: an integration sandbox allows at most 10 Azure plans ("Test and debug with
  // integration sandbox", https://learn.microsoft.com/partner-center/developer/test-and-debug).
  // Customers approve the GDAP relationships at once: these figures are about load.
  const emulator = await startEmulator({ enforceRateLimits: true, sandbox: false, autoApproveGdap: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-load-"));
  try {
    const programDir = writeLoadProject(dir, customers);
    const env = { ...emulator.env, PULUMI_CONFIG_PASSPHRASE: "load-figures" };
    const stateDir = path.join(dir, "stack");
    const config = loadStackConfig(programDir, emulator.seed.gdapAdminsGroupId);
    const up = await runProgram({ command: "up", programDir, stateDir, env, config });
    const log = await emulator.admin.requestLog();
    const census = takeCensus(await emulator.admin.state());
    const checkpoint = readCheckpoint(up.workspace);
    const dynamic = [...dynamicResources(checkpoint).values()];
    const started = Date.now();
    const preview = await runProgram({ command: "preview", programDir, stateDir, env, config });
    const previewMs = Date.now() - started;
    const changes = changesOf(preview).length;
    say(
      `load: ${customers} customers, up ${up.ok ? "ok" : `FAILED ${JSON.stringify(up.errors).slice(0, 2000)}`} in ${up.durationMs} ms`,
    );
    return {
      customers,
      resources: dynamic.length,
      expectedResources: customers * LOAD_RESOURCES_PER_TENANT,
      withId: dynamic.filter(Boolean).length,
      pendingOperations: pendingOf(checkpoint).length,
      upOk: up.ok,
      upDurationMs: up.durationMs,
      previewDurationMs: previewMs,
      errors: up.errors.slice(0, 5),
      ...loadFigures(log),
      duplicates: findDuplicates(census).length,
      orphans: findOrphans(census, checkpoint?.text ?? "").length,
      previewChanges: changes,
    };
  } finally {
    await emulator.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Parts of the run; all when none is named. */
const PARTS = ["faults", "crash", "load", "secrets"] as const;

/** The document the default run (every part, default options) refreshes. */
const DEFAULT_DOC = path.join(root, "docs", "reliability.md");

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const all = !args.some((a) => (PARTS as readonly string[]).includes(a));
  const started = Date.now();
  const n = args.indexOf("--customers");
  const customers = n >= 0 ? Number(args[n + 1]) : 50;
  const list = (flag: string, all: string[]) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1].split(",") : all;
  };
  const victims = list("--victims", ["cli", "provider-host"]) as KillVictim[];
  const modes = list("--modes", ["inFlight", "answered"]) as KillMode[];
  const d = args.indexOf("--doc");
  // The default document only from the default run: every part, no option.
  const doc = d >= 0 ? args[d + 1] : args.length === 0 ? DEFAULT_DOC : undefined;
  const toolchain = pulumiToolchain();
  const figures: ReliabilityFigures = {
    engine: `pulumi ${toolchain.version}, file backend, Automation API`,
    startedAt: new Date(started).toISOString(),
    command: docCommand("reliability", args),
  };
  say(`engine: ${figures.engine}`);
  if (all || args.includes("faults")) {
    say("faults: the fault matrix and bad input (vitest) ...");
    figures.faults = runFaultFigures(root);
    say(
      `faults: ${figures.faults.passed ? "passed" : "FAILED"} in ${Math.round(figures.faults.durationMs / 1000)} s`,
    );
  }
  if (all || args.includes("crash")) {
    figures.crash = await crashSweep(victims, modes);
    figures.emulatorKills = await emulatorKills(figures.crash.providerWrites, figures.crash.resources);
  }
  if (all || args.includes("secrets")) figures.secrets = await secrets();
  if (all || args.includes("load")) figures.load = await load(customers);
  figures.durationMs = Date.now() - started;
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  if (doc) {
    writeReliabilityDoc(doc, figures);
    say(`Markdown: ${path.resolve(doc)}`);
  }
  return figures.faults && !figures.faults.passed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);
