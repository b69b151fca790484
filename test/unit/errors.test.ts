import { describe, expect, it } from "vitest";
import { CspError, errorFromResponse, isCspError, parseErrorEnvelope } from "../../provider/errors";

/** Published example payloads (vectors 05, 06, 22, 25), copied so the test runs from a clean clone. */
const VECTORS: Record<string, unknown> = {
  "05-pc-error-400-license-quota.json": {
    code: 60012,
    description:
      "We are sorry, it looks like you have run out of licenses. Buy more licenses, and then try again.",
    data: [
      "LicenseQuotaExceededException : Subscription with Account 0c39d6d5-c70d-4c55-bc02-f620844f3fd1 and SKU f8a1db68-be16-40ed-86d5-cb42ce701560 does not have any available licenses left.",
    ],
    source: "PartnerFD",
  },
  "06-pc-error-429-throttled.json": {
    statusCode: 429,
    message: "Rate limit is exceeded. Try again in 57 seconds.",
  },
  "22-graph-error-example.json": {
    error: {
      code: "invalidRange",
      message: "Uploaded fragment overlaps with existing data.",
      innerError: {
        "request-id": "request-id",
        date: "date-time",
      },
    },
  },
  "25-entra-token-error-invalid-scope.json": {
    error: "invalid_scope",
    error_description:
      "AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope https://foo.microsoft.com/.default is not valid.\r\nTrace ID: 255d1aef-8c98-452f-ac51-23d051240864\r\nCorrelation ID: fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7\r\nTimestamp: 2016-01-09 02:02:12Z",
    error_codes: [70011],
    timestamp: "2016-01-09 02:02:12Z",
    trace_id: "255d1aef-8c98-452f-ac51-23d051240864",
    correlation_id: "fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7",
  },
};
const vector = (name: string): unknown => VECTORS[name];

describe("error envelopes", () => {
  it("maps a Partner Center error with a numeric code, naming service, status, code, request id and data", () => {
    const e = errorFromResponse({
      service: "partnerCenter",
      method: "POST",
      path: "/v1/customers/c/users/u/licenseupdates",
      status: 400,
      body: vector("05-pc-error-400-license-quota.json"),
      requestId: "rid-1",
    });
    expect(e).toMatchObject({
      code: "CSP_API_ERROR",
      service: "partnerCenter",
      status: 400,
      serviceCode: "60012",
    });
    expect(e.message).toContain("Partner Center");
    expect(e.message).toContain("HTTP 400");
    expect(e.message).toContain("code 60012");
    expect(e.message).toContain("request id rid-1");
    expect(e.message).toContain("run out of licenses");
    expect(e.details?.[0]).toContain("LicenseQuotaExceededException");
  });

  it("accepts a Partner Center code given as a string", () => {
    const env = parseErrorEnvelope({
      code: "2000",
      description: "Customer search only allows starts with and equals operation.",
    });
    expect(env).toMatchObject({ envelope: "partnerCenter", serviceCode: "2000" });
  });

  it("maps the Partner Center throttling body to CSP_THROTTLED with the wait", () => {
    const e = errorFromResponse({
      service: "partnerCenter",
      method: "GET",
      path: "/v1/customers",
      status: 429,
      body: vector("06-pc-error-429-throttled.json"),
      retryAfterMs: 57_000,
    });
    expect(e).toMatchObject({ code: "CSP_THROTTLED", status: 429, serviceCode: "429", retryAfterMs: 57_000 });
    expect(e.message).toContain("Rate limit is exceeded");
    expect(e.hint).toContain("wait");
  });

  it("maps a Graph error, taking the request id from innerError", () => {
    const e = errorFromResponse({
      service: "graph",
      method: "GET",
      path: "/v1.0/x",
      status: 416,
      body: vector("22-graph-error-example.json"),
    });
    expect(e).toMatchObject({ service: "graph", serviceCode: "invalidRange", requestId: "request-id" });
    expect(e.message).toContain("Microsoft Graph");
    expect(e.message).toContain("Uploaded fragment overlaps");
  });

  it("maps an ARM conflict to CSP_CONFLICT", () => {
    const e = errorFromResponse({
      service: "arm",
      method: "PUT",
      path: "/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/n",
      status: 409,
      body: { error: { code: "RoleAssignmentExists", message: "The role assignment already exists." } },
      requestId: "arm-rid",
    });
    expect(e).toMatchObject({
      code: "CSP_CONFLICT",
      serviceCode: "RoleAssignmentExists",
      requestId: "arm-rid",
    });
    expect(e.message).toContain("Azure Resource Manager");
    expect(e.hint).toContain("adopt");
  });

  it("maps an Entra token error to its AADSTS code, first description line and trace id", () => {
    const e = errorFromResponse({
      service: "identity",
      method: "POST",
      path: "/t/oauth2/v2.0/token",
      status: 400,
      body: vector("25-entra-token-error-invalid-scope.json"),
    });
    expect(e).toMatchObject({
      service: "identity",
      serviceCode: "AADSTS70011",
      requestId: "255d1aef-8c98-452f-ac51-23d051240864",
    });
    expect(e.message).not.toContain("Trace ID");
  });

  it.each([
    ["13605", 403, "Microsoft Customer Agreement"],
    ["2055", 400, "ETag"],
    ["900124", 403, "Microsoft Partner Agreement"],
    ["900421", 401, "multi-factor"],
    ["900420", 401, "Azure AD Graph"],
  ])("gives guidance for Partner Center code %s", (code, status, text) => {
    const e = errorFromResponse({
      service: "partnerCenter",
      method: "POST",
      path: "/v1/customers/c/carts",
      status,
      body: { code: Number(code), description: "x", data: [], source: "PartnerFD" },
    });
    expect(e.hint).toContain(text);
    expect(e.message).toContain("What to do:");
  });

  it("treats business-rule 403s as API errors and other 403s as authorization errors", () => {
    const mca = errorFromResponse({
      service: "partnerCenter",
      method: "POST",
      path: "/p",
      status: 403,
      body: { code: 13605, description: "x" },
    });
    const denied = errorFromResponse({
      service: "graph",
      method: "GET",
      path: "/p",
      status: 403,
      body: { error: { code: "Authorization_RequestDenied", message: "no" } },
    });
    expect(mca.code).toBe("CSP_API_ERROR");
    expect(mca.code === "CSP_API_ERROR" && mca.serviceCode).toBe("13605");
    expect(denied.code).toBe("CSP_AUTH_ERROR");
  });

  it("keeps a non-JSON body readable", () => {
    const e = errorFromResponse({
      service: "arm",
      method: "GET",
      path: "/p",
      status: 502,
      body: "Bad Gateway",
    });
    expect(e.message).toContain("Bad Gateway");
    expect(e.hint).toContain("run the operation again");
  });
});

describe("CspError", () => {
  it("is recognised across package copies through its Symbol.for brand, not instanceof", () => {
    const e = new CspError({ code: "CSP_CONFIG", service: "config", summary: "x" });
    expect(isCspError(e)).toBe(true);
    const foreign = Object.create(Error.prototype) as Record<symbol, unknown>;
    Object.defineProperty(foreign, Symbol.for("pulumi-csp.CspError"), { value: true });
    expect(isCspError(foreign)).toBe(true);
    expect(isCspError(new Error("x"))).toBe(false);
    expect(isCspError({ code: "CSP_CONFIG" })).toBe(false);
  });

  it("keeps request and response off the enumerable surface and tokens out of the message", () => {
    const e = errorFromResponse({
      service: "graph",
      method: "GET",
      path: "/v1.0/me",
      status: 401,
      body: {
        error: {
          code: "InvalidAuthenticationToken",
          message: "Token eyJhbGciOi.eyJzdWIiOiJ4In0.c2lnbmF0dXJl is expired",
        },
      },
      request: { headers: { authorization: "Bearer secret" } },
    });
    expect(Object.keys(e)).not.toContain("request");
    expect(Object.keys(e)).not.toContain("response");
    expect(JSON.stringify(e)).not.toContain("Bearer");
    expect(e.request).toBeDefined();
    expect(e.message).not.toContain("eyJ");
    expect(String(e)).toMatch(/^CspError \[CSP_AUTH_ERROR\]: Microsoft Graph: GET \/v1.0\/me failed/);
  });
});
