import { spawn } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

/** Where the `pulumi` executable is on `PATH`, or `undefined`. */
export function findPulumi(env: Record<string, string | undefined>): string | undefined {
  const names = process.platform === "win32" ? ["pulumi.exe", "pulumi.cmd", "pulumi"] : ["pulumi"];
  for (const dir of (env.PATH ?? env.Path ?? "").split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export interface PulumiRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the Pulumi CLI non-interactively. `stdin` is written to its standard input: this is how
 * secrets reach it (`pulumi config set --secret KEY` reads the value from a pipe), never argv,
 * which other local users can read from the process table.
 */
export function runPulumi(
  executable: string,
  args: string[],
  options: { cwd: string; env: Record<string, string | undefined>; stdin?: string; timeoutMs?: number },
): Promise<PulumiRun> {
  return new Promise((resolve) => {
    const child = spawn(executable, [...args, "--non-interactive"], {
      cwd: options.cwd,
      env: definedEnv(options.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill(), options.timeoutMs ?? 60_000);
    child.once("error", (e) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout: "", stderr: e.message });
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.stdin ?? "");
  });
}

/** The variables that have a value (spawn would pass `undefined` as the text "undefined"). */
export function definedEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
