import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createSlidingWindowLimiter,
  createTokenBucketLimiter,
  type RateLimiter,
} from "../../provider/http/rateLimiter";
import { type EmulatorContext, startEmulatorContext } from "../support/emulatorContext";

/**
 * The provider's client against an emulator that enforces the documented Partner Center limits
 * (application consents 50 requests per second per application: "Control Panel Vendor APIs for
 * customer consent",
 * https://learn.microsoft.com/partner-center/developer/control-panel-vendor-apis; customer,
 * subscription and order resources 500 per minute: "Customer resources",
 * https://learn.microsoft.com/partner-center/developer/customer-resources): a burst larger than a
 * window's allowance must be spread by the client, not answered 429.
 */

let t: EmulatorContext;

beforeAll(async () => {
  t = await startEmulatorContext({ enforceRateLimits: true });
});

afterAll(async () => {
  await t?.stop();
});

afterEach(() => {
  vi.useRealTimers();
});

/** Grant times (ms from the start) of `n` requests queued at once on one key. */
async function grantTimes(limiter: RateLimiter, n: number): Promise<number[]> {
  const limit = { capacity: 5, refillPerSecond: 5 };
  const start = Date.now();
  const times: number[] = [];
  const all = Array.from({ length: n }, () =>
    limiter.acquire("default/applicationConsents", limit).then(() => times.push(Date.now() - start)),
  );
  await vi.advanceTimersByTimeAsync(60_000);
  await Promise.all(all);
  return times;
}

/** The most grants in any window of `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  let peak = 0;
  for (const t of times) peak = Math.max(peak, times.filter((u) => u >= t && u < t + windowMs).length);
  return peak;
}

describe("the client's default rate limiter", () => {
  it("never lets more than a limit's requests into one window, where a token bucket of that size lets nearly twice as many", async () => {
    vi.useFakeTimers();
    const windowed = await grantTimes(createSlidingWindowLimiter(), 20);
    expect(windowed).toHaveLength(20);
    expect(busiestWindow(windowed, 1000)).toBe(5);
    const bucket = await grantTimes(createTokenBucketLimiter(), 20);
    expect(busiestWindow(bucket, 1000)).toBeGreaterThan(5);
  });
});

describe("the client-side rate limiter under the emulator's enforced limits", () => {
  it("spreads a burst of 120 application consent calls so that none is answered 429", async () => {
    const api = await t.ctx.api();
    await t.emu.admin.clearRequestLog();
    // Consents for customers that do not exist: each is answered 404 by the handler, but only
    // after the emulator counted it against the application's 50-per-second limit.
    const answers = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        api.partnerCenter.send({
          method: "POST",
          path: `/v1/customers/00000000-0000-4000-8000-${String(i).padStart(12, "0")}/applicationconsents`,
          auth: { mode: "user" },
          body: { applicationId: api.clientId, applicationGrants: [] },
          okStatuses: [404],
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 404));
    const log = await t.emu.admin.requestLog({
      service: "partnerCenter",
      pathPattern: "applicationconsents",
    });
    expect(log.filter((e) => e.status === 429).map((e) => `${e.time} ${e.path}`)).toEqual([]);
    expect(log).toHaveLength(120);
  });
});
