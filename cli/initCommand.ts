import * as path from "node:path";
import { scaffold, TargetNotEmptyError, TEMPLATES, type TemplateName } from "../gitops/scaffold";
import type { CliIo } from "./cliIo";
import { booleanFlag, parseCommandArgs } from "./parseCommandArgs";
import { UsageError } from "./usageError";

export const INIT_USAGE = `usage: pulumi-csp init gitops [dir] [--force]

Creates a customers repository in dir (default: the current folder), ready for a pull-request
workflow with one Pulumi stack per customer:

  Pulumi.yaml, index.js          the program: the stack <key> declares customers/<key>.yaml
  package.json                   depends on pulumi-csp and @pulumi/pulumi (run npm install)
  customers/_example.yaml        a commented customer, with the JSON Schema for editors
  .github/workflows/customers.yml   GitHub Actions: fleet preview on pull requests (one comment,
                                 purchases first), fleet up on main
  .vscode/settings.json, .gitignore, README.md

A folder that holds anything is refused; --force writes the template's files over it and keeps
every other file.`;

const OPTIONS = { force: { type: "boolean" } } as const;

/** `pulumi-csp init`: see {@link INIT_USAGE}. Returns the exit code. */
export async function runInit(args: string[], io: CliIo): Promise<number> {
  const { values, help, positionals } = parseCommandArgs("init", args, OPTIONS, 2);
  if (help) {
    io.out(`${INIT_USAGE}\n`);
    return 0;
  }
  const [template, dir] = positionals;
  if (!template) throw new UsageError("name the template: pulumi-csp init gitops [dir]", "init");
  if (!(TEMPLATES as readonly string[]).includes(template)) {
    throw new UsageError(`unknown template "${template}" (known: ${TEMPLATES.join(", ")})`, "init");
  }
  const target = path.resolve(io.cwd, dir ?? ".");
  let result: ReturnType<typeof scaffold>;
  try {
    result = scaffold(template as TemplateName, target, { force: booleanFlag(values, "force") });
  } catch (e) {
    if (e instanceof TargetNotEmptyError) {
      io.err(`pulumi-csp init: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  for (const file of result.files)
    io.out(`created ${path.join(path.relative(io.cwd, result.dir) || ".", file)}\n`);
  const cd = path.relative(io.cwd, result.dir);
  io.out(
    [
      "",
      "Next:",
      ...(cd ? [`  cd ${cd}`] : []),
      "  npm install",
      "  cp customers/_example.yaml customers/<key>.yaml   # one file per customer",
      "  npx pulumi-csp fleet preview                      # see README.md for the settings",
      "",
    ].join("\n"),
  );
  return 0;
}
