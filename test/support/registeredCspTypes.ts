import { createRequire } from "node:module";
import * as path from "node:path";

/**
 * The pulumi-csp resource types the compiled registry (`dist/provider/handlers/registry.js`)
 * maps to a handler, for tests that iterate over every type. Types a test added with
 * `registerHandler` (fixtures) are left out.
 */
export function registeredCspTypes(root: string): string[] {
  const nodeRequire = createRequire(path.join(root, "package.json"));
  const registry = nodeRequire("./dist/provider/handlers/registry.js") as { handlerTypes: () => string[] };
  return registry.handlerTypes().filter((t) => t !== "HarnessFixture");
}
