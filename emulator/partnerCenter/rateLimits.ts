import type { EmulatorState } from "../common/state";
import type { EmulatorCore } from "../common/types";

/**
 * The documented Partner Center rate limits ("Customer resources",
 * https://learn.microsoft.com/partner-center/developer/customer-resources, "Subscription
 * resources", "Order resources" and "Control Panel Vendor APIs for customer consent",
 * https://learn.microsoft.com/partner-center/developer/control-panel-vendor-apis), applied when
 * `settings.enforceRateLimits` is on:
 * - customer, subscription and order resources: 500 requests per minute per tenant identifier;
 * - CPV application consents (POST/DELETE): 50 requests per second per application id.
 *
 * Fixed windows on emulator time (so tests move past them with "advance time"). The counters are
 * not part of the persisted state: they live beside it, keyed by the state object, and vanish on
 * reset like the real buckets would after a quiet minute.
 */
export type RateFamily = "customer" | "subscription" | "order" | "consent";

export const RATE_LIMITS: Record<RateFamily, { limit: number; windowMs: number }> = {
  customer: { limit: 500, windowMs: 60_000 },
  subscription: { limit: 500, windowMs: 60_000 },
  order: { limit: 500, windowMs: 60_000 },
  consent: { limit: 50, windowMs: 1_000 },
};

interface Window {
  start: number;
  count: number;
}

const counters = new WeakMap<EmulatorState, Map<string, Window>>();

/**
 * Counts one request against `family` for `key` (the tenant or application id). Returns the
 * seconds to wait when the request is over the limit, otherwise `undefined`.
 */
export function takeRateToken(emu: EmulatorCore, family: RateFamily, key: string): number | undefined {
  if (!emu.state.settings.enforceRateLimits) return undefined;
  let map = counters.get(emu.state);
  if (!map) {
    map = new Map();
    counters.set(emu.state, map);
  }
  const { limit, windowMs } = RATE_LIMITS[family];
  const now = emu.now().getTime();
  const id = `${family}|${key}`;
  let w = map.get(id);
  if (!w || now - w.start >= windowMs) {
    w = { start: now, count: 0 };
    map.set(id, w);
  }
  if (w.count >= limit) return Math.max(1, Math.ceil((w.start + windowMs - now) / 1000));
  w.count += 1;
  return undefined;
}
