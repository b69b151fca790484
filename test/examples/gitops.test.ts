import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index";
import { previewComment } from "../../examples/gitops/previewComment";
import { runProgram } from "../harness/runProgram";
import type { RunSummary } from "../harness/runSummary";

/**
 * The GitOps example end to end: the compiled program `dist/examples/gitops` with its own
 * Pulumi.yaml and stack file, through the local runner and the real dynamic-provider host, against
 * an in-process emulator in production mode (not a sandbox, so a customer that leaves the program
 * stays with its tenant, as in production). A copy of the project with its own customers/ folder
 * is changed the way a pull request would change it: add a file, edit a field, remove a file.
 * Needs `dist/` (npx tsc -p .).
 */

const repo = path.join(__dirname, "..", "..");
const example = path.join(repo, "examples", "gitops");

let emu: RunningEmulator;
let project: string;
let env: Record<string, string>;
let config: Record<string, string>;
/** contoso.yaml as the "pull requests" of the tests changed it so far. */
let contosoText: string;

beforeAll(async () => {
  emu = await startEmulator({ sandbox: false });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "csp-gitops-"));
  project = path.join(root, "gitops");
  fs.mkdirSync(path.join(project, "customers"), { recursive: true });
  // The example's project files, with `main` made absolute (the copy lives outside the repo), and
  // node_modules as a user's project has it (the provider host resolves pulumi-csp from here).
  const pulumiYaml = fs
    .readFileSync(path.join(example, "Pulumi.yaml"), "utf8")
    .replace(/^main: .*$/m, `main: ${path.join(repo, "dist", "examples", "gitops", "index.js")}`);
  fs.writeFileSync(path.join(project, "Pulumi.yaml"), pulumiYaml);
  fs.copyFileSync(path.join(example, "Pulumi.dev.yaml"), path.join(project, "Pulumi.dev.yaml"));
  fs.symlinkSync(path.join(repo, "node_modules"), path.join(root, "node_modules"), "dir");
  contosoText = exampleCustomer("contoso.yaml");
  customerFile("contoso.yaml", contosoText);
  env = { ...emu.env, PULUMI_CONFIG_PASSPHRASE: "gitops-test" };
  config = { adminAgentsGroupId: emu.seed.adminAgentsGroupId };
});

afterAll(async () => {
  await emu?.stop();
  if (project) fs.rmSync(path.dirname(project), { recursive: true, force: true });
});

function exampleCustomer(name: string): string {
  return fs.readFileSync(path.join(example, "customers", name), "utf8");
}

function customerFile(name: string, text: string | undefined): void {
  const file = path.join(project, "customers", name);
  if (text === undefined) fs.rmSync(file);
  else fs.writeFileSync(file, text);
}

async function run(command: "preview" | "up"): Promise<RunSummary> {
  const result = await runProgram({ command, programDir: project, env, config });
  if (!result.ok)
    throw new Error(`${command} failed: ${JSON.stringify(result.errors)}\n${result.stderr.slice(-2000)}`);
  return result;
}

/** `op type name` of every resource that is not unchanged (the stack itself left out). */
function changes(result: RunSummary): string[] {
  return result.resources
    .filter((r) => r.op !== "same" && r.type !== "pulumi:pulumi:Stack")
    .map((r) => `${r.op} ${r.displayType} ${r.name}`)
    .sort();
}

async function writesSince(seq: number): Promise<string[]> {
  return (await emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).map(
    (e) => `${e.method} ${e.path}`,
  );
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
    const up = await run("up");
    expect(changes(up)).toEqual(
      [
        "create csp:index:CustomerTenant contoso",
        "create csp:Customer contoso-customer",
        "create csp:CustomerAgreement contoso-agreement",
        "create csp:AzurePlan contoso-plan",
        "create csp:AzureSubscription contoso-sub-prod",
        "create csp:CustomerUser contoso-user-alice",
        "create csp:RoleAssignment contoso-rbac-plan-partner-partner",
        "create csp:RoleAssignment contoso-rbac-prod-partner-partner",
        "create csp:RoleAssignment contoso-rbac-prod-contributor-user-alice",
        "create csp:GdapRelationship contoso-gdap",
      ].sort(),
    );
    expect(
      up.resources
        .filter((r) => r.billable)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["contoso-plan", "contoso-sub-prod"]);
    contoso = (up.outputs.customers as Record<string, CustomerOutputs>).contoso!;
    expect(contoso.domain).toBe("contosogitops.onmicrosoft.com");
    expect(Object.keys(contoso.subscriptionIds).sort()).toEqual(["plan", "prod"]);
    expect(contoso.userPrincipalNames).toEqual({ alice: "alice@contosogitops.onmicrosoft.com" });
    expect(contoso.gdap?.status).toBe("approvalPending");

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
    const up = await run("up");
    expect(changes(up)).toEqual(
      [
        "create csp:index:CustomerTenant fabrikam",
        "create csp:Customer fabrikam-customer",
        "create csp:CustomerAgreement fabrikam-agreement",
        "create csp:CustomerUser fabrikam-user-helpdesk",
      ].sort(),
    );
    fabrikam = (up.outputs.customers as Record<string, CustomerOutputs>).fabrikam!;
    expect(fabrikam.domain).toBe("fabrikamgitops.onmicrosoft.com");
  });

  it("editing a field shows exactly that change in the preview, without writing, and up applies only it", async () => {
    contosoText = contosoText.replace("displayName: Contoso Production", "displayName: Contoso Prod EU");
    customerFile("contoso.yaml", contosoText);
    const seq = await lastSeq();
    const preview = await run("preview");
    expect(changes(preview)).toEqual(["update csp:AzureSubscription contoso-sub-prod"]);
    expect(preview.resources.find((r) => r.name === "contoso-sub-prod")?.diffs).toEqual(["displayName"]);
    expect(await writesSince(seq)).toEqual([]);

    const comment = previewComment(preview);
    expect(comment).toContain("1 to update");
    expect(comment).toContain("- csp:AzureSubscription `contoso-sub-prod`: `displayName`");
    expect(comment).not.toContain("Purchases");

    const up = await run("up");
    expect(changes(up)).toEqual(["update csp:AzureSubscription contoso-sub-prod"]);
    const state = await emu.admin.state();
    expect(state.azure.subscriptions[contoso.subscriptionIds.prod!]?.displayName).toBe("Contoso Prod EU");
  });

  it("editing the billing profile updates only the customer, not the resources that use its id", async () => {
    contosoText = contosoText.replace("email: it@contoso.example", "email: finance@contoso.example");
    customerFile("contoso.yaml", contosoText);
    const seq = await lastSeq();
    const preview = await run("preview");
    expect(changes(preview)).toEqual(["update csp:Customer contoso-customer"]);
    expect(preview.resources.find((r) => r.name === "contoso-customer")?.diffs).toEqual(["billingProfile"]);
    expect(await writesSince(seq)).toEqual([]);

    const up = await run("up");
    expect(changes(up)).toEqual(["update csp:Customer contoso-customer"]);
    const billing = (await emu.admin.state()).partnerCenter.customers[contoso.customerId]?.resource
      .billingProfile as { email?: string };
    expect(billing.email).toBe("finance@contoso.example");
  });

  it("removing a file shows the deletes in the preview; up removes the customer from the program and leaves its tenant", async () => {
    customerFile("fabrikam.yaml", undefined);
    const seq = await lastSeq();
    const preview = await run("preview");
    const deletes = [
      "delete csp:index:CustomerTenant fabrikam",
      "delete csp:Customer fabrikam-customer",
      "delete csp:CustomerAgreement fabrikam-agreement",
      "delete csp:CustomerUser fabrikam-user-helpdesk",
    ].sort();
    expect(changes(preview)).toEqual(deletes);
    expect(await writesSince(seq)).toEqual([]);
    expect(previewComment(preview)).toContain("- csp:Customer `fabrikam-customer`");

    const up = await run("up");
    expect(changes(up)).toEqual(deletes);
    // Production default (onDelete leave): the customer and its reseller relationship stay;
    // the user was soft-deleted (restorable for 30 days); the agreement cannot be withdrawn.
    const state = await emu.admin.state();
    const customer = state.partnerCenter.customers[fabrikam.customerId];
    expect(customer?.resource.relationshipToPartner).toBe("reseller");
    expect(Object.keys(state.directory)).toContain(fabrikam.customerId);
    const writes = (await writesSince(seq)).filter((w) => w.includes(fabrikam.customerId));
    expect(writes).toEqual([
      expect.stringMatching(new RegExp(`^DELETE /v1/customers/${fabrikam.customerId}/users/`)),
    ]);

    const again = await run("preview");
    expect(changes(again)).toEqual([]);
  });

  it("highlights purchases first in the pull-request comment", async () => {
    customerFile(
      "contoso.yaml",
      contosoText.replace(
        "users:",
        "  - key: test\n    displayName: Contoso Test\n    workload: DevTest\n    acknowledgePurchase: true\nusers:",
      ),
    );
    const seq = await lastSeq();
    const preview = await run("preview");
    expect(changes(preview)).toEqual([
      "create csp:AzureSubscription contoso-sub-test",
      "create csp:RoleAssignment contoso-rbac-test-partner-partner",
    ]);
    expect(await writesSince(seq)).toEqual([]);
    const comment = previewComment(preview);
    expect(comment.indexOf("Purchases")).toBeGreaterThan(0);
    expect(comment.indexOf("Purchases")).toBeLessThan(comment.indexOf("### Creates"));
    expect(comment).toContain("- **buys** csp:AzureSubscription `contoso-sub-test`");
  });

  it("fails the preview with file, path and rule when a customer file is invalid", async () => {
    customerFile("broken.yaml", exampleCustomer("fabrikam.yaml").replace("key: fabrikam", "key: Fabrikam"));
    const result = await runProgram({ command: "preview", programDir: project, env, config });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result.errors)).toContain(
      'customers/broken.yaml: key: must be 1-40 lower-case letters, digits or hyphens, starting with a letter (got \\"Fabrikam\\")',
    );
    customerFile("broken.yaml", undefined);
  });
});
