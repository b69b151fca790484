import type * as dynamic from "@pulumi/pulumi/dynamic";
import { createHandlerContext } from "./context";
import { withoutEngineKeys } from "./engineKeys";
import { isCspError } from "./errors";
import { getHandler } from "./handlers/registry";
import type { HandlerContext, ResourceHandler } from "./handlers/types";
import { withPurchaseMarker } from "./purchaseMarker";

/**
 * Entry point of the dynamic-provider host. Every resource's `__provider` is the one-line module
 * produced by `providerModuleText` (providerModule.ts): it requires this compiled module and calls
 * `handler("<Type>")`, so the provider logic always comes from the installed package and the
 * state carries no copied code.
 *
 * This module is loaded with a plain `require`, so module-level state is shared by every resource
 * type served by one host process: one configuration, one token cache, one HTTP agent.
 */

type ConfigGetter = (key: string) => string | undefined;

let configGetter: ConfigGetter | undefined;
let contextPromise: Promise<HandlerContext> | undefined;

function context(): Promise<HandlerContext> {
  contextPromise ??= createHandlerContext(configGetter ?? (() => undefined));
  return contextPromise;
}

const providers = new Map<string, dynamic.ResourceProvider>();

/** Returns the dynamic ResourceProvider for a type; called by the host through `__provider`. */
export function handler(type: string): dynamic.ResourceProvider {
  const existing = providers.get(type);
  if (existing) return existing;
  const h: ResourceHandler = withPurchaseMarker(withoutEngineKeys(getHandler(type)));
  const provider: dynamic.ResourceProvider = {
    async configure(req) {
      // The first configure wins; every type shares the same stack configuration.
      configGetter ??= (key: string) => req.config.get(key);
    },
    check: (olds, news) => reported(async () => h.check(olds, news, await context())),
    diff: (id, olds, news) => reported(async () => h.diff(id, olds, news, await context())),
    create: (inputs) => reported(async () => h.create(inputs, await context())),
    read: (id, props) => reported(async () => h.read(id, props, await context())),
    update: (id, olds, news) => reported(async () => h.update(id, olds, news, await context())),
    delete: (id, props) => reported(async () => h.delete(id, props, await context())),
  };
  providers.set(type, provider);
  return provider;
}

/**
 * The dynamic-provider host prints every error it passes on as `${error}: ${error.stack}` on its
 * stderr, which the CLI shows as the program's output, and the engine then reports the error's
 * message on the resource: a pulumi-csp error (whose message already says what failed and what to
 * do) would appear three times, with a stack into files the package does not ship. Its printed
 * form is reduced to a pointer, so the message is shown once, on the resource.
 */
async function reported<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (isCspError(e)) {
      Object.defineProperty(e, "stack", { value: "", configurable: true, writable: true });
      Object.defineProperty(e, "toString", {
        value: () => `pulumi-csp ${e.code}: see the error on the resource`,
        configurable: true,
      });
    }
    throw e;
  }
}

/** Test hook: forget the cached context so the next call re-reads configuration. */
export function resetHostForTests(getter?: ConfigGetter): void {
  configGetter = getter;
  contextPromise = undefined;
}
