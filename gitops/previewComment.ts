// The pull-request comment of a GitOps pipeline (`pulumi-csp preview-comment`), from
// `pulumi preview --json`: counts per operation, billable purchases first, then deletes,
// replacements and updates with the properties that change (old and new values folded away), then
// creates. A preview that failed (non-zero exit code, error diagnostics, or no preview document at
// all) gives a "preview failed" comment with the errors, never "No changes".
//
//   pulumi preview --json > preview.json 2> preview.err; code=$?
//   npx pulumi-csp preview-comment preview.json --exit-code "$code" --stderr preview.err > comment.md
import { type PlannedStep, type PreviewRun, plannedSteps, previewFailures } from "./plannedSteps";

export { type PlannedStep, type PreviewRun, plannedSteps, previewFailures } from "./plannedSteps";

/** Types whose create or replacement buys something (billable). */
const BILLABLE = new Set(["csp:AzurePlan", "csp:AzureSubscription", "csp:LicenseSubscription"]);

const OPS_SHOWN = ["create", "update", "replace", "delete"] as const;

/** What the CLI puts for a value that is not known until the update runs. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The markdown comment for a pull request. */
export function previewComment(run: PreviewRun): string {
  const failures = previewFailures(run);
  if (failures.length > 0) {
    const lines = [
      "## Customers: preview failed",
      "",
      `The preview did not complete${run.exitCode ? ` (exit code ${run.exitCode})` : ""}: there is no plan to review. Fix the errors below and push again.`,
      "",
      "### Errors",
    ];
    for (const f of failures) lines.push(...errorBlock(f));
    return `${lines.join("\n")}\n`;
  }

  const steps = shownSteps(plannedSteps(run.preview));
  const lines: string[] = ["## Customers: preview", ""];
  const counts = countsLine(steps);
  if (!counts) {
    lines.push("No changes.");
    return `${lines.join("\n")}\n`;
  }
  lines.push(counts);
  const purchases = purchasesOf(steps);
  if (purchases.length > 0) {
    lines.push("", "### :warning: Purchases (billable)", "");
    for (const s of purchases) lines.push(`- ${purchaseLine(s)}`);
  }
  lines.push(...changeSections(steps, "###"));
  lines.push(...changedValues(steps));
  return `${lines.join("\n")}\n`;
}

/**
 * The steps a reader cares about: every resource but the stack itself and the default providers
 * the engine adds (`pulumi:providers:pulumi-nodejs` `default`, created with a new stack).
 */
export function shownSteps(steps: PlannedStep[]): PlannedStep[] {
  return steps.filter((s) => s.type !== "pulumi:pulumi:Stack" && !isDefaultProvider(s));
}

function isDefaultProvider(s: Pick<PlannedStep, "type" | "name">): boolean {
  return s.type.startsWith("pulumi:providers:") && /^default(_|$)/.test(s.name);
}

/** `2 to create, 1 to update`, or `undefined` when nothing changes. */
export function countsLine(steps: PlannedStep[]): string | undefined {
  const counts = OPS_SHOWN.map((op) => [op, steps.filter((s) => s.op === op).length] as const).filter(
    ([, n]) => n > 0,
  );
  return counts.length > 0 ? counts.map(([op, n]) => `${n} to ${op}`).join(", ") : undefined;
}

/** The creates and replacements that buy something (new Azure plans and subscriptions). */
export function purchasesOf(steps: PlannedStep[]): PlannedStep[] {
  // Creates and replacements of billable types, and updates the provider marked as buying (seats added).
  return steps.filter(
    (s) =>
      (BILLABLE.has(s.type) && (s.op === "create" || s.op === "replace")) ||
      (s.op === "update" && s.purchase !== undefined),
  );
}

/** `**buys** csp:AzurePlan \`x-plan\`: <the provider's purchase sentence>`. */
export function purchaseLine(s: PlannedStep): string {
  const what = s.purchase ? `: ${s.purchase.replace(/^\[BILLABLE PURCHASE\]\s*/, "")}` : "";
  const verb = s.op === "create" ? "buys" : s.op === "update" ? "buys more" : "buys again (replace)";
  return `**${verb}** ${s.type} \`${s.name}\`${what}`;
}

/** Deletes, replacements, updates (with the changed properties) and creates, each under a heading. */
export function changeSections(steps: PlannedStep[], heading: string): string[] {
  const lines: string[] = [];
  const section = (title: string, op: string) => {
    const matching = steps.filter((s) => s.op === op);
    if (matching.length === 0) return;
    lines.push("", `${heading} ${title}`, "");
    for (const s of matching) {
      const what = s.diffs.length > 0 ? `: ${s.diffs.map((d) => `\`${d}\``).join(", ")}` : "";
      lines.push(`- ${s.type} \`${s.name}\`${what}`);
    }
  };
  section(
    "Deletes (what removing these from the program does: see each resource's deletionBehavior)",
    "delete",
  );
  section("Replacements", "replace");
  section("Updates", "update");
  section("Creates", "create");
  return lines;
}

/** The old and new values of the changed properties, folded away (only when the preview had them). */
function changedValues(steps: PlannedStep[]): string[] {
  const changed = steps.filter((s) => s.changes.length > 0);
  if (changed.length === 0) return [];
  const lines = ["", "<details><summary>Changed values</summary>", "", "```diff"];
  for (const s of changed) {
    lines.push(`~ ${s.type} ${s.name}`);
    for (const c of s.changes) {
      if (c.old !== undefined) lines.push(`-   ${c.key}: ${shownValue(c.old)}`);
      if (c.new !== undefined) lines.push(`+   ${c.key}: ${shownValue(c.new)}`);
    }
  }
  lines.push("```", "</details>");
  return lines;
}

/** An error message as a fenced block. */
export function errorBlock(message: string): string[] {
  return ["", "```text", message, "```"];
}

function shownValue(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) => (v === UNKNOWN ? "[unknown]" : v)) ?? "null";
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
