// Turns a preview into the pull-request comment of the GitOps workflow (ci-workflow.yml):
// counts per operation, billable purchases first, then deletes, replacements and updates with the
// properties that change, and the full text diff folded away.
//
//   node dist/examples/gitops/previewComment.js preview.json [preview.txt] > comment.md
//
// preview.json is `pulumi preview --json` (or the local runner's `--json` summary).
import * as fs from "node:fs";

/** One planned step, from either preview format. */
export interface PlannedStep {
  op: string;
  /** Type as shown to a user, e.g. `csp:AzurePlan`. */
  type: string;
  name: string;
  /** Changed properties (updates, replacements). */
  diffs: string[];
}

/** Types whose create or replacement buys something (billable). */
const BILLABLE = new Set(["csp:AzurePlan", "csp:AzureSubscription"]);

const OPS_SHOWN = ["create", "update", "replace", "delete"] as const;

/** Reads the steps of `pulumi preview --json` or of the local runner's JSON summary. */
export function plannedSteps(preview: unknown): PlannedStep[] {
  const p = preview as {
    steps?: { op: string; urn: string; diffReasons?: string[]; detailedDiff?: Record<string, unknown> }[];
    resources?: { op: string; displayType: string; name: string; diffs?: string[] }[];
  };
  if (Array.isArray(p.steps)) {
    // A replacement is three CLI steps (replace, create-replacement, delete-replaced): keep one.
    const steps = p.steps.filter((s) => s.op !== "create-replacement" && s.op !== "delete-replaced");
    return steps.map((s) => {
      // urn:pulumi:<stack>::<project>::<parent type$>type::name
      const parts = s.urn.split("::");
      const type = displayType((parts[2] ?? "").split("$").pop() ?? "");
      const diffs = s.diffReasons ?? Object.keys(s.detailedDiff ?? {});
      return { op: s.op, type, name: parts.slice(3).join("::"), diffs };
    });
  }
  if (Array.isArray(p.resources)) {
    return p.resources.map((r) => ({ op: r.op, type: r.displayType, name: r.name, diffs: r.diffs ?? [] }));
  }
  throw new Error(
    "not a preview: expected `steps` (pulumi preview --json) or `resources` (local runner --json)",
  );
}

/** The markdown comment for a pull request. */
export function previewComment(preview: unknown, diffText?: string): string {
  const steps = plannedSteps(preview).filter((s) => s.type !== "pulumi:pulumi:Stack");
  const counts = OPS_SHOWN.map((op) => [op, steps.filter((s) => s.op === op).length] as const).filter(
    ([, n]) => n > 0,
  );
  const lines: string[] = ["## Customers: preview", ""];
  if (counts.length === 0) {
    lines.push("No changes.");
  } else {
    lines.push(counts.map(([op, n]) => `${n} to ${op}`).join(", "));
  }
  const purchases = steps.filter((s) => BILLABLE.has(s.type) && (s.op === "create" || s.op === "replace"));
  if (purchases.length > 0) {
    lines.push("", "### :warning: Purchases (billable)", "");
    for (const s of purchases)
      lines.push(`- **${s.op === "create" ? "buys" : "buys again (replace)"}** ${s.type} \`${s.name}\``);
  }
  const section = (title: string, op: string) => {
    const matching = steps.filter((s) => s.op === op);
    if (matching.length === 0) return;
    lines.push("", `### ${title}`, "");
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
  if (diffText?.trim()) {
    lines.push(
      "",
      "<details><summary>Full diff</summary>",
      "",
      "```diff",
      diffText.trim(),
      "```",
      "</details>",
    );
  }
  return `${lines.join("\n")}\n`;
}

function displayType(type: string): string {
  const m = /^pulumi-nodejs:dynamic\/(.+)$/.exec(type);
  return m ? m[1]! : type;
}

if (require.main === module) {
  const [jsonFile, textFile] = process.argv.slice(2);
  if (!jsonFile) {
    process.stderr.write("usage: node previewComment.js preview.json [preview.txt]\n");
    process.exit(2);
  }
  const preview = JSON.parse(fs.readFileSync(jsonFile, "utf8")) as unknown;
  const text = textFile ? fs.readFileSync(textFile, "utf8") : undefined;
  process.stdout.write(previewComment(preview, text));
}
