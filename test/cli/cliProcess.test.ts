import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckResult } from "../../cli/doctorChecks";
import { type RunningEmulator, startEmulator } from "../../emulator/index";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";
import { cliEnv, leakedSecrets, ScriptedBrowser, tempDir } from "./cliTestKit";

const ROOT = join(__dirname, "..", "..");
const MAIN = join(ROOT, "dist", "cli", "main.js");

/** `npm test` builds dist/ first; a stale build of the CLI or the provider fails loudly. */
function ensureBuilt(): void {
  assertBuilt(ROOT, [...sourcesUnder(ROOT, "cli"), ...sourcesUnder(ROOT, "provider")]);
}

interface ProcessRun {
  code: number | null;
  out: string;
  err: string;
}

/** Runs `node dist/cli/main.js <args>`; `onErr` sees stderr as it arrives. */
function runMain(
  args: string[],
  env: Record<string, string | undefined>,
  cwd: string,
  onErr?: (text: string, child: ChildProcess) => void,
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) if (v !== undefined) clean[k] = v;
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd,
      env: clean,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      const text = c.toString("utf8");
      err += text;
      onErr?.(err, child);
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, out, err }));
  });
}

let emu: RunningEmulator;
let browser: ScriptedBrowser;

beforeAll(async () => {
  ensureBuilt();
  emu = await startEmulator();
  browser = new ScriptedBrowser(emu.caCertPem);
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await emu?.stop();
});

describe("the built pulumi-csp executable", () => {
  it("starts with a node shebang so npm can link it as the package's bin", () => {
    expect(readFileSync(MAIN, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  });

  it("exits 0 for --help and 2 with the usage for an unknown command", async () => {
    const cwd = tempDir("proc-help");
    const help = await runMain(["--help"], { PATH: "" }, cwd);
    expect(help.code).toBe(0);
    expect(help.out).toContain("consent-url");
    const unknown = await runMain(["frobnicate"], { PATH: "" }, cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command "frobnicate"');
  });

  it("logs in with a browser stand-in following the printed URL, then doctor passes with the stored file", async () => {
    const home = tempDir("proc-login");
    const tokenFile = join(home, "csp.refresh-token");
    let visited = false;
    const login = await runMain(
      ["login", "--no-browser", "--out", tokenFile],
      cliEnv(emu, home),
      home,
      (err) => {
        const url = err.match(/https:\/\/\S+\/oauth2\/v2\.0\/authorize\?\S+/)?.[0];
        if (!url || visited) return;
        visited = true;
        browser.visit(url).catch((e: unknown) => browser.errors.push(e));
      },
    );
    expect(browser.errors).toEqual([]);
    expect(login.err).not.toContain("pulumi-csp login:");
    expect(login.code).toBe(0);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(login.out).toContain(`export CSP_REFRESH_TOKEN_FILE=${tokenFile}`);

    const doctor = await runMain(
      ["doctor", "--json"],
      cliEnv(emu, home, { CSP_REFRESH_TOKEN_FILE: tokenFile }),
      home,
    );
    const results = JSON.parse(doctor.out) as CheckResult[];
    expect(results.filter((r) => r.status === "FAIL")).toEqual([]);
    expect(results.find((r) => r.check === "user-token")?.status).toBe("PASS");
    expect(doctor.code).toBe(0);

    const stored = readFileSync(tokenFile, "utf8").trim();
    const all = login.out + login.err + doctor.out + doctor.err;
    expect(
      leakedSecrets(all, { stored, clientSecret: emu.seed.clientSecret, seeded: emu.seed.refreshToken }),
    ).toEqual([]);
  });

  it("exits 1 from doctor when a check fails", async () => {
    const home = tempDir("proc-doctor");
    const doctor = await runMain(
      ["doctor"],
      { ...emu.env, CSP_CLIENT_SECRET: "not-the-secret-0000", PATH: "" },
      home,
    );
    expect(doctor.code).toBe(1);
    expect(doctor.out).toMatch(/^FAIL {2}app-token:partner-center: .*AADSTS7000215/m);
    expect(doctor.out).not.toContain("not-the-secret-0000");
  });
});
