import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageRoot } from "../automation/toolchain";
import { benchTenantSpec } from "./tenantSpec";

/**
 * The generated Pulumi program folder under a temp dir: `Pulumi.yaml` whose `main` is the
 * compiled `benchProgram.js`, a `node_modules` link to this repository's (the language host and
 * the dynamic-provider host resolve `pulumi-csp` and `@pulumi/pulumi` through it), the spec file
 * the program reads (`bench:specFile`), one stack workspace per size (`stacks/<name>`: the CLI's
 * working copy, file backend and Pulumi home, see `automation/stackWorkspace.ts`) and HTTP traces.
 */
export class BenchWorkspace {
  readonly specFile: string;

  private constructor(
    readonly dir: string,
    /** The emulator's security group of the admin agent, which gets the tenants' GDAP roles. */
    private readonly gdapGroupId: string,
  ) {
    this.specFile = path.join(dir, "specs.json");
  }

  static create(gdapGroupId: string): BenchWorkspace {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-csp-bench-"));
    const main = path.join(__dirname, "benchProgram.js");
    if (!fs.existsSync(main)) throw new Error(`${main} is missing: build first (npm run build)`);
    fs.writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      `name: csp-bench\nruntime: nodejs\ndescription: pulumi-csp benchmark tenants (generated)\nmain: ${JSON.stringify(main)}\n`,
    );
    fs.symlinkSync(path.join(packageRoot(), "node_modules"), path.join(dir, "node_modules"), "dir");
    return new BenchWorkspace(dir, gdapGroupId);
  }

  /** Writes the specs of `customers` benchmark tenants (domain prefixes start with `prefix`). */
  writeSpecs(customers: number, prefix: string, revision: number): void {
    const specs = Array.from({ length: customers }, (_, i) =>
      benchTenantSpec(i + 1, prefix, revision, this.gdapGroupId),
    );
    fs.writeFileSync(this.specFile, JSON.stringify(specs, null, 2));
  }

  /** The stack workspace folder of one stack (`runProgram`'s `stateDir`). */
  stateDir(name: string): string {
    return path.join(this.dir, "stacks", name);
  }

  traceFile(name: string): string {
    return path.join(this.dir, `trace-${name}.jsonl`);
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
