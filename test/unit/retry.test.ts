import { afterEach, describe, expect, it, vi } from "vitest";
import { CspError, isCspError } from "../../provider/errors";
import { createServiceClient, type ServiceClientOptions } from "../../provider/http/serviceClient";
import { sleep } from "../../provider/http/sleep";
import { fakeTokens } from "./helpers/fakeTokens";
import { serveForFile } from "./helpers/serveForFile";
import type { Handler } from "./helpers/testServer";

let handler: Handler = () => ({ status: 200 });
const { server, dispatcher } = serveForFile((req, i) => handler(req, i));
afterEach(() => {
  server.requests.length = 0;
  vi.useRealTimers();
});

/** A client whose waits are recorded instead of slept (no real time passes). */
function client(
  service: ServiceClientOptions["service"] = "partnerCenter",
  extra: Partial<ServiceClientOptions> = {},
) {
  const delays: number[] = [];
  const c = createServiceClient({
    service,
    baseUrl: server.url,
    dispatcher,
    tokens: fakeTokens(),
    rateLimiter: false,
    maxRetries: 3,
    backoff: { random: () => 0.999 },
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...extra,
  });
  return { c, delays };
}

/** Answers the listed replies in order, then 200. */
function script(...replies: ReturnType<Handler>[]): Handler {
  return (_req, i) => replies[i] ?? { status: 200, body: { ok: true } };
}

describe("retry loop", () => {
  it("waits the seconds given in Retry-After after a 429 and then succeeds", async () => {
    handler = script({
      status: 429,
      headers: { "retry-after": "57" },
      body: { statusCode: 429, message: "Rate limit is exceeded. Try again in 57 seconds." },
    });
    const { c, delays } = client();
    const res = await c.send({ method: "GET", path: "/v1/customers" });
    expect(res.status).toBe(200);
    expect(delays).toEqual([57_000]);
    expect(server.requests).toHaveLength(2);
  });

  it("waits until the HTTP date given in Retry-After", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2025-01-01T10:00:00Z"));
    handler = script({ status: 503, headers: { "retry-after": "Wed, 01 Jan 2025 10:00:20 GMT" } });
    const { c, delays } = client("graph");
    await c.send({ method: "GET", path: "/v1.0/users" });
    expect(delays).toEqual([20_000]);
  });

  it("honours retry-after-ms and x-ms-retry-after-ms before Retry-After", async () => {
    handler = script(
      { status: 429, headers: { "retry-after-ms": "1500", "retry-after": "9" } },
      { status: 429, headers: { "x-ms-retry-after-ms": "250" } },
    );
    const { c, delays } = client("arm");
    await c.send({ method: "GET", path: "/subscriptions" });
    expect(delays).toEqual([1500, 250]);
  });

  it("backs off exponentially on 5xx, never above the cap, and gives up after maxRetries", async () => {
    handler = () => ({
      status: 500,
      body: { code: 800003, description: "Unexpected service error", source: "PartnerFD" },
    });
    const { c, delays } = client("partnerCenter", {
      maxRetries: 6,
      backoff: { baseDelayMs: 1000, maxDelayMs: 8000, random: () => 0.999 },
    });
    const error = await c.send({ method: "GET", path: "/v1/customers/x" }).catch((e: unknown) => e);
    expect(isCspError(error) && error.status).toBe(500);
    expect(server.requests).toHaveLength(7);
    expect(delays).toHaveLength(6);
    for (const d of delays) expect(d).toBeLessThanOrEqual(8000);
    expect(delays.slice(0, 4)).toEqual(
      [1000, 2000, 4000, 8000].map((d) => Math.round(d * (0.5 + 0.999 / 2))),
    );
    expect(delays[5]).toBe(Math.round(8000 * (0.5 + 0.999 / 2)));
  });

  it("fails at once, naming the URL and asking for the emulator, when nothing listens on this machine", async () => {
    const closed = new URL(server.url);
    closed.port = "9";
    const delays: number[] = [];
    const c = createServiceClient({
      service: "partnerCenter",
      baseUrl: closed.origin,
      dispatcher,
      tokens: fakeTokens(),
      rateLimiter: false,
      maxRetries: 3,
      sleep: async (ms: number) => {
        delays.push(ms);
      },
    });
    const e = await c.send({ method: "GET", path: "/v1/customers" }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: "CSP_NETWORK", serviceCode: "ECONNREFUSED" });
    expect(String(e)).toContain(`${closed.origin}/v1/customers`);
    expect(String(e)).toMatch(/is the emulator running\?/);
    expect(delays).toEqual([]);
  });

  it("does not retry 501 or 505, nor a 4xx other than 408/429", async () => {
    for (const status of [501, 505, 400, 404]) {
      server.requests.length = 0;
      handler = () => ({ status, body: { error: { code: "x", message: "no" } } });
      const { c, delays } = client("graph");
      await expect(c.send({ method: "GET", path: "/v1.0/x" })).rejects.toMatchObject({ status });
      expect(server.requests).toHaveLength(1);
      expect(delays).toEqual([]);
    }
  });

  it("does not repeat a POST without an idempotency key after a 5xx or a lost response", async () => {
    handler = script({ status: 502 });
    const { c } = client("graph");
    await expect(
      c.send({ method: "POST", path: "/v1.0/applications", body: { displayName: "a" } }),
    ).rejects.toMatchObject({
      code: "CSP_API_ERROR",
      status: 502,
    });
    expect(server.requests).toHaveLength(1);

    server.requests.length = 0;
    handler = script("drop");
    await expect(
      c.send({ method: "POST", path: "/v1.0/applications", body: { displayName: "a" } }),
    ).rejects.toMatchObject({
      code: "CSP_NETWORK",
    });
    expect(server.requests).toHaveLength(1);
  });

  it("repeats a POST without a key after a 429, which the service rejected before processing", async () => {
    handler = script({ status: 429, headers: { "retry-after": "1" } });
    const { c } = client("graph");
    await c.send({ method: "POST", path: "/v1.0/applications", body: {} });
    expect(server.requests).toHaveLength(2);
  });

  it("repeats a POST marked idempotent", async () => {
    handler = script({ status: 503 });
    const { c } = client("graph");
    await c.send({ method: "POST", path: "/v1.0/x/addKey", body: {}, idempotent: true });
    expect(server.requests).toHaveLength(2);
  });

  it("reuses the MS-RequestId when the response to a keyed create is lost, and uses a new one for the next request", async () => {
    handler = script("drop", { status: 500 }, { status: 201, body: { id: "c1" } });
    const { c, delays } = client();
    const key = "5b0f6c2e-0d1c-4a4e-9a55-1e0c7b9a2f10";
    const res = await c.send({ method: "POST", path: "/v1/customers", body: { a: 1 }, idempotencyKey: key });
    expect(res.status).toBe(201);
    expect(delays).toHaveLength(2);
    const ids = server.requests.map((r) => r.headers["ms-requestid"]);
    expect(ids).toEqual([key, key, key]);
    // One correlation id for the logical request too.
    expect(new Set(server.requests.map((r) => r.headers["ms-correlationid"])).size).toBe(1);

    handler = script({ status: 200, body: {} });
    await c.send({ method: "GET", path: "/v1/customers/c1" });
    const next = server.requests[3]!.headers["ms-requestid"];
    expect(next).toBeDefined();
    expect(next).not.toBe(key);
  });

  it("gives each unkeyed logical request a fresh MS-RequestId, kept across its own retries", async () => {
    handler = script({ status: 503 }, { status: 200 }, { status: 200 });
    const { c } = client();
    await c.send({ method: "GET", path: "/v1/customers/a" });
    await c.send({ method: "GET", path: "/v1/customers/b" });
    const [first, retry, second] = server.requests.map((r) => r.headers["ms-requestid"]);
    expect(retry).toBe(first);
    expect(second).not.toBe(first);
  });

  it("sends client-request-id to Graph and ARM and a bearer token for the call's identity", async () => {
    handler = script();
    const tokens = fakeTokens("tok");
    const { c } = client("arm", { tokens });
    await c.send({ method: "GET", path: "/subscriptions", auth: { mode: "user", tenantId: "t2" } });
    const h = server.requests[0]!.headers;
    expect(h["client-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(h["authorization"]).toBe("Bearer tok-arm-user");
    expect(h["user-agent"]).toMatch(/^pulumi-csp\/\d+\.\d+\.\d+/);
    expect(tokens.calls).toEqual([{ service: "arm", mode: "user", tenantId: "t2" }]);
  });

  it("retries an attempt that timed out and reports CSP_TIMEOUT when every attempt does", async () => {
    handler = () => "hang";
    const { c, delays } = client("graph", { maxRetries: 1 });
    const error = await c.send({ method: "GET", path: "/v1.0/slow", timeoutMs: 50 }).catch((e: unknown) => e);
    expect(isCspError(error) && error.code).toBe("CSP_TIMEOUT");
    expect(server.requests).toHaveLength(2);
    expect(delays).toHaveLength(1);
  });

  it("stops waiting when the caller aborts during a backoff", async () => {
    handler = () => ({ status: 429, headers: { "retry-after": "30" } });
    let backoffStarted!: () => void;
    const started = new Promise<void>((r) => {
      backoffStarted = r;
    });
    const c = createServiceClient({
      service: "graph",
      baseUrl: server.url,
      dispatcher,
      tokens: fakeTokens(),
      rateLimiter: false,
      // The real abortable sleep; the 30 s timer is cancelled by the abort, nothing waits for it.
      sleep: (ms, signal) => {
        backoffStarted();
        return sleep(ms, signal);
      },
    });
    const controller = new AbortController();
    const pending = c
      .send({ method: "GET", path: "/v1.0/x", signal: controller.signal })
      .catch((e: unknown) => e);
    await started;
    controller.abort(new Error("stopped by the user"));
    expect(await pending).toMatchObject({ message: "stopped by the user" });
    expect(server.requests).toHaveLength(1);
  });

  it("does not honour a Retry-After longer than the configured maximum", async () => {
    handler = () => ({
      status: 429,
      headers: { "retry-after": "3600" },
      body: { statusCode: 429, message: "Rate limit is exceeded." },
    });
    const { c, delays } = client();
    const error = await c.send({ method: "GET", path: "/v1/customers" }).catch((e: unknown) => e);
    expect(delays).toEqual([]);
    expect(error).toMatchObject({ code: "CSP_THROTTLED", status: 429, retryAfterMs: 3_600_000 });
  });

  it("returns statuses listed in okStatuses instead of throwing, and an empty body as undefined", async () => {
    handler = script({ status: 404 });
    const { c } = client();
    const res = await c.send({
      method: "HEAD",
      path: "/v1/domains/contoso.onmicrosoft.com",
      okStatuses: [404],
    });
    expect(res).toMatchObject({ status: 404, body: undefined });
  });
});

describe("sleep", () => {
  it("resolves after the delay under fake timers and rejects when aborted", async () => {
    vi.useFakeTimers();
    let done = false;
    const p = sleep(1000).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(done).toBe(true);
    const c = new AbortController();
    const q = sleep(1000, c.signal);
    c.abort(new Error("stop"));
    await expect(q).rejects.toThrow("stop");
  });
});

describe("token failures inside the retry loop", () => {
  it("repeats an unkeyed POST whose token request failed transiently, since the POST was never sent", async () => {
    handler = () => ({ status: 201, body: {} });
    server.requests.length = 0;
    let calls = 0;
    const c = createServiceClient({
      service: "graph",
      baseUrl: server.url,
      dispatcher,
      rateLimiter: false,
      sleep: async () => undefined,
      tokens: {
        async getToken() {
          if (++calls === 1) {
            throw new CspError({
              code: "CSP_NETWORK",
              service: "identity",
              summary: "token endpoint unreachable",
            });
          }
          return "t";
        },
      },
    });
    await c.send({ method: "POST", path: "/v1.0/applications", body: {} });
    expect(calls).toBe(2);
    expect(server.requests).toHaveLength(1);
  });
});
