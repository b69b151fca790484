import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunProgramResult, runProgram } from "../../automation/runProgram";
import type { RunSummary } from "../../automation/runSummary";
import { type RunningEmulator, startEmulator } from "../../emulator/index";

/**
 * The quickstart, multi-account and indirect-reseller examples as a user runs them: each example
 * folder with its own Pulumi.yaml and stack file, the compiled program from dist/, the Pulumi CLI
 * (Automation API) and the real dynamic-provider host, against one in-process emulator seeded with
 * two partner accounts (the second one is `eu`, CSP_ACCOUNT_EU_*). Each example's stack workspace
 * (file backend, working copy of the project) lives in a temp folder. Needs `dist/` (npm run build).
 */

const examples = path.join(__dirname, "..", "..", "examples");

let emu: RunningEmulator;
let stateDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  emu = await startEmulator({ sandbox: true, partners: 2 });
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-examples-"));
  env = emu.env;
});

afterAll(async () => {
  await emu?.stop();
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
});

function run(
  command: "preview" | "up",
  example: string,
  config: Record<string, string> = {},
): Promise<RunProgramResult> {
  return runProgram({
    command,
    programDir: path.join(examples, example),
    stateDir: path.join(stateDir, example),
    env,
    config,
  });
}

function ok(result: RunProgramResult): RunProgramResult {
  if (!result.ok)
    throw new Error(
      `${result.command} failed: ${JSON.stringify(result.errors)}\n${result.stderr.slice(-2000)}`,
    );
  return result;
}

/** `op type name` of the dynamic resources (what reaches the APIs). */
function operations(result: RunSummary): string[] {
  return result.resources
    .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"))
    .map((r) => `${r.op} ${r.displayType} ${r.name}`)
    .sort();
}

async function lastSeq(): Promise<number> {
  return (await emu.admin.requestLog()).at(-1)?.seq ?? 0;
}

async function writesSince(seq: number): Promise<number> {
  return (await emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).length;
}

describe("the quickstart example", () => {
  const created = [
    "csp:Customer contoso-customer",
    "csp:CustomerAgreement contoso-agreement",
    "csp:AzurePlan contoso-plan",
    "csp:AzureSubscription contoso-sub-dev",
    "csp:LicenseSubscription contoso-license-m365",
    "csp:CustomerUser contoso-user-alice",
    "csp:CustomerUser contoso-user-bob",
    "csp:ApplicationConsent contoso-consent",
    "csp:ApplicationRegistration contoso-app-portal",
    "csp:PermissionGrant contoso-grant-portal-graph",
    "csp:RoleAssignment contoso-rbac-dev-contributor-user-alice",
    "csp:GdapRelationship contoso-gdap",
  ];

  it("previews the whole customer without writing, with the three purchases marked billable", async () => {
    const seq = await lastSeq();
    const preview = ok(await run("preview", "quickstart"));
    expect(operations(preview)).toEqual(created.map((c) => `create ${c}`).sort());
    expect(
      preview.resources
        .filter((r) => r.billable)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["contoso-license-m365", "contoso-plan", "contoso-sub-dev"]);
    expect(await writesSince(seq)).toBe(0);
  });

  it("creates it on up and outputs what a CSP engineer needs, then previews no changes", async () => {
    const up = ok(await run("up", "quickstart"));
    expect(operations(up)).toEqual(created.map((c) => `create ${c}`).sort());
    const out = up.outputs as {
      customerId: string;
      domain: string;
      adminUserName: string;
      subscriptionIds: Record<string, string>;
      userPrincipalNames: Record<string, string>;
      applicationIds: Record<string, string>;
      gdapStatus: string;
      gdapApprovalLink: string;
    };
    expect(out.domain).toBe("contosodemo.onmicrosoft.com");
    expect(out.adminUserName).toBe("admin@contosodemo.onmicrosoft.com");
    expect(Object.keys(out.subscriptionIds).sort()).toEqual(["dev", "plan"]);
    expect(out.userPrincipalNames).toEqual({
      alice: "alice@contosodemo.onmicrosoft.com",
      bob: "bob@contosodemo.onmicrosoft.com",
    });
    expect(Object.keys(out.applicationIds)).toEqual(["portal"]);
    expect(out.gdapStatus).toBe("approvalPending");
    expect((up.outputs as { seatsOnDelete: string }).seatsOnDelete).toMatch(
      /^cancel: deleting this resource cancels the subscription while Partner Center allows it/,
    );
    expect(out.gdapApprovalLink).toMatch(/^https:\/\/admin\.microsoft\.com\/.+granularAdminRelationships\//);

    const state = await emu.admin.state();
    expect(state.partnerCenter.customers[out.customerId]?.partnerTenantId).toBe(emu.seed.partnerTenantId);
    const rbac = Object.values(state.azure.roleAssignments).filter(
      (a) => a.scope === `/subscriptions/${out.subscriptionIds.dev}`,
    );
    expect(rbac.map((a) => a.principalType)).toEqual(["User"]);

    const seq = await lastSeq();
    const again = ok(await run("preview", "quickstart"));
    expect(operations(again)).toEqual(created.map((c) => `same ${c}`).sort());
    expect(await writesSince(seq)).toBe(0);
  });
});

describe("the multi-account example", () => {
  it("creates each customer in its own Partner Center account with that account's credentials", async () => {
    const seq = await lastSeq();
    const preview = ok(await run("preview", "multi-account"));
    expect(operations(preview).filter((o) => o.includes("Customer "))).toEqual([
      "create csp:Customer northwind-eu-customer",
      "create csp:Customer northwind-us-customer",
    ]);
    expect(await writesSince(seq)).toBe(0);

    const up = ok(await run("up", "multi-account"));
    expect(operations(up)).toEqual(
      ["eu", "us"]
        .flatMap((r) => [
          `create csp:Customer northwind-${r}-customer`,
          `create csp:CustomerAgreement northwind-${r}-agreement`,
          `create csp:AzurePlan northwind-${r}-plan`,
        ])
        .sort(),
    );
    const customers = up.outputs.customers as Record<string, { account: string; customerId: string }>;
    expect(customers["northwind-us"]?.account).toBe("default");
    expect(customers["northwind-eu"]?.account).toBe("eu");
    const state = await emu.admin.state();
    const [us, eu] = emu.accounts;
    expect(state.partnerCenter.customers[customers["northwind-us"]!.customerId]?.partnerTenantId).toBe(
      us!.partnerTenantId,
    );
    expect(state.partnerCenter.customers[customers["northwind-eu"]!.customerId]?.partnerTenantId).toBe(
      eu!.partnerTenantId,
    );
  });
});

describe("the indirect-reseller example", () => {
  it("previews the customer for the configured reseller, its Azure purchases and GDAP, without writing", async () => {
    const seq = await lastSeq();
    const preview = ok(await run("preview", "indirect-reseller"));
    expect(operations(preview)).toEqual(
      [
        "create csp:Customer tailspin-customer",
        "create csp:CustomerAgreement tailspin-agreement",
        "create csp:AzurePlan tailspin-plan",
        "create csp:AzureSubscription tailspin-sub-prod",
        "create csp:GdapRelationship tailspin-gdap",
      ].sort(),
    );
    // Stack outputs are known in preview when they do not depend on a resource (the CLI shows them).
    expect(preview.stdout).toMatch(/reseller\s*: "1234567"/);
    expect(await writesSince(seq)).toBe(0);
  });

  it("sends the reseller to Partner Center, which refuses it for a direct-bill partner account", async () => {
    // The emulator seeds direct-bill partners only; a real indirect provider account succeeds here.
    const up = await run("up", "indirect-reseller");
    expect(up.ok).toBe(false);
    expect(JSON.stringify(up.errors)).toContain("PartnerID 1234567 isn't a valid Indirect Reseller");
    expect(operations(up).filter((o) => o.startsWith("create ") && !o.includes("tailspin-customer"))).toEqual(
      [],
    );
  });
});
