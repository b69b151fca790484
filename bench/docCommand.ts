/**
 * The command line a generated document names as its origin: the npm script and its options,
 * without the options that only name local files (`--out`, `--doc`) or keep temporary folders
 * (`--keep`), so a committed document carries no machine's paths.
 */
const FILE_OPTIONS = new Set(["--out", "--doc"]);
const LOCAL_FLAGS = new Set(["--keep", "--no-doc"]);

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
