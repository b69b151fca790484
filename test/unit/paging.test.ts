import { describe, expect, it } from "vitest";
import { listArm, listGraph, listPartnerCenter } from "../../provider/clients/paging";
import { createServiceClient } from "../../provider/http/serviceClient";
import type { Service } from "../../provider/http/types";
import { fakeTokens } from "./helpers/fakeTokens";
import { serveForFile } from "./helpers/serveForFile";
import type { Handler } from "./helpers/testServer";

let handler: Handler = () => ({ status: 404 });
const { server, dispatcher } = serveForFile((req, i) => handler(req, i));

function client(service: Service, prefix = "") {
  server.requests.length = 0;
  return createServiceClient({
    service,
    baseUrl: server.url + prefix,
    dispatcher,
    tokens: fakeTokens(),
    rateLimiter: false,
  });
}

describe("paging", () => {
  it("follows Partner Center links.next with its MS-ContinuationToken across three pages", async () => {
    handler = (req) => {
      const token = req.headers["ms-continuationtoken"];
      if (!token) {
        return {
          status: 200,
          body: {
            totalCount: 2,
            items: [{ id: "a" }, { id: "b" }],
            links: {
              self: { uri: "/customers?size=2", method: "GET", headers: [] },
              next: {
                uri: "/customers?size=2&seekOperation=Next",
                method: "GET",
                headers: [{ key: "MS-ContinuationToken", value: "page2" }],
              },
            },
            attributes: { objectType: "Collection" },
          },
        };
      }
      if (token === "page2") {
        return {
          status: 200,
          body: {
            totalCount: 2,
            items: [{ id: "c" }, { id: "d" }],
            links: {
              next: {
                uri: "/v1/customers?size=2&seekOperation=Next",
                method: "GET",
                headers: [{ key: "MS-ContinuationToken", value: "page3" }],
              },
            },
          },
        };
      }
      return { status: 200, body: { totalCount: 1, items: [{ id: "e" }], links: {} } };
    };
    const c = client("partnerCenter", "/partnercenter");
    const items = await listPartnerCenter<{ id: string }>(c, {
      method: "GET",
      path: "/v1/customers",
      query: { size: 2 },
    });
    expect(items.map((i) => i.id)).toEqual(["a", "b", "c", "d", "e"]);
    expect(server.requests.map((r) => r.path)).toEqual([
      "/partnercenter/v1/customers",
      "/partnercenter/v1/customers",
      "/partnercenter/v1/customers",
    ]);
    expect(server.requests[1]!.query.get("seekOperation")).toBe("Next");
    expect(server.requests.map((r) => r.headers["ms-continuationtoken"])).toEqual([
      undefined,
      "page2",
      "page3",
    ]);
  });

  it("uses a top-level Partner Center continuationToken with seekOperation=Next when no link is given", async () => {
    handler = (req) => {
      const token = req.headers["ms-continuationtoken"];
      if (!token) return { status: 200, body: { items: [1], continuationToken: "t2" } };
      if (token === "t2") return { status: 200, body: { items: [2], continuationToken: "t3" } };
      return { status: 200, body: { items: [3] } };
    };
    const c = client("partnerCenter");
    const items = await listPartnerCenter<number>(c, {
      method: "GET",
      path: "/v1/customers/c/users",
      query: { size: 1 },
    });
    expect(items).toEqual([1, 2, 3]);
    expect(server.requests.map((r) => r.query.get("seekOperation"))).toEqual([null, "Next", "Next"]);
    expect(server.requests.map((r) => r.query.get("size"))).toEqual(["1", "1", "1"]);
  });

  it("follows Graph @odata.nextLink verbatim across three pages", async () => {
    handler = (req) => {
      const skip = req.query.get("$skiptoken");
      const base = `${server.url}/graph/v1.0/applications`;
      if (!skip)
        return {
          status: 200,
          body: { value: [{ id: 1 }], "@odata.nextLink": `${base}?$top=1&$skiptoken=p2` },
        };
      if (skip === "p2")
        return {
          status: 200,
          body: { value: [{ id: 2 }], "@odata.nextLink": `${base}?$top=1&$skiptoken=p3` },
        };
      return { status: 200, body: { value: [{ id: 3 }] } };
    };
    const c = client("graph", "/graph");
    const items = await listGraph<{ id: number }>(c, {
      method: "GET",
      path: "/v1.0/applications",
      query: { $top: 1 },
      auth: { mode: "app", tenantId: "customer" },
    });
    expect(items.map((i) => i.id)).toEqual([1, 2, 3]);
    expect(server.requests.map((r) => r.query.get("$skiptoken"))).toEqual([null, "p2", "p3"]);
    expect(new Set(server.requests.map((r) => r.headers["authorization"]))).toEqual(
      new Set(["Bearer test-access-token-graph-app"]),
    );
  });

  it("follows ARM nextLink across three pages", async () => {
    handler = (req) => {
      const page = req.query.get("page");
      const next = (p: string) =>
        `${server.url}/arm/subscriptions/s/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&page=${p}`;
      if (!page) return { status: 200, body: { value: ["r1"], nextLink: next("2") } };
      if (page === "2") return { status: 200, body: { value: ["r2"], nextLink: next("3") } };
      return { status: 200, body: { value: ["r3"] } };
    };
    const c = client("arm", "/arm");
    const items = await listArm<string>(c, {
      method: "GET",
      path: "/subscriptions/s/providers/Microsoft.Authorization/roleAssignments",
      query: { "api-version": "2022-04-01" },
    });
    expect(items).toEqual(["r1", "r2", "r3"]);
    expect(server.requests.map((r) => r.query.get("api-version"))).toEqual([
      "2022-04-01",
      "2022-04-01",
      "2022-04-01",
    ]);
  });

  it("refuses to send the bearer token to a next link on another origin", async () => {
    handler = () => ({
      status: 200,
      body: { value: [1], "@odata.nextLink": "https://attacker.example/v1.0/users?$skiptoken=x" },
    });
    const c = client("graph");
    await expect(listGraph(c, { method: "GET", path: "/v1.0/users" })).rejects.toMatchObject({
      code: "CSP_API_ERROR",
    });
    expect(server.requests).toHaveLength(1);
  });

  it("stops when the service repeats a continuation instead of looping forever", async () => {
    handler = () => ({ status: 200, body: { value: [1], nextLink: `${server.url}/same` } });
    const c = client("arm");
    await expect(listArm(c, { method: "GET", path: "/x" })).rejects.toThrow(/same continuation twice/);
  });
});
