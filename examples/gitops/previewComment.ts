// Turns `pulumi preview --json` into the pull-request comment of the GitOps workflow
// (ci-workflow.yml): counts per operation, billable purchases first, then deletes, replacements
// and updates with the properties that change (old and new values folded away), then creates.
// A preview that failed (non-zero exit code, error diagnostics, or no preview document at all)
// gives a "preview failed" comment with the errors, never "No changes".
//
//   pulumi preview --json > preview.json; code=$?
//   node dist/examples/gitops/previewComment.js preview.json --exit-code "$code" > comment.md
import * as fs from "node:fs";

/** One resource's planned change, from the CLI's steps (a replacement's steps merged into one). */
export interface PlannedStep {
  /** `create`, `update`, `replace`, `delete`, `same`, or another engine operation (`read`, ...). */
  op: string;
  urn: string;
  /** Type as shown to a user, e.g. `csp:AzurePlan`. */
  type: string;
  name: string;
  /** Changed top-level input properties (updates, replacements). */
  diffs: string[];
  /** Old and new value of each changed property, as the CLI shows them (secrets are `[secret]`). */
  changes: { key: string; old: unknown; new: unknown }[];
  /** The provider's purchase sentence (`[BILLABLE PURCHASE] ...`), when it marked one. */
  purchase?: string;
}

/** What the comment is built from: the CLI's JSON, and how the CLI ended. */
export interface PreviewRun {
  /** The parsed `pulumi preview --json` document (anything else is reported as a failure). */
  preview: unknown;
  /** The CLI's exit code; a non-zero code always means a failed preview. */
  exitCode?: number;
  /** What the CLI printed on stderr (shown when the document has no error of its own). */
  stderr?: string;
}

interface CliStep {
  op: string;
  urn: string;
  diffReasons?: string[];
  replaceReasons?: string[];
  detailedDiff?: Record<string, unknown> | null;
  oldState?: { inputs?: Record<string, unknown> };
  newState?: { inputs?: Record<string, unknown> };
}

interface CliPreview {
  steps: CliStep[];
  diagnostics?: { message?: string; severity?: string }[];
  changeSummary?: Record<string, number>;
}

/** Types whose create or replacement buys something (billable). */
const BILLABLE = new Set(["csp:AzurePlan", "csp:AzureSubscription", "csp:LicenseSubscription"]);

const OPS_SHOWN = ["create", "update", "replace", "delete"] as const;

/** Input keys the engine or the provider adds (ENGINE_KEYS of provider/purchaseMarker.ts): never a change the program made. */
const ENGINE_KEYS = new Set(["__provider", "billablePurchase", "plannedChanges"]);

/** What the CLI puts for a value that is not known until the update runs. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const REPLACE_OPS = new Set([
  "replace",
  "create-replacement",
  "delete-replaced",
  "read-replacement",
  "import-replacement",
  "discard-replaced",
]);

function asPreview(preview: unknown): CliPreview | undefined {
  const p = preview as Partial<CliPreview> | null;
  return p && typeof p === "object" && Array.isArray(p.steps) ? (p as CliPreview) : undefined;
}

/** The planned steps of `pulumi preview --json`, one per resource. Throws when it is not a preview. */
export function plannedSteps(preview: unknown): PlannedStep[] {
  const p = asPreview(preview);
  if (!p) throw new Error("not a preview: expected the `steps` of `pulumi preview --json`");
  const byUrn = new Map<string, PlannedStep>();
  for (const s of p.steps) {
    const op = REPLACE_OPS.has(s.op)
      ? "replace"
      : s.op === "import"
        ? "create"
        : s.op === "discard"
          ? "delete"
          : s.op;
    // urn:pulumi:<stack>::<project>::<parent type$>type::name
    const parts = s.urn.split("::");
    const step: PlannedStep = byUrn.get(s.urn) ?? {
      op,
      urn: s.urn,
      type: displayType((parts[2] ?? "").split("$").pop() ?? ""),
      name: parts.slice(3).join("::"),
      diffs: [],
      changes: [],
    };
    if (op === "replace") step.op = "replace";
    const olds = s.oldState?.inputs;
    const news = s.newState?.inputs;
    if ((s.op === "update" || s.op === "replace") && (olds || news)) {
      const reasons = s.op === "replace" && s.replaceReasons?.length ? s.replaceReasons : s.diffReasons;
      const keys = reasons?.length
        ? reasons
        : s.detailedDiff && Object.keys(s.detailedDiff).length > 0
          ? Object.keys(s.detailedDiff)
          : changedKeys(olds ?? {}, news ?? {});
      step.diffs = [...new Set(keys.map((k) => k.split(/[.[]/)[0]!))].filter((k) => !ENGINE_KEYS.has(k));
      step.changes = step.diffs.map((key) => ({ key, old: olds?.[key], new: news?.[key] }));
    }
    const marker = news?.billablePurchase;
    if (typeof marker === "string" && marker !== "") step.purchase = marker;
    byUrn.set(s.urn, step);
  }
  return [...byUrn.values()];
}

function changedKeys(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(olds), ...Object.keys(news)])]
    .filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]))
    .sort();
}

/** The errors that make a preview a failure (empty when it succeeded). */
export function previewFailures(run: PreviewRun): string[] {
  const p = asPreview(run.preview);
  const problems: string[] = [];
  for (const d of p?.diagnostics ?? []) {
    if (d.severity === "error" && d.message) problems.push(cleanMessage(d.message));
  }
  const failedExit = run.exitCode !== undefined && run.exitCode !== 0;
  if (problems.length === 0 && (failedExit || !p)) {
    const stderr = cleanMessage(run.stderr ?? "");
    if (stderr) problems.push(stderr);
  }
  if (!p) problems.unshift("the preview printed no `pulumi preview --json` document");
  else if (failedExit && problems.length === 0) problems.push(`pulumi preview exited with ${run.exitCode}`);
  return problems;
}

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
    for (const f of failures) lines.push("", "```text", f, "```");
    return `${lines.join("\n")}\n`;
  }

  const steps = plannedSteps(run.preview).filter((s) => s.type !== "pulumi:pulumi:Stack");
  const counts = OPS_SHOWN.map((op) => [op, steps.filter((s) => s.op === op).length] as const).filter(
    ([, n]) => n > 0,
  );
  const lines: string[] = ["## Customers: preview", ""];
  if (counts.length === 0) {
    lines.push("No changes.");
    return `${lines.join("\n")}\n`;
  }
  lines.push(counts.map(([op, n]) => `${n} to ${op}`).join(", "));

  // Creates and replacements of billable types, and updates the provider marked as buying (seats added).
  const purchases = steps.filter(
    (s) =>
      (BILLABLE.has(s.type) && (s.op === "create" || s.op === "replace")) ||
      (s.op === "update" && s.purchase !== undefined),
  );
  if (purchases.length > 0) {
    lines.push("", "### :warning: Purchases (billable)", "");
    for (const s of purchases) {
      const what = s.purchase ? `: ${s.purchase.replace(/^\[BILLABLE PURCHASE\]\s*/, "")}` : "";
      lines.push(
        `- **${s.op === "create" ? "buys" : s.op === "update" ? "buys more" : "buys again (replace)"}** ${s.type} \`${s.name}\`${what}`,
      );
    }
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

  const changed = steps.filter((s) => s.changes.length > 0);
  if (changed.length > 0) {
    lines.push("", "<details><summary>Changed values</summary>", "", "```diff");
    for (const s of changed) {
      lines.push(`~ ${s.type} ${s.name}`);
      for (const c of s.changes) {
        if (c.old !== undefined) lines.push(`-   ${c.key}: ${shownValue(c.old)}`);
        if (c.new !== undefined) lines.push(`+   ${c.key}: ${shownValue(c.new)}`);
      }
    }
    lines.push("```", "</details>");
  }
  return `${lines.join("\n")}\n`;
}

function shownValue(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) => (v === UNKNOWN ? "[unknown]" : v)) ?? "null";
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** A diagnostic as a reader wants it: no colour codes, no `error:` prefix, at most 40 lines. */
function cleanMessage(message: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the CLI colours stack traces
  const text = message.replace(/\u001b\[[0-9;]*m/g, "").replace(/^error:\s*/, "");
  const lines = text.trimEnd().split("\n");
  const shown = lines.length > 40 ? [...lines.slice(0, 40), `... (${lines.length - 40} more lines)`] : lines;
  return shown.join("\n").trim();
}

function displayType(type: string): string {
  const m = /^pulumi-nodejs:dynamic\/(.+)$/.exec(type);
  return m ? m[1]! : type;
}

function readPreview(file: string): unknown {
  try {
    const text = fs.readFileSync(file, "utf8");
    return text.trim() ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const exitCode = option("--exit-code");
  const stderrFile = option("--stderr");
  const [jsonFile] = args;
  if (!jsonFile) {
    process.stderr.write(
      "usage: node previewComment.js preview.json [--exit-code <pulumi's exit code>] [--stderr preview.err]\n",
    );
    process.exit(2);
  }
  const stderr = stderrFile && fs.existsSync(stderrFile) ? fs.readFileSync(stderrFile, "utf8") : undefined;
  process.stdout.write(
    previewComment({
      preview: readPreview(jsonFile),
      // Given but empty: the step that ran the preview did not get as far as reporting it.
      ...(exitCode !== undefined ? { exitCode: /^\d+$/.test(exitCode) ? Number(exitCode) : 1 } : {}),
      ...(stderr ? { stderr } : {}),
    }),
  );
}
