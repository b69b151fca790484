import { describe, expect, it } from "vitest";
import { createCustomer, createPcKit, vector } from "./partnerCenterTestKit";

describe("Partner Center rate limits", () => {
  it("answers the 501st customer request within a minute with 429, Retry-After and the exact throttling body", () => {
    const kit = createPcKit({ enforceRateLimits: true });
    const id = createCustomer(kit);
    // createCustomer used one request of the per-partner "customers" bucket, not this customer's.
    for (let i = 0; i < 500; i++) expect(kit.call("GET", `/v1/customers/${id}`).status).toBe(200);
    kit.advance(3_000);
    const throttled = kit.call("GET", `/v1/customers/${id}`);
    expect(throttled.status).toBe(429);
    expect(throttled.headers?.["Retry-After"]).toBe("57");
    expect(throttled.body).toEqual(vector("06-pc-error-429-throttled.json"));
    kit.advance(57_000);
    expect(kit.call("GET", `/v1/customers/${id}`).status).toBe(200);
  });

  it("throttles application consents at 50 requests per second per application", () => {
    const kit = createPcKit({ enforceRateLimits: true });
    const id = createCustomer(kit);
    const path = `/v1/customers/${id}/applicationconsents`;
    const body = { applicationId: kit.appId, applicationGrants: [] };
    // Refused bodies (400) still count against the bucket.
    for (let i = 0; i < 50; i++) expect(kit.call("POST", path, { as: "user", body }).status).toBe(400);
    const res = kit.call("POST", path, { as: "user", body });
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ statusCode: 429, message: "Rate limit is exceeded. Try again in 1 seconds." });
  });

  it("does not throttle when rate limits are not enforced", () => {
    const kit = createPcKit({ enforceRateLimits: false });
    const id = createCustomer(kit);
    for (let i = 0; i < 510; i++) kit.call("GET", `/v1/customers/${id}`);
    expect(kit.call("GET", `/v1/customers/${id}`).status).toBe(200);
  });
});
