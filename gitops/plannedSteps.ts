// Reads `pulumi preview --json` (the Pulumi CLI's preview document): one planned step per resource,
// and the errors that make a preview a failure. Used by `pulumi-csp preview-comment`.

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

/** Input keys the engine or the provider adds (ENGINE_KEYS of provider/purchaseMarker.ts): never a change the program made. */
const ENGINE_KEYS = new Set(["__provider", "billablePurchase", "plannedChanges"]);

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

/** A diagnostic as a reader wants it: no colour codes, no `error:` prefix, at most 40 lines. */
export function cleanMessage(message: string): string {
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
