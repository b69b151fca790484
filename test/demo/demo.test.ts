import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCheckpoint } from "../../automation/checkpoint";
import { LOCAL_PASSPHRASE, runProgram } from "../../automation/runProgram";
import { prepareWorkspace } from "../../automation/stackWorkspace";
import { pulumiEnv, pulumiToolchain } from "../../automation/toolchain";
import { startEmulator } from "../../emulator";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";

/**
 * `npm run demo` is the first command a newcomer runs: these tests run the compiled demo the way
 * the npm script does, through the project's Pulumi CLI, in a scratch demo directory.
 */

const root = path.resolve(__dirname, "..", "..");
const demoJs = path.join(root, "dist", "examples", "demo.js");
const quickstart = path.join(root, "examples", "quickstart");
const DEMO_PASSPHRASE = "pulumi-csp-demo";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runDemo(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [demoJs, ...args], {
      cwd: root,
      env: { ...process.env, CSP_DEMO_DIR: path.join(scratch, "demo") },
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

/** The rows of a plain preview that carry a purchase warning. */
function purchaseRows(output: string): string[] {
  return output
    .split("\n")
    .filter((l) => /^\s*\+\s+\S+\s+\S+\s+create\s+warning: \[BILLABLE PURCHASE\]/.test(l));
}

let scratch: string;
const demoWorkspace = () => prepareWorkspace(quickstart, path.join(scratch, "demo", "pulumi"), "dev");

beforeAll(() => {
  assertBuilt(root, [
    "examples/demo.ts",
    ...sourcesUnder(root, "examples/quickstart"),
    ...sourcesUnder(root, "components"),
    ...sourcesUnder(root, "automation"),
    ...sourcesUnder(root, "provider"),
  ]);
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "csp-demo-test-"));
});

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe("npm run demo", () => {
  it("previews with the purchases marked, buys and applies the quickstart through the Pulumi CLI, then reports no changes", async () => {
    const run = await runDemo([]);
    expect(run.stderr).not.toContain("demo failed");
    expect(run.code).toBe(0);
    const toolchain = pulumiToolchain();
    expect(run.stdout).toContain(`engine ${toolchain.pulumi} (v3.248.0)`);
    // A plain `pulumi preview` shows each purchase as a warning on its own row.
    const [preview, rest] = run.stdout.split("== pulumi up ==");
    expect(
      purchaseRows(preview)
        .map((l) => l.trim().split(/\s+/)[1])
        .sort(),
    ).toEqual([
      "pulumi-nodejs:dynamic/csp:AzurePlan",
      "pulumi-nodejs:dynamic/csp:AzureSubscription",
      "pulumi-nodejs:dynamic/csp:LicenseSubscription",
    ]);
    expect(rest).toMatch(/pulumi-nodejs:dynamic\/csp:Customer\s+contoso-customer\s+created/);
    // The first up stops at the GDAP access assignment with the approval link; the demo approves as
    // the customer would, and the next up creates the users, the consent and what follows.
    const [first, afterApproval] = rest.split("== pulumi up (after the customer's approval) ==");
    expect(first).toContain("waiting for the customer's approval");
    expect(first).toMatch(
      /must approve it at https:\/\/admin\.microsoft\.com\/\S+granularAdminRelationships\//,
    );
    expect(afterApproval).toMatch(/csp:GdapAccessAssignment\s+contoso-gdap-access-\S+\s+created/);
    expect(afterApproval).toMatch(/csp:CustomerUser\s+contoso-user-alice\s+created/);
    // The partner's AdminAgents group is declared Owner on the bought subscription.
    expect(rest).toMatch(/csp:RoleAssignment\s+contoso-rbac-dev-partner-partner\s+created/);
    expect(rest).toMatch(/customerId\s+: "[0-9a-f-]{36}"/);
    expect(rest).toContain('domain            : "contosodemo.onmicrosoft.com"');
    expect(rest).toContain("No changes: the customer");
    expect(rest).not.toContain("[BILLABLE PURCHASE]");
  });

  it("keeps the stack in a Pulumi file backend, each __provider a one-line require under 1 KB", () => {
    const checkpoint = readCheckpoint(demoWorkspace());
    const dynamic = (checkpoint?.resources ?? []).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    expect(dynamic.length).toBe(15);
    for (const r of dynamic) {
      const provider = String(r.inputs?.__provider);
      expect(Buffer.byteLength(provider)).toBeLessThan(1024);
      expect(provider).toMatch(/require\("pulumi-csp\/dist\/provider\/host"\)\.handler\("\w+"\)/);
      expect(r.outputs ?? {}).not.toHaveProperty("billablePurchase");
    }
  });

  it("is idempotent: a second run buys and changes nothing", async () => {
    const run = await runDemo([]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/\bcreated\b/);
    expect(run.stdout).not.toContain("warning: [BILLABLE PURCHASE]");
    expect(run.stdout).toContain("This preview buys nothing.");
    expect(run.stdout).toMatch(/\d+ unchanged/);
  });

  it("a refresh of what the demo created finds no drift", async () => {
    const emu = await startEmulator({ dataDir: path.join(scratch, "demo", "emulator"), sandbox: true });
    try {
      const result = await runProgram({
        command: "refresh",
        programDir: quickstart,
        stateDir: path.join(scratch, "demo", "pulumi"),
        env: { ...emu.env, PULUMI_CONFIG_PASSPHRASE: DEMO_PASSPHRASE },
        expectNoChanges: true,
      });
      expect(result.errors).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.resources.filter((r) => r.op !== "same" && r.op !== "read")).toEqual([]);
    } finally {
      await emu.stop();
    }
  });

  it("--destroy removes what the demo created", async () => {
    const run = await runDemo(["--destroy"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/pulumi-nodejs:dynamic\/csp:Customer\s+contoso-customer\s+deleted/);
    expect(run.stdout).toContain("Destroyed.");
    expect(readCheckpoint(demoWorkspace())?.resources ?? []).toEqual([]);
  });

  it("runs again after --destroy: a new customer tenant with a GDAP relationship of its own", async () => {
    const run = await runDemo([]);
    expect(run.stderr).not.toContain("demo failed");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/GdapRelationship\s+contoso-gdap\s+created/);
  });
});

describe("purchases in a real pulumi preview --diff and --json", () => {
  it("carry billablePurchase on the creates of the Azure plan and subscription and the seats, and nowhere else", async () => {
    const emu = await startEmulator({ sandbox: true });
    try {
      const stateDir = path.join(scratch, "marker");
      const env = { ...emu.env, PULUMI_CONFIG_PASSPHRASE: LOCAL_PASSPHRASE };
      const diff = await runProgram({
        command: "preview",
        programDir: quickstart,
        stateDir,
        env,
        diff: true,
      });
      expect(diff.ok).toBe(true);
      expect(
        diff.stdout.match(/billablePurchase\s*: "\[BILLABLE PURCHASE\] Azure (plan|subscription)/g),
      ).toHaveLength(2);
      expect(
        diff.stdout.match(
          /billablePurchase\s*: "\[BILLABLE PURCHASE\] 5 seats of Microsoft 365 Business Premium/g,
        ),
      ).toHaveLength(1);
      expect(
        diff.resources
          .filter((r) => r.billable)
          .map((r) => r.displayType)
          .sort(),
      ).toEqual(["csp:AzurePlan", "csp:AzureSubscription", "csp:LicenseSubscription"]);

      const ws = prepareWorkspace(quickstart, stateDir, "dev");
      // The emulator runs in this process: the CLI must not block the event loop (no spawnSync).
      const json = await promisify(execFile)(
        pulumiToolchain().pulumi,
        ["preview", "--json", "--non-interactive"],
        {
          cwd: ws.workDir,
          encoding: "utf8",
          env: { ...process.env, ...env, ...pulumiEnv(pulumiToolchain(), ws.backendDir, ws.pulumiHome) },
        },
      );
      const doc = JSON.parse(json.stdout) as {
        steps: { op: string; urn: string; newState?: { inputs?: Record<string, unknown> } }[];
      };
      const marked = doc.steps.filter((s) => typeof s.newState?.inputs?.billablePurchase === "string");
      expect(marked.map((s) => `${s.op} ${s.urn.split("::").pop()}`).sort()).toEqual([
        "create contoso-license-m365",
        "create contoso-plan",
        "create contoso-sub-dev",
      ]);
    } finally {
      await emu.stop();
    }
  });
});
