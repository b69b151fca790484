import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runProgram } from "../../automation/runProgram";
import { pulumiOnPath, pulumiToolchain } from "../../automation/toolchain";

/** scripts/pulumi-toolchain.sh: which Pulumi CLI the project runs, and what it says when it has none. */

const root = path.resolve(__dirname, "..", "..");
const script = path.join(root, "scripts", "pulumi-toolchain.sh");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "csp-toolchain-"));

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Runs the script with only the given folders (and the system's) on PATH, and an empty cache. */
function toolchain(extraPath: string[]) {
  return spawnSync("bash", [script], {
    encoding: "utf8",
    env: {
      HOME: scratch,
      PATH: [...extraPath, "/usr/bin", "/bin"].join(":"),
      PULUMI_CSP_CACHE_DIR: path.join(scratch, "cache"),
    },
  });
}

function fakePulumi(name: string, version: string): string {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
  return dir;
}

describe("the Pulumi toolchain script", () => {
  it("uses a Pulumi 3 CLI already on PATH", () => {
    const dir = fakePulumi("v3", "v3.200.1");
    const r = toolchain([dir]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(dir);
  });

  it("with neither a Pulumi 3 CLI nor Go, fails and says how to install the CLI", () => {
    const dir = fakePulumi("v2", "v2.25.0");
    const r = toolchain([dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("ignoring");
    expect(r.stderr).toContain("no Pulumi CLI found and no Go toolchain to build one");
    expect(r.stderr).toContain("https://www.pulumi.com/docs/install/");
  });

  it("gives this machine's CLI at the version of the pinned @pulumi/pulumi, with its language host and plugin", () => {
    const pinned = (
      JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
      }
    ).dependencies["@pulumi/pulumi"];
    const t = pulumiToolchain();
    expect(t.version).toBe(`v${pinned}`);
    for (const exe of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
      expect(fs.statSync(path.join(t.binDir, exe)).mode & 0o111, exe).not.toBe(0);
    }
  });

  it("runs programs that see their own folder as the project directory", async () => {
    const programDir = path.join(root, "test", "fixtures", "programs", "root-directory");
    const result = await runProgram({
      command: "up",
      programDir,
      stateDir: path.join(scratch, "root-directory"),
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs.rootDirectory).toBe(programDir);
  });
});

describe("the Pulumi CLI of the installed package (no toolchain script)", () => {
  it("is the first Pulumi 3 CLI on PATH, skipping others", () => {
    const old = fakePulumi("installed-v2", "v2.25.0");
    const current = fakePulumi("installed-v3", "v3.190.0");
    expect(pulumiOnPath([path.join(scratch, "nothing"), old, current].join(path.delimiter))).toEqual({
      binDir: current,
      pulumi: path.join(current, "pulumi"),
      version: "v3.190.0",
    });
  });

  it("without one, says how to install it", () => {
    expect(() => pulumiOnPath(fakePulumi("only-v2", "v2.25.0"))).toThrow(
      "no Pulumi CLI: install it (https://www.pulumi.com/docs/install/, or pulumi/actions in GitHub Actions)",
    );
  });
});
