import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageRoot, pulumiToolchain } from "../automation/toolchain";
import type { EngineInfo } from "./benchTypes";

/** The engine, its language host and SDK, and the `--parallel` every command gets. */
export function engineInfo(parallel?: number, skipCheckpoints = false): EngineInfo {
  const toolchain = pulumiToolchain();
  const hostPath = path.join(toolchain.binDir, "pulumi-language-nodejs");
  let languageHost = "pulumi-language-nodejs";
  // The host's Go build info names the module it was built from (the CLI's own version is not it).
  const info = spawnSync("go", ["version", "-m", hostPath], { encoding: "utf8" });
  const mod = /^\s+mod\s+(\S+)\s+(\S+)/m.exec(info.stdout ?? "");
  const go = /^[^:]+:\s+(go\S+)/.exec(info.stdout ?? "");
  if (info.status === 0 && mod) languageHost += ` (${mod[1]} ${mod[2]}${go ? `, ${go[1]}` : ""})`;
  let sdk = "@pulumi/pulumi";
  try {
    const pkg = path.join(packageRoot(), "node_modules", "@pulumi", "pulumi", "package.json");
    sdk += ` ${(JSON.parse(fs.readFileSync(pkg, "utf8")) as { version: string }).version}`;
  } catch {
    // not installed: runProgram fails anyway
  }
  const node = spawnSync("node", ["--version"], { encoding: "utf8" }).stdout?.trim() || process.version;
  return {
    engine: `pulumi ${toolchain.version}`,
    cli: toolchain.pulumi,
    languageHost,
    nodejsSdk: sdk,
    node: `node ${node}`,
    parallel: parallel ?? 4 * os.availableParallelism(),
    parallelSource: parallel === undefined ? "cli default (4 × CPUs)" : "--parallel",
    checkpoints: skipCheckpoints ? "end only (PULUMI_SKIP_CHECKPOINTS)" : "every step",
    driver: "Automation API (@pulumi/pulumi/automation LocalWorkspace), file backend",
  };
}
