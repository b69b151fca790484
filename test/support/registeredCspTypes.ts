import { createRequire } from "node:module";
import * as path from "node:path";

/**
 * The pulumi-csp resource types registered by the compiled handler modules (`dist/`), learned by
 * watching `registerHandler` while `handlers/all.js` loads, or, when it was already loaded in this
 * process, from the registry's unknown-type message. For tests that iterate over every type.
 */
export function registeredCspTypes(root: string): string[] {
  const nodeRequire = createRequire(path.join(root, "package.json"));
  const registry = nodeRequire("./dist/provider/handlers/registry.js") as {
    registerHandler: (type: string, handler: unknown) => void;
    getHandler: (type: string) => unknown;
  };
  const original = registry.registerHandler;
  const seen = new Set<string>();
  registry.registerHandler = (type, handler) => {
    seen.add(type);
    original(type, handler);
  };
  try {
    nodeRequire("./dist/provider/handlers/all.js");
  } finally {
    registry.registerHandler = original;
  }
  if (seen.size === 0) {
    try {
      registry.getHandler("\u0000");
    } catch (e) {
      const list = /known types: (.*)\)/.exec((e as Error).message)?.[1] ?? "";
      for (const t of list.split(", ")) if (t) seen.add(t);
    }
  }
  return [...seen].sort();
}
