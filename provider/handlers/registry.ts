import type { ResourceHandler } from "./types";

/**
 * Every resource type's handler, keyed by type name. A type is added here by its own module;
 * the map is the single place the host looks types up.
 */
// biome-ignore lint/suspicious/noExplicitAny: handlers are stored type-erased; each module keeps its own types.
const handlers = new Map<string, ResourceHandler<any, any>>();

// biome-ignore lint/suspicious/noExplicitAny: see above.
export function registerHandler(type: string, handler: ResourceHandler<any, any>): void {
  handlers.set(type, handler);
}

export function getHandler(type: string): ResourceHandler {
  loadAll();
  const h = handlers.get(type);
  if (!h) {
    throw new Error(
      `pulumi-csp: unknown resource type "${type}". The state was written by a version of pulumi-csp that knows this type; install it (known types: ${[...handlers.keys()].join(", ")}).`,
    );
  }
  return h as ResourceHandler;
}

let loaded = false;
function loadAll(): void {
  if (loaded) return;
  loaded = true;
  // Handler modules register themselves on load; the list lives in one file.
  require("./all");
}
