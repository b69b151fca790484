import { spawn } from "node:child_process";
import { definedEnv } from "./pulumiCli";

/**
 * Everything a command touches outside itself, so the commands run in-process in tests with
 * captured output, a scripted stdin, a chosen environment and a scripted browser.
 */
export interface CliIo {
  /** Writes to standard output (results: URLs, reports). */
  out(text: string): void;
  /** Writes to standard error (progress, warnings, errors). */
  err(text: string): void;
  /** Standard input (read only by `login --paste`). */
  stdin: NodeJS.ReadableStream;
  /** Environment: configuration variables, `PATH` (to find `pulumi`), `HOME`. */
  env: Record<string, string | undefined>;
  /** Working directory (where `pulumi` runs, i.e. the Pulumi project). */
  cwd: string;
  /** Opens `url` in the user's browser; resolves `false` when that is not possible. Never throws. */
  openBrowser(url: string): Promise<boolean>;
}

/** The real process: stdout/stderr/stdin, `process.env`, the platform's browser opener. */
export function processIo(): CliIo {
  return {
    out: (text) => {
      process.stdout.write(text);
    },
    err: (text) => {
      process.stderr.write(text);
    },
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    openBrowser: (url) => openSystemBrowser(url, process.platform, process.env),
  };
}

/**
 * Opens `url` with the platform's opener (`open` on macOS, `start` on Windows, `xdg-open`
 * elsewhere), detached so the CLI never waits for the browser. Resolves `false` when there is no
 * display or no opener; never throws.
 */
export function openSystemBrowser(
  url: string,
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
): Promise<boolean> {
  let command: string;
  let args: string[];
  if (platform === "darwin") {
    command = "open";
    args = [url];
  } else if (platform === "win32") {
    // `start` is a cmd built-in; the empty title argument keeps a quoted URL from becoming the title.
    command = "cmd";
    args = ["/c", "start", "", url.replace(/&/g, "^&")];
  } else {
    // Without a display (SSH session, container) xdg-open would fall back to a text browser.
    if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return Promise.resolve(false);
    command = "xdg-open";
    args = [url];
  }
  return new Promise((resolve) => {
    try {
      const child = spawn(command, args, { detached: true, stdio: "ignore", env: definedEnv(env) });
      child.once("error", () => resolve(false));
      child.once("spawn", () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
