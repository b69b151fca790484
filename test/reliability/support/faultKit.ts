import type { EmulatorAdmin, FaultAction, RequestLogEntry } from "../../../emulator/index";
import { type CspApiOptions, createCspApi } from "../../../provider/clients/createCspApi";
import type { CspApi } from "../../../provider/clients/cspApi";
import { resolveConfig } from "../../../provider/config";
import { type HandlerContext, type ResourceHandler, systemClock } from "../../../provider/handlers/types";
import { createDispatcher } from "../../../provider/http/dispatcher";
import { sleep } from "../../../provider/http/sleep";
import { type EmulatorContext, startEmulatorContext } from "../../support/emulatorContext";

/**
 * The fault kinds of the fault matrix and the per-lane machinery that injects them: one emulator
 * per lane, a handler context whose retries wait only briefly (so a burst costs milliseconds,
 * not the production backoff of seconds) and records every wait, and request-log helpers.
 */

/** JSON object of inputs or outputs, as the engine hands them to a handler. */
export type Json = Record<string, unknown>;

/** A handler with its types erased, so one table can hold every resource type. */
export type AnyHandler = ResourceHandler<Json, Json>;

/** `handler` as an {@link AnyHandler} (the table holds handlers of every type). */
export function erase<I extends object, O extends object>(handler: ResourceHandler<I, O>): AnyHandler {
  return handler as unknown as AnyHandler;
}

/** Per-attempt timeout of the context used for the "slow response" fault (`CSP_TIMEOUT_MS`). */
export const SLOW_TIMEOUT_MS = 500;
/** Latency injected by the "slow response" fault: well past {@link SLOW_TIMEOUT_MS}. */
export const SLOW_LATENCY_MS = 1_200;

/** Retry backoff of the lane contexts: production uses 1 s base, 30 s cap (see retryStrategy.ts). */
const FAST_BACKOFF = { baseDelayMs: 20, maxDelayMs: 80 };

export interface FaultKind {
  /** Short name used in test names and figures. */
  name: string;
  /** What the emulator does to the matched request. */
  description: string;
  /** How many matching requests it applies to. */
  count: number;
  /** The emulator action, built when the fault is added (an HTTP date is relative to now). */
  action(): FaultAction;
  /** A 429 whose Retry-After the client must honour (the recorded wait shows it did). */
  throttle?: "seconds" | "date";
  /** A response slower than the client's timeout: the request is still processed afterwards. */
  slow?: boolean;
}

export const FAULT_KINDS: readonly FaultKind[] = [
  {
    name: "429 Retry-After seconds",
    description: "429 with Retry-After: 1",
    count: 1,
    action: () => ({ type: "status", status: 429, retryAfter: "1" }),
    throttle: "seconds",
  },
  {
    name: "429 Retry-After date",
    // An HTTP date has whole seconds, and the operation's reads come before the faulted write:
    // 3 s ahead still asks for a wait of well over a second when the 429 is answered.
    description: "429 with Retry-After as an HTTP date 3 s ahead",
    count: 1,
    action: () => ({ type: "status", status: 429, retryAfter: new Date(Date.now() + 3_000).toUTCString() }),
    throttle: "date",
  },
  {
    name: "500 burst",
    description: "two 500 answers in a row, nothing processed",
    count: 2,
    action: () => ({ type: "status", status: 500 }),
  },
  {
    name: "503 burst",
    description: "two 503 answers in a row, nothing processed",
    count: 2,
    action: () => ({ type: "status", status: 503 }),
  },
  {
    name: "slow response",
    description: `the request waits ${SLOW_LATENCY_MS} ms (client timeout ${SLOW_TIMEOUT_MS} ms), then is processed`,
    count: 1,
    action: () => ({ type: "latency", ms: SLOW_LATENCY_MS }),
    slow: true,
  },
  {
    name: "connection reset",
    description: "the socket is destroyed before the request is processed",
    count: 1,
    action: () => ({ type: "reset" }),
  },
  {
    name: "commit then drop",
    description: "the request is processed and persisted, then the socket is destroyed without an answer",
    count: 1,
    action: () => ({ type: "commitThenDrop" }),
  },
];

/** One emulator with the contexts a fault case needs. Cases on one lane run one after another. */
export interface FaultLane {
  t: EmulatorContext;
  /** Context with production retry timing for setup, re-runs and verification. */
  setup: HandlerContext;
  /** Context the faulted operation runs with: short backoff, every wait recorded. */
  fast: HandlerContext;
  /** Like `fast`, with the per-attempt timeout at {@link SLOW_TIMEOUT_MS}. */
  slow: HandlerContext;
  /** Waits the retry policy asked for (ms), since the last {@link FaultLane.reset}. */
  waits: number[];
  /**
   * Back to the seeded world with new contexts: a reset emulator no longer knows the refresh
   * tokens it rotated into the old contexts' token caches.
   */
  reset(): Promise<void>;
  /** A new `setup` context (empty token cache), as the next `pulumi` command, a new process, has. */
  nextCommand(): void;
  stop(): Promise<void>;
}

/** Environment every lane context gets besides the emulator's: the stack may buy (Azure plans and subscriptions). */
const LANE_ENV = { CSP_ALLOW_PURCHASES: "true" };

export async function startFaultLane(): Promise<FaultLane> {
  const t = await startEmulatorContext();
  const waits: number[] = [];
  const recordingSleep = (ms: number, signal?: AbortSignal) => {
    waits.push(ms);
    return sleep(ms, signal);
  };
  // One connection pool for the lane: building a TLS context with the emulator CA (next to
  // Node's roots) costs ~100 ms, too much to pay three times per cell.
  const dispatcher = createDispatcher({ caCertPem: t.emu.caCertPem });
  const context = (env: Record<string, string>, fast: boolean): HandlerContext => {
    const config = resolveConfig({ env: { ...t.emu.env, ...LANE_ENV, ...env }, getConfig: () => undefined });
    const apis = new Map<string, CspApi>();
    const options: CspApiOptions = fast
      ? { dispatcher, client: { backoff: FAST_BACKOFF, sleep: recordingSleep } }
      : { dispatcher };
    return {
      config,
      api(account = "default") {
        let api = apis.get(account);
        if (!api) {
          api = createCspApi(config, account, options);
          apis.set(account, api);
        }
        return api;
      },
      log: (message: string) => {
        t.logs.push(message);
      },
      clock: systemClock,
    };
  };
  const lane: FaultLane = {
    t,
    setup: context({}, false),
    fast: context({}, true),
    slow: context({ CSP_TIMEOUT_MS: String(SLOW_TIMEOUT_MS) }, true),
    waits,
    async reset() {
      await t.emu.reset();
      waits.length = 0;
      t.logs.length = 0;
      lane.setup = context({}, false);
      lane.fast = context({}, true);
      lane.slow = context({ CSP_TIMEOUT_MS: String(SLOW_TIMEOUT_MS) }, true);
    },
    nextCommand() {
      lane.setup = context({}, false);
    },
    async stop() {
      await dispatcher.close();
      await t.stop();
    },
  };
  return lane;
}

/** Sequence number of the newest request-log entry (0 when the log is empty). */
export async function lastSeq(admin: EmulatorAdmin): Promise<number> {
  const log = await admin.requestLog();
  return log.length > 0 ? log[log.length - 1]!.seq : 0;
}

/** A request-log entry whose method can change state (POST/PUT/PATCH/DELETE), whatever its outcome. */
export function isWriteCall(entry: Pick<RequestLogEntry, "method">): boolean {
  return !["GET", "HEAD", "OPTIONS"].includes(entry.method.toUpperCase());
}

/** `METHOD /path -> status` of log entries, for failure messages. */
export function describeCalls(entries: readonly RequestLogEntry[]): string {
  return entries
    .map((e) => `${e.method} ${e.path} -> ${e.status}${e.fault ? ` (${e.fault})` : ""}`)
    .join(", ");
}

/**
 * Waits until the emulator has finished every request that an injected latency held back, so
 * what the delayed request did (after the client gave up on it) is in the state before anything
 * is counted. Bounded: gives up after `limitMs`, returning false.
 */
export async function settleDelayedRequests(
  admin: EmulatorAdmin,
  sinceSeq: number,
  expected: number,
  limitMs = 10_000,
): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const delayed = (await admin.requestLog({ sinceSeq })).filter((e) => e.fault === "latency");
    if (delayed.length >= expected) return true;
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}
