import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { plannedSteps, previewComment } from "../../gitops/previewComment";
import { runCliCaptured, tempDir } from "../cli/cliTestKit";

/**
 * The comment (`pulumi-csp preview-comment`) on `pulumi preview --json` documents shaped as the Pulumi CLI v3.248 prints
 * them for this project's dynamic resources (abridged to the fields read: dynamic providers report
 * no diffReasons, so changed properties come from oldState/newState inputs). The gitops test runs
 * it on the real CLI's output.
 */

const URN = "urn:pulumi:dev::csp-gitops::csp:index:CustomerTenant$pulumi-nodejs:dynamic/csp:";
const PROVIDER =
  'exports.handler = function () { return require("pulumi-csp/dist/provider/host").handler("X"); };\n';

const CLI_PREVIEW = {
  config: { "csp:allowPurchases": "true" },
  steps: [
    { op: "same", urn: "urn:pulumi:dev::csp-gitops::pulumi:pulumi:Stack::csp-gitops-dev" },
    {
      op: "create",
      urn: `${URN}AzurePlan::fabrikam-plan`,
      newState: {
        inputs: {
          __provider: PROVIDER,
          acknowledgePurchase: true,
          billablePurchase:
            "[BILLABLE PURCHASE] Azure plan DZH318Z0BPS6:0001 for customer 7c5a (a plan it already has is adopted instead)",
          customerId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        },
      },
    },
    { op: "create", urn: `${URN}CustomerUser::fabrikam-user-it`, newState: { inputs: {} } },
    {
      op: "update",
      urn: `${URN}Customer::contoso-customer`,
      oldState: { inputs: { __provider: PROVIDER, billingProfile: { email: "it@contoso.example" } } },
      newState: { inputs: { __provider: PROVIDER, billingProfile: { email: "finance@contoso.example" } } },
    },
    {
      op: "update",
      urn: `${URN}AzureSubscription::contoso-sub-prod`,
      oldState: {
        inputs: { billablePurchase: "[BILLABLE PURCHASE] ...", displayName: "Contoso Production" },
      },
      newState: { inputs: { displayName: "Contoso Prod EU" } },
    },
    {
      op: "create-replacement",
      urn: `${URN}AzureSubscription::contoso-sub-dev`,
      oldState: { inputs: { workload: "Production" } },
      newState: { inputs: { workload: "DevTest" } },
    },
    {
      op: "replace",
      urn: `${URN}AzureSubscription::contoso-sub-dev`,
      replaceReasons: ["workload"],
      oldState: { inputs: { workload: "Production" } },
      newState: { inputs: { workload: "DevTest" } },
    },
    { op: "delete-replaced", urn: `${URN}AzureSubscription::contoso-sub-dev` },
    { op: "delete", urn: `${URN}CustomerUser::contoso-user-bob`, oldState: { inputs: {} } },
  ],
  diagnostics: [{ message: "warning: [BILLABLE PURCHASE] Azure plan ...", severity: "warning" }],
  changeSummary: { create: 2, update: 2, replace: 1, delete: 1, same: 1 },
};

describe("previewComment", () => {
  it("reads the CLI's steps, one per resource even for a replacement", () => {
    expect(plannedSteps(CLI_PREVIEW).map((s) => `${s.op} ${s.type} ${s.name} ${s.diffs.join(",")}`)).toEqual([
      "same pulumi:pulumi:Stack csp-gitops-dev ",
      "create csp:AzurePlan fabrikam-plan ",
      "create csp:CustomerUser fabrikam-user-it ",
      "update csp:Customer contoso-customer billingProfile",
      "update csp:AzureSubscription contoso-sub-prod displayName",
      "replace csp:AzureSubscription contoso-sub-dev workload",
      "delete csp:CustomerUser contoso-user-bob ",
    ]);
  });

  it("lists purchases first, then deletes, replacements and updates with the changed properties", () => {
    expect(previewComment({ preview: CLI_PREVIEW, exitCode: 0 })).toBe(
      [
        "## Customers: preview",
        "",
        "2 to create, 2 to update, 1 to replace, 1 to delete",
        "",
        "### :warning: Purchases (billable)",
        "",
        "- **buys** csp:AzurePlan `fabrikam-plan`: Azure plan DZH318Z0BPS6:0001 for customer 7c5a (a plan it already has is adopted instead)",
        "- **buys again (replace)** csp:AzureSubscription `contoso-sub-dev`",
        "",
        "### Deletes (what removing these from the program does: see each resource's deletionBehavior)",
        "",
        "- csp:CustomerUser `contoso-user-bob`",
        "",
        "### Replacements",
        "",
        "- csp:AzureSubscription `contoso-sub-dev`: `workload`",
        "",
        "### Updates",
        "",
        "- csp:Customer `contoso-customer`: `billingProfile`",
        "- csp:AzureSubscription `contoso-sub-prod`: `displayName`",
        "",
        "### Creates",
        "",
        "- csp:AzurePlan `fabrikam-plan`",
        "- csp:CustomerUser `fabrikam-user-it`",
        "",
        "<details><summary>Changed values</summary>",
        "",
        "```diff",
        "~ csp:Customer contoso-customer",
        '-   billingProfile: {"email":"it@contoso.example"}',
        '+   billingProfile: {"email":"finance@contoso.example"}',
        "~ csp:AzureSubscription contoso-sub-prod",
        '-   displayName: "Contoso Production"',
        '+   displayName: "Contoso Prod EU"',
        "~ csp:AzureSubscription contoso-sub-dev",
        '-   workload: "Production"',
        '+   workload: "DevTest"',
        "```",
        "</details>",
        "",
      ].join("\n"),
    );
  });

  it("lists seats added to a license subscription among the purchases, and a decrease only as an update", () => {
    const seats = (from: number, to: number, marker?: string) => ({
      op: "update",
      urn: `${URN}LicenseSubscription::contoso-license-m365`,
      oldState: { inputs: { quantity: from } },
      newState: { inputs: { quantity: to, ...(marker ? { billablePurchase: marker } : {}) } },
    });
    const more = previewComment({
      preview: {
        steps: [seats(5, 8, "[BILLABLE PURCHASE] adds 3 seats (5 -> 8) of Microsoft 365 Business Premium")],
      },
      exitCode: 0,
    });
    expect(more).toContain(
      "### :warning: Purchases (billable)\n\n- **buys more** csp:LicenseSubscription `contoso-license-m365`: adds 3 seats (5 -> 8) of Microsoft 365 Business Premium",
    );
    expect(more).toContain("- csp:LicenseSubscription `contoso-license-m365`: `quantity`");
    const fewer = previewComment({ preview: { steps: [seats(8, 5)] }, exitCode: 0 });
    expect(fewer).not.toContain("Purchases");
  });

  it("says so when nothing changes", () => {
    const same = { steps: [CLI_PREVIEW.steps[0]], diagnostics: [], changeSummary: { same: 1 } };
    expect(previewComment({ preview: same, exitCode: 0 })).toBe("## Customers: preview\n\nNo changes.\n");
  });

  it("leaves out the default provider the engine creates with a new stack", () => {
    const provider = {
      op: "create",
      urn: "urn:pulumi:dev::csp-gitops::pulumi:providers:pulumi-nodejs::default",
      newState: { inputs: {} },
    };
    const preview = { ...CLI_PREVIEW, steps: [CLI_PREVIEW.steps[0], provider, CLI_PREVIEW.steps[2]] };
    const comment = previewComment({ preview, exitCode: 0 });
    expect(comment).toContain("1 to create\n");
    expect(comment).not.toContain("pulumi-nodejs");
  });

  it("never says 'No changes' for a failed preview: exit code, error diagnostics, or no preview at all", () => {
    // What the CLI prints when the program throws: the stack's step only, and the error.
    const failed = {
      steps: [CLI_PREVIEW.steps[0]],
      diagnostics: [
        {
          message:
            "error: Running program 'index.js' failed with an unhandled exception:\nCustomerSpecError: 1 problem in customer specs:\n  customers/broken.yaml: key: must be 1-40 lower-case letters\n\u001b[90m    at Module._compile (node:internal)\u001b[39m\n",
          severity: "error",
        },
      ],
      changeSummary: { same: 1 },
    };
    for (const comment of [
      previewComment({ preview: failed, exitCode: 255 }),
      previewComment({ preview: failed }),
      previewComment({
        preview: { ...failed, diagnostics: [] },
        exitCode: 1,
        stderr: "error: stack not found",
      }),
      previewComment({ preview: undefined, exitCode: 0 }),
      previewComment({ preview: { changeSummary: { same: 3 } } }),
    ]) {
      expect(comment).toMatch(/^## Customers: preview failed\n/);
      expect(comment).not.toContain("No changes");
    }
    const comment = previewComment({ preview: failed, exitCode: 255 });
    expect(comment).toContain("(exit code 255)");
    expect(comment).toContain("customers/broken.yaml: key: must be 1-40 lower-case letters");
    expect(comment).not.toContain("\u001b[");
    expect(
      previewComment({
        preview: { ...failed, diagnostics: [] },
        exitCode: 1,
        stderr: "error: stack not found",
      }),
    ).toContain("stack not found");
    expect(previewComment({ preview: undefined })).toContain("no `pulumi preview --json` document");

    // A partial plan next to an error is not a plan: no counts, no sections.
    const partial = {
      ...CLI_PREVIEW,
      diagnostics: [{ message: "error: workload: cannot change", severity: "error" }],
    };
    const text = previewComment({ preview: partial, exitCode: 255 });
    expect(text).toContain("workload: cannot change");
    expect(text).not.toMatch(/to update|Purchases/);
  });

  it("refuses to read steps from what is not a preview", () => {
    expect(() => plannedSteps({ changeSummary: {} })).toThrow("not a preview");
  });
});

describe("pulumi-csp preview-comment", () => {
  const dir = tempDir("preview-comment");
  const file = (name: string, text: string): string => {
    fs.writeFileSync(path.join(dir, name), text);
    return name;
  };
  const run = (args: string[]) => runCliCaptured(["preview-comment", ...args], { env: {}, cwd: dir });

  it("prints the comment of a preview document (a path relative to the working folder) and exits 0", async () => {
    const result = await run([file("ok.json", JSON.stringify(CLI_PREVIEW)), "--exit-code", "0"]);
    expect(result).toEqual({ code: 0, out: previewComment({ preview: CLI_PREVIEW, exitCode: 0 }), err: "" });
    expect(result.out.indexOf("Purchases")).toBeLessThan(result.out.indexOf("### Deletes"));
  });

  it("prints a 'preview failed' comment and exits 1 for a failed preview, a missing exit code or no document", async () => {
    const failed = {
      steps: [CLI_PREVIEW.steps[0]],
      diagnostics: [{ message: "error: customers/broken.yaml: key: must be lower case", severity: "error" }],
    };
    const cases: string[][] = [
      [file("failed.json", JSON.stringify(failed)), "--exit-code", "255"],
      [file("ok2.json", JSON.stringify(CLI_PREVIEW)), "--exit-code", ""],
      [file("empty.json", ""), "--exit-code", "0"],
      ["missing.json"],
      [
        file("none.json", ""),
        "--exit-code",
        "1",
        "--stderr",
        file("preview.err", "error: no stack named dev"),
      ],
    ];
    for (const args of cases) {
      const result = await run(args);
      expect(result.code, args.join(" ")).toBe(1);
      expect(result.out).toMatch(/^## Customers: preview failed\n/);
      expect(result.out).not.toContain("No changes");
    }
    expect((await run(cases[0]!)).out).toContain("customers/broken.yaml: key: must be lower case");
    expect((await run(cases[4]!)).out).toContain("no stack named dev");
  });

  it("is a usage error (exit 2) without the document or with two", async () => {
    expect((await run([])).code).toBe(2);
    const two = await run(["a.json", "b.json"]);
    expect(two.code).toBe(2);
    expect(two.err).toContain('unexpected argument "b.json"');
  });
});
