import { describe, expect, it } from "vitest";
import { plannedSteps, previewComment } from "../../examples/gitops/previewComment";

/** A `pulumi preview --json` result as the Pulumi CLI prints it (abridged to the fields read). */
const CLI_PREVIEW = {
  steps: [
    { op: "same", urn: "urn:pulumi:dev::csp-gitops::pulumi:pulumi:Stack::csp-gitops-dev" },
    {
      op: "create",
      urn: "urn:pulumi:dev::csp-gitops::csp:index:CustomerTenant$pulumi-nodejs:dynamic/csp:AzurePlan::fabrikam-plan",
    },
    {
      op: "create",
      urn: "urn:pulumi:dev::csp-gitops::csp:index:CustomerTenant$pulumi-nodejs:dynamic/csp:CustomerUser::fabrikam-user-it",
    },
    {
      op: "update",
      urn: "urn:pulumi:dev::csp-gitops::csp:index:CustomerTenant$pulumi-nodejs:dynamic/csp:Customer::contoso-customer",
      diffReasons: ["billingProfile"],
    },
    {
      op: "replace",
      urn: "urn:pulumi:dev::csp-gitops::csp:index:CustomerTenant$pulumi-nodejs:dynamic/csp:AzureSubscription::contoso-sub-dev",
      diffReasons: ["workload"],
    },
    {
      op: "create-replacement",
      urn: "urn:pulumi:dev::csp-gitops::csp:index:CustomerTenant$pulumi-nodejs:dynamic/csp:AzureSubscription::contoso-sub-dev",
    },
    {
      op: "delete-replaced",
      urn: "urn:pulumi:dev::csp-gitops::csp:index:CustomerTenant$pulumi-nodejs:dynamic/csp:AzureSubscription::contoso-sub-dev",
    },
    {
      op: "delete",
      urn: "urn:pulumi:dev::csp-gitops::csp:index:CustomerTenant$pulumi-nodejs:dynamic/csp:CustomerUser::contoso-user-bob",
    },
  ],
  changeSummary: { create: 2, update: 1, replace: 1, delete: 1, same: 1 },
};

describe("previewComment", () => {
  it("reads the CLI's steps, one per resource even for a replacement", () => {
    expect(plannedSteps(CLI_PREVIEW).map((s) => `${s.op} ${s.type} ${s.name}`)).toEqual([
      "same pulumi:pulumi:Stack csp-gitops-dev",
      "create csp:AzurePlan fabrikam-plan",
      "create csp:CustomerUser fabrikam-user-it",
      "update csp:Customer contoso-customer",
      "replace csp:AzureSubscription contoso-sub-dev",
      "delete csp:CustomerUser contoso-user-bob",
    ]);
  });

  it("lists purchases first, then deletes, replacements and updates with the changed properties", () => {
    expect(previewComment(CLI_PREVIEW, "~ contoso-customer\n  ~ billingProfile")).toBe(
      [
        "## Customers: preview",
        "",
        "2 to create, 1 to update, 1 to replace, 1 to delete",
        "",
        "### :warning: Purchases (billable)",
        "",
        "- **buys** csp:AzurePlan `fabrikam-plan`",
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
        "",
        "### Creates",
        "",
        "- csp:AzurePlan `fabrikam-plan`",
        "- csp:CustomerUser `fabrikam-user-it`",
        "",
        "<details><summary>Full diff</summary>",
        "",
        "```diff",
        "~ contoso-customer\n  ~ billingProfile",
        "```",
        "</details>",
        "",
      ].join("\n"),
    );
  });

  it("says so when nothing changes, and refuses what is not a preview", () => {
    expect(previewComment({ steps: [CLI_PREVIEW.steps[0]] })).toBe("## Customers: preview\n\nNo changes.\n");
    expect(() => previewComment({ changeSummary: {} })).toThrow("not a preview");
  });
});
