import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createTokenBucketLimiter,
  partnerCenterBucket,
  partnerCenterFamily,
} from "../../provider/http/rateLimiter";

afterEach(() => {
  vi.useRealTimers();
});

describe("client-side rate limiter", () => {
  it("lets a burst of `capacity` through, then one request per refill interval", async () => {
    vi.useFakeTimers();
    const limiter = createTokenBucketLimiter();
    const limit = { capacity: 3, refillPerSecond: 1 };
    const done: number[] = [];
    const all = Array.from({ length: 5 }, (_, i) =>
      limiter.acquire("acct/customers", limit).then(() => done.push(i)),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toEqual([0, 1, 2]);
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toEqual([0, 1, 2]);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toEqual([0, 1, 2, 3]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toEqual([0, 1, 2, 3, 4]);
    await Promise.all(all);
  });

  it("keeps separate buckets per account and family", async () => {
    vi.useFakeTimers();
    const limiter = createTokenBucketLimiter();
    const limit = { capacity: 1, refillPerSecond: 1 };
    const done: string[] = [];
    for (const key of ["a/customers", "a/orders", "b/customers", "a/customers"]) {
      void limiter.acquire(key, limit).then(() => done.push(key));
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toEqual(["a/customers", "a/orders", "b/customers"]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toHaveLength(4);
  });

  it("lets a waiting caller abort", async () => {
    vi.useFakeTimers();
    const limiter = createTokenBucketLimiter();
    const limit = { capacity: 1, refillPerSecond: 0.1 };
    await limiter.acquire("k", limit);
    const c = new AbortController();
    const waiting = limiter.acquire("k", limit, c.signal);
    await vi.advanceTimersByTimeAsync(10);
    c.abort(new Error("cancelled"));
    await expect(waiting).rejects.toThrow("cancelled");
  });

  it("classifies Partner Center paths into the published limit families", () => {
    expect(partnerCenterFamily("/v1/customers")).toBe("customers");
    expect(partnerCenterFamily("/partnercenter/v1/customers/c1")).toBe("customers");
    expect(partnerCenterFamily("/v1/customers/c1/subscriptions/s1/azureEntitlements")).toBe("subscriptions");
    expect(partnerCenterFamily("/v1/customers/c1/carts/x/checkout")).toBe("orders");
    expect(partnerCenterFamily("/v1/customers/c1/orders")).toBe("orders");
    expect(partnerCenterFamily("/v1/customers/c1/applicationconsents")).toBe("applicationConsents");
    expect(partnerCenterFamily("/v1/agreements")).toBeUndefined();
  });

  it("counts calls about one customer against that customer's tenant (500/min per tenant identifier)", () => {
    expect(partnerCenterBucket("/partnercenter/v1/customers/C1/users/u1")).toEqual({
      family: "customers",
      key: "customers/c1",
    });
    expect(partnerCenterBucket("/v1/customers/c2/subscriptions/s1")).toEqual({
      family: "subscriptions",
      key: "subscriptions/c2",
    });
    // Partner-level calls share one bucket; consents one per application.
    expect(partnerCenterBucket("/v1/customers")).toEqual({ family: "customers", key: "customers" });
    expect(partnerCenterBucket("/v1/customers/c1/applicationconsents")).toEqual({
      family: "applicationConsents",
      key: "applicationConsents",
    });
    expect(partnerCenterBucket("/v1/agreements")).toBeUndefined();
  });
});
