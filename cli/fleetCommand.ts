import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import YAML from "yaml";
import { allCustomers, type CustomerSelection, changedCustomers, shardOf } from "../gitops/customerFiles";
import { type FleetCommand, runFleet } from "../gitops/fleet";
import { customerState, fleetComment, fleetTable } from "../gitops/fleetReport";
import type { CliIo } from "./cliIo";
import { parseCommandArgs, stringFlag, stringFlags } from "./parseCommandArgs";
import { definedEnv } from "./pulumiCli";
import { findPulumiProject } from "./pulumiProject";
import { UsageError } from "./usageError";

export const FLEET_USAGE = `usage: pulumi-csp fleet preview|up|refresh [--changed-only RANGE|FILES] [--parallel N] [--shard K/N]
                        [--config KEY=VALUE]... [--comment FILE] [--json FILE]

Runs one Pulumi stack per customer file of a customers repository (\`pulumi-csp init gitops\`):
the stack <key> declares customers/<key>.yaml. Stacks run side by side, at most --parallel at
once; one customer's failure never stops the others. Prints a table per customer (changes,
purchases, failures) and exits 1 if any customer failed.

  --changed-only RANGE|FILES   only the customers a git range changed (origin/main...HEAD), or the
                               files named (comma-separated or repeated). A removed file previews
                               (and up applies) the customer's removal; a change outside customers/
                               (program, Pulumi.yaml, package.json) runs every customer
  --parallel N                 stacks at once (default 4): each is a Pulumi CLI, a program and a
                               provider host; Partner Center limits are per partner, so more is
                               not always faster (429s are waited out as Retry-After asks)
  --shard K/N                  only shard K of N (a customer's shard follows from its name), for
                               splitting a large estate across CI runners
  --config KEY=VALUE           stack config for every customer (e.g. adminAgentsGroupId=<id>);
                               plain values: secrets belong in the environment
  --comment FILE               write the pull-request comment (markdown): purchases first
  --json FILE                  write the results (per customer: counts, changes, purchases, errors)

State: PULUMI_BACKEND_URL, else Pulumi.yaml's backend.url, else Pulumi Cloud when PULUMI_ACCESS_TOKEN
is set, else a local file backend in .pulumi-csp/backend. Self-managed backends encrypt the stacks'
secrets with PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE), which must be set.
Credentials: the CSP_* variables, as for the provider. The Pulumi CLI is the \`pulumi\` on PATH.`;

const OPTIONS = {
  "changed-only": { type: "string", multiple: true },
  parallel: { type: "string" },
  shard: { type: "string" },
  config: { type: "string", multiple: true },
  comment: { type: "string" },
  json: { type: "string" },
} as const;

const COMMANDS: readonly FleetCommand[] = ["preview", "up", "refresh"];

/** Stack config the fleet sets itself for each customer. */
const FLEET_KEYS = new Set(["customerFile", "customerRemoved"]);

/** `pulumi-csp fleet`: see {@link FLEET_USAGE}. Returns the exit code. */
export async function runFleetCommand(args: string[], io: CliIo): Promise<number> {
  const { values, help, positionals } = parseCommandArgs("fleet", args, OPTIONS, 1);
  if (help) {
    io.out(`${FLEET_USAGE}\n`);
    return 0;
  }
  const command = positionals[0] as FleetCommand | undefined;
  if (!command || !COMMANDS.includes(command)) {
    throw new UsageError(
      `name the command: preview, up or refresh${command ? ` (got "${command}")` : ""}`,
      "fleet",
    );
  }
  const parallel = positiveInteger(stringFlag(values, "parallel") ?? "4", "--parallel");
  const shard = parseShard(stringFlag(values, "shard"));
  const config = parseConfig(stringFlags(values, "config"));
  const projectDir = findPulumiProject(io.cwd);
  if (!projectDir)
    throw new Error(`no Pulumi.yaml in ${io.cwd} or above: run this in the customers repository`);

  const env = fleetEnv(io.env, projectDir);
  const changed = stringFlags(values, "changed-only");
  let selection: CustomerSelection = changed.length
    ? changedCustomers(projectDir, changed)
    : { customers: allCustomers(projectDir), reason: `every file of customers/` };
  if (shard) {
    selection = {
      customers: shardOf(selection.customers, shard.index, shard.count),
      reason: `${selection.reason}, shard ${shard.index}/${shard.count}`,
    };
  }
  io.err(
    `pulumi-csp fleet ${command}: ${selection.customers.length} customer${selection.customers.length === 1 ? "" : "s"} (${selection.reason}), parallel ${parallel}, state ${shownBackend(env.PULUMI_BACKEND_URL)}\n`,
  );

  let done = 0;
  const fleet = await runFleet({
    command,
    projectDir,
    customers: selection.customers,
    parallel,
    config,
    env,
    onProgress: ({ customer, result }) => {
      if (!result) return;
      done++;
      const first = result.errors[0]?.split("\n")[0];
      io.err(
        `[${done}/${selection.customers.length}] ${customer.stack}: ${customerState(result)} (${(result.durationMs / 1000).toFixed(1)} s)${first ? `: ${first}` : ""}\n`,
      );
    },
  });
  io.out(fleetTable(fleet));
  const commentFile = stringFlag(values, "comment");
  if (commentFile) fs.writeFileSync(path.resolve(io.cwd, commentFile), fleetComment(fleet, selection.reason));
  const jsonFile = stringFlag(values, "json");
  if (jsonFile) {
    fs.writeFileSync(
      path.resolve(io.cwd, jsonFile),
      `${JSON.stringify({ ...fleet, selection: selection.reason }, null, 2)}\n`,
    );
  }
  return fleet.ok ? 0 : 1;
}

/**
 * The environment of every stack: the caller's (credentials, passphrase; PATH stays the one the
 * CLI was found on), with the state backend made explicit, since each stack runs in a workspace
 * of its own.
 */
export function fleetEnv(
  callerEnv: Record<string, string | undefined>,
  projectDir: string,
): Record<string, string> {
  const { PATH: _path, Path: _winPath, ...rest } = definedEnv(callerEnv);
  const env: Record<string, string> = { ...rest };
  const backend =
    env.PULUMI_BACKEND_URL ||
    projectBackend(projectDir) ||
    (env.PULUMI_ACCESS_TOKEN ? "https://api.pulumi.com" : undefined) ||
    pathToFileURL(path.join(projectDir, ".pulumi-csp", "backend")).href;
  env.PULUMI_BACKEND_URL = backend;
  if (backend.startsWith("file:")) fs.mkdirSync(new URL(backend), { recursive: true });
  const selfManaged = !/^https?:\/\//.test(backend);
  if (selfManaged && !env.PULUMI_CONFIG_PASSPHRASE && !env.PULUMI_CONFIG_PASSPHRASE_FILE) {
    throw new Error(
      `the state backend ${shownBackend(backend)} encrypts the stacks' secrets with a passphrase: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE)`,
    );
  }
  return env;
}

function projectBackend(projectDir: string): string | undefined {
  for (const name of ["Pulumi.yaml", "Pulumi.yml"]) {
    const file = path.join(projectDir, name);
    if (!fs.existsSync(file)) continue;
    const project = YAML.parse(fs.readFileSync(file, "utf8")) as { backend?: { url?: string } } | null;
    return project?.backend?.url || undefined;
  }
  return undefined;
}

/** A backend URL without credentials (an s3:// or azblob:// URL may carry query parameters). */
function shownBackend(url: string | undefined): string {
  return (url ?? "").replace(/\?.*$/, "");
}

function positiveInteger(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new UsageError(`${flag} needs a whole number from 1 to 64 (got "${text}")`, "fleet");
  }
  return n;
}

function parseShard(text: string | undefined): { index: number; count: number } | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard needs K/N with 1 <= K <= N, e.g. 2/4 (got "${text}")`, "fleet");
  }
  return { index, count };
}

function parseConfig(pairs: string[]): Record<string, string> {
  const config: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    const key = eq > 0 ? pair.slice(0, eq) : "";
    if (!key) throw new UsageError(`--config needs KEY=VALUE (got "${pair}")`, "fleet");
    if (FLEET_KEYS.has(key.replace(/^[^:]*:/, ""))) {
      throw new UsageError(`--config ${key}: the fleet sets it for each customer`, "fleet");
    }
    config[key] = pair.slice(eq + 1);
  }
  return config;
}
