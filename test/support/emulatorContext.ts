import { type RunningEmulator, type StartEmulatorOptions, startEmulator } from "../../emulator/index";
import { createHandlerContext } from "../../provider/context";
import type { HandlerContext } from "../../provider/handlers/types";

/**
 * An in-process emulator plus handler contexts pointed at it, for handler tests.
 *
 * ```ts
 * let t: EmulatorContext;
 * beforeAll(async () => { t = await startEmulatorContext(); });
 * afterAll(() => t.stop());
 * // t.ctx: HandlerContext for the default account; t.logs: what handlers wrote with ctx.log
 * // t.contextWith({ CSP_ALLOW_PURCHASES: "false" }): a context with other settings
 * ```
 */
export interface EmulatorContext {
  emu: RunningEmulator;
  /** Handler context with the emulator's environment (`createHandlerContext(() => undefined, emu.env)`). */
  ctx: HandlerContext;
  /** Messages handlers wrote with `ctx.log` (from every context made here), in order. */
  logs: string[];
  /**
   * A fresh context (own configuration, own clients) with environment overrides and optional
   * stack configuration (`csp:*` keys without the prefix, e.g. `{ allowPurchases: "false" }`).
   */
  contextWith(env?: Record<string, string>, stackConfig?: Record<string, string>): Promise<HandlerContext>;
  stop(): Promise<void>;
}

export async function startEmulatorContext(options: StartEmulatorOptions = {}): Promise<EmulatorContext> {
  const emu = await startEmulator(options);
  const logs: string[] = [];
  const contextWith = async (
    env: Record<string, string> = {},
    stackConfig: Record<string, string> = {},
  ): Promise<HandlerContext> => {
    const getConfig = (key: string): string | undefined => {
      const short = key.startsWith("csp:") ? key.slice(4) : key;
      return stackConfig[short] ?? stackConfig[key];
    };
    const base = await createHandlerContext(getConfig, { ...emu.env, ...env });
    return {
      config: base.config,
      api: (account?: string) => base.api(account),
      log: (message: string) => {
        logs.push(message);
      },
      clock: base.clock,
    };
  };
  const ctx = await contextWith();
  return { emu, ctx, logs, contextWith, stop: () => emu.stop() };
}
