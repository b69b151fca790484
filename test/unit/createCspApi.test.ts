import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCspApi, sharedDispatcher } from "../../provider/clients/createCspApi";
import { resolveConfig } from "../../provider/config";
import type { CspConfig } from "../../provider/configTypes";
import type { RateLimiter } from "../../provider/http/rateLimiter";
import { createTestCa } from "./helpers/testCa";
import { type Reply, type SeenRequest, startHttpsServer, type TestServer } from "./helpers/testServer";

const TENANT = "11111111-1111-1111-1111-111111111111";
const CLIENT = "33333333-3333-3333-3333-333333333333";

let server: TestServer;
let dir: string;
let caPath: string;
let apiHandler: (req: SeenRequest) => Reply;
let issued = 0;
const configs: CspConfig[] = [];

beforeAll(async () => {
  const ca = await createTestCa();
  dir = mkdtempSync(join(tmpdir(), "csp-api-"));
  caPath = join(dir, "ca.pem");
  writeFileSync(caPath, ca.caCertPem);
  server = await startHttpsServer(ca, (req) => {
    if (/\/oauth2\/v2\.0\/token$/.test(req.path)) {
      issued++;
      return {
        status: 200,
        body: { token_type: "Bearer", expires_in: 3599, access_token: `access-token-${issued}` },
      };
    }
    return apiHandler(req);
  });
});
afterAll(async () => {
  for (const c of configs) await sharedDispatcher(c).close();
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  apiHandler = () => ({ status: 200, body: { totalCount: 0, items: [] } });
});

function config(extra: Record<string, string> = {}): CspConfig {
  const c = resolveConfig({
    env: {
      CSP_CLOUD: "emulator",
      CSP_LOGIN_URL: server.url,
      CSP_PARTNER_CENTER_URL: `${server.url}/partnercenter`,
      CSP_GRAPH_URL: `${server.url}/graph`,
      CSP_ARM_URL: `${server.url}/arm`,
      CSP_CA_CERT: caPath,
      CSP_TENANT_ID: TENANT,
      CSP_CLIENT_ID: CLIENT,
      CSP_CLIENT_SECRET: "the-client-secret",
      CSP_MAX_RETRIES: "1",
      ...extra,
    },
    getConfig: () => undefined,
  });
  configs.push(c);
  return c;
}

describe("createCspApi", () => {
  it("touches no network until the first call", () => {
    const api = createCspApi(config(), "default");
    expect(api).toMatchObject({ account: "default", partnerTenantId: TENANT, clientId: CLIENT });
    expect(api.partnerCenter.baseUrl).toBe(`${server.url}/partnercenter`);
    expect(server.requests).toHaveLength(0);
  });

  it("gets a token from the configured authority and calls Partner Center with it, trusting the configured CA", async () => {
    const api = createCspApi(config(), "default");
    const res = await api.partnerCenter.send({ method: "GET", path: "/v1/customers", query: { size: 10 } });
    expect(res.body).toEqual({ totalCount: 0, items: [] });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /${TENANT}/oauth2/v2.0/token`,
      "GET /partnercenter/v1/customers",
    ]);
    expect(server.requests[1]!.headers["authorization"]).toMatch(/^Bearer access-token-\d+$/);
    await api.graph.send({ method: "GET", path: "/v1.0/organization" });
    await api.partnerCenter.send({ method: "GET", path: "/v1/customers" });
    // Graph needed its own token; the Partner Center token was reused.
    expect(server.requests.filter((r) => r.path.endsWith("/token"))).toHaveLength(2);
  });

  it("fails with CSP_CONFIG naming the variables when the account has no credentials, without any request", async () => {
    const api = createCspApi(config({ CSP_CLIENT_SECRET: "" }), "default");
    await expect(api.arm.send({ method: "GET", path: "/subscriptions" })).rejects.toMatchObject({
      code: "CSP_CONFIG",
      message: expect.stringContaining("CSP_CLIENT_SECRET"),
    });
    const other = createCspApi(config(), "eu");
    await expect(other.graph.send({ method: "GET", path: "/v1.0/me" })).rejects.toMatchObject({
      code: "CSP_CONFIG",
      message: expect.stringContaining("CSP_ACCOUNT_EU_TENANT_ID"),
    });
    expect(server.requests).toHaveLength(0);
  });

  it("gets a fresh token and repeats the call once when a cached token is rejected with 401", async () => {
    let rejectNext = false;
    apiHandler = () => {
      if (rejectNext) {
        rejectNext = false;
        return { status: 401, body: { error: { code: "InvalidAuthenticationToken", message: "expired" } } };
      }
      return { status: 200, body: { value: [] } };
    };
    const api = createCspApi(config(), "default");
    await api.graph.send({ method: "GET", path: "/v1.0/users" });
    rejectNext = true;
    await api.graph.send({ method: "POST", path: "/v1.0/users", body: { displayName: "x" } });
    const seen = server.requests.map((r) => `${r.method} ${r.path.replace(TENANT, "T")}`);
    expect(seen).toEqual([
      "POST /T/oauth2/v2.0/token",
      "GET /graph/v1.0/users",
      "POST /graph/v1.0/users",
      "POST /T/oauth2/v2.0/token",
      "POST /graph/v1.0/users",
    ]);
    expect(server.requests[2]!.headers["authorization"]).not.toBe(
      server.requests[4]!.headers["authorization"],
    );
  });

  it("passes Partner Center calls through the client-side rate limiter per (account, family, customer tenant)", async () => {
    const keys: string[] = [];
    const limiter: RateLimiter = {
      async acquire(key) {
        keys.push(key);
      },
    };
    const api = createCspApi(config(), "default", { rateLimiter: limiter });
    await api.partnerCenter.send({ method: "GET", path: "/v1/customers/c1/subscriptions" });
    await api.partnerCenter.send({ method: "GET", path: "/v1/customers/c1" });
    await api.partnerCenter.send({ method: "GET", path: "/v1/customers" });
    await api.graph.send({ method: "GET", path: "/v1.0/organization" });
    expect(keys).toEqual(["default/subscriptions/c1", "default/customers/c1", "default/customers"]);
  });

  it("writes the CSP_HTTP_LOG trace for token and API exchanges with no secret in it", async () => {
    const log = join(dir, "http.log");
    const api = createCspApi(config({ CSP_HTTP_LOG: log }), "default");
    await api.partnerCenter.send({ method: "GET", path: "/v1/customers" });
    const lines = readFileSync(log, "utf8").trim().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { service: string }).service)).toEqual([
      "identity",
      "partnerCenter",
    ]);
    const text = lines.join("\n");
    expect(text).not.toContain("the-client-secret");
    expect(text).not.toMatch(/access-token-\d/);
  });
});
