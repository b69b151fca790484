import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { runLocal } from "./localRun";
import type { Command, RunSummary } from "./runSummary";

export interface RunProgramOptions {
  command: Command;
  programDir: string;
  stack?: string;
  stateFile?: string;
  /** Config values (`key` or `namespace:key`). */
  config?: Record<string, string>;
  /** Extra environment variables (merged over the current environment; `undefined` removes one). */
  env?: Record<string, string | undefined>;
  /**
   * `child` (default): a fresh `node dist/test/harness/cli.js … --json` process per run, as a user
   * would run it. `inProcess`: runs in this process (one program run per process; the program
   * module is `require`d).
   */
  mode?: "child" | "inProcess";
  /** Child mode: called with the spawned runner (e.g. to kill it mid-run). */
  onSpawn?: (child: ChildProcess) => void;
}

export interface RunProgramResult extends RunSummary {
  /** Exit code of the runner (null when it was killed). */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Diagnostics the runner wrote (program output, provider stderr). */
  stderr: string;
}

/**
 * Runs `preview`, `up`, `refresh` or `destroy` on a program with the local runner and returns the
 * JSON summary. Tests use this; `dist/` must be built (`npx tsc -p .`).
 */
export async function runProgram(options: RunProgramOptions): Promise<RunProgramResult> {
  if (options.mode === "inProcess") return runInProcess(options);
  const cli = path.join(packageRoot(), "dist", "test", "harness", "cli.js");
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: build first (npx tsc -p .)`);
  const args = [cli, options.command, options.programDir, "--json"];
  if (options.stack) args.push("--stack", options.stack);
  if (options.stateFile) args.push("--state", options.stateFile);
  for (const [k, v] of Object.entries(options.config ?? {})) args.push("--config", `${k}=${v}`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  options.onSpawn?.(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, sig) => resolve([code, sig]));
  });
  if (signal || !stdout.trim()) {
    return { ...emptySummary(options), exitCode, signal, stderr };
  }
  let summary: RunSummary;
  try {
    summary = JSON.parse(stdout) as RunSummary;
  } catch {
    throw new Error(`the runner printed no JSON summary (exit ${exitCode}):\n${stdout}\n${stderr}`);
  }
  return { ...summary, exitCode, signal, stderr };
}

async function runInProcess(options: RunProgramOptions): Promise<RunProgramResult> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(options.env ?? {})) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  let stderr = "";
  try {
    const summary = await runLocal({
      command: options.command,
      programDir: options.programDir,
      config: options.config ?? {},
      log: (line) => {
        stderr += `${line}\n`;
      },
      ...(options.stack ? { stack: options.stack } : {}),
      ...(options.stateFile ? { stateFile: options.stateFile } : {}),
    });
    return { ...summary, exitCode: summary.ok ? 0 : 1, signal: null, stderr };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function emptySummary(options: RunProgramOptions): RunSummary {
  return {
    runner: "pulumi-csp local runner",
    command: options.command,
    project: "",
    stack: options.stack ?? "dev",
    stateFile: options.stateFile ?? "",
    ok: false,
    counts: { create: 0, update: 0, replace: 0, delete: 0, same: 0, read: 0, failed: 0 },
    resources: [],
    outputs: {},
    errors: [{ message: "the runner did not finish" }],
    warnings: [],
    providerCalls: {},
    durationMs: 0,
  };
}

/** The repository root (the folder of pulumi-csp's package.json), from source or from dist. */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (
      fs.existsSync(pkg) &&
      (JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === "pulumi-csp"
    ) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot find the pulumi-csp package root");
    dir = parent;
  }
}
