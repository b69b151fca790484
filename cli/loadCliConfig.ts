import { resolveConfig } from "../provider/config";
import type { CspConfig } from "../provider/configTypes";
import type { CliIo } from "./cliIo";
import { findPulumi, runPulumi } from "./pulumiCli";
import { findPulumiProject } from "./pulumiProject";

/** Where the configuration came from, for reports (never the values). */
export interface CliConfigSource {
  /** `true` when `csp:*` values of a Pulumi stack were read. */
  stack: boolean;
  /** Why the stack was not read (no project, no pulumi CLI, the CLI failed, `--no-stack`). */
  stackNote?: string;
  /** Names of the `csp:*` stack keys that were present. */
  stackKeys: string[];
}

export interface CliConfig {
  config: CspConfig;
  source: CliConfigSource;
  /** Stack config reader (`csp:*` keys), for re-resolving with overrides. */
  getConfig: (key: string) => string | undefined;
}

export interface LoadCliConfigOptions {
  /** Read `csp:*` stack values when a Pulumi project is in the working directory (default true). */
  useStack: boolean;
  /** Stack name passed to `pulumi --stack`. */
  stack?: string;
}

/**
 * The provider configuration as a Pulumi program would see it: environment variables plus, when
 * the working directory holds a Pulumi project and the `pulumi` CLI is on PATH, the stack's
 * `csp:*` configuration (read with `pulumi config --json --show-secrets`, so secret values such as
 * `csp:refreshToken` written by `pulumi-csp login` count; they stay in memory and are never
 * printed). A stack value wins over the environment, as in the provider (`resolveConfig`).
 * Throws the `CSP_CONFIG` errors of `resolveConfig`.
 */
export async function loadCliConfig(io: CliIo, options: LoadCliConfigOptions): Promise<CliConfig> {
  const source: CliConfigSource = { stack: false, stackKeys: [] };
  let values: Record<string, string> = {};
  if (!options.useStack) {
    source.stackNote = "stack configuration not read (--no-stack)";
  } else if (!findPulumiProject(io.cwd)) {
    source.stackNote = "no Pulumi project (Pulumi.yaml) here: environment variables only";
  } else {
    const pulumi = findPulumi(io.env);
    if (!pulumi) {
      source.stackNote = "the pulumi CLI is not on PATH: environment variables only";
    } else {
      const args = [
        "config",
        "--json",
        "--show-secrets",
        ...(options.stack ? ["--stack", options.stack] : []),
      ];
      const run = await runPulumi(pulumi, args, { cwd: io.cwd, env: io.env });
      if (run.code !== 0) {
        source.stackNote = `\`pulumi config\` failed (${firstLine(run.stderr) || `exit ${run.code}`}): environment variables only`;
      } else {
        try {
          values = cspValues(JSON.parse(run.stdout));
          source.stack = true;
          source.stackKeys = Object.keys(values).sort();
        } catch {
          source.stackNote =
            "`pulumi config --json` printed something that is not JSON: environment variables only";
        }
      }
    }
  }
  const getConfig = (key: string): string | undefined => values[key];
  const config = resolveConfig({ env: io.env, getConfig });
  return { config, source, getConfig };
}

/** `csp:*` entries of `pulumi config --json` (`{"csp:tenantId": {"value": "...", "secret": false}}`). */
function cspValues(json: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof json !== "object" || json === null) return out;
  for (const [key, entry] of Object.entries(json as Record<string, unknown>)) {
    if (!key.startsWith("csp:") || typeof entry !== "object" || entry === null) continue;
    const e = entry as { value?: unknown; objectValue?: unknown };
    if (typeof e.value === "string") out[key] = e.value;
    else if (e.objectValue !== undefined) out[key] = JSON.stringify(e.objectValue);
  }
  return out;
}

function firstLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .find((l) => l.trim() !== "")
      ?.trim()
      .slice(0, 200) ?? ""
  );
}
