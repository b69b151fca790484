import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDACTED, redactBodyText, sanitizeHeaders, sanitizeUrl } from "../../provider/http/sanitizer";
import { createServiceClient } from "../../provider/http/serviceClient";
import { createFileTraceSink, type TraceEntry } from "../../provider/http/traceSink";
import { type Reply, startHttpServer, type TestServer } from "./helpers/testServer";

const SECRETS = [
  "super-secret-access-token",
  "P@ssw0rd-of-the-new-user",
  "generated-admin-password",
  "app-secret-text-value",
  "refresh-token-value",
  "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl",
];

let server: TestServer;
const dispatcher = new Agent();

beforeAll(async () => {
  server = await startHttpServer(() => ({
    status: 201,
    headers: {
      "set-cookie": "session=abc",
      "x-ms-ratelimit-remaining-subscription-writes": "1199",
      "ms-cv": "cv.1",
    },
    body: {
      id: "c1",
      userCredentials: { userName: "admin", password: "generated-admin-password" },
      secretText: "app-secret-text-value",
      note: "token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl inside text",
    },
  }));
});
afterAll(async () => {
  await server.close();
  await dispatcher.close();
});

describe("HTTP trace", () => {
  it("writes one JSON line per exchange with nothing secret in it", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "csp-trace-")), "http.log");
    const c = createServiceClient({
      service: "partnerCenter",
      baseUrl: server.url,
      dispatcher,
      tokens: { getToken: async () => "super-secret-access-token" },
      rateLimiter: false,
      trace: createFileTraceSink(file),
    });
    await c.send({
      method: "POST",
      path: "/v1/customers",
      query: { size: 10, code: "refresh-token-value" },
      headers: { "x-custom-credential": "refresh-token-value" },
      body: {
        passwordProfile: { password: "P@ssw0rd-of-the-new-user" },
        refreshToken: "refresh-token-value",
        name: "Contoso",
      },
      idempotencyKey: "k-1",
    });
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines).toHaveLength(1);
    const text = lines[0]!;
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    const entry = JSON.parse(text) as TraceEntry;
    expect(entry).toMatchObject({ service: "partnerCenter", method: "POST", status: 201, attempt: 0 });
    expect(entry.requestHeaders["authorization"]).toBe(REDACTED);
    expect(entry.requestHeaders["x-custom-credential"]).toBe(REDACTED);
    expect(entry.requestHeaders["ms-requestid"]).toBe("k-1");
    expect(entry.responseHeaders?.["set-cookie"]).toBe(REDACTED);
    expect(entry.responseHeaders?.["x-ms-ratelimit-remaining-subscription-writes"]).toBe("1199");
    expect(entry.url).toContain("size=10");
    expect(entry.url).toContain(`code=${REDACTED}`);
    expect(entry.requestBody).toMatchObject({
      name: "Contoso",
      passwordProfile: REDACTED,
      refreshToken: REDACTED,
    });
    expect(entry.responseBody).toMatchObject({ id: "c1", userCredentials: REDACTED, secretText: REDACTED });
  });
});

describe("sanitizer", () => {
  it("passes only allow-listed headers, whatever their case", () => {
    expect(
      sanitizeHeaders({
        Authorization: "Bearer x",
        "Content-Type": "application/json",
        Cookie: "a",
        "MS-RequestId": "r",
      }),
    ).toEqual({
      authorization: REDACTED,
      "content-type": "application/json",
      cookie: REDACTED,
      "ms-requestid": "r",
    });
  });

  it("passes only allow-listed query parameters", () => {
    expect(sanitizeUrl("https://h/p?api-version=1&$skiptoken=abc&sig=zzz")).toBe(
      `https://h/p?api-version=1&%24skiptoken=${REDACTED}&sig=${REDACTED}`,
    );
  });

  it("redacts secret fields of token-endpoint form bodies and JSON bodies by key", () => {
    const form = redactBodyText(
      "client_id=app&client_secret=s3cret&grant_type=refresh_token&refresh_token=rt&scope=x&client_assertion=a&code=c",
      "application/x-www-form-urlencoded",
    );
    expect(form).toEqual({
      client_id: "app",
      client_secret: REDACTED,
      grant_type: "refresh_token",
      refresh_token: REDACTED,
      scope: "x",
      client_assertion: REDACTED,
      code: REDACTED,
    });
    expect(
      redactBodyText(
        JSON.stringify({ access_token: "a", id_token: "i", expires_in: 3599, token_type: "Bearer" }),
      ),
    ).toEqual({
      access_token: REDACTED,
      id_token: REDACTED,
      expires_in: 3599,
      token_type: REDACTED,
    });
    expect(redactBodyText(JSON.stringify({ code: 60012, description: "d" }))).toEqual({
      code: 60012,
      description: "d",
    });
  });
});

describe("HTTP trace of retries", () => {
  it("names on each repeated attempt the strategy that decided the wait and its length", async () => {
    const replies: Reply[] = [
      { status: 429, headers: { "retry-after": "2" }, body: { code: 429 } },
      "drop",
      { status: 200, body: { ok: true } },
    ];
    const flaky = await startHttpServer((_req, i) => replies[i] ?? { status: 200, body: {} });
    const entries: TraceEntry[] = [];
    const waits: number[] = [];
    try {
      const c = createServiceClient({
        service: "graph",
        baseUrl: flaky.url,
        dispatcher,
        tokens: { getToken: async () => "t" },
        rateLimiter: false,
        trace: (e) => entries.push(e),
        backoff: { random: () => 0 },
        sleep: async (ms) => {
          waits.push(ms);
        },
      });
      await c.send({ method: "GET", path: "/v1.0/users" });
    } finally {
      await flaky.close();
    }
    expect(waits).toEqual([2000, 1000]);
    expect(entries.map((e) => [e.attempt, e.retriedAfter])).toEqual([
      [0, undefined],
      [1, { strategy: "throttling", delayMs: 2000 }],
      [2, { strategy: "transient", delayMs: 1000 }],
    ]);
  });
});
