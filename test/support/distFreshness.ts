import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Throws when the tsc output of the given sources (paths relative to the repository root) is
 * missing or older than the source. Tests that run compiled code (the serialized provider, the
 * dynamic-provider host, the runner CLI) call it so a stale `dist/` fails loudly instead of
 * testing yesterday's code.
 */
export function assertBuilt(root: string, sources: string[]): void {
  const gone = sources.filter((source) => !fs.existsSync(path.join(root, source)));
  if (gone.length > 0) {
    // A moved source can leave its old output in a local dist/; a clean clone has none.
    throw new Error(`${gone.join(", ")} does not exist: the test names a source that moved`);
  }
  const stale: string[] = [];
  for (const source of sources) {
    const src = path.join(root, source);
    const out = path.join(root, "dist", source.replace(/\.ts$/, ".js"));
    if (!fs.existsSync(out) || fs.statSync(src).mtimeMs > fs.statSync(out).mtimeMs) {
      stale.push(source);
    }
  }
  if (stale.length > 0) {
    throw new Error(`dist/ is missing or older than ${stale.join(", ")}: build first (npx tsc -p .)`);
  }
}

/** Every `.ts` file (not tests) under a folder, relative to the root. */
export function sourcesUnder(root: string, folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (
        entry.name.endsWith(".ts") &&
        !entry.name.endsWith(".test.ts") &&
        !entry.name.endsWith(".d.ts")
      ) {
        out.push(rel);
      }
    }
  };
  walk(folder);
  return out;
}
