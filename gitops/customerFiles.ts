import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** The folder of the customer files, in the project's folder. */
export const CUSTOMERS_DIR = "customers";

/** File names read as customer files (as `loadCustomerSpecs` reads them). */
const SPEC_FILE = /\.(ya?ml|json)$/i;

/** Changed paths that never change what a stack declares: documentation and editor or CI settings. */
const IGNORED_CHANGE = [/\.md$/i, /^\.github\//, /^\.vscode\//, /^\.gitignore$/, /^LICENSE/i];

/** One customer of the fleet: its file and its stack. */
export interface CustomerEntry {
  /** Stack name: the file name without its extension (`customers/contoso.yaml` → `contoso`). */
  stack: string;
  /** The file, relative to the project folder (`customers/contoso.yaml`). */
  file: string;
  /** The file is gone: the stack runs without it, so a preview shows and an `up` does the removal. */
  removed: boolean;
}

/** Which customers a fleet command runs, and why (for the summary). */
export interface CustomerSelection {
  customers: CustomerEntry[];
  reason: string;
}

/**
 * The stack of a customer file, or `undefined` when the file is not a customer (not YAML/JSON,
 * or starting with `_` or `.`, like `_example.yaml`). Stack names allow letters, digits, `-`,
 * `_` and `.`; a file whose name has other characters is refused.
 */
export function stackOfFile(fileName: string): string | undefined {
  const base = path.basename(fileName);
  if (!SPEC_FILE.test(base) || base.startsWith("_") || base.startsWith(".")) return undefined;
  const stack = base.replace(SPEC_FILE, "");
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
    throw new Error(
      `${CUSTOMERS_DIR}/${base}: a customer file is named <key>.yaml, and its stack after it: use letters, digits, "-", "_" or "."`,
    );
  }
  return stack;
}

/** Every customer file of `projectDir/customers`, in file-name order. */
export function allCustomers(projectDir: string): CustomerEntry[] {
  const dir = path.join(projectDir, CUSTOMERS_DIR);
  if (!fs.existsSync(dir)) throw new Error(`${dir} does not exist: run this in the customers repository`);
  const entries = fs
    .readdirSync(dir)
    .sort((a, b) => a.localeCompare(b))
    .flatMap((name) => {
      const stack = stackOfFile(name);
      return stack ? [{ stack, file: `${CUSTOMERS_DIR}/${name}`, removed: false }] : [];
    });
  return unique(entries);
}

/**
 * The customers touched by `changed`: a git range (`origin/main...HEAD`, `abc123..def456`) whose
 * changed files git lists, or a list of files (relative to the project folder). A customer file
 * that no longer exists is a removed customer. A change to any other file of the project (the
 * program, Pulumi.yaml, package.json, ...) changes what every stack declares: then every customer
 * runs. Documentation and CI settings are not changes.
 */
export function changedCustomers(projectDir: string, changed: string[]): CustomerSelection {
  const range = changed.length === 1 && changed[0]!.includes("..") ? changed[0]! : undefined;
  const paths = range
    ? gitChangedPaths(projectDir, range)
    : changed
        .flatMap((c) => c.split(/[\s,]+/))
        .filter(Boolean)
        .map((p) => path.relative(projectDir, path.resolve(projectDir, p)).split(path.sep).join("/"));
  const source = range ? `files changed in ${range}` : "files named";
  const picked: CustomerEntry[] = [];
  const programChanges: string[] = [];
  for (const p of paths) {
    if (IGNORED_CHANGE.some((re) => re.test(p))) continue;
    if (p.startsWith(`${CUSTOMERS_DIR}/`) && !p.slice(CUSTOMERS_DIR.length + 1).includes("/")) {
      const stack = stackOfFile(p);
      if (stack) picked.push({ stack, file: p, removed: !fs.existsSync(path.join(projectDir, p)) });
      continue;
    }
    programChanges.push(p);
  }
  if (programChanges.length > 0) {
    const removed = picked.filter((c) => c.removed);
    return {
      customers: unique([...allCustomers(projectDir), ...removed]),
      reason: `every customer: the ${source} include ${programChanges.slice(0, 3).join(", ")}${programChanges.length > 3 ? ", ..." : ""}, outside ${CUSTOMERS_DIR}/`,
    };
  }
  return { customers: unique(picked), reason: `the customers of the ${source}` };
}

/** Paths (relative to the project folder) that `git diff` lists for `range`, deletions included. */
function gitChangedPaths(projectDir: string, range: string): string[] {
  let out: string;
  try {
    // --no-renames: a renamed file is a removed customer and a new one, as the stacks see it.
    out = execFileSync("git", ["diff", "--name-only", "--no-renames", "--relative", range, "--"], {
      cwd: projectDir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? "").trim();
    throw new Error(`git diff ${range} failed: ${stderr || (e as Error).message}`);
  }
  return out.split("\n").filter(Boolean);
}

/**
 * The customers of shard `index` of `count` (1-based): a customer's shard follows from its stack
 * name alone, so it stays in the same shard however many customers are added or removed.
 */
export function shardOf(customers: CustomerEntry[], index: number, count: number): CustomerEntry[] {
  return customers.filter((c) => {
    const n = createHash("sha256").update(c.stack).digest().readUInt32BE(0);
    return n % count === index - 1;
  });
}

/** One entry per stack; two files naming one stack (`a.yaml`, `a.json`) are refused. */
function unique(entries: CustomerEntry[]): CustomerEntry[] {
  const byStack = new Map<string, CustomerEntry>();
  for (const e of entries) {
    const seen = byStack.get(e.stack);
    if (seen && seen.file !== e.file && !seen.removed && !e.removed) {
      throw new Error(`${seen.file} and ${e.file} are both the customer "${e.stack}": keep one`);
    }
    if (!seen || seen.removed) byStack.set(e.stack, e);
  }
  return [...byStack.values()].sort((a, b) => a.stack.localeCompare(b.stack));
}
