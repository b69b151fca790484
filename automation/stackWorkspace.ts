import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";

/**
 * Where one stack of one program lives when this project runs it with the Pulumi CLI:
 *
 * - `work/`: the project folder the CLI runs in: the program's `Pulumi.yaml` with `main` pointing
 *   back at the program, the stack's own `Pulumi.<stack>.yaml` (its passphrase salt and config), and
 *   a `node_modules` link so the language host and the provider host find the program's SDK;
 * - `backend/`: the Pulumi file backend (`.pulumi/stacks/<project>/<stack>.json` is the checkpoint);
 * - `home/`: `PULUMI_HOME` (plugins, workspace settings, the CLI's logs).
 *
 * The program folder itself is never written to, so committed stack files stay as they are and
 * several stacks of one program can run side by side.
 */
export interface StackWorkspace {
  dir: string;
  workDir: string;
  backendDir: string;
  pulumiHome: string;
  project: string;
  stack: string;
  programDir: string;
}

interface ProjectFile {
  name?: string;
  main?: string;
  [key: string]: unknown;
}

/** Creates (or reuses) the workspace folder `dir` for `stack` of the program in `programDir`. */
export function prepareWorkspace(programDir: string, dir: string, stack: string): StackWorkspace {
  const program = path.resolve(programDir);
  const root = path.resolve(dir);
  const projectPath = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(program, f)).find(fs.existsSync);
  if (!projectPath) throw new Error(`${program} has no Pulumi.yaml`);
  const project = YAML.parse(fs.readFileSync(projectPath, "utf8")) as ProjectFile;
  if (!project?.name) throw new Error(`${projectPath} has no project name`);

  const workDir = path.join(root, "work");
  const backendDir = path.join(root, "backend");
  const pulumiHome = path.join(root, "home");
  for (const d of [workDir, backendDir, pulumiHome]) fs.mkdirSync(d, { recursive: true });

  // The program's entry point, seen from the working copy.
  const main = path.resolve(program, project.main ?? ".");
  const copy: ProjectFile = { ...project, main: path.relative(workDir, main) || "." };
  writeIfChanged(path.join(workDir, "Pulumi.yaml"), YAML.stringify(copy));

  // The committed stack file is the starting point; once the CLI has written the salt, the
  // working copy is the stack's own.
  const stackFile = path.join(workDir, `Pulumi.${stack}.yaml`);
  const committed = path.join(program, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(stackFile) && fs.existsSync(committed)) fs.copyFileSync(committed, stackFile);

  const modules = nearestNodeModules(program);
  const link = path.join(workDir, "node_modules");
  if (modules && !fs.existsSync(link)) fs.symlinkSync(modules, link, "dir");

  return { dir: root, workDir, backendDir, pulumiHome, project: project.name, stack, programDir: program };
}

/**
 * Sets stack configuration in the working copy's `Pulumi.<stack>.yaml`: keys without a namespace
 * get the project's, values are plain (secrets belong in the environment or `pulumi config set
 * --secret`). Other keys and the passphrase salt are kept.
 */
export function setStackConfig(ws: StackWorkspace, config: Record<string, string>): void {
  if (Object.keys(config).length === 0) return;
  const file = path.join(ws.workDir, `Pulumi.${ws.stack}.yaml`);
  const doc = fs.existsSync(file)
    ? ((YAML.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown> | null) ?? {})
    : {};
  const values = { ...((doc.config as Record<string, unknown> | undefined) ?? {}) };
  for (const [key, value] of Object.entries(config)) {
    values[key.includes(":") ? key : `${ws.project}:${key}`] = value;
  }
  writeIfChanged(file, YAML.stringify({ ...doc, config: values }));
}

/** The stack's checkpoint file in the file backend. */
export function checkpointPath(ws: StackWorkspace): string {
  return path.join(ws.backendDir, ".pulumi", "stacks", ws.project, `${ws.stack}.json`);
}

function nearestNodeModules(from: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, "node_modules", "@pulumi", "pulumi");
    if (fs.existsSync(candidate)) return path.join(dir, "node_modules");
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function writeIfChanged(file: string, text: string): void {
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) return;
  fs.writeFileSync(file, text);
}
