import { afterEach, describe, expect, it } from "vitest";
import { isCspError } from "../../provider/errors";
import { createServiceClient, type ServiceClientOptions } from "../../provider/http/serviceClient";
import { fakeTokens } from "./helpers/fakeTokens";
import { serveForFile } from "./helpers/serveForFile";
import type { Handler } from "./helpers/testServer";

/**
 * The request headers Microsoft Learn "Partner Center REST and response headers"
 * (https://learn.microsoft.com/partner-center/developer/headers) lists, as the client sends them.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let handler: Handler = () => ({ status: 200, body: {} });
const { server, dispatcher } = serveForFile((req, i) => handler(req, i));
afterEach(() => {
  server.requests.length = 0;
  handler = () => ({ status: 200, body: {} });
});

function client(service: ServiceClientOptions["service"] = "partnerCenter") {
  return createServiceClient({
    service,
    baseUrl: server.url,
    dispatcher,
    tokens: fakeTokens(),
    rateLimiter: false,
    maxRetries: 2,
    sleep: async () => {},
  });
}

describe("Partner Center request headers", () => {
  it("sends MS-Contract-Version v1 and a GUID MS-RequestId and MS-CorrelationId on every call", async () => {
    const pc = client();
    await pc.send({ method: "GET", path: "/v1/customers" });
    await pc.send({
      method: "POST",
      path: "/v1/customers/c/carts",
      body: {},
      idempotencyKey: crypto.randomUUID(),
    });
    expect(server.requests).toHaveLength(2);
    for (const r of server.requests) {
      expect(r.headers["ms-contract-version"]).toBe("v1");
      expect(r.headers["ms-requestid"]).toMatch(GUID);
      expect(r.headers["ms-correlationid"]).toMatch(GUID);
    }
    const [a, b] = server.requests;
    // New ids for each call (the headers page: reset after a response, reset for every call).
    expect(b!.headers["ms-requestid"]).not.toBe(a!.headers["ms-requestid"]);
    expect(b!.headers["ms-correlationid"]).not.toBe(a!.headers["ms-correlationid"]);
  });

  it("keeps the contract version on a retry of the same call", async () => {
    handler = (_req, i) => (i === 0 ? { status: 503 } : { status: 200, body: {} });
    await client().send({ method: "GET", path: "/v1/customers" });
    expect(server.requests.map((r) => r.headers["ms-contract-version"])).toEqual(["v1", "v1"]);
  });

  it("does not send Partner Center's headers to Graph or ARM", async () => {
    await client("graph").send({ method: "GET", path: "/v1.0/users" });
    await client("arm").send({ method: "GET", path: "/subscriptions" });
    for (const r of server.requests) {
      expect(r.headers["ms-contract-version"]).toBeUndefined();
      expect(r.headers["ms-requestid"]).toBeUndefined();
      expect(r.headers["ms-correlationid"]).toBeUndefined();
    }
  });

  it("names the request and correlation ids the service answered in its errors", async () => {
    handler = () => ({
      status: 400,
      headers: {
        "ms-requestid": "0f6c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
        "ms-correlationid": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
      },
      body: { code: 900206, description: "Partner Attestation is missing", source: "PartnerFD" },
    });
    const error = await client()
      .send({ method: "POST", path: "/v1/customers/c/carts", body: {} })
      .catch((e: unknown) => e);
    expect(isCspError(error)).toBe(true);
    if (!isCspError(error)) return;
    expect(error.serviceCode).toBe("900206");
    expect(error.requestId).toBe("0f6c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b");
    expect(error.correlationId).toBe("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d");
  });
});
