import type { Dispatcher } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMsalTokenProvider } from "../../provider/auth/msalTokenProvider";
import type { AccountCredentials } from "../../provider/configTypes";
import { isCspError } from "../../provider/errors";
import { createDispatcher } from "../../provider/http/dispatcher";
import type { TraceEntry } from "../../provider/http/traceSink";
import { createRsaClientCertificatePem, createTestCa } from "./helpers/testCa";
import { type Reply, type SeenRequest, startHttpsServer, type TestServer } from "./helpers/testServer";

const TENANT = "11111111-1111-1111-1111-111111111111";
const CUSTOMER = "22222222-2222-2222-2222-222222222222";
const CLIENT = "33333333-3333-3333-3333-333333333333";
const USER = "44444444-4444-4444-4444-444444444444";

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

let server: TestServer;
let dispatcher: Dispatcher;
let tokenHandler: (form: URLSearchParams, req: SeenRequest) => Reply;
let issued = 0;

/** A minimal Entra v2 token endpoint: client credentials and refresh-token redemption with rotation. */
function defaultTokenHandler(form: URLSearchParams, req: SeenRequest): Reply {
  const tenant = req.path.split("/")[1]!;
  issued++;
  if (form.get("grant_type") === "client_credentials") {
    return {
      status: 200,
      body: {
        token_type: "Bearer",
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: `app-${tenant}-${issued}`,
      },
    };
  }
  const rt = form.get("refresh_token") ?? "";
  const generation = Number(rt.replace("rt-", "")) + 1;
  const idToken = `${b64url({ alg: "none", typ: "JWT" })}.${b64url({
    aud: CLIENT,
    iss: `https://login.example/${tenant}/v2.0`,
    tid: tenant,
    oid: USER,
    sub: "subject",
    preferred_username: "agent@partner.example",
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(Date.now() / 1000) + 3600,
  })}.`;
  return {
    status: 200,
    body: {
      token_type: "Bearer",
      scope: form.get("scope"),
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: `user-${tenant}-${issued}`,
      refresh_token: `rt-${generation}`,
      id_token: idToken,
      client_info: b64url({ uid: USER, utid: TENANT }),
    },
  };
}

beforeAll(async () => {
  const ca = await createTestCa();
  server = await startHttpsServer(ca, (req) => {
    if (req.method === "POST" && /\/oauth2\/v2\.0\/token$/.test(req.path)) {
      return tokenHandler(new URLSearchParams(req.body), req);
    }
    return { status: 404, body: { error: "not_found" } };
  });
  dispatcher = createDispatcher({ caCertPem: ca.caCertPem });
});
afterAll(async () => {
  await server.close();
  await dispatcher.close();
});
beforeEach(() => {
  server.requests.length = 0;
  tokenHandler = defaultTokenHandler;
});

function provider(account: Partial<AccountCredentials> = {}, trace?: (e: TraceEntry) => void) {
  return createMsalTokenProvider({
    config: {
      cloud: "emulator",
      endpoints: {
        login: server.url,
        partnerCenter: `${server.url}/pc`,
        graph: `${server.url}/graph`,
        arm: `${server.url}/arm`,
      },
    },
    account: {
      name: "default",
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: "app-secret",
      refreshToken: "rt-0",
      ...account,
    },
    dispatcher,
    ...(trace ? { trace } : {}),
  });
}

const forms = () => server.requests.map((r) => new URLSearchParams(r.body));

describe("msal token provider against a local HTTPS authority", () => {
  it("makes exactly one request, the token POST, for an app-only token", async () => {
    const token = await provider().getToken({ service: "partnerCenter", mode: "app" });
    expect(token).toMatch(/^app-/);
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req!.method).toBe("POST");
    expect(req!.path).toBe(`/${TENANT}/oauth2/v2.0/token`);
    const form = forms()[0]!;
    expect(form.get("grant_type")).toBe("client_credentials");
    expect(form.get("scope")).toBe("https://api.partnercenter.microsoft.com/.default");
    expect(form.get("client_id")).toBe(CLIENT);
  });

  it("asks once for 20 concurrent callers and caches per (tenant, audience)", async () => {
    const p = provider();
    const tokens = await Promise.all(
      Array.from({ length: 20 }, () => p.getToken({ service: "graph", mode: "app" })),
    );
    expect(new Set(tokens).size).toBe(1);
    expect(server.requests).toHaveLength(1);
    await p.getToken({ service: "graph", mode: "app", tenantId: CUSTOMER });
    await p.getToken({ service: "arm", mode: "app" });
    await p.getToken({ service: "graph", mode: "app" });
    expect(server.requests.map((r) => r.path)).toEqual([
      `/${TENANT}/oauth2/v2.0/token`,
      `/${CUSTOMER}/oauth2/v2.0/token`,
      `/${TENANT}/oauth2/v2.0/token`,
    ]);
    expect(forms()[2]!.get("scope")).toBe("https://management.azure.com/.default");
  });

  it("redeems the refresh token for app+user tokens and keeps the rotated one in memory for the next redemption", async () => {
    const p = provider();
    const pc = await p.getToken({ service: "partnerCenter", mode: "user" });
    expect(pc).toMatch(/^user-/);
    await p.getToken({ service: "arm", mode: "user", tenantId: CUSTOMER });
    await p.getToken({ service: "partnerCenter", mode: "user" }, { forceRefresh: true });
    const f = forms();
    expect(f.map((x) => x.get("grant_type"))).toEqual(["refresh_token", "refresh_token", "refresh_token"]);
    expect(f.map((x) => x.get("refresh_token"))).toEqual(["rt-0", "rt-1", "rt-2"]);
    expect(f[0]!.get("scope")).toContain("https://api.partnercenter.microsoft.com/user_impersonation");
    expect(f[1]!.get("scope")).toContain("https://management.azure.com/user_impersonation");
    expect(server.requests[1]!.path).toBe(`/${CUSTOMER}/oauth2/v2.0/token`);
    expect(server.requests.every((r) => r.method === "POST")).toBe(true);
  });

  it("serialises concurrent redemptions so each uses the newest refresh token", async () => {
    const p = provider();
    await Promise.all([
      p.getToken({ service: "partnerCenter", mode: "user" }),
      p.getToken({ service: "graph", mode: "user" }),
      p.getToken({ service: "arm", mode: "user" }),
    ]);
    expect(forms().map((x) => x.get("refresh_token"))).toEqual(["rt-0", "rt-1", "rt-2"]);
  });

  it("signs a client assertion instead of sending a secret when a certificate is configured", async () => {
    const pem = await createRsaClientCertificatePem();
    await provider({ clientSecret: undefined, clientCertificatePem: pem }).getToken({
      service: "graph",
      mode: "app",
    });
    const form = forms()[0]!;
    expect(form.get("client_secret")).toBeNull();
    expect(form.get("client_assertion_type")).toBe("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    expect(form.get("client_assertion")?.split(".")).toHaveLength(3);
  });

  it("tells the user to re-run onboarding when the refresh token expired (AADSTS700082)", async () => {
    tokenHandler = () => ({
      status: 400,
      body: {
        error: "invalid_grant",
        error_description:
          "AADSTS700082: The refresh token has expired due to inactivity.\r\nTrace ID: 255d1aef-8c98-452f-ac51-23d051240864\r\nCorrelation ID: x\r\nTimestamp: 2025-01-01 00:00:00Z",
        error_codes: [700082],
      },
    });
    const e = await provider()
      .getToken({ service: "partnerCenter", mode: "user" })
      .catch((x: unknown) => x);
    expect(isCspError(e)).toBe(true);
    expect(e).toMatchObject({
      code: "CSP_AUTH_ERROR",
      service: "identity",
      serviceCode: "AADSTS700082",
      status: 400,
    });
    expect(String(e)).toContain("pulumi-csp login");
    expect(String(e)).toContain("255d1aef-8c98-452f-ac51-23d051240864");
    expect(String(e)).not.toContain("rt-0");
  });

  it("says the client secret is wrong for AADSTS7000215, without showing it", async () => {
    tokenHandler = () => ({
      status: 401,
      body: {
        error: "invalid_client",
        error_description: "AADSTS7000215: Invalid client secret provided.",
        error_codes: [7000215],
      },
    });
    const e = await provider()
      .getToken({ service: "graph", mode: "app" })
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ code: "CSP_AUTH_ERROR", serviceCode: "AADSTS7000215" });
    expect(String(e)).toContain("CSP_CLIENT_SECRET");
    expect(String(e)).not.toContain("app-secret");
  });

  it("rides through a 503 and a 429 of the token endpoint, honouring Retry-After, for both token kinds", async () => {
    let n = 0;
    tokenHandler = (form, req) => {
      n++;
      if (n === 1) return { status: 503, body: "Service Unavailable" };
      if (n === 2)
        return { status: 429, headers: { "retry-after": "0" }, body: { error: "temporarily_unavailable" } };
      return defaultTokenHandler(form, req);
    };
    const p = provider();
    expect(await p.getToken({ service: "partnerCenter", mode: "app" })).toMatch(/^app-/);
    expect(server.requests).toHaveLength(3);
    n = 0;
    expect(await p.getToken({ service: "partnerCenter", mode: "user" })).toMatch(/^user-/);
    expect(server.requests).toHaveLength(6);
  });

  it("when the token endpoint stays unavailable, says so (not a credential problem) and asks the endpoint again next time", async () => {
    tokenHandler = () => ({ status: 503, headers: { "retry-after": "0" }, body: "Service Unavailable" });
    const p = provider();
    const e = await p.getToken({ service: "graph", mode: "app" }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: "CSP_NETWORK", status: 503 });
    expect(String(e)).not.toMatch(/secret|certificate|consent|login/i);
    const tries = server.requests.length;
    expect(tries).toBeGreaterThan(1);
    // msal would answer the same request from its throttling cache for a minute: it must not.
    tokenHandler = defaultTokenHandler;
    expect(await p.getToken({ service: "graph", mode: "app" })).toMatch(/^app-/);
    expect(server.requests.length).toBe(tries + 1);
  });

  it("names the missing variables instead of calling the token endpoint", async () => {
    const e = await provider({ clientSecret: undefined })
      .getToken({ service: "graph", mode: "app" })
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ code: "CSP_CONFIG" });
    expect(String(e)).toContain("CSP_CLIENT_SECRET");
    const u = await provider({ refreshToken: undefined })
      .getToken({ service: "graph", mode: "user" })
      .catch((x: unknown) => x);
    expect(String(u)).toContain("CSP_REFRESH_TOKEN");
    expect(server.requests).toHaveLength(0);
  });

  it("traces token requests with the secret, refresh token and tokens redacted", async () => {
    const lines: string[] = [];
    const p = provider({}, (e) => lines.push(JSON.stringify(e)));
    await p.getToken({ service: "partnerCenter", mode: "app" });
    await p.getToken({ service: "partnerCenter", mode: "user" });
    expect(lines).toHaveLength(2);
    const text = lines.join("\n");
    for (const secret of ["app-secret", "rt-0", "rt-1", "app-", "user-"]) expect(text).not.toContain(secret);
    expect(text).toContain("client_credentials");
  });
});
