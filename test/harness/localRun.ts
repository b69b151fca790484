import { createRequire } from "node:module";
import * as path from "node:path";
import { Deployment } from "./deployment";
import { LocalResourceMonitor } from "./localResourceMonitor";
import { passphraseFromEnv } from "./passphraseCrypter";
import { isSecretEnvelope, type PropertyMap, type PropertyValue, UNKNOWN } from "./propertyValues";
import { loadProject, type PulumiProject } from "./pulumiProject";
import type { Command, Operation, RunSummary } from "./runSummary";
import { StateFile } from "./stateFile";

export interface LocalRunOptions {
  command: Command;
  programDir: string;
  /** Stack name (default `dev`). */
  stack?: string;
  /** State file (default `<programDir>/.pulumi-csp/<stack>.json`). */
  stateFile?: string;
  /** Config overrides, `key` or `namespace:key` to value. */
  config?: Record<string, string>;
  /** Environment for the passphrase and the provider host (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Diagnostics sink (default: stderr). */
  log?: (line: string) => void;
  /** Aborting stops starting new steps; steps in progress complete and are saved. */
  signal?: AbortSignal;
}

/** The SDK runtime modules the runner drives (loaded from the program's own @pulumi/pulumi). */
interface PulumiRuntime {
  settings: {
    setMockOptions(monitor: unknown, project: string, stack: string, preview: boolean, org?: string): void;
    awaitFeatureSupport(): Promise<void>;
    waitForRPCs(): Promise<void>;
  };
  stack: { runInPulumiStack(init: () => Promise<unknown>): Promise<unknown> };
  config: { setAllConfig(c: Record<string, string>, secretKeys?: string[]): void };
  state: { getStore(): { settings: { options: { rootDirectory?: string } }; logErrorCount: number } };
}

/**
 * Runs one command of a Pulumi program in this process, with the real SDK and the real
 * dynamic-provider host, and returns its summary. Running the program means `require`-ing its
 * entry point, so a process should run one program once (the CLI and `runProgram` spawn a
 * process per run).
 */
export async function runLocal(options: LocalRunOptions): Promise<RunSummary> {
  const started = Date.now();
  const env = options.env ?? process.env;
  const stack = options.stack ?? "dev";
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let deployment: Deployment | undefined;
  let stateFile: StateFile | undefined;
  let projectName = "";
  let statePath = options.stateFile ? path.resolve(options.stateFile) : "";
  const programErrors: string[] = [];

  // Errors the program raises (unhandled rejections of its outputs) are collected for the whole
  // run: like the language host, the first one ends the program.
  let signalError: () => void = () => undefined;
  const errored = new Promise<void>((resolve) => {
    signalError = resolve;
  });
  const known = (message: string): boolean =>
    (deployment?.errors ?? []).some((e) => message.includes(e.message)) ||
    message.includes("an earlier step failed");
  const onError = (err: unknown): void => {
    const message = err instanceof Error ? err.message : String(err);
    if (!known(message) && !programErrors.includes(message)) programErrors.push(message);
    signalError();
  };
  process.on("unhandledRejection", onError);
  process.on("uncaughtException", onError);
  try {
    const project = loadProject(options.programDir, stack, options.config ?? {});
    projectName = project.name;
    statePath = path.resolve(options.stateFile ?? path.join(project.dir, ".pulumi-csp", `${stack}.json`));
    const sf = new StateFile(statePath, passphraseFromEnv(env));
    if (options.command !== "preview") sf.lock();
    stateFile = sf;
    const d = new Deployment({
      command: options.command,
      project,
      stack,
      stateFile: sf,
      state: sf.load(project.name, stack),
      hostEnv: {
        ...env,
        // Dynamic providers receive the whole stack configuration (pulumi/pulumi#17229).
        PULUMI_CONFIG: JSON.stringify(project.config),
        PULUMI_NODEJS_PROJECT: project.name,
        PULUMI_NODEJS_STACK: stack,
      },
      log,
    });
    deployment = d;
    d.onFailure(() => signalError());
    options.signal?.addEventListener("abort", () => d.interrupt(), { once: true });
    d.warmUp();
    if (options.command === "preview" || options.command === "up") {
      await runProgram(project, stack, options.command, d, errored, onError);
      if (programErrors.length === 0 && !d.hasFailed) await d.deleteRemoved();
    } else if (options.command === "refresh") {
      await d.refresh();
    } else {
      await d.destroyAll();
    }
  } catch (e) {
    onError(e);
  } finally {
    await deployment?.close();
    stateFile?.unlock();
    // Let rejections raised by the last RPCs reach the handler before removing it.
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onError);
    process.off("uncaughtException", onError);
  }
  const steps = deployment?.steps ?? [];
  const counts: Record<Operation | "failed", number> = {
    create: 0,
    update: 0,
    replace: 0,
    delete: 0,
    same: 0,
    read: 0,
    failed: 0,
  };
  for (const s of steps) {
    if (s.status === "failed" || s.status === "skipped") counts.failed++;
    else counts[s.op]++;
  }
  const errors = [...(deployment?.errors ?? []), ...programErrors.map((message) => ({ message }))];
  return {
    runner: "pulumi-csp local runner",
    command: options.command,
    project: projectName,
    stack,
    stateFile: statePath,
    ok: errors.length === 0,
    counts,
    resources: steps,
    outputs: showOutputs(deployment?.stackOutputs ?? {}),
    errors,
    warnings: deployment?.warnings ?? [],
    providerCalls: deployment?.providerCalls() ?? {},
    durationMs: Date.now() - started,
  };
}

/**
 * Runs the program under the runner's monitor, like the Node language host: `runInPulumiStack`
 * around `require(main)` (a function export is called; its result or the module's exports become
 * the stack outputs). Returns when the program and its registrations are done, or at the first
 * error (`errored`): the SDK leaves outputs of a failed registration unresolved, so waiting for
 * the program could wait forever. Steps already in progress still complete.
 */
async function runProgram(
  project: PulumiProject,
  stack: string,
  command: "preview" | "up",
  deployment: Deployment,
  errored: Promise<void>,
  onError: (err: unknown) => void,
): Promise<void> {
  const main = project.main;
  const req = createRequire(main);
  const rt: PulumiRuntime = {
    settings: req("@pulumi/pulumi/runtime/settings"),
    stack: req("@pulumi/pulumi/runtime/stack"),
    config: req("@pulumi/pulumi/runtime/config"),
    state: req("@pulumi/pulumi/runtime/state"),
  };
  rt.settings.setMockOptions(
    new LocalResourceMonitor(deployment),
    project.name,
    stack,
    command === "preview",
    "organization", // what `pulumi.getOrganization()` returns with the CLI's local backend
  );
  rt.state.getStore().settings.options.rootDirectory = project.dir;
  await rt.settings.awaitFeatureSupport();
  rt.config.setAllConfig(project.config, []);
  // A program already run in this process (in-process mode) must execute again, not come from
  // the module cache; its dependencies (the SDK, pulumi-csp) stay loaded.
  const programRoot = path.dirname(main);
  for (const key of Object.keys(req.cache)) {
    if (key.startsWith(programRoot + path.sep) && !key.includes(`${path.sep}node_modules${path.sep}`)) {
      delete req.cache[key];
    }
  }

  const cwd = process.cwd();
  process.chdir(project.dir);
  let failed = false;
  const failure = errored.then(() => {
    failed = true;
  });
  try {
    const program = rt.stack.runInPulumiStack(async () => {
      const exported = req(main) as unknown;
      return typeof exported === "function" ? await (exported as () => unknown)() : exported;
    });
    await Promise.race([program.catch(onError), failure]);
    if (!failed) await Promise.race([rt.settings.waitForRPCs().catch(onError), failure]);
    await deployment.settle();
  } finally {
    process.chdir(cwd);
  }
  if (rt.state.getStore().logErrorCount > 0 && !failed && !deployment.hasFailed) {
    onError(new Error("the program logged errors (see above)"));
  }
}

/** Stack outputs for display: secrets as `[secret]`, unknowns as `[unknown]`. */
export function showOutputs(outputs: PropertyMap): Record<string, unknown> {
  const show = (v: PropertyValue): unknown => {
    if (isSecretEnvelope(v)) return "[secret]";
    if (v === UNKNOWN) return "[unknown]";
    if (Array.isArray(v)) return v.map(show);
    if (v !== null && typeof v === "object")
      return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, show(e)]));
    return v;
  };
  return show(outputs) as Record<string, unknown>;
}
