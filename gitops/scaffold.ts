import * as fs from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../automation/toolchain";

/** The repositories `pulumi-csp init` can create: a folder of `templates/` each. */
export const TEMPLATES = ["gitops"] as const;
export type TemplateName = (typeof TEMPLATES)[number];

/**
 * Top-level template entries stored without their leading dot: npm leaves `.gitignore` out of a
 * package (and may rename it), so the package ships `gitignore`, `github/` and `vscode/`.
 */
const DOTTED = new Set(["gitignore", "github", "vscode"]);

export interface ScaffoldResult {
  dir: string;
  /** Files written, relative to `dir`, in the order written. */
  files: string[];
}

/** Thrown when the target folder holds files and `force` was not given. */
export class TargetNotEmptyError extends Error {
  constructor(
    readonly dir: string,
    readonly entries: string[],
  ) {
    super(
      `${dir} is not empty (${entries.slice(0, 5).join(", ")}${entries.length > 5 ? ", ..." : ""}): choose an empty or new folder, or add --force to write the template's files over it (other files are kept)`,
    );
    this.name = "TargetNotEmptyError";
  }
}

/** The folder of a template inside the installed package. */
export function templateDir(name: TemplateName): string {
  return path.join(packageRoot(), "templates", name);
}

/**
 * Copies template `name` into `dir` (created when missing). A folder that holds anything is refused
 * unless `force`, which overwrites the template's own files and keeps every other file. The
 * template's `package.json` is given the versions of this package and of the `@pulumi/pulumi` it
 * is built with (one copy of the SDK, shared by the program and the provider).
 */
export function scaffold(name: TemplateName, dir: string, options: { force?: boolean } = {}): ScaffoldResult {
  const source = templateDir(name);
  if (!fs.existsSync(source)) throw new Error(`the template ${name} is missing from ${packageRoot()}`);
  const target = path.resolve(dir);
  if (fs.existsSync(target)) {
    if (!fs.statSync(target).isDirectory()) throw new Error(`${target} exists and is not a folder`);
    const entries = fs.readdirSync(target).sort();
    if (entries.length > 0 && !options.force) throw new TargetNotEmptyError(target, entries);
  }
  const files: string[] = [];
  for (const rel of templateFiles(source)) {
    const out = path.join(target, targetName(rel));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const text = fs.readFileSync(path.join(source, rel), "utf8");
    fs.writeFileSync(out, rel === "package.json" ? withPackageVersions(text) : text);
    files.push(path.relative(target, out));
  }
  return { dir: target, files };
}

/** Every file under `root`, relative, sorted (folders after the files beside them). */
function templateFiles(root: string, rel = ""): string[] {
  const entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
  entries.sort((a, b) => Number(a.isDirectory()) - Number(b.isDirectory()) || a.name.localeCompare(b.name));
  return entries.flatMap((e) => {
    const child = rel ? path.join(rel, e.name) : e.name;
    return e.isDirectory() ? templateFiles(root, child) : [child];
  });
}

function targetName(rel: string): string {
  const [first, ...rest] = rel.split(path.sep);
  return DOTTED.has(first!) ? path.join(`.${first}`, ...rest) : rel;
}

function withPackageVersions(text: string): string {
  const own = JSON.parse(fs.readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as {
    name: string;
    version: string;
    dependencies: Record<string, string>;
  };
  const pkg = JSON.parse(text) as { dependencies: Record<string, string> };
  pkg.dependencies[own.name] = `^${own.version}`;
  const sdk = own.dependencies["@pulumi/pulumi"];
  if (sdk) pkg.dependencies["@pulumi/pulumi"] = sdk;
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
