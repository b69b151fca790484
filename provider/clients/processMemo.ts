/**
 * Facts a provider-host process reads once and then knows: the current Microsoft Customer
 * Agreement template, the partner's billing account, a customer's domains, what `check` just read
 * and `create` needs again. One memo per partner account (see `CspApi.memo`).
 *
 * - Concurrent callers of one key share one request (the engine runs up to `--parallel` steps at
 *   once, many of them asking the same thing).
 * - A failed load is not remembered: the next caller tries again.
 * - `ttlMs` bounds how long an answer is trusted; without it the answer lives as long as the
 *   process (one `pulumi` command).
 * - `forget` drops a key after a write that changes what it holds.
 */
export interface ProcessMemo {
  get<T>(key: string, load: () => Promise<T>, options?: { ttlMs?: number }): Promise<T>;
  /** Stores an answer learnt another way (e.g. from the response of a write). */
  set<T>(key: string, value: T, options?: { ttlMs?: number }): void;
  forget(key: string): void;
  /** Whether `key` holds a live answer (or a load in flight). */
  has(key: string): boolean;
  /**
   * True the first time `key` is claimed in this process, false afterwards. Synchronous, so of
   * concurrent callers exactly one wins (e.g. the first child written without a look into an
   * object this process created).
   */
  claim(key: string): boolean;
}

interface Entry {
  value: Promise<unknown>;
  expiresAt: number;
}

export function createProcessMemo(now: () => number = Date.now): ProcessMemo {
  const entries = new Map<string, Entry>();
  const live = (key: string): Entry | undefined => {
    const e = entries.get(key);
    if (e && e.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return e;
  };
  const expiry = (ttlMs: number | undefined) =>
    ttlMs === undefined ? Number.POSITIVE_INFINITY : now() + ttlMs;
  return {
    get<T>(key: string, load: () => Promise<T>, options: { ttlMs?: number } = {}): Promise<T> {
      const known = live(key);
      if (known) return known.value as Promise<T>;
      const value = load();
      const entry: Entry = { value, expiresAt: expiry(options.ttlMs) };
      entries.set(key, entry);
      value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return value;
    },
    set<T>(key: string, value: T, options: { ttlMs?: number } = {}): void {
      entries.set(key, { value: Promise.resolve(value), expiresAt: expiry(options.ttlMs) });
    },
    forget(key: string): void {
      entries.delete(key);
    },
    has(key: string): boolean {
      return live(key) !== undefined;
    },
    claim(key: string): boolean {
      if (live(key) !== undefined) return false;
      entries.set(key, { value: Promise.resolve(true), expiresAt: Number.POSITIVE_INFINITY });
      return true;
    },
  };
}
