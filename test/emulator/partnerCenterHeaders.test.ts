import { describe, expect, it } from "vitest";
import { at, createCustomer, createPcKit, customerBody, list } from "./partnerCenterTestKit";
import { pcErrorOf } from "./serviceErrors";

/**
 * Request headers as Microsoft Learn "Partner Center REST and response headers" describes them
 * (https://learn.microsoft.com/partner-center/developer/headers): `MS-RequestId` and
 * `MS-CorrelationId` are GUIDs; `MS-Contract-Version` is listed as required, but the official .NET
 * SDK never sends it, so a call without it is served.
 */

const REQUEST_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
const CORRELATION_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

describe("Partner Center request headers", () => {
  it("refuses an MS-RequestId that is not a GUID with 400 / 800002 and creates nothing", () => {
    const kit = createPcKit();
    const writes = kit.dirty();
    const res = kit.call("POST", "/v1/customers", {
      body: customerBody(),
      headers: { "MS-RequestId": "retry-key-1", "MS-CorrelationId": CORRELATION_ID },
    });
    expect(pcErrorOf(res)).toEqual({ status: 400, code: 800002 });
    expect(String(at(res.body, "description"))).toContain("MS-RequestId");
    expect(Object.keys(kit.state.partnerCenter.customers)).toHaveLength(0);
    expect(kit.dirty()).toBe(writes);
  });

  it("refuses an MS-CorrelationId that is not a GUID with 400 / 800002, on reads too", () => {
    const kit = createPcKit();
    const res = kit.call("GET", "/v1/customers", {
      headers: { "MS-RequestId": REQUEST_ID, "MS-CorrelationId": "trace-42" },
    });
    expect(pcErrorOf(res)).toEqual({ status: 400, code: 800002 });
    expect(String(at(res.body, "description"))).toContain("MS-CorrelationId");
  });

  it("serves calls with GUID ids in any case, with or without MS-Contract-Version", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    const withAll = kit.call("GET", "/v1/customers", {
      headers: {
        "MS-RequestId": REQUEST_ID.toUpperCase(),
        "MS-CorrelationId": CORRELATION_ID,
        "MS-Contract-Version": "v1",
      },
    });
    expect(withAll.status).toBe(200);
    expect(list(withAll.body).map((c) => at(c, "id"))).toEqual([id]);
    // The service generates the ids a caller leaves out (REST reference "Create a new cart").
    expect(kit.call("GET", `/v1/customers/${id}`).status).toBe(200);
  });
});
