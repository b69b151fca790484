import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pulumiToolchain } from "../../automation/toolchain";
import { type RunningEmulator, startEmulator } from "../../emulator/index";
import type { FleetResult } from "../../gitops/fleet";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";
import { installPackedOffline } from "../support/offlineInstall";

/**
 * A partner's customers repository, from nothing, as a partner gets it: this package packed with
 * `npm pack` (the built dist/), `pulumi-csp init gitops` run from the packed package, the package
 * installed into the new repository from the tarball (offline, see installPackedOffline), two
 * customer files added, then the pipeline's commands in that repository: `pulumi-csp fleet
 * preview` (the pull-request comment, purchases first), `fleet up`, a one-field change previewed
 * with plain `pulumi preview --json` and `pulumi-csp preview-comment`, applied with
 * `fleet up --changed-only`, a `fleet refresh`, and a fleet preview in which one invalid file fails
 * alone. The Pulumi CLI is this project's, put on PATH the way a partner installs it; the package
 * uses it since it has no build script of its own. Against an in-process emulator in production
 * mode. Everything lives in a temp folder outside this repository.
 */

const ROOT = path.join(__dirname, "..", "..");
const PASSPHRASE = "partner-repo-test";
const STEP_TIMEOUT = 240_000;

let emu: RunningEmulator;
let work: string;
let repo: string;
let env: Record<string, string>;

interface Run {
  code: number;
  out: string;
  err: string;
}

function run(command: string, args: string[], cwd = repo): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (err, out, errText) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out, err: errText });
    });
  });
}

/** `npx pulumi-csp ...` in the repository: the installed package's bin. */
function pulumiCsp(...args: string[]): Promise<Run> {
  return run(path.join(repo, "node_modules", ".bin", "pulumi-csp"), args);
}

function git(...args: string[]): void {
  execFileSync("git", ["-c", "user.name=Partner", "-c", "user.email=ops@partner.example", ...args], {
    cwd: repo,
    stdio: "ignore",
  });
}

function readJson<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(repo, name), "utf8")) as T;
}

async function lastSeq(): Promise<number> {
  return (await emu.admin.requestLog()).at(-1)?.seq ?? 0;
}

async function writesSince(seq: number): Promise<string[]> {
  return (await emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).map(
    (e) => `${e.method} ${e.path}`,
  );
}

function customerFile(key: string, extra = ""): string {
  return fs
    .readFileSync(path.join(repo, "customers", "_example.yaml"), "utf8")
    .replaceAll("newcustomer", `${key}fleet`)
    .replace(`key: ${key}fleet`, `key: ${key}`)
    .concat(extra);
}

beforeAll(async () => {
  assertBuilt(ROOT, [
    ...sourcesUnder(ROOT, "cli"),
    ...sourcesUnder(ROOT, "gitops"),
    ...sourcesUnder(ROOT, "automation"),
  ]);
  const toolchain = pulumiToolchain();
  emu = await startEmulator({ sandbox: false });
  work = fs.mkdtempSync(path.join(os.tmpdir(), "csp-partner-repo-"));
  env = {
    ...(process.env as Record<string, string>),
    ...emu.env,
    // The partner's Pulumi CLI, installed on PATH.
    PATH: `${toolchain.binDir}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_HOME: path.join(work, "pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    CSP_ALLOW_PURCHASES: "true",
  };
  delete env.PULUMI_BACKEND_URL;
  delete env.PULUMI_ACCESS_TOKEN;
  delete env.PULUMI_CONFIG_PASSPHRASE_FILE;

  // npm pack of the built package (dist/ as it is: no prepack script).
  execFileSync("npm", ["pack", "--pack-destination", work, "--ignore-scripts", "--loglevel=error"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [tarball] = fs.readdirSync(work).filter((f) => f.endsWith(".tgz"));
  const packed = path.join(work, tarball!);

  // `npx pulumi-csp init gitops customers`: npx installs the package in a folder of its own.
  const npx = path.join(work, "npx");
  fs.mkdirSync(npx);
  fs.writeFileSync(path.join(npx, "package.json"), '{ "name": "npx-cache", "version": "1.0.0" }\n');
  installPackedOffline(npx, packed, ROOT);
  const init = await run(
    path.join(npx, "node_modules", ".bin", "pulumi-csp"),
    ["init", "gitops", "customers"],
    work,
  );
  expect(init.code, init.err).toBe(0);
  repo = path.join(work, "customers");

  // npm install in the new repository (the tarball in place of the registry).
  installPackedOffline(repo, packed, ROOT);
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "pulumi-csp init gitops");
}, STEP_TIMEOUT);

afterAll(async () => {
  await emu?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe("a partner's customers repository, from pulumi-csp init gitops", () => {
  it("is a repository of its own: the published package installed from its tarball, no path into this one", () => {
    const installed = path.join(repo, "node_modules", "pulumi-csp");
    expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(fs.existsSync(path.join(installed, "templates", "gitops", "index.js"))).toBe(true);
    expect(fs.existsSync(path.join(installed, "components", "customerSpec.schema.json"))).toBe(true);
    // The published package has no toolchain script: it runs the `pulumi` on PATH.
    expect(fs.existsSync(path.join(installed, "scripts"))).toBe(false);
    for (const file of ["package.json", "Pulumi.yaml", "index.js", ".github/workflows/customers.yml"]) {
      expect(fs.readFileSync(path.join(repo, file), "utf8")).not.toContain(ROOT);
    }
  });

  let contosoId: string;
  let fabrikamId: string;

  it(
    "previews two new customers as one pull-request comment, purchases first, without writing anything",
    async () => {
      fs.writeFileSync(
        path.join(repo, "customers", "contoso.yaml"),
        customerFile(
          "contoso",
          "azurePlan:\n  acknowledgePurchase: true\nsubscriptions:\n  - key: prod\n    displayName: Contoso Production\n    acknowledgePurchase: true\n",
        ),
      );
      fs.writeFileSync(path.join(repo, "customers", "fabrikam.yaml"), customerFile("fabrikam"));
      git("add", "-A");
      git("commit", "-qm", "two customers");

      const seq = await lastSeq();
      const preview = await pulumiCsp(
        "fleet",
        "preview",
        "--changed-only",
        "main~1..main",
        "--comment",
        "comment.md",
        "--json",
        "fleet.json",
      );
      expect(preview.code, preview.err + preview.out).toBe(0);
      expect(await writesSince(seq)).toEqual([]);

      const comment = fs.readFileSync(path.join(repo, "comment.md"), "utf8");
      const purchases = comment.indexOf("### :warning: Purchases (billable)");
      expect(purchases).toBeGreaterThan(0);
      expect(purchases).toBeLessThan(comment.indexOf("### `contoso`"));
      expect(comment).toContain("- `contoso`: **buys** csp:AzurePlan `contoso-plan`: Azure plan");
      expect(comment).toContain("- `contoso`: **buys** csp:AzureSubscription `contoso-sub-prod`");
      expect(comment).toContain("Customers: the customers of the files changed in main~1..main.");
      expect(comment).toContain("- csp:Customer `fabrikam-customer`");

      const fleet = readJson<FleetResult>("fleet.json");
      expect(fleet.customers.map((c) => [c.stack, c.ok, c.counts.create, c.purchases.length])).toEqual([
        ["contoso", true, 5, 2],
        ["fabrikam", true, 3, 0],
      ]);
      expect(preview.out).toMatch(/^customer\s+result\s+create/);
    },
    STEP_TIMEOUT,
  );

  it(
    "fleet up creates each customer in its own stack",
    async () => {
      const up = await pulumiCsp("fleet", "up", "--json", "fleet.json");
      expect(up.code, up.err + up.out).toBe(0);
      const fleet = readJson<FleetResult>("fleet.json");
      expect(fleet.customers.map((c) => [c.stack, c.ok, c.counts.create])).toEqual([
        ["contoso", true, 5],
        ["fabrikam", true, 3],
      ]);
      contosoId = String(fleet.customers[0]!.outputs?.customerId);
      fabrikamId = String(fleet.customers[1]!.outputs?.customerId);
      const state = await emu.admin.state();
      const domain = (id: string) =>
        (state.partnerCenter.customers[id]?.resource.companyProfile as { domain?: string } | undefined)
          ?.domain;
      expect(domain(contosoId)).toBe("contosofleet.onmicrosoft.com");
      expect(domain(fabrikamId)).toBe("fabrikamfleet.onmicrosoft.com");
      // One stack per customer in the default local backend.
      const stacks = fs.readdirSync(
        path.join(repo, ".pulumi-csp", "backend", ".pulumi", "stacks", "csp-customers"),
      );
      expect(stacks.filter((f) => f.endsWith(".json")).sort()).toEqual(["contoso.json", "fabrikam.json"]);
    },
    STEP_TIMEOUT,
  );

  it(
    "a one-field change: plain pulumi preview --json and pulumi-csp preview-comment show it, fleet up --changed-only applies only it",
    async () => {
      const file = path.join(repo, "customers", "fabrikam.yaml");
      fs.writeFileSync(
        file,
        fs
          .readFileSync(file, "utf8")
          .replace("billing@fabrikamfleet.example", "finance@fabrikamfleet.example"),
      );
      git("commit", "-qam", "fabrikam: billing email");

      const seq = await lastSeq();
      const backend = `file://${path.join(repo, ".pulumi-csp", "backend")}`;
      const saved = env.PULUMI_BACKEND_URL;
      env.PULUMI_BACKEND_URL = backend;
      const preview = await run("pulumi", ["preview", "--stack", "fabrikam", "--json", "--non-interactive"]);
      env.PULUMI_BACKEND_URL = saved as string;
      if (saved === undefined) delete env.PULUMI_BACKEND_URL;
      expect(preview.code, preview.err).toBe(0);
      fs.writeFileSync(path.join(repo, "preview.json"), preview.out);
      const comment = await pulumiCsp("preview-comment", "preview.json", "--exit-code", "0");
      expect(comment.code).toBe(0);
      expect(comment.out).toContain("1 to update\n");
      expect(comment.out).toContain("- csp:Customer `fabrikam-customer`: `billingProfile`");
      expect(comment.out).toMatch(/^\+ {3}billingProfile: .*"email":"finance@fabrikamfleet/m);
      expect(await writesSince(seq)).toEqual([]);

      const up = await pulumiCsp("fleet", "up", "--changed-only", "main~1..main", "--json", "fleet.json");
      expect(up.code, up.err + up.out).toBe(0);
      const fleet = readJson<FleetResult>("fleet.json");
      expect(fleet.customers.map((c) => [c.stack, c.counts.update, c.changes.map((s) => s.name)])).toEqual([
        ["fabrikam", 1, ["fabrikam-customer"]],
      ]);
      const state = await emu.admin.state();
      const billing = state.partnerCenter.customers[fabrikamId]?.resource.billingProfile as {
        email?: string;
      };
      expect(billing.email).toBe("finance@fabrikamfleet.example");
      expect((await writesSince(seq)).filter((w) => w.includes(contosoId))).toEqual([]);
    },
    STEP_TIMEOUT,
  );

  it(
    "fleet refresh reads a customer's resources back and changes nothing",
    async () => {
      const seq = await lastSeq();
      const refresh = await pulumiCsp(
        "fleet",
        "refresh",
        "--changed-only",
        "customers/contoso.yaml",
        "--json",
        "fleet.json",
      );
      expect(refresh.code, refresh.err + refresh.out).toBe(0);
      expect(readJson<FleetResult>("fleet.json").customers.map((c) => [c.stack, c.ok, c.changes])).toEqual([
        ["contoso", true, []],
      ]);
      // Reads only (tokens aside: a refresh token is rotated when used).
      expect((await writesSince(seq)).filter((w) => !w.endsWith("/oauth2/v2.0/token"))).toEqual([]);
    },
    STEP_TIMEOUT,
  );

  it(
    "fleet preview of every customer: one invalid file fails alone, the others preview no changes, the exit code says so",
    async () => {
      fs.writeFileSync(
        path.join(repo, "customers", "broken.yaml"),
        customerFile("broken").replace("key: broken", "key: Broken"),
      );
      const preview = await pulumiCsp("fleet", "preview", "--parallel", "3", "--comment", "comment.md");
      expect(preview.code).toBe(1);
      expect(preview.out).toMatch(/^broken\s+failed\s/m);
      expect(preview.out).toMatch(/^contoso\s+no changes\s/m);
      expect(preview.out).toMatch(/^fabrikam\s+no changes\s/m);
      expect(preview.out).toContain(
        'customers/broken.yaml: key: must be 1-40 lower-case letters, digits or hyphens, starting with a letter (got "Broken")',
      );
      const comment = fs.readFileSync(path.join(repo, "comment.md"), "utf8");
      expect(comment).toMatch(/^## Customers: fleet preview \(failures\)\n/);
      expect(comment).toContain("### `broken` (customers/broken.yaml): preview failed");
      expect(comment).toContain("No changes: `contoso`, `fabrikam`.");
    },
    STEP_TIMEOUT,
  );
});
