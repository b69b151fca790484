import { describe, expect, it } from "vitest";
import type { CustomerResult, FleetResult } from "../../gitops/fleet";
import { COMMENT_LIMIT, fleetComment, fleetTable } from "../../gitops/fleetReport";
import type { PlannedStep } from "../../gitops/plannedSteps";

/** The summary table and the pull-request comment of `pulumi-csp fleet`, from per-customer results. */

function step(op: string, type: string, name: string, extra: Partial<PlannedStep> = {}): PlannedStep {
  return { op, urn: `urn:${name}`, type, name, diffs: [], changes: [], ...extra };
}

function customer(
  stack: string,
  changes: PlannedStep[],
  extra: Partial<CustomerResult> = {},
): CustomerResult {
  const counts = { create: 0, update: 0, replace: 0, delete: 0, same: 1, failed: 0 };
  for (const c of changes) counts[c.op as "create"]++;
  const purchases = changes.filter((c) => c.purchase);
  return {
    stack,
    file: `customers/${stack}.yaml`,
    removed: false,
    ok: true,
    counts,
    changes,
    purchases,
    errors: [],
    durationMs: 8200,
    ...extra,
  };
}

const plan = step("create", "csp:AzurePlan", "wingtip-plan", {
  purchase: "[BILLABLE PURCHASE] Azure plan DZH318Z0BPS6:0001 for customer (new)",
});

const FLEET: FleetResult = {
  command: "preview",
  parallel: 4,
  ok: false,
  durationMs: 41_200,
  customers: [
    customer("contoso", [step("update", "csp:Customer", "contoso-customer", { diffs: ["billingProfile"] })]),
    customer("fabrikam", []),
    customer("tailspin", [], {
      ok: false,
      errors: ["customers/tailspin.yaml: key: must be 1-40 lower-case letters"],
      counts: { create: 0, update: 0, replace: 0, delete: 0, same: 0, failed: 0 },
    }),
    customer("wingtip", [step("create", "csp:Customer", "wingtip-customer"), plan]),
    customer("olds", [step("delete", "csp:Customer", "olds-customer")], { removed: true }),
  ],
};

describe("fleet reports", () => {
  it("prints one row per customer (changes, purchases, failures), the totals and each failure's errors", () => {
    expect(fleetTable(FLEET)).toBe(
      [
        "customer  result             create  update  replace  delete  purchases  seconds",
        "contoso   changes                 0       1        0       0          0      8.2",
        "fabrikam  no changes              0       0        0       0          0      8.2",
        "tailspin  failed                  0       0        0       0          0      8.2",
        "wingtip   changes                 2       0        0       0          1      8.2",
        "olds      changes (removed)       0       0        0       1          0      8.2",
        "",
        "5 customers in 41.2 s (parallel 4): 3 with changes, 1 failed, 1 without changes; 1 purchase",
        "",
        "tailspin (customers/tailspin.yaml) failed:",
        "  customers/tailspin.yaml: key: must be 1-40 lower-case letters",
        "",
      ].join("\n"),
    );
  });

  it("comments purchases first, then failures, then each changed customer's deletes, updates and creates", () => {
    const comment = fleetComment(FLEET, "the customers of the files changed in origin/main...HEAD");
    expect(comment).toBe(
      [
        "## Customers: fleet preview (failures)",
        "",
        "5 customers in 41.2 s (parallel 4): 3 with changes, 1 failed, 1 without changes; 1 purchase.",
        "Customers: the customers of the files changed in origin/main...HEAD.",
        "",
        "### :warning: Purchases (billable)",
        "",
        "- `wingtip`: **buys** csp:AzurePlan `wingtip-plan`: Azure plan DZH318Z0BPS6:0001 for customer (new)",
        "",
        "### `tailspin` (customers/tailspin.yaml): preview failed",
        "",
        "```text",
        "customers/tailspin.yaml: key: must be 1-40 lower-case letters",
        "```",
        "",
        "### `contoso` (customers/contoso.yaml)",
        "",
        "1 to update",
        "",
        "#### Updates",
        "",
        "- csp:Customer `contoso-customer`: `billingProfile`",
        "",
        "### `wingtip` (customers/wingtip.yaml)",
        "",
        "2 to create",
        "",
        "#### Creates",
        "",
        "- csp:Customer `wingtip-customer`",
        "- csp:AzurePlan `wingtip-plan`",
        "",
        "### `olds` (customers/olds.yaml): file removed",
        "",
        "1 to delete",
        "",
        "#### Deletes (what removing these from the program does: see each resource's deletionBehavior)",
        "",
        "- csp:Customer `olds-customer`",
        "",
        "No changes: `fabrikam`.",
        "",
      ].join("\n"),
    );
  });

  it("says when no customer ran, and stays under GitHub's comment size with hundreds of changed customers", () => {
    expect(fleetComment({ ...FLEET, ok: true, customers: [] }, "the customers of the files named")).toBe(
      "## Customers: fleet preview\n\nNo customer to run (the customers of the files named).\n",
    );
    const many = Array.from({ length: 800 }, (_, i) =>
      customer(`customer${i}`, [
        step("update", "csp:Customer", `customer${i}-customer`, { diffs: ["billingProfile", "companyName"] }),
        step("create", "csp:CustomerUser", `customer${i}-user-helpdesk`),
      ]),
    );
    const comment = fleetComment({ ...FLEET, ok: true, customers: many }, "every file of customers/");
    expect(comment.length).toBeLessThan(COMMENT_LIMIT + 1_000);
    expect(comment).toMatch(
      /_The details of \d+ more customers do not fit in a comment: see the job's log and its fleet\.json\._/,
    );
    expect(comment).toContain("800 customers in");
  });
});
