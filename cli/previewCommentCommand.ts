import * as fs from "node:fs";
import * as path from "node:path";
import { previewComment, previewFailures } from "../gitops/previewComment";
import type { CliIo } from "./cliIo";
import { parseCommandArgs, stringFlag } from "./parseCommandArgs";
import { UsageError } from "./usageError";

export const PREVIEW_COMMENT_USAGE = `usage: pulumi-csp preview-comment <preview.json> [--exit-code N] [--stderr FILE]

Turns the output of \`pulumi preview --json\` into the markdown comment of a pull request, on stdout:
the counts per operation, billable purchases first (new Azure plans and subscriptions, with the
provider's purchase sentence), then deletes, replacements, updates with the properties that change
(old and new values folded away), then creates.

A preview that failed (a non-zero --exit-code, error diagnostics, or no preview document at all) is
commented as failed, with its errors, and the command exits 1: a CI job can post the comment and
still fail.

  --exit-code N   the exit code of \`pulumi preview\` (given but empty or not a number: failed)
  --stderr FILE   what \`pulumi preview\` printed on stderr, shown when the document has no error

  pulumi preview --json > preview.json 2> preview.err; code=$?
  npx pulumi-csp preview-comment preview.json --exit-code "$code" --stderr preview.err > comment.md`;

const OPTIONS = {
  "exit-code": { type: "string" },
  stderr: { type: "string" },
} as const;

/** `pulumi-csp preview-comment`: see {@link PREVIEW_COMMENT_USAGE}. Returns the exit code. */
export async function runPreviewComment(args: string[], io: CliIo): Promise<number> {
  const { values, help, positionals } = parseCommandArgs("preview-comment", args, OPTIONS, 1);
  if (help) {
    io.out(`${PREVIEW_COMMENT_USAGE}\n`);
    return 0;
  }
  const [jsonFile] = positionals;
  if (!jsonFile) throw new UsageError("the preview document (preview.json) is required", "preview-comment");
  const exitCode = stringFlag(values, "exit-code");
  const stderrFile = stringFlag(values, "stderr");
  const stderr = stderrFile ? readText(path.resolve(io.cwd, stderrFile)) : undefined;
  const run = {
    preview: readPreview(path.resolve(io.cwd, jsonFile)),
    // Given but empty: the step that ran the preview did not get as far as reporting it.
    ...(exitCode !== undefined ? { exitCode: /^\d+$/.test(exitCode) ? Number(exitCode) : 1 } : {}),
    ...(stderr ? { stderr } : {}),
  };
  io.out(previewComment(run));
  return previewFailures(run).length > 0 ? 1 : 0;
}

/** The parsed document; `undefined` when the file is missing, empty or not JSON (a failed preview). */
function readPreview(file: string): unknown {
  const text = readText(file);
  if (!text?.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
