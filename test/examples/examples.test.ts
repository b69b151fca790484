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
  emu = await startEmulator({ sandbox: true, partners: 2, indirect: true });
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-examples-"));
  env = emu.env;
});

afterAll(async () => {
  await emu?.stop();
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
});

function run(
  command: "preview" | "up" | "destroy",
  example: string,
  config: Record<string, string> = {},
  runEnv: Record<string, string> = env,
): Promise<RunProgramResult> {
  return runProgram({
    command,
    programDir: path.join(examples, example),
    stateDir: path.join(stateDir, example),
    env: runEnv,
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

/**
 * Writes to Partner Center, Graph and ARM since `seq`. (Redeeming the admin agent's refresh token
 * rotates it, a change of the token endpoint's state, not a write to an API: a preview whose
 * checks read GDAP relationships as the admin agent redeems it.)
 */
async function writesSince(seq: number): Promise<number> {
  const log = await emu.admin.requestLog({ sinceSeq: seq, writesOnly: true });
  return log.filter((e) => e.service !== "identity").length;
}

/**
 * Writes to Partner Center, Graph or ARM since `seq`. Redeeming a refresh token for an App+User
 * token stores the rotated refresh token (a write to the token service, not to the customer).
 */
async function apiWritesSince(seq: number): Promise<string[]> {
  return (await emu.admin.requestLog({ sinceSeq: seq, writesOnly: true }))
    .filter((e) => e.service !== "identity")
    .map((e) => `${e.method} ${e.service} ${e.path}`);
}

describe("the quickstart example", () => {
  const access = () => `csp:GdapAccessAssignment contoso-gdap-access-${emu.seed.gdapAdminsGroupId}`;
  /** What waits for the customer's GDAP approval: the access assignment and what needs its roles. */
  const waiting = () => [
    access(),
    "csp:CustomerUser contoso-user-alice",
    "csp:CustomerUser contoso-user-bob",
    "csp:ApplicationConsent contoso-consent",
    "csp:ApplicationRegistration contoso-app-portal",
    "csp:PermissionGrant contoso-grant-portal-graph",
    "csp:RoleAssignment contoso-rbac-dev-contributor-user-alice",
  ];
  const first = [
    "csp:Customer contoso-customer",
    "csp:CustomerAgreement contoso-agreement",
    "csp:AzurePlan contoso-plan",
    "csp:AzureSubscription contoso-sub-dev",
    "csp:LicenseSubscription contoso-license-m365",
    "csp:GdapRelationship contoso-gdap",
  ];
  const created = () => [...first, ...waiting()];
  const quickstart = (command: "preview" | "up") =>
    runProgram({
      command,
      programDir: path.join(examples, "quickstart"),
      stateDir: path.join(stateDir, "quickstart"),
      env,
      config: { gdapSecurityGroupId: emu.seed.gdapAdminsGroupId },
    });

  it("previews the whole customer without writing, with the three purchases marked and the approval the access assignment waits for", async () => {
    const seq = await lastSeq();
    const preview = ok(await quickstart("preview"));
    expect(operations(preview)).toEqual(
      created()
        .map((c) => `create ${c}`)
        .sort(),
    );
    expect(
      preview.resources
        .filter((r) => r.billable)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["contoso-license-m365", "contoso-plan", "contoso-sub-dev"]);
    expect(preview.warnings.some((w) => w.startsWith("waits for the customer's approval"))).toBe(true);
    expect(await writesSince(seq)).toBe(0);
  });

  it("stops at the customer's GDAP approval with the link, and completes after the approval", async () => {
    const stopped = await quickstart("up");
    expect(stopped.ok).toBe(false);
    const message = stopped.errors.map((e) => e.message).join("\n");
    expect(message).toContain("waiting for the customer's approval");
    expect(message).toMatch(
      /must approve it at https:\/\/admin\.microsoft\.com\/\S+granularAdminRelationships\//,
    );
    // Nothing that waits for the approval was created (what else was depends on when the engine
    // stopped); the access assignment is what failed.
    const createdFirst = stopped.resources
      .filter((r) => r.op === "create" && r.status === "done" && r.type.startsWith("pulumi-nodejs:dynamic/"))
      .map((r) => `${r.displayType} ${r.name}`);
    expect(createdFirst).toContain("csp:GdapRelationship contoso-gdap");
    expect(createdFirst.filter((c) => waiting().includes(c))).toEqual([]);
    expect(stopped.resources.find((r) => r.displayType === "csp:GdapAccessAssignment")?.status).toBe(
      "failed",
    );
    const state = await emu.admin.state();
    const relationship = Object.values(state.gdap).find(
      (r) => r.partnerTenantId === emu.seed.partnerTenantId,
    );
    expect(relationship?.resource.status).toBe("approvalPending");

    // The customer's Global Administrator approves at the link; the emulator's admin API stands for it.
    await emu.admin.approveGdapRelationship(String(relationship?.resource.id));
    const up = ok(await quickstart("up"));
    const createdThen = operations(up)
      .filter((o) => o.startsWith("create "))
      .map((o) => o.slice("create ".length));
    expect(createdThen).toEqual(expect.arrayContaining(waiting()));
    expect([...createdFirst, ...createdThen].sort()).toEqual(created().sort());
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
    expect((up.outputs as { seatsOnDelete: string }).seatsOnDelete).toMatch(
      /^cancel: deleting this resource cancels the subscription while Partner Center allows it/,
    );
    expect(out.gdapApprovalLink).toMatch(/^https:\/\/admin\.microsoft\.com\/.+granularAdminRelationships\//);

    const after = await emu.admin.state();
    expect(after.partnerCenter.customers[out.customerId]?.partnerTenantId).toBe(emu.seed.partnerTenantId);
    const rbac = Object.values(after.azure.roleAssignments).filter(
      (a) => a.scope === `/subscriptions/${out.subscriptionIds.dev}`,
    );
    expect(rbac.map((a) => a.principalType)).toEqual(["User"]);

    const seq = await lastSeq();
    const again = ok(await quickstart("preview"));
    expect(operations(again)).toEqual(
      created()
        .map((c) => `same ${c}`)
        .sort(),
    );
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
  // Run as a user of an indirect provider does: the provider's credentials are the default
  // account (the emulator's `indirect` account), and the reseller is one of its resellers.
  const provider = () => emu.accounts.find((a) => a.name === "indirect")!;
  const reseller = () => emu.accounts.find((a) => a.name === "reseller")!;
  const providerEnv = (): Record<string, string> => {
    const out = { ...env };
    for (const suffix of ["TENANT_ID", "CLIENT_ID", "CLIENT_SECRET", "REFRESH_TOKEN"]) {
      out[`CSP_${suffix}`] = env[`CSP_ACCOUNT_INDIRECT_${suffix}`]!;
    }
    return out;
  };
  const runIndirect = (command: "preview" | "up" | "destroy", resellerPartnerId = reseller().partnerMpnId) =>
    run(command, "indirect-reseller", { resellerPartnerId }, providerEnv());
  const created = [
    "csp:Customer tailspin-customer",
    "csp:CustomerAgreement tailspin-agreement",
    "csp:AzurePlan tailspin-plan",
    "csp:AzureSubscription tailspin-sub-prod",
    "csp:GdapRelationship tailspin-gdap",
  ];

  it("fails the preview for a reseller that is not the provider's, naming it and the provider's resellers, without writing", async () => {
    const seq = await lastSeq();
    const preview = await runIndirect("preview", "1234567");
    expect(preview.ok).toBe(false);
    const errors = JSON.stringify(preview.errors);
    expect(errors).toContain("associatedPartnerId: 1234567 is not an indirect reseller of partner account");
    expect(errors).toContain(`PartnerID ${reseller().partnerMpnId}`);
    expect(await apiWritesSince(seq)).toEqual([]);
  });

  it("previews the customer for the provider's reseller, its Azure purchases and GDAP, without writing", async () => {
    const seq = await lastSeq();
    const preview = ok(await runIndirect("preview"));
    expect(operations(preview)).toEqual(created.map((c) => `create ${c}`).sort());
    // Stack outputs are known in preview when they do not depend on a resource (the CLI shows them).
    expect(preview.stdout).toMatch(new RegExp(`reseller\\s*: "${reseller().partnerMpnId}"`));
    expect(await apiWritesSince(seq)).toEqual([]);
  });

  it("creates the customer for the reseller on up, with the reseller of record on the Azure plan's order", async () => {
    const up = ok(await runIndirect("up"));
    expect(operations(up)).toEqual(created.map((c) => `create ${c}`).sort());
    const out = up.outputs as { customerId: string; relationshipToPartner: string; subscriptionIds: object };
    expect(out.relationshipToPartner).toBe("reseller");
    expect(Object.keys(out.subscriptionIds).sort()).toEqual(["plan", "prod"]);
    const state = await emu.admin.state();
    const customer = state.partnerCenter.customers[out.customerId];
    expect(customer?.partnerTenantId).toBe(provider().partnerTenantId);
    expect(customer?.resource.associatedPartnerId).toBe(reseller().partnerMpnId);
    const orders = Object.values(
      state.partnerCenter.orders as Record<string, { customerId: string; resource: { lineItems: object[] } }>,
    ).filter((o) => o.customerId === out.customerId);
    expect(orders.flatMap((o) => o.resource.lineItems)).toEqual([
      expect.objectContaining({ partnerIdOnRecord: reseller().partnerMpnId }),
    ]);
  });

  it("removes what it created on destroy (integration sandbox)", async () => {
    const before = await emu.admin.state();
    const ids = Object.values(before.partnerCenter.customers)
      .filter((c) => c.partnerTenantId === provider().partnerTenantId)
      .map((c) => c.id);
    expect(ids).toHaveLength(1);
    const destroy = ok(await runIndirect("destroy"));
    expect(operations(destroy)).toEqual(created.map((c) => `delete ${c}`).sort());
    const after = await emu.admin.state();
    expect(after.partnerCenter.customers[ids[0]!]).toBeUndefined();
    expect(after.directory[ids[0]!]).toBeUndefined();
  });
});
