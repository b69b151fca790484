import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { formatSummary } from "../test/harness/formatSummary";
import { packageRoot, runProgram } from "../test/harness/runProgram";
import type { Command, RunSummary } from "../test/harness/runSummary";

/**
 * `npm run demo`: the quickstart program (examples/quickstart) against the embedded emulator.
 *
 * 1. starts the emulator with its data persisted under `.csp-demo/emulator` (git-ignored), so the
 *    customer bought by a first run is still there for the next;
 * 2. previews the program, applies it, prints the outputs a CSP engineer cares about;
 * 3. previews again and fails unless that preview reports no changes.
 *
 * With a `pulumi` CLI on PATH the program runs through it (local file backend under
 * `.csp-demo/pulumi`); otherwise through the local runner (real Pulumi SDK and dynamic-provider
 * host, no CLI). `npm run demo -- --destroy` removes what the demo created.
 */

const QUICKSTART = path.join("examples", "quickstart");
/** Passphrase of the demo's own local state only; set PULUMI_CONFIG_PASSPHRASE to use yours. */
const DEMO_PASSPHRASE = "pulumi-csp-demo";

interface Engine {
  name: string;
  /** The engine's own `up` output already lists the stack outputs. */
  showsOutputs?: boolean;
  run(command: Command | "preview-no-changes"): Promise<{ ok: boolean; summary?: RunSummary; text: string }>;
  outputs(): Promise<Record<string, unknown>>;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const destroy = argv.includes("--destroy");
  const forceRunner = argv.includes("--local-runner");
  const root = packageRoot();
  const demoDir = process.env.CSP_DEMO_DIR
    ? path.resolve(process.env.CSP_DEMO_DIR)
    : path.join(root, ".csp-demo");
  fs.mkdirSync(demoDir, { recursive: true });

  const emulator = await startEmulator({ dataDir: path.join(demoDir, "emulator"), sandbox: true });
  try {
    const env: Record<string, string> = {
      ...emulator.env,
      PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? DEMO_PASSPHRASE,
    };
    // The partner's AdminAgents group keeps Owner on every subscription the demo buys.
    const config = { adminAgentsGroupId: emulator.seed.adminAgentsGroupId };
    const engine =
      !forceRunner && pulumiCliOnPath()
        ? pulumiCliEngine(root, demoDir, env, config)
        : localRunnerEngine(root, demoDir, env, config);
    say(
      `pulumi-csp demo: emulator at ${emulator.url} (data in ${path.relative(root, demoDir) || demoDir}/emulator), engine: ${engine.name}`,
    );

    if (destroy) {
      const result = await engine.run("destroy");
      process.stdout.write(result.text);
      if (!result.ok) return fail("destroy failed; the state and the emulator data are kept for a retry.");
      say(
        "Destroyed. The emulator keeps its own data under .csp-demo/emulator; delete that folder to start over.",
      );
      return 0;
    }

    say("\n== preview (no API writes) ==");
    const preview = await engine.run("preview");
    process.stdout.write(preview.text);
    if (!preview.ok) return fail("preview failed (see the message above).");

    say("\n== up ==");
    const up = await engine.run("up");
    process.stdout.write(up.text);
    if (!up.ok) {
      return fail(
        "up failed (see the message above). Everything created so far is recorded; run the demo again to continue.",
      );
    }

    if (engine.showsOutputs !== true) {
      say("\n== outputs ==");
      printOutputs(await engine.outputs());
    }

    say("\n== second preview (expects no changes) ==");
    const again = await engine.run("preview-no-changes");
    process.stdout.write(again.text);
    if (!again.ok) return fail("the second preview reported changes: the program did not converge.");
    say("\nNo changes: the customer, its Azure plan and everything under it match the program.");
    say("Run `npm run demo -- --destroy` to clean up.");
    return 0;
  } finally {
    await emulator.stop();
  }
}

type ProgramConfig = Record<string, string>;

function localRunnerEngine(
  root: string,
  demoDir: string,
  env: Record<string, string>,
  config: ProgramConfig,
): Engine {
  const stateFile = path.join(demoDir, "quickstart-state.json");
  const programDir = path.join(root, QUICKSTART);
  let last: RunSummary | undefined;
  return {
    name: "local runner (no pulumi CLI on PATH)",
    showsOutputs: true,
    async run(command) {
      const cmd: Command = command === "preview-no-changes" ? "preview" : command;
      const result = await runProgram({ command: cmd, programDir, stateFile, env, config, stack: "dev" });
      last = result;
      let ok = result.ok && result.exitCode === 0;
      let text = formatSummary(result);
      if (!ok && result.stderr.trim()) text += `\n${lastLines(result.stderr, 30)}\n`;
      if (command === "preview-no-changes" && ok) {
        const changed = result.resources.filter((r) => r.op !== "same" && !r.unmanaged);
        if (changed.length > 0) ok = false;
      }
      return { ok, summary: result, text };
    },
    async outputs() {
      return last?.outputs ?? {};
    },
  };
}

function pulumiCliEngine(
  root: string,
  demoDir: string,
  env: Record<string, string>,
  config: ProgramConfig,
): Engine {
  const cwd = path.join(root, QUICKSTART);
  const backend = path.join(demoDir, "pulumi");
  fs.mkdirSync(backend, { recursive: true });
  const fullEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...env,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  const pulumi = (args: string[], capture = false) =>
    spawnSync("pulumi", [...args, "--non-interactive"], {
      cwd,
      env: fullEnv,
      encoding: "utf8",
      stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit",
    });
  let selected = false;
  const select = () => {
    if (selected) return;
    pulumi(["stack", "select", "dev", "--create"]);
    selected = true;
  };
  return {
    name: "pulumi CLI (local file backend under .csp-demo/pulumi)",
    async run(command) {
      select();
      const args: Record<typeof command, string[]> = {
        preview: ["preview", "--diff"],
        up: ["up", "--yes", "--skip-preview"],
        refresh: ["refresh", "--yes"],
        destroy: ["destroy", "--yes"],
        "preview-no-changes": ["preview", "--expect-no-changes"],
      };
      const configArgs =
        command === "destroy" ? [] : Object.entries(config).flatMap(([k, v]) => ["--config", `${k}=${v}`]);
      const r = pulumi([...args[command], ...configArgs]);
      return { ok: r.status === 0, text: "" };
    },
    async outputs() {
      select();
      const r = pulumi(["stack", "output", "--json"], true);
      return r.status === 0 ? (JSON.parse(r.stdout || "{}") as Record<string, unknown>) : {};
    },
  };
}

function pulumiCliOnPath(): boolean {
  const r = spawnSync("pulumi", ["version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return r.status === 0;
}

/** Prints stack outputs as `name: value` lines; secrets stay hidden. */
function printOutputs(outputs: Record<string, unknown>): void {
  const names = Object.keys(outputs).sort();
  if (names.length === 0) {
    say("(no stack outputs)");
    return;
  }
  const width = Math.max(...names.map((n) => n.length));
  for (const name of names) {
    const value = outputs[name];
    const shown = typeof value === "string" ? value : JSON.stringify(value);
    say(`  ${name.padEnd(width)}  ${shown}`);
  }
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split("\n").slice(-n).join("\n");
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fail(message: string): number {
  process.stderr.write(`\ndemo failed: ${message}\n`);
  return 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`\ndemo failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
