import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { CliIo } from "./cliIo";
import { findPulumi, runPulumi } from "./pulumiCli";
import { findPulumiProject } from "./pulumiProject";

/** Where `login` put the refresh token. */
export type StoredRefreshToken =
  | {
      kind: "pulumi";
      /** The stack config key, e.g. `csp:refreshToken` or `csp:accounts.eu.refreshToken` (a path). */
      key: string;
      /** The stack, when one was named (otherwise the currently selected stack). */
      stack?: string;
    }
  | {
      kind: "file";
      path: string;
      /** The variable that points the provider at the file, e.g. `CSP_REFRESH_TOKEN_FILE`. */
      variable: string;
      /** Why the token did not go into stack config, when the Pulumi CLI was there but failed. */
      pulumiFailure?: string;
    };

export interface StoreRefreshTokenInput {
  io: CliIo;
  /** Partner account name (`default`, `eu`, ...). */
  account: string;
  refreshToken: string;
  /** Write this file instead of the stack config. */
  out?: string;
  /** Stack for `pulumi config set --stack`. */
  stack?: string;
  /** `false`: never touch the stack config (`--no-stack`), write the file. */
  useStack?: boolean;
}

/**
 * Stores a refresh token where the provider reads it:
 * - a secret stack config value (`pulumi config set --secret csp:refreshToken`, value on stdin)
 *   when the `pulumi` CLI is on PATH and the working directory is in a Pulumi project, unless
 *   `out` is given or `useStack` is false;
 * - otherwise a file readable by the owner only (mode 0600, written atomically), by default
 *   `~/.config/pulumi-csp/<account>.refresh-token`, for `CSP_REFRESH_TOKEN_FILE`.
 */
export async function storeRefreshToken(input: StoreRefreshTokenInput): Promise<StoredRefreshToken> {
  const { io, account } = input;
  let pulumiFailure: string | undefined;
  if (input.out === undefined && input.useStack !== false) {
    const pulumi = findPulumi(io.env);
    if (pulumi && findPulumiProject(io.cwd)) {
      const key = stackKey(account);
      const args = [
        "config",
        "set",
        "--secret",
        ...(account === "default" ? [] : ["--path"]),
        key,
        ...(input.stack ? ["--stack", input.stack] : []),
      ];
      const run = await runPulumi(pulumi, args, { cwd: io.cwd, env: io.env, stdin: input.refreshToken });
      if (run.code === 0) return { kind: "pulumi", key, ...(input.stack ? { stack: input.stack } : {}) };
      pulumiFailure =
        run.stderr
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean)
          .join(" ")
          .slice(0, 300) || `exit code ${run.code}`;
    }
  }
  const path = input.out !== undefined ? resolve(io.cwd, input.out) : defaultTokenPath(io.env, account);
  writePrivateFile(path, `${input.refreshToken}\n`);
  return {
    kind: "file",
    path,
    variable: fileVariable(account),
    ...(pulumiFailure ? { pulumiFailure } : {}),
  };
}

/** Stack config key of an account's refresh token (named accounts live under `csp:accounts`). */
export function stackKey(account: string): string {
  return account === "default" ? "csp:refreshToken" : `csp:accounts.${account}.refreshToken`;
}

/** The variable naming an account's refresh token file. */
export function fileVariable(account: string): string {
  return account === "default"
    ? "CSP_REFRESH_TOKEN_FILE"
    : `CSP_ACCOUNT_${account.toUpperCase()}_REFRESH_TOKEN_FILE`;
}

/** The variable holding an account's refresh token directly (wins over the file). */
export function tokenVariable(account: string): string {
  return account === "default" ? "CSP_REFRESH_TOKEN" : `CSP_ACCOUNT_${account.toUpperCase()}_REFRESH_TOKEN`;
}

/** `$XDG_CONFIG_HOME/pulumi-csp/<account>.refresh-token`, `~/.config/...` without XDG_CONFIG_HOME. */
export function defaultTokenPath(env: Record<string, string | undefined>, account: string): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(base, "pulumi-csp", `${account}.refresh-token`);
}

/**
 * Writes `content` to `path` with mode 0600: into a new temporary file created 0600 in the same
 * directory (so the secret is never readable by others, not even briefly, and an existing file's
 * looser mode does not carry over), then renamed over `path`.
 */
function writePrivateFile(path: string, content: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(temp, "wx", 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
  chmodSync(path, 0o600);
}
