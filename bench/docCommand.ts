/**
 * What the generated documents (docs/performance.md, docs/fleet.md, docs/reliability.md) share:
 * the command line each names as its origin, and their Markdown tables.
 */

/** Options that only name local files, each followed by its value. */
export const FILE_OPTIONS: ReadonlySet<string> = new Set(["--out", "--doc"]);
const LOCAL_FLAGS = new Set(["--keep", "--no-doc"]);

/**
 * The command line a generated document names as its origin: the npm script and its options,
 * without the options that only name local files (`--out`, `--doc`) or keep temporary folders
 * (`--keep`), so a committed document carries no machine's paths.
 */
export function docCommand(script: string, argv: readonly string[]): string {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (FILE_OPTIONS.has(arg)) {
      i++;
      continue;
    }
    if (LOCAL_FLAGS.has(arg)) continue;
    kept.push(arg);
  }
  return [`npm run ${script}`, ...(kept.length > 0 ? ["--", ...kept] : [])].join(" ");
}

/** A GitHub-flavoured Markdown table; `|` in cells escaped. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const row = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
  return [row(header), row(header.map(() => "---")), ...rows.map(row)].join("\n");
}
