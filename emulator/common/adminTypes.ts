import type { EmulatorSettings } from "./state";
import type { EmulatedService } from "./types";

/** One exchange with an emulated API (admin API calls are not logged). */
export interface RequestLogEntry {
  /** Increasing sequence number (starts at 1, survives `clearRequestLog`). */
  seq: number;
  /** ISO time the request arrived (real clock). */
  time: string;
  service: Exclude<EmulatedService, "admin">;
  method: string;
  /** Path within the service (no routing prefix, no query), as sent (not decoded). */
  path: string;
  /** Raw query string without `?` (empty when none). */
  query: string;
  /** Status sent, or 0 when the connection was dropped without a response. */
  status: number;
  durationMs: number;
  requestId: string;
  /**
   * Whether the request changed the emulator's state. Never set on a GET or HEAD: a read that
   * settles a time-driven change (an order fulfilled, a GDAP relationship expired) stays a read.
   */
  write: boolean;
  /** Set when an injected fault shaped this exchange: `status`, `latency`, `reset` or `commitThenDrop`. */
  fault?: FaultAction["type"];
}

/** Filter for reading the request log; all given fields must match. */
export interface RequestLogFilter {
  service?: Exclude<EmulatedService, "admin">;
  method?: string;
  /** Regular expression matched against the service path. */
  pathPattern?: string;
  /** Only entries with `seq` greater than this. */
  sinceSeq?: number;
  /** Only requests that changed state. */
  writesOnly?: boolean;
}

export type FaultAction =
  /** Answer this status in the service's error format (PC 429: its separate throttling body). */
  | { type: "status"; status: number; retryAfter?: string; body?: unknown }
  /** Delay the request, then handle it normally. */
  | { type: "latency"; ms: number }
  /** Destroy the socket before the handler runs (nothing changes). */
  | { type: "reset" }
  /** Run the handler and persist the state, then destroy the socket without a response. */
  | { type: "commitThenDrop" };

/** "The next `count` requests matching method + path (+ service) get `action`." */
export interface Fault {
  /** HTTP method (case-insensitive); any when omitted. */
  method?: string;
  /** Regular expression (string) matched against the service path, e.g. `^/v1/customers$`. */
  pathPattern: string;
  service?: Exclude<EmulatedService, "admin">;
  /** How many matching requests the fault applies to. */
  count: number;
  action: FaultAction;
}

/** A fault as held by the emulator, with what is left of its count. */
export interface ActiveFault extends Fault {
  id: string;
  remaining: number;
}

/** Settings the admin API can change (a partial update). */
export type EmulatorSettingsPatch = Partial<Omit<EmulatorSettings, "clockOffsetMs">>;
