import { afterEach, describe, expect, it, vi } from "vitest";
import { type AccessToken, createTokenCache } from "../../provider/auth/tokenCache";

afterEach(() => {
  vi.useRealTimers();
});

describe("token cache", () => {
  it("makes one token request for 20 concurrent callers of the same key", async () => {
    let calls = 0;
    let release!: (t: AccessToken) => void;
    const cache = createTokenCache({
      acquire: () => {
        calls++;
        return new Promise<AccessToken>((r) => {
          release = r;
        });
      },
    });
    const callers = Array.from({ length: 20 }, () => cache.get("app|partner|pc"));
    release({ token: "t1", expiresOnMs: Date.now() + 3600_000 });
    expect(await Promise.all(callers)).toEqual(Array(20).fill("t1"));
    expect(calls).toBe(1);
    expect(await cache.get("app|partner|pc")).toBe("t1");
    expect(calls).toBe(1);
  });

  it("keeps separate tokens per key", async () => {
    const keys: string[] = [];
    const cache = createTokenCache({
      acquire: async (key) => {
        keys.push(key);
        return { token: `t-${key}`, expiresOnMs: Date.now() + 3600_000 };
      },
    });
    await Promise.all([cache.get("a"), cache.get("b"), cache.get("a"), cache.get("b")]);
    expect(keys.sort()).toEqual(["a", "b"]);
  });

  it("refreshes ahead of expiry, once, and not before", async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2025-01-01T00:00:00Z"));
    let n = 0;
    const cache = createTokenCache({
      refreshMarginMs: 5 * 60_000,
      acquire: async () => {
        n++;
        return { token: `t${n}`, expiresOnMs: Date.now() + 60 * 60_000 };
      },
    });
    expect(await cache.get("k")).toBe("t1");
    vi.advanceTimersByTime(54 * 60_000);
    expect(await cache.get("k")).toBe("t1");
    vi.advanceTimersByTime(2 * 60_000);
    const again = await Promise.all(Array.from({ length: 5 }, () => cache.get("k")));
    expect(again).toEqual(Array(5).fill("t2"));
    expect(n).toBe(2);
  });

  it("falls back to the still-valid token when an early refresh fails, but not once it expired", async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2025-01-01T00:00:00Z"));
    let fail = false;
    const cache = createTokenCache({
      acquire: async () => {
        if (fail) throw new Error("token endpoint down");
        return { token: "t1", expiresOnMs: Date.now() + 60 * 60_000 };
      },
    });
    await cache.get("k");
    fail = true;
    vi.advanceTimersByTime(57 * 60_000);
    expect(await cache.get("k")).toBe("t1");
    vi.advanceTimersByTime(3 * 60_000);
    await expect(cache.get("k")).rejects.toThrow("token endpoint down");
  });

  it("gets a new token on forceRefresh (after a 401)", async () => {
    let n = 0;
    const cache = createTokenCache({
      acquire: async () => ({ token: `t${++n}`, expiresOnMs: Date.now() + 3600_000 }),
    });
    expect(await cache.get("k")).toBe("t1");
    expect(await cache.get("k", { forceRefresh: true })).toBe("t2");
    expect(await cache.get("k")).toBe("t2");
  });
});
