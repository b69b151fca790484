import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { parseCustomerSpec } from "../../components/loadCustomerSpecs";
import { runCliCaptured, tempDir } from "../cli/cliTestKit";

/**
 * `pulumi-csp init gitops [dir]`: the customers repository a partner starts from, copied from
 * templates/gitops (shipped in the package). test/gitops/partnerRepo.test.ts runs what it creates.
 */

const ROOT = path.join(__dirname, "..", "..");
const own = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  version: string;
  files: string[];
  dependencies: Record<string, string>;
};

const EXPECTED_FILES = [
  ".github/workflows/customers.yml",
  ".gitignore",
  ".vscode/settings.json",
  "Pulumi.yaml",
  "README.md",
  "customers/_example.yaml",
  "index.js",
  "package.json",
];

function listFiles(dir: string, rel = ""): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const child = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(dir, child) : [child];
  });
}

const init = (args: string[], cwd: string) => runCliCaptured(["init", ...args], { env: {}, cwd });

describe("pulumi-csp init gitops", () => {
  it("creates the repository in a new folder: program, customers/, workflow, package.json and README", async () => {
    const cwd = tempDir("init");
    const result = await init(["gitops", "acme-customers"], cwd);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const dir = path.join(cwd, "acme-customers");
    expect(listFiles(dir).sort()).toEqual(EXPECTED_FILES);
    for (const f of EXPECTED_FILES) expect(result.out).toContain(`created ${path.join("acme-customers", f)}`);
    expect(result.out).toContain("npm install");

    // package.json: the published package at this version and the SDK it is built with; no paths.
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies).toEqual({
      "@pulumi/pulumi": own.dependencies["@pulumi/pulumi"],
      "pulumi-csp": `^${own.version}`,
    });
    expect(JSON.stringify(pkg)).not.toMatch(/file:|\.\.\//);

    // The program named by Pulumi.yaml is valid JavaScript.
    const project = YAML.parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as {
      main: string;
      runtime: { name: string };
    };
    expect(project.runtime.name).toBe("nodejs");
    execFileSync(process.execPath, ["--check", path.join(dir, project.main)]);

    // The example customer is valid, is not loaded (leading "_"), and points editors at the schema
    // the package ships.
    const example = fs.readFileSync(path.join(dir, "customers", "_example.yaml"), "utf8");
    expect(parseCustomerSpec(example, "customers/_example.yaml").key).toBe("newcustomer");
    const schemaRef = /^# yaml-language-server: \$schema=(\S+)$/m.exec(example)?.[1];
    expect(schemaRef).toBe("../node_modules/pulumi-csp/components/customerSpec.schema.json");
    expect(own.files).toContain("components/customerSpec.schema.json");
    expect(own.files).toContain("templates/");

    // The workflow calls the package's commands, never a path into this repository.
    const workflow = fs.readFileSync(path.join(dir, ".github", "workflows", "customers.yml"), "utf8");
    const parsed = YAML.parse(workflow) as { jobs: Record<string, unknown> };
    expect(Object.keys(parsed.jobs).sort()).toEqual(["deploy", "preview"]);
    expect(workflow).toContain("npx pulumi-csp fleet preview");
    expect(workflow).toContain("--changed-only");
    expect(workflow).toContain("npx pulumi-csp fleet up");
    expect(workflow).not.toMatch(/dist\/|\.\.\//);
  });

  it("refuses a folder that holds anything, writing nothing, and says --force", async () => {
    const dir = tempDir("init-full");
    fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
    const result = await init(["gitops", dir], "/");
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${dir} is not empty (notes.txt)`);
    expect(result.err).toContain("--force");
    expect(listFiles(dir)).toEqual(["notes.txt"]);
  });

  it("with --force writes the template's files over the folder and keeps the others", async () => {
    const dir = tempDir("init-force");
    fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
    fs.writeFileSync(path.join(dir, "index.js"), "old program");
    const result = await init(["gitops", ".", "--force"], dir);
    expect(result.code).toBe(0);
    expect(listFiles(dir).sort()).toEqual([...EXPECTED_FILES, "notes.txt"].sort());
    expect(fs.readFileSync(path.join(dir, "notes.txt"), "utf8")).toBe("mine");
    expect(fs.readFileSync(path.join(dir, "index.js"), "utf8")).not.toBe("old program");
  });

  it("is a usage error (exit 2) without a template or with an unknown one", async () => {
    const cwd = tempDir("init-usage");
    expect((await init([], cwd)).code).toBe(2);
    const unknown = await init(["terraform"], cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown template "terraform" (known: gitops)');
    expect(fs.readdirSync(cwd)).toEqual([]);
  });
});
