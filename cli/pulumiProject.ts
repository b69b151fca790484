import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** The directory of the Pulumi project containing `cwd` (Pulumi looks upwards for `Pulumi.yaml`), or `undefined`. */
export function findPulumiProject(cwd: string): string | undefined {
  let dir = cwd;
  for (;;) {
    if (existsSync(join(dir, "Pulumi.yaml")) || existsSync(join(dir, "Pulumi.yml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
