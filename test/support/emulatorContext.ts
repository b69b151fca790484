import { afterAll, afterEach, beforeAll } from "vitest";
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
  /** The sequence number of the last request the emulator logged (0 before any). */
  lastSeq(): Promise<number>;
  /** The writes the emulator logged after `seq`, as `service METHOD path`. */
  writesSince(seq: number): Promise<string[]>;
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
  const lastSeq = async (): Promise<number> => (await emu.admin.requestLog()).at(-1)?.seq ?? 0;
  const writesSince = async (seq: number): Promise<string[]> =>
    (await emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).map(
      (e) => `${e.service} ${e.method} ${e.path}`,
    );
  return { emu, ctx, logs, contextWith, lastSeq, writesSince, stop: () => emu.stop() };
}

/**
 * The emulator of a test file: started before its tests, stopped after them, its faults cleared
 * after each test. The context returned reads the started one when used (inside a test).
 */
export function useEmulator(options: StartEmulatorOptions = {}): EmulatorContext {
  let started: EmulatorContext | undefined;
  const current = (): EmulatorContext => {
    if (!started) throw new Error("the emulator is not started yet (use it inside a test)");
    return started;
  };
  beforeAll(async () => {
    started = await startEmulatorContext(options);
  });
  afterAll(() => started?.stop());
  afterEach(async () => {
    await started?.emu.admin.clearFaults();
  });
  return {
    get emu() {
      return current().emu;
    },
    get ctx() {
      return current().ctx;
    },
    get logs() {
      return current().logs;
    },
    contextWith: (env, stackConfig) => current().contextWith(env, stackConfig),
    lastSeq: () => current().lastSeq(),
    writesSince: (seq) => current().writesSince(seq),
    stop: () => current().stop(),
  };
}

/**
 * {@link useEmulator} for a test file that buys: `buyer` is a context whose stack allows
 * purchases (`CSP_ALLOW_PURCHASES=true`), usable inside the tests.
 */
export function useBuyerEmulator(options: StartEmulatorOptions = {}): {
  t: EmulatorContext;
  buyer: HandlerContext;
} {
  const t = useEmulator(options);
  let started: HandlerContext | undefined;
  const current = (): HandlerContext => {
    if (!started) throw new Error("the emulator is not started yet (use it inside a test)");
    return started;
  };
  beforeAll(async () => {
    started = await t.contextWith({ CSP_ALLOW_PURCHASES: "true" });
  });
  const buyer: HandlerContext = {
    get config() {
      return current().config;
    },
    api: (account) => current().api(account),
    log: (message) => current().log(message),
    get clock() {
      return current().clock;
    },
  };
  return { t, buyer };
}
