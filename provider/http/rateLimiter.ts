import { sleep as defaultSleep, type SleepFn } from "./sleep";

/** A token bucket: `capacity` requests at once, refilled at `refillPerSecond`. */
export interface RateLimit {
  capacity: number;
  refillPerSecond: number;
}

/** Client-side throttle: waits until a request may go out for `key`. */
export interface RateLimiter {
  acquire(key: string, limit: RateLimit, signal?: AbortSignal): Promise<void>;
}

export interface TokenBucketOptions {
  now?: () => number;
  sleep?: SleepFn;
}

/**
 * Token buckets per key. Waiters on one key are served in order (a promise chain), so a burst
 * drains the bucket and then proceeds at the refill rate instead of stampeding. Uses `Date.now`
 * and `setTimeout` by default, so vitest fake timers drive it.
 */
export function createTokenBucketLimiter(options: TokenBucketOptions = {}): RateLimiter {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const buckets = new Map<string, { tokens: number; last: number; tail: Promise<void> }>();

  async function take(bucket: { tokens: number; last: number }, limit: RateLimit, signal?: AbortSignal) {
    for (;;) {
      const t = now();
      bucket.tokens = Math.min(
        limit.capacity,
        bucket.tokens + ((t - bucket.last) / 1000) * limit.refillPerSecond,
      );
      bucket.last = t;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - bucket.tokens) / limit.refillPerSecond) * 1000), signal);
    }
  }

  return {
    acquire(key, limit, signal) {
      let bucket = buckets.get(key);
      if (!bucket) {
        bucket = { tokens: limit.capacity, last: now(), tail: Promise.resolve() };
        buckets.set(key, bucket);
      }
      const b = bucket;
      const mine = b.tail.then(() => take(b, limit, signal));
      // The next waiter starts after this one, whether it got a token or was aborted.
      b.tail = mine.catch(() => undefined);
      return mine;
    },
  };
}

export interface SlidingWindowOptions extends TokenBucketOptions {
  /**
   * Extra length of every window, for the delay between the grant and the request's arrival
   * (token acquisition, network jitter). Default: 10% of the window, at least 500 ms.
   */
  marginMs?: (windowMs: number) => number;
}

/**
 * At most `limit.capacity` requests per key in ANY window of `capacity / refillPerSecond` seconds
 * (plus a margin): what "500 requests per minute" or "50 per second" means however the service
 * counts. A token bucket of the same size lets `capacity` through at once and then refills, so a
 * burst can put nearly twice the limit into one window; an emulator enforcing 50 consents per
 * second answered a 150-consent burst through it with 61 throttled responses. Waiters on one key
 * are served in order. Documented fact: the limits' sizes ("Customer resources",
 * https://learn.microsoft.com/partner-center/developer/customer-resources; "Control Panel Vendor
 * APIs for customer consent",
 * https://learn.microsoft.com/partner-center/developer/control-panel-vendor-apis). Our assumption
 * [U]: Partner Center counts in fixed or sliding windows of that length (not published), hence the
 * strict sliding window here. Uses `Date.now` and `setTimeout` by default (fake-timer friendly).
 */
export function createSlidingWindowLimiter(options: SlidingWindowOptions = {}): RateLimiter {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const margin = options.marginMs ?? ((windowMs: number) => Math.max(windowMs * 0.1, 500));
  const keys = new Map<string, { grants: number[]; tail: Promise<void> }>();

  async function take(entry: { grants: number[] }, limit: RateLimit, signal?: AbortSignal) {
    const base = (limit.capacity / limit.refillPerSecond) * 1000;
    const windowMs = base + margin(base);
    for (;;) {
      const t = now();
      while (entry.grants.length > 0 && t - entry.grants[0] >= windowMs) entry.grants.shift();
      if (entry.grants.length < limit.capacity) {
        entry.grants.push(t);
        return;
      }
      await sleep(Math.max(1, Math.ceil(entry.grants[0] + windowMs - t)), signal);
    }
  }

  return {
    acquire(key, limit, signal) {
      let entry = keys.get(key);
      if (!entry) {
        entry = { grants: [], tail: Promise.resolve() };
        keys.set(key, entry);
      }
      const e = entry;
      const mine = e.tail.then(() => take(e, limit, signal));
      // The next waiter starts after this one, whether it got a grant or was aborted.
      e.tail = mine.catch(() => undefined);
      return mine;
    },
  };
}

/**
 * Published Partner Center limits: customer, subscription and order resources 500 requests/minute
 * per tenant identifier ("Customer resources",
 * https://learn.microsoft.com/partner-center/developer/customer-resources; "Subscription
 * resources", https://learn.microsoft.com/partner-center/developer/subscription-resources; "Order
 * resources", https://learn.microsoft.com/partner-center/developer/order-resources); application
 * consents (CPV) 50 requests/second per application ("Control Panel Vendor APIs for customer
 * consent", https://learn.microsoft.com/partner-center/developer/control-panel-vendor-apis).
 * Buckets are kept per (account, {@link partnerCenterBucket}).
 */
export const PARTNER_CENTER_RATE_LIMITS: Record<string, RateLimit> = {
  customers: { capacity: 500, refillPerSecond: 500 / 60 },
  subscriptions: { capacity: 500, refillPerSecond: 500 / 60 },
  orders: { capacity: 500, refillPerSecond: 500 / 60 },
  applicationConsents: { capacity: 50, refillPerSecond: 50 },
};

/** The Partner Center resource family of a request path (`/v1/customers/{c}/orders` → `orders`). */
export function partnerCenterFamily(path: string): string | undefined {
  const p = path.toLowerCase();
  if (p.includes("/applicationconsents")) return "applicationConsents";
  if (/\/customers\/[^/]+\/(orders|carts)(\/|$)/.test(p)) return "orders";
  if (/\/customers\/[^/]+\/subscriptions(\/|$)/.test(p)) return "subscriptions";
  if (/\/customers(\/|$|\?)/.test(p)) return "customers";
  return undefined;
}

/**
 * The bucket a Partner Center request counts against: its family, and for calls about one customer
 * (`/customers/{id}/...`) that customer's tenant. Microsoft documents the customer, subscription
 * and order limits as "500 requests / minute / tenant identifier" and says buckets are keyed per
 * partner tenant or per partner x customer tenant depending on the API, without a list of which
 * ("API throttling guidance",
 * https://learn.microsoft.com/partner-center/developer/api-throttling-guidance) [U]. We key
 * customer-scoped calls per customer tenant, which is the reading that lets a program with many
 * customers run in parallel; partner-level calls (list and create customers) share one bucket per
 * account, and application consents one per application (the account's app). A 429 from a stricter
 * service is still honoured through Retry-After.
 */
export function partnerCenterBucket(path: string): { family: string; key: string } | undefined {
  const family = partnerCenterFamily(path);
  if (!family) return undefined;
  if (family === "applicationConsents") return { family, key: family };
  const customer = /\/customers\/([^/?]+)/i.exec(path)?.[1];
  return { family, key: customer ? `${family}/${customer.toLowerCase()}` : family };
}
