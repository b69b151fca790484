import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { packageRoot } from "../automation/toolchain";
import { EmulatorAdmin } from "../emulator/index";

/** An emulator running as its own process (`node dist/emulator/main.js`), as `npm run emulator` starts it. */
export interface EmulatorProcess {
  child: ChildProcess;
  url: string;
  /** What a program needs (endpoints, CA, seeded credentials), as printed by the emulator. */
  env: Record<string, string>;
  admin: EmulatorAdmin;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** SIGKILL (no shutdown of any kind), then waits for the exit. */
  kill(): Promise<void>;
  /** SIGTERM and wait (a clean stop). */
  stop(): Promise<void>;
}

/** Starts `dist/emulator/main.js` on a free port with its data in `dataDir` (needs `dist/`). */
export async function spawnEmulator(dataDir: string, extraArgs: string[] = []): Promise<EmulatorProcess> {
  const main = path.join(packageRoot(), "dist", "emulator", "main.js");
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: build first (npx tsc -p .)`);
  const child = spawn(process.execPath, [main, "--port", "0", "--data-dir", dataDir, ...extraArgs], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`emulator exited (${code}) before listening: ${stderr}`)));
  });
  const printed = JSON.parse(line) as { url: string; caCert: string; env: Record<string, string> };
  const admin = new EmulatorAdmin(printed.url, fs.readFileSync(printed.caCert, "utf8"));
  return {
    child,
    url: printed.url,
    env: printed.env,
    admin,
    exited,
    async kill() {
      admin.close();
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      admin.close();
      child.kill("SIGTERM");
      await exited;
    },
  };
}
