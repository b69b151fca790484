import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator";
import { runProgram } from "../harness/runProgram";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";

/**
 * `npm run demo` is the first command a newcomer runs: these tests run the compiled demo the way
 * the npm script does, in a scratch demo directory.
 */

const root = path.resolve(__dirname, "..", "..");
const demoJs = path.join(root, "dist", "examples", "demo.js");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runDemo(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [demoJs, ...args], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let scratch: string;

beforeAll(() => {
  assertBuilt(root, [
    "examples/demo.ts",
    ...sourcesUnder(root, "examples/quickstart"),
    ...sourcesUnder(root, "components"),
  ]);
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "csp-demo-test-"));
});

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe("npm run demo with the local runner", () => {
  const env = (): NodeJS.ProcessEnv => ({
    ...process.env,
    CSP_DEMO_DIR: path.join(scratch, "runner"),
    PATH: "/usr/bin:/bin",
  });

  it("previews, buys and applies the quickstart, then reports no changes", async () => {
    const run = await runDemo([], env());
    expect(run.stderr).not.toContain("demo failed");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("engine: local runner");
    expect(run.stdout).toMatch(/\+\s+csp:AzurePlan\s+\S+\s+create\s+\[BILLABLE PURCHASE\]/);
    expect(run.stdout).toMatch(/csp:Customer\s+\S+\s+created/);
    // The partner's AdminAgents group is declared Owner on the bought subscription.
    expect(run.stdout).toMatch(/csp:RoleAssignment\s+contoso-rbac-dev-partner-partner\s+created/);
    expect(run.stdout).toContain("customerId:");
    expect(run.stdout).toContain("domain:");
    expect(run.stdout).toContain("No changes");
  });

  it("is idempotent: a second run changes nothing", async () => {
    const run = await runDemo([], env());
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/\bcreated\b/);
    expect(run.stdout).toMatch(/\d+ unchanged/);
  });

  it("a refresh of what the demo created finds no drift", async () => {
    const emu = await startEmulator({ dataDir: path.join(scratch, "runner", "emulator"), sandbox: true });
    try {
      const result = await runProgram({
        command: "refresh",
        programDir: path.join(root, "examples", "quickstart"),
        stateFile: path.join(scratch, "runner", "quickstart-state.json"),
        stack: "dev",
        env: { ...emu.env, PULUMI_CONFIG_PASSPHRASE: "pulumi-csp-demo" },
        config: { adminAgentsGroupId: emu.seed.adminAgentsGroupId },
      });
      expect(result.ok).toBe(true);
      const changed = result.resources.filter((r) => r.op !== "same" && !r.unmanaged);
      expect(changed.map((r) => `${r.name}: ${(r.diffs ?? []).join(",")}`)).toEqual([]);
      expect(result.resources.length).toBeGreaterThan(10);
    } finally {
      await emu.stop();
    }
  });

  it("--destroy removes what the demo created", async () => {
    const run = await runDemo(["--destroy"], env());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/csp:Customer\s+\S+\s+deleted/);
    expect(run.stdout).toContain("Destroyed.");
    const state = JSON.parse(
      fs.readFileSync(path.join(scratch, "runner", "quickstart-state.json"), "utf8"),
    ) as {
      resources?: unknown[];
    };
    expect(state.resources ?? []).toHaveLength(0);
  });
});

describe("npm run demo with a pulumi CLI on PATH", () => {
  it("drives the CLI with a local file backend: stack, preview, up, outputs, no-change preview", async () => {
    const bin = path.join(scratch, "bin");
    const log = path.join(scratch, "pulumi-calls.log");
    fs.mkdirSync(bin, { recursive: true });
    // A stand-in CLI that records each call (argv and the backend it was given).
    fs.writeFileSync(
      path.join(bin, "pulumi"),
      [
        "#!/bin/sh",
        `echo "$* | backend=$PULUMI_BACKEND_URL | passphrase=\${PULUMI_CONFIG_PASSPHRASE:+set}" >> "${log}"`,
        'case "$1 $2" in',
        '  "stack output") echo \'{"customerId":"c-1","domain":"contosodemo.onmicrosoft.com"}\' ;;',
        '  "version "*) echo v3.200.0 ;;',
        "esac",
        "exit 0",
        "",
      ].join("\n"),
      { mode: 0o755 },
    );
    const run = await runDemo([], {
      ...process.env,
      CSP_DEMO_DIR: path.join(scratch, "cli"),
      PATH: `${bin}:/usr/bin:/bin`,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("engine: pulumi CLI");
    expect(run.stdout).toContain("contosodemo.onmicrosoft.com");
    const calls = fs
      .readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split(" | ")[0]);
    expect(calls).toEqual([
      "version",
      "stack select dev --create --non-interactive",
      expect.stringMatching(/^preview --diff --config adminAgentsGroupId=[0-9a-f-]{36} --non-interactive$/),
      expect.stringMatching(
        /^up --yes --skip-preview --config adminAgentsGroupId=[0-9a-f-]{36} --non-interactive$/,
      ),
      "stack output --json --non-interactive",
      expect.stringMatching(
        /^preview --expect-no-changes --config adminAgentsGroupId=[0-9a-f-]{36} --non-interactive$/,
      ),
    ]);
    const first = fs.readFileSync(log, "utf8").split("\n")[1] ?? "";
    expect(first).toContain(`backend=file://${path.join(scratch, "cli", "pulumi")}`);
    expect(first).toContain("passphrase=set");
  });
});
