/** An access token and when it stops being valid (epoch ms). */
export interface AccessToken {
  token: string;
  expiresOnMs: number;
}

export interface TokenCacheOptions {
  /** Fetches a new token for `key`. */
  acquire: (key: string, signal?: AbortSignal) => Promise<AccessToken>;
  /** Refresh this long before expiry (default 5 minutes). */
  refreshMarginMs?: number;
  now?: () => number;
}

export interface TokenCache {
  get(key: string, options?: { signal?: AbortSignal; forceRefresh?: boolean }): Promise<string>;
}

/**
 * Token cache with single-flight refresh (after core-rest-pipeline's token cycler): per key, at
 * most one acquisition is in flight; concurrent callers share it. A token is refreshed once it is
 * within `refreshMarginMs` of expiry; if that refresh fails while the old token is still valid,
 * the old token is used.
 */
export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const margin = options.refreshMarginMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const tokens = new Map<string, AccessToken>();
  const inflight = new Map<string, Promise<AccessToken>>();

  function refresh(key: string, signal?: AbortSignal): Promise<AccessToken> {
    let p = inflight.get(key);
    if (!p) {
      // The shared acquisition is not tied to one caller's signal: others may still want it.
      p = options.acquire(key).then(
        (t) => {
          tokens.set(key, t);
          inflight.delete(key);
          return t;
        },
        (e: unknown) => {
          inflight.delete(key);
          throw e;
        },
      );
      inflight.set(key, p);
    }
    if (!signal) return p;
    return Promise.race([
      p,
      new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      }),
    ]);
  }

  return {
    async get(key, opts = {}) {
      const cached = tokens.get(key);
      const t = now();
      if (cached && !opts.forceRefresh && cached.expiresOnMs - margin > t) return cached.token;
      if (opts.forceRefresh) tokens.delete(key);
      try {
        return (await refresh(key, opts.signal)).token;
      } catch (e) {
        if (cached && !opts.forceRefresh && cached.expiresOnMs > t + 10_000 && !opts.signal?.aborted) {
          return cached.token;
        }
        throw e;
      }
    },
  };
}
