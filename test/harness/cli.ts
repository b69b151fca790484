import { formatSummary } from "./formatSummary";
import { runLocal } from "./localRun";
import type { Command } from "./runSummary";

const USAGE = `usage: npm run local -- <preview|up|refresh|destroy> <program-dir> [options]

Runs a Pulumi program with the real Pulumi SDK and the real dynamic-provider host, without the
Pulumi CLI. A stand-in for \`pulumi preview|up --skip-preview|refresh --yes|destroy --yes\`.

options:
  --stack NAME          stack name (default: dev); config from Pulumi.<stack>.yaml
  --state FILE          state file (default: <program-dir>/.pulumi-csp/<stack>.json)
  --config key=value    config value (repeatable); keys without a namespace get the project's
  --json                print a machine-readable summary on stdout (program output goes to stderr)

environment:
  PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) encrypts secrets in the state file.

exit code: 0 on success, 1 when a step or the program failed, 2 on usage errors.`;

const COMMANDS = new Set<Command>(["preview", "up", "refresh", "destroy"]);

interface CliArgs {
  command: Command;
  programDir: string;
  stack?: string;
  stateFile?: string;
  config: Record<string, string>;
  json: boolean;
}

/** Parses the command line; throws a usage message on error. */
export function parseArgs(argv: string[]): CliArgs {
  const positional: string[] = [];
  const config: Record<string, string> = {};
  let stack: string | undefined;
  let stateFile: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--json") json = true;
    else if (arg === "--stack" || arg === "-s") stack = value();
    else if (arg === "--state") stateFile = value();
    else if (arg === "--config" || arg === "-c") {
      const kv = value();
      const eq = kv.indexOf("=");
      if (eq <= 0) throw new Error(`--config expects key=value, got "${kv}"`);
      config[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (arg === "--help" || arg === "-h") throw new Error("");
    else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}`);
    else positional.push(arg);
  }
  const [command, programDir] = positional;
  if (!COMMANDS.has(command as Command)) throw new Error(`unknown command "${command ?? ""}"`);
  if (!programDir || positional.length > 2) throw new Error("expected exactly one program directory");
  return {
    command: command as Command,
    programDir,
    config,
    json,
    ...(stack ? { stack } : {}),
    ...(stateFile ? { stateFile } : {}),
  };
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    const message = (e as Error).message;
    process.stderr.write(`${message ? `error: ${message}\n\n` : ""}${USAGE}\n`);
    process.exitCode = message ? 2 : 0;
    return;
  }
  if (args.json) {
    // stdout carries only the JSON summary; whatever the program prints goes to stderr.
    console.log = console.error;
    console.info = console.error;
  }
  // The run collects the program's errors itself; after it ends, rejections left behind by a
  // failed program (outputs that will never resolve) must not crash the process before the
  // summary is printed.
  process.on("unhandledRejection", () => undefined);
  // First Ctrl-C: finish the steps in progress, save, and stop (like the CLI); second: exit now
  // (the state still holds every finished step and records the call in progress).
  const abort = new AbortController();
  process.on("SIGINT", () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write("interrupting: waiting for the steps in progress (Ctrl-C again to exit now)\n");
    abort.abort();
  });
  const summary = await runLocal({
    signal: abort.signal,
    command: args.command,
    programDir: args.programDir,
    config: args.config,
    ...(args.stack ? { stack: args.stack } : {}),
    ...(args.stateFile ? { stateFile: args.stateFile } : {}),
  });
  const text = args.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary);
  // The SDK may keep handles open: exit once the output is flushed (stdout is async on pipes).
  process.stdout.write(text, () => process.exit(summary.ok ? 0 : 1));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
