import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_PASSPHRASE, type RunProgramResult, runProgram } from "../../automation/runProgram";
import { prepareWorkspace, type StackWorkspace } from "../../automation/stackWorkspace";
import { pulumiEnv, pulumiToolchain } from "../../automation/toolchain";
import { type RunningEmulator, startEmulator } from "../../emulator/index";
import { type PlannedStep, plannedSteps, previewComment } from "../../gitops/previewComment";
import { assertBuilt } from "../support/distFreshness";

/**
 * The GitOps example end to end, as its CI workflow runs it: the example's own project
 * (examples/gitops, the compiled program in dist/) through the Pulumi CLI, `pulumi up` through
 * the Automation API and `pulumi preview --json` run as ci-workflow.yml runs it, its document
 * turned into the pull-request comment. Against an in-process emulator in production mode (not a
 * sandbox, so a customer that leaves the program stays with its tenant, as in production). The
 * customers/ folder is a temp copy (stack setting csp-gitops:customersDir), changed the way a
 * pull request would change it: add a file, edit a field, remove a file. Needs `dist/`.
 */

const repo = path.join(__dirname, "..", "..");
const example = path.join(repo, "examples", "gitops");

let emu: RunningEmulator;
let root: string;
let ws: StackWorkspace;
let customersDir: string;
let config: Record<string, string>;
/** contoso.yaml as the "pull requests" of the tests changed it so far. */
let contosoText: string;

beforeAll(async () => {
  assertBuilt(repo, [
    "examples/gitops/index.ts",
    "gitops/previewComment.ts",
    "gitops/plannedSteps.ts",
    "cli/previewCommentCommand.ts",
  ]);
  // Customers approve GDAP relationships at once: these tests are about the pull-request flow.
  emu = await startEmulator({ sandbox: false, autoApproveGdap: true });
  root = fs.mkdtempSync(path.join(os.tmpdir(), "csp-gitops-"));
  ws = prepareWorkspace(example, path.join(root, "stack"), "dev");
  customersDir = path.join(root, "customers");
  fs.mkdirSync(customersDir);
  contosoText = exampleCustomer("contoso.yaml");
  customerFile("contoso.yaml", contosoText);
  config = {
    adminAgentsGroupId: emu.seed.adminAgentsGroupId,
    gdapSecurityGroupId: emu.seed.gdapAdminsGroupId,
    customersDir,
  };
});

afterAll(async () => {
  await emu?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

function exampleCustomer(name: string): string {
  return fs.readFileSync(path.join(example, "customers", name), "utf8");
}

function customerFile(name: string, text: string | undefined): void {
  const file = path.join(customersDir, name);
  if (text === undefined) fs.rmSync(file);
  else fs.writeFileSync(file, text);
}

async function up(): Promise<RunProgramResult> {
  const result = await runProgram({
    command: "up",
    programDir: example,
    stateDir: ws.dir,
    env: emu.env,
    config,
  });
  if (!result.ok)
    throw new Error(`up failed: ${JSON.stringify(result.errors)}\n${result.stderr.slice(-2000)}`);
  return result;
}

interface JsonPreview {
  exitCode: number;
  /** The parsed document (undefined when stdout was not JSON). */
  preview: unknown;
  stdout: string;
  stderr: string;
}

/**
 * `pulumi preview --json`, as ci-workflow.yml runs it: the toolchain's CLI in the stack's project
 * folder (the Automation API has no JSON preview). The stack exists: an `up` ran first.
 */
function previewJson(): Promise<JsonPreview> {
  const toolchain = pulumiToolchain();
  const env = {
    ...process.env,
    ...emu.env,
    PULUMI_CONFIG_PASSPHRASE: LOCAL_PASSPHRASE,
    ...pulumiEnv(toolchain, ws.backendDir, ws.pulumiHome),
  };
  return new Promise((resolve) => {
    execFile(
      toolchain.pulumi,
      ["preview", "--json", "--stack", "dev", "--non-interactive"],
      { cwd: ws.workDir, env, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        let preview: unknown;
        try {
          preview = JSON.parse(stdout) as unknown;
        } catch {
          preview = undefined;
        }
        const exitCode = err ? Number((err as { code?: number }).code ?? 1) : 0;
        resolve({ exitCode, preview, stdout, stderr });
      },
    );
  });
}

/** `op type name` of every resource that is not unchanged (the stack itself left out). */
function changes(steps: { op: string; type?: string; displayType?: string; name: string }[]): string[] {
  return steps
    .filter((s) => s.op !== "same" && (s.displayType ?? s.type) !== "pulumi:pulumi:Stack")
    .map((s) => `${s.op} ${s.displayType ?? s.type} ${s.name}`)
    .sort();
}

function planned(result: JsonPreview): PlannedStep[] {
  if (result.exitCode !== 0)
    throw new Error(`preview failed (${result.exitCode}): ${result.stdout.slice(-3000)}`);
  return plannedSteps(result.preview);
}

/**
 * Writes to the APIs since `seq`, as `METHOD /path`. (A token redemption rotates the admin agent's
 * refresh token, a change of the token endpoint's state, not an API write: previews whose checks
 * read GDAP relationships redeem it.)
 */
async function writesSince(seq: number): Promise<string[]> {
  return (await emu.admin.requestLog({ sinceSeq: seq, writesOnly: true }))
    .filter((e) => e.service !== "identity")
    .map((e) => `${e.method} ${e.path}`);
}

async function lastSeq(): Promise<number> {
  return (await emu.admin.requestLog()).at(-1)?.seq ?? 0;
}

interface CustomerOutputs {
  customerId: string;
  domain: string;
  subscriptionIds: Record<string, string>;
  userPrincipalNames: Record<string, string>;
  gdap?: { status: string; approvalLink: string };
}

describe("the gitops example", () => {
  let contoso: CustomerOutputs;
  let fabrikam: CustomerOutputs;

  it("creates the customer of each file on the first up, with the partner's admin agents on every subscription", async () => {
    const result = await up();
    expect(changes(result.resources.filter((r) => r.displayType.startsWith("csp:")))).toEqual(
      [
        "create csp:index:CustomerTenant contoso",
        "create csp:Customer contoso-customer",
        "create csp:CustomerAgreement contoso-agreement",
        "create csp:AzurePlan contoso-plan",
        "create csp:AzureSubscription contoso-sub-prod",
        "create csp:LicenseSubscription contoso-license-m365",
        "create csp:CustomerUser contoso-user-alice",
        "create csp:RoleAssignment contoso-rbac-plan-partner-partner",
        "create csp:RoleAssignment contoso-rbac-prod-partner-partner",
        "create csp:RoleAssignment contoso-rbac-prod-contributor-user-alice",
        "create csp:GdapRelationship contoso-gdap",
        `create csp:GdapAccessAssignment contoso-gdap-access-${emu.seed.gdapAdminsGroupId}`,
      ].sort(),
    );
    expect(
      result.resources
        .filter((r) => r.billable)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["contoso-license-m365", "contoso-plan", "contoso-sub-prod"]);
    contoso = (result.outputs.customers as Record<string, CustomerOutputs>).contoso!;
    expect(contoso.domain).toBe("contosogitops.onmicrosoft.com");
    expect(Object.keys(contoso.subscriptionIds).sort()).toEqual(["plan", "prod"]);
    expect(contoso.userPrincipalNames).toEqual({ alice: "alice@contosogitops.onmicrosoft.com" });
    expect(contoso.gdap?.status).toBe("active");

    const state = await emu.admin.state();
    const owners = Object.values(state.azure.roleAssignments).filter(
      (a) => a.principalId === emu.seed.adminAgentsGroupId.toLowerCase(),
    );
    expect(owners.map((a) => [a.scope, a.principalType]).sort()).toEqual(
      [
        [`/subscriptions/${contoso.subscriptionIds.plan}`, "ForeignGroup"],
        [`/subscriptions/${contoso.subscriptionIds.prod}`, "ForeignGroup"],
      ].sort(),
    );
  });

  it("adding a customer file creates exactly that customer's resources", async () => {
    customerFile("fabrikam.yaml", exampleCustomer("fabrikam.yaml"));
    const result = await up();
    expect(changes(result.resources.filter((r) => r.displayType.startsWith("csp:")))).toEqual(
      [
        "create csp:index:CustomerTenant fabrikam",
        "create csp:Customer fabrikam-customer",
        "create csp:CustomerAgreement fabrikam-agreement",
        "create csp:CustomerUser fabrikam-user-helpdesk",
        "create csp:GdapRelationship fabrikam-gdap",
        `create csp:GdapAccessAssignment fabrikam-gdap-access-${emu.seed.gdapAdminsGroupId}`,
      ].sort(),
    );
    fabrikam = (result.outputs.customers as Record<string, CustomerOutputs>).fabrikam!;
    expect(fabrikam.domain).toBe("fabrikamgitops.onmicrosoft.com");
  });

  it("editing fields shows exactly those changes in the preview comment, without writing, and up applies only them", async () => {
    contosoText = contosoText
      .replace("displayName: Contoso Production", "displayName: Contoso Prod EU")
      .replace("email: it@contoso.example", "email: finance@contoso.example");
    customerFile("contoso.yaml", contosoText);
    const seq = await lastSeq();
    const preview = await previewJson();
    const steps = planned(preview);
    expect(changes(steps)).toEqual([
      "update csp:AzureSubscription contoso-sub-prod",
      "update csp:Customer contoso-customer",
    ]);
    expect(steps.find((s) => s.name === "contoso-sub-prod")?.diffs).toEqual(["displayName"]);
    // The billing profile is an input of the customer only, not of the resources using its id.
    expect(steps.find((s) => s.name === "contoso-customer")?.diffs).toEqual(["billingProfile"]);
    expect(await writesSince(seq)).toEqual([]);

    const comment = previewComment(preview);
    expect(comment).toContain("2 to update");
    expect(comment).toContain("- csp:AzureSubscription `contoso-sub-prod`: `displayName`");
    expect(comment).toContain("- csp:Customer `contoso-customer`: `billingProfile`");
    expect(comment).toContain('+   displayName: "Contoso Prod EU"');
    expect(comment).not.toContain("Purchases");

    const result = await up();
    expect(changes(result.resources)).toEqual([
      "update csp:AzureSubscription contoso-sub-prod",
      "update csp:Customer contoso-customer",
    ]);
    const state = await emu.admin.state();
    expect(state.azure.subscriptions[contoso.subscriptionIds.prod!]?.displayName).toBe("Contoso Prod EU");
    const billing = state.partnerCenter.customers[contoso.customerId]?.resource.billingProfile as {
      email?: string;
    };
    expect(billing.email).toBe("finance@contoso.example");
  });

  it("removing a file shows the deletes in the preview; up removes the customer from the program and leaves its tenant", async () => {
    customerFile("fabrikam.yaml", undefined);
    const seq = await lastSeq();
    const preview = await previewJson();
    const deletes = [
      "delete csp:index:CustomerTenant fabrikam",
      "delete csp:Customer fabrikam-customer",
      "delete csp:CustomerAgreement fabrikam-agreement",
      "delete csp:CustomerUser fabrikam-user-helpdesk",
      "delete csp:GdapRelationship fabrikam-gdap",
      `delete csp:GdapAccessAssignment fabrikam-gdap-access-${emu.seed.gdapAdminsGroupId}`,
    ].sort();
    expect(changes(planned(preview))).toEqual(deletes);
    expect(await writesSince(seq)).toEqual([]);
    expect(previewComment(preview)).toContain("- csp:Customer `fabrikam-customer`");

    const result = await up();
    expect(changes(result.resources)).toEqual(deletes);
    // Production default (onDelete leave): the customer and its reseller relationship stay;
    // the user was soft-deleted (restorable for 30 days); the agreement cannot be withdrawn.
    const state = await emu.admin.state();
    const customer = state.partnerCenter.customers[fabrikam.customerId];
    expect(customer?.resource.relationshipToPartner).toBe("reseller");
    expect(Object.keys(state.directory)).toContain(fabrikam.customerId);
    // The user is soft-deleted first, then the access assignment is removed and the relationship
    // terminated (GETs that find the emulator's collapsed GDAP lifecycle moved on are no writes).
    const writes = (await writesSince(seq)).filter(
      (w) => w.includes(fabrikam.customerId) && !w.startsWith("GET "),
    );
    expect(writes).toEqual([
      expect.stringMatching(new RegExp(`^DELETE /v1/customers/${fabrikam.customerId}/users/`)),
      expect.stringMatching(
        /^DELETE \/v1\.0\/tenantRelationships\/delegatedAdminRelationships\/\S+\/accessAssignments\//,
      ),
      expect.stringMatching(
        /^POST \/v1\.0\/tenantRelationships\/delegatedAdminRelationships\/\S+\/requests$/,
      ),
    ]);

    const again = await previewJson();
    expect(changes(planned(again))).toEqual([]);
    expect(previewComment(again)).toBe("## Customers: preview\n\nNo changes.\n");
  });

  it("highlights purchases first in the pull-request comment, with the provider's purchase sentence", async () => {
    customerFile(
      "contoso.yaml",
      contosoText.replace(
        "users:",
        "  - key: test\n    displayName: Contoso Test\n    workload: DevTest\n    acknowledgePurchase: true\nusers:",
      ),
    );
    const seq = await lastSeq();
    const preview = await previewJson();
    expect(changes(planned(preview))).toEqual([
      "create csp:AzureSubscription contoso-sub-test",
      "create csp:RoleAssignment contoso-rbac-test-partner-partner",
    ]);
    expect(await writesSince(seq)).toEqual([]);
    const comment = previewComment(preview);
    expect(comment.indexOf("Purchases")).toBeGreaterThan(0);
    expect(comment.indexOf("Purchases")).toBeLessThan(comment.indexOf("### Creates"));
    expect(comment).toContain(
      `- **buys** csp:AzureSubscription \`contoso-sub-test\`: Azure subscription "Contoso Test" (DevTest) for customer ${contoso.customerId}, billed by usage`,
    );
  });

  it("lists added seats as a purchase, and after the seven-day window fails the preview of a seat decrease with the date and what is possible", async () => {
    const seatsOf = async () => {
      const pc = (await emu.admin.state()).partnerCenter as Record<string, unknown>;
      const subs = Object.values(
        (pc.subscriptions ?? {}) as Record<string, { customerId: string; resource: Record<string, unknown> }>,
      );
      return subs.find((s) => s.customerId === contoso.customerId && s.resource.billingType === "license")
        ?.resource.quantity;
    };
    customerFile("contoso.yaml", contosoText.replace("quantity: 3", "quantity: 5"));
    const more = await previewJson();
    expect(changes(planned(more))).toEqual(["update csp:LicenseSubscription contoso-license-m365"]);
    expect(previewComment(more)).toContain(
      `- **buys more** csp:LicenseSubscription \`contoso-license-m365\`: adds 2 seats (3 -> 5) of Microsoft 365 Business Premium for customer ${contoso.customerId}`,
    );
    await up();
    expect(await seatsOf()).toBe(5);
    contosoText = contosoText.replace("quantity: 3", "quantity: 5");

    await emu.admin.advanceTime(8 * 24 * 3600 * 1000);
    customerFile("contoso.yaml", contosoText.replace("quantity: 5", "quantity: 4"));
    const seq = await lastSeq();
    const fewer = await previewJson();
    customerFile("contoso.yaml", contosoText);
    expect(fewer.exitCode).not.toBe(0);
    const comment = previewComment(fewer);
    expect(comment).toContain("## Customers: preview failed");
    expect(comment).toMatch(
      /cannot decrease license subscription \S+ from 5 to 4 seats: Partner Center removes seats only within seven days of adding them/,
    );
    expect(comment).toMatch(/set autoRenew: false so the subscription ends with its term/);
    // A GET may close the seat window in the emulator's state (time-based housekeeping): only write calls count.
    expect((await writesSince(seq)).filter((w) => !w.startsWith("GET "))).toEqual([]);
    expect(await seatsOf()).toBe(5);
  });

  it("fails the preview with file, path and rule when a customer file is invalid, and the comment says it failed", async () => {
    customerFile("broken.yaml", exampleCustomer("fabrikam.yaml").replace("key: fabrikam", "key: Fabrikam"));
    const preview = await previewJson();
    customerFile("broken.yaml", undefined);
    expect(preview.exitCode).not.toBe(0);
    const rule =
      'customers/broken.yaml: key: must be 1-40 lower-case letters, digits or hyphens, starting with a letter (got "Fabrikam")';
    // The document is still a preview (the stack's step, the error as a diagnostic).
    expect(plannedSteps(preview.preview).map((s) => s.op)).toEqual(["same"]);

    // What the workflow runs: `pulumi-csp preview-comment` (the compiled CLI) on the saved
    // document and the exit code; it prints the comment and exits 1.
    const file = path.join(root, "preview.json");
    fs.writeFileSync(file, preview.stdout);
    const cli = path.join(repo, "dist", "cli", "main.js");
    const { comment, code } = await new Promise<{ comment: string; code: number }>((resolve) => {
      execFile(
        process.execPath,
        [cli, "preview-comment", file, "--exit-code", String(preview.exitCode)],
        (err, stdout) => resolve({ comment: stdout, code: err ? Number(err.code ?? -1) : 0 }),
      );
    });
    expect(code).toBe(1);
    expect(comment).toMatch(/^## Customers: preview failed\n/);
    expect(comment).toContain(`(exit code ${preview.exitCode})`);
    expect(comment).toContain(rule);
    expect(comment).not.toContain("No changes");
    expect(comment).toBe(previewComment({ preview: preview.preview, exitCode: preview.exitCode }));
  });
});
