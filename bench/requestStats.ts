import * as fs from "node:fs";
import type { RequestLogEntry } from "../emulator/index";
import { PARTNER_CENTER_RATE_LIMITS, partnerCenterBucket } from "../provider/http/rateLimiter";
import type { TraceEntry } from "../provider/http/traceSink";

/** The services as the emulator's request log names them; `identity` = token requests. */
export const SERVICES = ["identity", "partnerCenter", "graph", "arm"] as const;
export type ServiceName = (typeof SERVICES)[number];

/** What the emulator saw of one phase. */
export interface RequestFigures {
  /** Every exchange, token requests included. */
  total: number;
  byService: Record<ServiceName, number>;
  /** Calls to Partner Center, Graph and ARM (token requests excluded). */
  apiCalls: number;
  /** API calls that changed state. */
  apiWrites: number;
  /** Requests answered 429. */
  throttled: number;
  /** Requests answered 5xx or dropped. */
  failedOrDropped: number;
  /** Calls per endpoint (method and path with ids replaced), busiest first. */
  endpoints: Record<string, number>;
  /** Most requests that arrived within one second. */
  peakRequestsPerSecond: number;
  /**
   * Time at least one request (token requests included) was at the emulator, from the first
   * arrival to the last answer, overlaps counted once, ms: the phase's time on the wire.
   */
  inFlightMs: number;
  /** Mean time the emulator spent on a request beyond the injected latency, ms. */
  meanServiceMs: number;
  /** Partner Center calls per rate-limit family (as the provider's client-side throttle groups them). */
  partnerCenterFamilies: Record<string, number>;
  /**
   * The least time the provider's own Partner Center throttle (a sliding window per partner
   * account and bucket: family, and customer tenant for customer-scoped calls,
   * `provider/http/rateLimiter.ts`) needs to let these calls out, even if all were ready at once:
   * one window per `capacity` calls after the first, for the busiest bucket. ms.
   */
  clientThrottleMs: number;
}

/** Summarises request-log entries; `latencyMs` is the injected latency to subtract. */
export function requestFigures(entries: readonly RequestLogEntry[], latencyMs: number): RequestFigures {
  const byService: Record<ServiceName, number> = { identity: 0, partnerCenter: 0, graph: 0, arm: 0 };
  const endpoints = new Map<string, number>();
  const perSecond = new Map<number, number>();
  let apiWrites = 0;
  let throttled = 0;
  let failedOrDropped = 0;
  let serviceMs = 0;
  const families = new Map<string, number>();
  const buckets = new Map<string, { family: string; count: number }>();
  for (const e of entries) {
    if (e.service === "partnerCenter") {
      const bucket = partnerCenterBucket(e.path);
      if (bucket) {
        families.set(bucket.family, (families.get(bucket.family) ?? 0) + 1);
        const b = buckets.get(bucket.key) ?? { family: bucket.family, count: 0 };
        b.count += 1;
        buckets.set(bucket.key, b);
      }
    }
    byService[e.service] = (byService[e.service] ?? 0) + 1;
    if (e.service !== "identity" && e.write) apiWrites++;
    if (e.status === 429) throttled++;
    if (e.status === 0 || e.status >= 500) failedOrDropped++;
    serviceMs += Math.max(0, e.durationMs - latencyMs);
    const key = endpointKey(e);
    endpoints.set(key, (endpoints.get(key) ?? 0) + 1);
    const second = Math.floor(Date.parse(e.time) / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  return {
    total: entries.length,
    byService,
    apiCalls: entries.length - byService.identity,
    apiWrites,
    throttled,
    failedOrDropped,
    endpoints: Object.fromEntries([...endpoints].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    peakRequestsPerSecond: Math.max(0, ...perSecond.values()),
    inFlightMs: inFlightMs(entries),
    meanServiceMs: entries.length ? round(serviceMs / entries.length, 2) : 0,
    partnerCenterFamilies: Object.fromEntries(families),
    clientThrottleMs: Math.max(
      0,
      ...[...buckets.values()].map(({ family, count }) => {
        const limit = PARTNER_CENTER_RATE_LIMITS[family];
        if (!limit) return 0;
        // The limiter's window: the limit's own period plus its default margin (10%, at least 0.5 s).
        const base = (limit.capacity / limit.refillPerSecond) * 1000;
        const windowMs = base + Math.max(base * 0.1, 500);
        return Math.round((Math.ceil(count / limit.capacity) - 1) * windowMs);
      }),
    ),
  };
}

/** The union of the requests' [arrival, arrival + duration] intervals, ms. */
export function inFlightMs(entries: readonly Pick<RequestLogEntry, "time" | "durationMs">[]): number {
  const spans = entries
    .map((e) => {
      const start = Date.parse(e.time);
      return [start, start + e.durationMs] as const;
    })
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [from, to] of spans) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return Math.round(total);
}

/**
 * `service METHOD /path?queryNames` with ids, domains and other variable segments replaced, so
 * calls of all customers to the same endpoint count together.
 */
export function endpointKey(e: Pick<RequestLogEntry, "service" | "method" | "path" | "query">): string {
  const path = e.path
    .split("/")
    .map((segment) => {
      const s = decodeURIComponent(segment);
      // An entity addressed by an alternate key, `applications(uniqueName='…')`: the key is the id.
      const keyed = /^(\w+)\((\w+)='[^']*'\)$/.exec(s);
      if (keyed) return `${keyed[1]}(${keyed[2]}={id})`;
      if (e.service === "identity" && /^[0-9a-f-]{36}$/i.test(s)) return "{tenant}";
      if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)) return "{id}";
      if (s.includes(".") && s.includes("onmicrosoft")) return "{domain}";
      // Other ids (grant ids, billing account names) carry several digits, or are longer than any
      // API word (a Graph grant id is 43 characters of base64url, with few digits or none).
      if (s.length >= 32 || (s.length >= 16 && (s.match(/\d/g) ?? []).length >= 3)) return "{id}";
      return s;
    })
    .join("/");
  const names = e.query
    ? [...new URLSearchParams(e.query).keys()].filter((k) => k !== "api-version" && k !== "client-request-id")
    : [];
  return `${e.service} ${e.method} ${path}${names.length ? `?${names.join("&")}` : ""}`;
}

/** What the provider's own HTTP trace (`CSP_HTTP_LOG`) shows of one phase. */
export interface TraceFigures {
  /** Exchanges in the trace (API calls and token requests). */
  exchanges: number;
  /** Attempts after the first of a logical request (429, 5xx, lost responses). */
  retries: number;
  /** Token requests. */
  tokenRequests: number;
  /** Distinct (tenant, scope) pairs asked for: the target is one token request per pair. */
  distinctTokens: number;
}

/** Reads a `CSP_HTTP_LOG` file (absent: no exchanges). */
export function traceFigures(file: string): TraceFigures {
  let text = "";
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    // no exchange at all
  }
  let exchanges = 0;
  let retries = 0;
  let tokenRequests = 0;
  const tokens = new Set<string>();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as TraceEntry;
    exchanges++;
    if (e.attempt > 0) retries++;
    if (e.service === "identity" && /\/oauth2\/v2\.0\/token/.test(e.url)) {
      tokenRequests++;
      const tenant = new URL(e.url).pathname.split("/")[1] ?? "";
      const scope = (e.requestBody as { scope?: string } | undefined)?.scope ?? "";
      tokens.add(`${tenant.toLowerCase()} ${scope}`);
    }
  }
  return { exchanges, retries, tokenRequests, distinctTokens: tokens.size };
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
