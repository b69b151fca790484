import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The Pulumi CLI this project runs programs with (see scripts/pulumi-toolchain.sh). */
export interface PulumiToolchain {
  /** Folder holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`. */
  binDir: string;
  /** Absolute path of the `pulumi` executable. */
  pulumi: string;
  /** What `pulumi version` prints, e.g. `v3.248.0`. */
  version: string;
}

let cached: PulumiToolchain | undefined;

/**
 * Finds (or, on the first run on a machine, builds) the project's Pulumi CLI. The build prints its
 * progress on stderr; a machine with neither a Pulumi 3 CLI nor Go gets an error saying how to
 * install the CLI. The published package has no build script: there, the `pulumi` on PATH is used.
 */
export function pulumiToolchain(): PulumiToolchain {
  if (cached) return cached;
  const script = path.join(packageRoot(), "scripts", "pulumi-toolchain.sh");
  if (!fs.existsSync(script)) {
    cached = pulumiOnPath(process.env.PATH ?? "");
    return cached;
  }
  const result = spawnSync("bash", [script], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  const binDir = (result.stdout ?? "").trim().split("\n").pop() ?? "";
  if (result.status !== 0 || !binDir) {
    throw new Error(
      `no Pulumi CLI: ${script} exited with ${result.status ?? result.signal} (its message is above)`,
    );
  }
  const pulumi = path.join(binDir, "pulumi");
  const version = spawnSync(pulumi, ["version"], {
    encoding: "utf8",
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
  }).stdout.trim();
  cached = { binDir, pulumi, version };
  return cached;
}

/**
 * The Pulumi 3 CLI on `PATH` (with its language host and plugins beside it, as Pulumi installs
 * them), for the installed package, which cannot build one.
 */
export function pulumiOnPath(searchPath: string): PulumiToolchain {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const pulumi = path.join(dir, "pulumi");
    try {
      fs.accessSync(pulumi, fs.constants.X_OK);
      if (!fs.statSync(pulumi).isFile()) continue;
    } catch {
      continue;
    }
    const version = spawnSync(pulumi, ["version"], {
      encoding: "utf8",
      env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    }).stdout?.trim();
    if (version && /^v?3\./.test(version)) return { binDir: dir, pulumi, version };
  }
  throw new Error(
    "no Pulumi CLI: install it (https://www.pulumi.com/docs/install/, or pulumi/actions in GitHub Actions) so that `pulumi version` prints v3.x",
  );
}

/**
 * The environment every Pulumi CLI run of this project gets: offline (no update check, no plugin
 * downloads), the toolchain first on PATH, a file backend and a Pulumi home of its own.
 */
export function pulumiEnv(
  toolchain: PulumiToolchain,
  backendDir: string,
  pulumiHome: string,
): Record<string, string> {
  return {
    PATH: `${toolchain.binDir}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_HOME: pulumiHome,
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
