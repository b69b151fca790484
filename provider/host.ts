import type * as dynamic from "@pulumi/pulumi/dynamic";
import { createHandlerContext } from "./context";
import { withoutEngineKeys } from "./engineKeys";
import { CspError, isCspError } from "./errors";
import { getHandler } from "./handlers/registry";
import type { HandlerContext, ResourceHandler } from "./handlers/types";
import { withPreviewNotes } from "./purchaseMarker";

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
  const h: ResourceHandler = withPreviewNotes(withoutEngineKeys(getHandler(type)));
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
  } catch (caught) {
    let e = caught;
    if (isCspError(e)) {
      // One cause, one full message: a wrong secret fails every resource of a refresh alike (its
      // token requests differ only in scope and tenant), so credential and configuration errors
      // count once per code; any other error once per message.
      const cause =
        e.service === "identity" || e.service === "config"
          ? `${e.service}|${e.code}|${e.serviceCode ?? ""}`
          : e.message;
      if (shownMessages.has(cause)) {
        e = new CspError({
          code: e.code,
          service: e.service,
          summary: `the same error as on another resource of this run (${e.serviceCode ?? e.code}): ${shorten(e.summary)}`,
          hint: "see that error for what to do",
        });
      } else shownMessages.add(cause);
    }
    if (isCspError(e)) {
      const shown = e;
      Object.defineProperty(shown, "stack", { value: "", configurable: true, writable: true });
      Object.defineProperty(shown, "toString", {
        value: () => `pulumi-csp ${shown.code}: see the error on the resource`,
        configurable: true,
      });
    }
    throw e;
  }
}

/** Causes already shown in full by this provider host (one process per engine run). */
const shownMessages = new Set<string>();

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Test hook: forget the cached context so the next call re-reads configuration. */
export function resetHostForTests(getter?: ConfigGetter): void {
  configGetter = getter;
  contextPromise = undefined;
}
