import * as path from "node:path";
import {
  type EngineEvent,
  LocalWorkspace,
  PulumiCommand,
  Stack,
  type StepEventMetadata,
} from "@pulumi/pulumi/automation";
import { ENGINE_KEYS, PURCHASE_KEY } from "../provider/purchaseMarker";
import { type Command, displayType, operationOf, type ResourceStep, type RunSummary } from "./runSummary";
import { prepareWorkspace, type StackWorkspace, setStackConfig } from "./stackWorkspace";
import { pulumiEnv, pulumiToolchain } from "./toolchain";

/** Passphrase of stacks this project runs for itself (tests, demo) when none is set. */
export const LOCAL_PASSPHRASE = "pulumi-csp-local";

export interface RunProgramOptions {
  command: Command;
  /** The program folder (with `Pulumi.yaml`). */
  programDir: string;
  /** Stack name (default `dev`). */
  stack?: string;
  /** The workspace folder (default `<programDir>/.pulumi-csp/<stack>`); see `prepareWorkspace`. */
  stateDir?: string;
  /** Stack config (`key` or `namespace:key`), written to the stack's config file before the run. */
  config?: Record<string, string>;
  /**
   * Environment of the CLI, the program and the provider host, over the current one; `undefined`
   * removes a variable for this run. `PULUMI_CONFIG_PASSPHRASE` defaults to {@link LOCAL_PASSPHRASE}
   * unless `localPassphrase` is false.
   */
  env?: Record<string, string | undefined>;
  /**
   * Give the stack {@link LOCAL_PASSPHRASE} when the environment has no `PULUMI_CONFIG_PASSPHRASE`
   * (default true: the project's own tests and demo). A partner's stacks (`pulumi-csp fleet`) pass
   * false: their secrets are encrypted with the passphrase (or passphrase file) the partner sets.
   */
  localPassphrase?: boolean;
  /** `preview`, `up`: show the properties of each change (`--diff`). */
  diff?: boolean;
  /** `preview`, `up`, `refresh`: fail when there are changes (`--expect-no-changes`). */
  expectNoChanges?: boolean;
  /** `refresh`: drop the creates an interrupted update left pending (`--clear-pending-creates`). */
  clearPendingCreates?: boolean;
  /** `preview`, `up`, `destroy`: refresh the state first (`--refresh`). */
  refresh?: boolean;
  /** Only these resource URNs (`--target`). */
  target?: string[];

  /** Called with the CLI's output as it comes (the text a user sees). */
  onOutput?: (text: string) => void;
  /** Aborting interrupts the CLI (SIGINT, as Ctrl-C does). */
  signal?: AbortSignal;
}

export interface RunProgramResult extends RunSummary {
  /** Exit code of the CLI (null when it was killed by a signal). */
  exitCode: number | null;
  /** The signal that ended the CLI, if any. */
  signal: NodeJS.Signals | null;
  /** What the CLI printed (stdout then stderr). */
  stdout: string;
  stderr: string;
  workspace: StackWorkspace;
}

/**
 * Runs `preview`, `up`, `refresh` or `destroy` of a program with the project's Pulumi CLI, through
 * the Automation API, and summarises the engine's events. A failed command is a result with
 * `ok: false` (its diagnostics in `errors`), not an exception.
 */
export async function runProgram(options: RunProgramOptions): Promise<RunProgramResult> {
  const started = Date.now();
  const stackName = options.stack ?? "dev";
  const ws = prepareWorkspace(
    options.programDir,
    options.stateDir ?? path.join(options.programDir, ".pulumi-csp", stackName),
    stackName,
  );
  setStackConfig(ws, options.config ?? {});
  const toolchain = pulumiToolchain();
  const removed = Object.entries(options.env ?? {})
    .filter(([, v]) => v === undefined)
    .map(([k]) => k);
  const passphrase =
    process.env.PULUMI_CONFIG_PASSPHRASE ??
    (options.localPassphrase === false ? undefined : LOCAL_PASSPHRASE);
  const envVars: Record<string, string> = {
    ...(passphrase !== undefined ? { PULUMI_CONFIG_PASSPHRASE: passphrase } : {}),
    // The project's language host (v3.68, see tools/pulumi-language-nodejs/go.mod) does not pass
    // the project directory to the SDK, whose pulumi.runtime.getRootDirectory() then answers a
    // placeholder; the SDK reads it from this variable, here the program's own folder.
    PULUMI_NODEJS_ROOT_DIRECTORY: ws.programDir,
    ...pulumiEnv(toolchain, ws.backendDir, ws.pulumiHome),
  };
  for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) envVars[k] = v;

  const steps = new Map<string, ResourceStep>();
  const summary: RunSummary = {
    engine: `pulumi ${toolchain.version}`,
    command: options.command,
    project: ws.project,
    stack: stackName,
    stateDir: ws.dir,
    ok: false,
    counts: { create: 0, update: 0, replace: 0, delete: 0, same: 0, read: 0, failed: 0 },
    resources: [],
    outputs: {},
    errors: [],
    warnings: [],
    infos: [],
    durationMs: 0,
  };
  const preview = options.command === "preview";
  const onEvent = (event: EngineEvent): void => {
    const pre = event.resourcePreEvent?.metadata;
    if (pre) record(steps, pre, preview ? "planned" : "started");
    const done = event.resOutputsEvent?.metadata;
    if (done) record(steps, done, preview ? "planned" : "done");
    const failed = event.resOpFailedEvent?.metadata;
    if (failed) record(steps, failed, "failed");
    const diag = event.diagnosticEvent;
    // Debug diagnostics (the SDK's RPC traces) print resources' properties, secrets included: a
    // summary must be safe to print or save, so they are not kept.
    if (diag && !diag.ephemeral && (diag.severity as string) !== "debug") {
      const message = diag.message.replace(/\s+$/, "");
      if (diag.severity === "error") {
        const step = diag.urn ? steps.get(diag.urn) : undefined;
        if (step && !step.error) step.error = message;
        summary.errors.push({
          message,
          ...(diag.urn ? { urn: diag.urn, name: nameOf(diag.urn), type: displayType(typeOf(diag.urn)) } : {}),
        });
      } else if (diag.severity === "warning") summary.warnings.push(message);
      else summary.infos.push(message);
    }
  };

  let stdout = "";
  let stderr = "";
  let exitCode: number | null = 0;
  let signal: NodeJS.Signals | null = null;
  const saved = new Map(removed.map((k) => [k, process.env[k]]));
  for (const k of removed) delete process.env[k];
  try {
    const pulumiCommand = await cliCommand(toolchain.binDir);
    const workspace = await LocalWorkspace.create({
      workDir: ws.workDir,
      pulumiHome: ws.pulumiHome,
      pulumiCommand,
      envVars,
    });
    const stack = await Stack.createOrSelect(stackName, workspace);
    const common = {
      onEvent,
      color: "never" as const,
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const choices = {
      ...(options.expectNoChanges ? { expectNoChanges: true } : {}),
      ...(options.refresh ? { refresh: true } : {}),
      ...(options.diff ? { diff: true } : {}),
      ...(options.target ? { target: options.target } : {}),
    };
    switch (options.command) {
      case "preview": {
        const r = await stack.preview({ ...common, ...choices });
        stdout = r.stdout;
        stderr = r.stderr;
        break;
      }
      case "up": {
        const r = await stack.up({ ...common, ...choices });
        stdout = r.stdout;
        stderr = r.stderr;
        summary.outputs = shownOutputs(r.outputs);
        break;
      }
      case "refresh": {
        const r = await stack.refresh({
          ...common,
          ...choices,
          ...(options.clearPendingCreates ? { clearPendingCreates: true } : {}),
        });
        stdout = r.stdout;
        stderr = r.stderr;
        break;
      }
      case "destroy": {
        const r = await stack.destroy({ ...common, ...choices });
        stdout = r.stdout;
        stderr = r.stderr;
        break;
      }
    }
    summary.ok = true;
  } catch (err) {
    const e = err as { commandResult?: { stdout: string; stderr: string; code: number; err?: unknown } };
    const result = e.commandResult;
    // The Automation API wraps the process error (execa's), which keeps what the CLI printed, its
    // exit code and the signal that ended it; its own result has code -2 and no output.
    const proc = (result?.err ?? {}) as {
      stdout?: string;
      stderr?: string;
      exitCode?: number;
      signal?: string;
    };
    stdout = proc.stdout || result?.stdout || "";
    stderr = proc.stderr || result?.stderr || (err instanceof Error ? err.message : String(err));
    const killed = proc.signal ?? /was killed with (SIG[A-Z]+)/.exec(result?.stderr ?? "")?.[1];
    signal = killed ? (killed as NodeJS.Signals) : null;
    exitCode = signal ? null : (proc.exitCode ?? result?.code ?? 1);
    if (summary.errors.length === 0) {
      summary.errors.push({ message: lastErrorLine(stderr) ?? `pulumi ${options.command} failed` });
    }
  } finally {
    for (const [k, v] of saved) if (v !== undefined) process.env[k] = v;
  }

  summary.resources = [...steps.values()];
  for (const step of summary.resources) {
    if (step.status === "failed") summary.counts.failed++;
    else summary.counts[step.op]++;
  }
  summary.durationMs = Date.now() - started;
  return { ...summary, exitCode, signal, stdout, stderr, workspace: ws };
}

async function cliCommand(binDir: string): Promise<PulumiCommand> {
  // PulumiCommand.get takes an installation root holding bin/pulumi.
  if (path.basename(binDir) === "bin") return PulumiCommand.get({ root: path.dirname(binDir) });
  return PulumiCommand.get();
}

function record(
  steps: Map<string, ResourceStep>,
  m: StepEventMetadata,
  status: ResourceStep["status"],
): void {
  const op = operationOf(m.op);
  const previous = steps.get(m.urn);
  // A replacement is reported as several steps (create-replacement, replace, delete-replaced):
  // one entry, whose status follows the last of them.
  const step: ResourceStep = {
    ...(previous ?? {}),
    urn: m.urn,
    type: m.type,
    displayType: displayType(m.type),
    name: nameOf(m.urn),
    op: previous?.op === "replace" ? "replace" : op,
    engineOp: m.op,
    status: previous?.status === "failed" ? "failed" : status,
  };
  const diffs = m.diffs?.length ? m.diffs : changedInputs(m);
  if (diffs.length) step.diffs = diffs;
  if (m.keys?.length) step.replaces = m.keys;
  const id = m.new?.id || m.old?.id;
  if (id) step.id = id;
  const purchase = m.new?.inputs?.[PURCHASE_KEY];
  // A create or replacement that buys, or an update that buys more (seats added to a LicenseSubscription).
  if (typeof purchase === "string" && ["create", "replace", "update"].includes(step.op)) {
    step.billable = true;
    step.purchase = purchase;
  }
  if (m.op === "delete" && m.old?.retainOnDelete) step.retained = true;
  steps.set(m.urn, step);
}

/**
 * Dynamic providers report no property names in their diff, so the engine's events carry none;
 * like the CLI's display, compare the stored inputs with the checked new ones (top-level keys).
 */
function changedInputs(m: StepEventMetadata): string[] {
  if (m.op !== "update" || !m.old || !m.new) return [];
  const olds = m.old.inputs ?? {};
  const news = m.new.inputs ?? {};
  return [...new Set([...Object.keys(olds), ...Object.keys(news)])]
    .filter((k) => !ENGINE_KEYS.includes(k))
    .filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]))
    .sort();
}

function shownOutputs(outputs: Record<string, { value: unknown; secret: boolean }>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(outputs)) out[k] = v.secret ? "[secret]" : v.value;
  return out;
}

function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

function typeOf(urn: string): string {
  const parts = urn.split("::");
  const chain = parts[2] ?? "";
  return chain.slice(chain.lastIndexOf("$") + 1);
}

function lastErrorLine(text: string): string | undefined {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.reverse().find((l) => /error/i.test(l)) ?? lines[0];
}
