import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/**
 * A Pulumi project as the runner sees it: `Pulumi.yaml` (name, runtime, `main`) and the stack
 * configuration from `Pulumi.<stack>.yaml` plus the project's `config:` defaults, overridden by
 * `--config key=value`. Keys without a namespace get the project name, as with the CLI.
 */
export interface PulumiProject {
  name: string;
  dir: string;
  /** Absolute path of the JavaScript entry point. */
  main: string;
  /** Full keys (`namespace:key`) to string values. */
  config: Record<string, string>;
}

interface ProjectFile {
  name?: string;
  runtime?: string | { name?: string; options?: Record<string, unknown> };
  main?: string;
  config?: Record<string, unknown>;
}

/**
 * Loads a project. The entry point is `main` from Pulumi.yaml, else `main` from package.json,
 * else `index.js`. TypeScript is not compiled here: point `main` at the tsc output (programs in
 * this repository are compiled by the root `tsc` into `dist/`).
 */
export function loadProject(
  dir: string,
  stack: string,
  overrides: Record<string, string> = {},
): PulumiProject {
  const absDir = path.resolve(dir);
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(absDir, f)).find((f) => fs.existsSync(f));
  if (!file) throw new Error(`${absDir} is not a Pulumi program: no Pulumi.yaml`);
  const project = (parse(fs.readFileSync(file, "utf8")) ?? {}) as ProjectFile;
  if (!project.name) throw new Error(`${file}: missing "name"`);
  const runtime = typeof project.runtime === "string" ? project.runtime : project.runtime?.name;
  if (runtime !== "nodejs") throw new Error(`${file}: runtime "${runtime}" is not supported (nodejs only)`);

  let main = project.main;
  if (!main) {
    const pkgFile = path.join(absDir, "package.json");
    if (fs.existsSync(pkgFile))
      main = (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: string }).main;
  }
  let mainPath = path.resolve(absDir, main ?? "index.js");
  if (fs.existsSync(mainPath) && fs.statSync(mainPath).isDirectory())
    mainPath = path.join(mainPath, "index.js");
  if (/\.[mc]?ts$/.test(mainPath)) {
    throw new Error(
      `${file}: main "${main}" is TypeScript; the local runner runs JavaScript. Compile the program (npm run build) and point main at the .js output`,
    );
  }
  if (!fs.existsSync(mainPath)) {
    throw new Error(`${file}: entry point ${mainPath} does not exist (did you run npm run build?)`);
  }

  const config: Record<string, string> = {};
  const put = (key: string, value: unknown, source: string): void => {
    if (value !== null && typeof value === "object" && "secure" in (value as object)) {
      throw new Error(
        `${source}: "${key}" is an encrypted (secure) value, which the local runner cannot decrypt; pass it through the environment or --config`,
      );
    }
    const full = key.includes(":") ? key : `${project.name}:${key}`;
    config[full] = typeof value === "string" ? value : JSON.stringify(value);
  };
  for (const [key, value] of Object.entries(project.config ?? {})) {
    // Project-level config: either a plain value or `{ type, default, ... }`.
    if (value !== null && typeof value === "object" && "default" in (value as object)) {
      put(key, (value as { default: unknown }).default, file);
    } else if (value === null || typeof value !== "object" || Array.isArray(value)) {
      put(key, value, file);
    }
  }
  const stackFile = path.join(absDir, `Pulumi.${stack}.yaml`);
  if (fs.existsSync(stackFile)) {
    const stackConfig = (
      (parse(fs.readFileSync(stackFile, "utf8")) ?? {}) as { config?: Record<string, unknown> }
    ).config;
    for (const [key, value] of Object.entries(stackConfig ?? {})) put(key, value, stackFile);
  }
  for (const [key, value] of Object.entries(overrides)) put(key, value, "--config");
  return { name: project.name, dir: absDir, main: mainPath, config };
}
