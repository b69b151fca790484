import { createHash } from "node:crypto";
import type { EmulatorCore, EmuRequest, EmuResponse } from "../common/types";
import { pcErrors } from "./pcErrors";
import { pcSections } from "./pcState";

/**
 * `MS-RequestId` deduplication of POSTs ("Partner Center REST and response headers",
 * https://learn.microsoft.com/partner-center/developer/headers: a retry after a timeout carries the
 * same value; "Create a customer" and "Check out a cart" call those operations idempotent). [U] The
 * pages do not say which other POSTs the service deduplicates: the emulator does it for every POST.
 * The first successful answer to a
 * request id is stored; the same id with the same request (caller tenant, path, body) gets that
 * answer again, status and body, without doing the work twice. The same id with a different
 * request is refused ([U] 400 / 800002). Failed answers are not stored, so a retry after a 429 or
 * a transient error runs again.
 *
 * Secrets in answers (generated or echoed passwords) are never stored: a route redacts them
 * before storing and puts a value back when replaying (see {@link ReplayHooks}).
 */
export interface ReplayHooks {
  /** Removes secrets from a body before it is stored. */
  redact?: (body: unknown) => unknown;
  /** Puts secrets back into a stored body for a replay (may update state, e.g. rotate a password). */
  rehydrate?: (stored: unknown, req: EmuRequest, emu: EmulatorCore) => unknown;
}

/**
 * Stored answers expire after a day of emulator time, and at most 5000 are kept (the oldest go
 * first), so long benchmark runs do not grow the state without bound. [U]: the service's
 * retention is not published; retries of a lost response come within minutes.
 */
const RETENTION_MS = 24 * 3600 * 1000;
const MAX_ENTRIES = 5000;

export function requestFingerprint(req: EmuRequest, callerTenantId: string): string {
  const canonical = JSON.stringify({
    t: callerTenantId,
    m: req.method,
    p: req.path.toLowerCase(),
    b: canonicalJson(req.body ?? null),
  });
  return createHash("sha256").update(canonical).digest("hex");
}

/** The stored answer for this request id, or `undefined` when the id is new (or expired). */
export function findReplay(
  emu: EmulatorCore,
  requestId: string,
  fingerprint: string,
  hooks: ReplayHooks,
  req: EmuRequest,
): EmuResponse | undefined {
  const pc = pcSections(emu.state);
  const entry = pc.idempotency[requestId];
  if (!entry) return undefined;
  const at = pc.idempotencyTimes[requestId];
  if (at !== undefined && emu.now().getTime() - Date.parse(at) > RETENTION_MS) {
    delete pc.idempotency[requestId];
    delete pc.idempotencyTimes[requestId];
    emu.markDirty();
    return undefined;
  }
  if (entry.fingerprint !== fingerprint) throw pcErrors.requestIdReused(requestId);
  const body = hooks.rehydrate
    ? hooks.rehydrate(structuredClone(entry.body), req, emu)
    : structuredClone(entry.body);
  return { status: entry.status, headers: { ...(entry.headers ?? {}) }, body };
}

/** Stores a successful answer under its request id. */
export function recordReplay(
  emu: EmulatorCore,
  requestId: string,
  fingerprint: string,
  response: EmuResponse,
  hooks: ReplayHooks,
): void {
  if (response.status < 200 || response.status >= 300) return;
  const pc = pcSections(emu.state);
  const body = response.body === undefined ? undefined : structuredClone(response.body);
  pc.idempotency[requestId] = {
    fingerprint,
    status: response.status,
    body: hooks.redact ? hooks.redact(body) : body,
    headers: response.headers ? { ...response.headers } : undefined,
  };
  pc.idempotencyTimes[requestId] = emu.now().toISOString();
  pruneReplays(emu);
  emu.markDirty();
}

/** Drops expired answers, and the oldest ones beyond the cap (down to 90% of it, to prune rarely). */
function pruneReplays(emu: EmulatorCore): void {
  const pc = pcSections(emu.state);
  const ids = Object.keys(pc.idempotency);
  if (ids.length <= MAX_ENTRIES) return;
  const now = emu.now().getTime();
  const byAge = ids
    .map((id) => ({ id, at: Date.parse(pc.idempotencyTimes[id] ?? "") || 0 }))
    .sort((a, b) => a.at - b.at);
  const excess = byAge.length - Math.floor(MAX_ENTRIES * 0.9);
  byAge.forEach((entry, i) => {
    if (i < excess || now - entry.at > RETENTION_MS) {
      delete pc.idempotency[entry.id];
      delete pc.idempotencyTimes[entry.id];
    }
  });
}

function canonicalJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      out[key] = canonicalJson((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
}
