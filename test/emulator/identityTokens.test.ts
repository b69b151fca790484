import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
  randomUUID,
  sign,
  verify,
  X509Certificate,
} from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index";
import { appForm, ask, claimsOf, grantSeedAgentGdap, tokenRequest, userForm } from "./coreTestKit";

const PC = "https://api.partnercenter.microsoft.com";
const GRAPH = "https://graph.microsoft.com";
const vector25 = JSON.parse(
  readFileSync(join(__dirname, "../fixtures/vectors/25-entra-token-error-invalid-scope.json"), "utf8"),
);

let emu: RunningEmulator;
let tenant: string;

beforeAll(async () => {
  emu = await startEmulator({ partners: 2 });
  tenant = emu.seed.partnerTenantId;
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(async () => {
  await emu.reset();
});

/** Creates a customer of the default partner through Partner Center (published request, vector 01). */
async function createCustomer(): Promise<string> {
  const app = await tokenRequest(emu, tenant, appForm(emu, `${PC}/.default`));
  const domain = `cust${randomUUID().slice(0, 8)}.onmicrosoft.com`;
  const created = await ask(emu, {
    path: "/partnercenter/v1/customers",
    headers: { authorization: `Bearer ${app.body.access_token}`, "ms-requestid": randomUUID() },
    json: {
      CompanyProfile: { Domain: domain },
      BillingProfile: {
        Culture: "EN-US",
        Email: "test@outlook.com",
        Language: "en",
        CompanyName: "test company",
        DefaultAddress: {
          FirstName: "Test",
          LastName: "Test",
          AddressLine1: "One Microsoft Way",
          City: "Redmond",
          State: "WA",
          PostalCode: "98052",
          Country: "US",
        },
      },
    },
  });
  expect(created.status).toBe(201);
  return String(created.body.id);
}

describe("Entra ID token errors", () => {
  it("rejects a wrong client secret with invalid_client AADSTS7000215 and HTTP 401", async () => {
    const r = await tokenRequest(emu, tenant, { ...appForm(emu, `${PC}/.default`), client_secret: "wrong" });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe("invalid_client");
    expect(r.body.error_codes).toEqual([7000215]);
  });

  it("rejects an unknown client with unauthorized_client AADSTS700016", async () => {
    const r = await tokenRequest(emu, tenant, { ...appForm(emu, `${PC}/.default`), client_id: randomUUID() });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("unauthorized_client");
    expect(r.body.error_codes).toEqual([700016]);
  });

  it("rejects a scope of an unknown resource with invalid_scope AADSTS70011 in the published error shape", async () => {
    const r = await tokenRequest(emu, tenant, appForm(emu, "https://foo.microsoft.com/.default"));
    expect(r.status).toBe(400);
    expect(Object.keys(r.body)).toEqual(expect.arrayContaining(Object.keys(vector25)));
    expect(r.body.error).toBe("invalid_scope");
    expect(r.body.error_codes).toEqual([70011]);
    expect(r.body.error_description).toMatch(
      /^AADSTS70011: The provided value for the input parameter 'scope' is not valid\. The scope https:\/\/foo\.microsoft\.com\/\.default is not valid\.\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    );
    expect(r.body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  });

  it("answers each malformed token request with its own status, OAuth error and AADSTS code", async () => {
    const app = appForm(emu, `${PC}/.default`);
    const jwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    const cases: [string, string, Record<string, string>, number, string, number][] = [
      ["no grant_type", tenant, { client_id: emu.seed.clientId }, 400, "invalid_request", 900144],
      ["password grant", tenant, { ...app, grant_type: "password" }, 400, "unsupported_grant_type", 70003],
      ["client credentials on common", "common", app, 400, "invalid_request", 900023],
      ["unknown tenant", "nosuch.example", app, 400, "invalid_request", 90002],
      ["no credential", tenant, { ...app, client_secret: "" }, 401, "invalid_client", 7000218],
      [
        "assertion of another type",
        tenant,
        { ...app, client_secret: "", client_assertion: "a.b.c", client_assertion_type: "other" },
        400,
        "invalid_request",
        50027,
      ],
      [
        "assertion that is no JWT",
        tenant,
        { ...app, client_secret: "", client_assertion: "abc", client_assertion_type: jwtBearer },
        401,
        "invalid_client",
        700027,
      ],
      [
        "two resources",
        tenant,
        appForm(emu, `${PC}/.default ${GRAPH}/.default`),
        400,
        "invalid_scope",
        28000,
      ],
      ["no /.default", tenant, appForm(emu, `${GRAPH}/User.Read.All`), 400, "invalid_scope", 1002012],
      [
        "unknown code",
        tenant,
        { ...app, grant_type: "authorization_code", code: "nope" },
        400,
        "invalid_grant",
        70000,
      ],
    ];
    for (const [name, at, form, status, error, code] of cases) {
      const r = await tokenRequest(
        emu,
        at,
        Object.fromEntries(Object.entries(form).filter(([, v]) => v !== "")),
      );
      expect([name, r.status, r.body.error, r.body.error_codes]).toEqual([name, status, error, [code]]);
      expect(String(r.body.error_description)).toMatch(new RegExp(`^AADSTS${code}: `));
    }
  });

  it("authenticates a client by an assertion signed with its registered certificate, and rejects another key", async () => {
    const pem = readFileSync(String(emu.seed.clientCertificatePath), "utf8");
    const cert = new X509Certificate(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)![0],
    );
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const assertion = (key: KeyObject) => {
      const now = Math.floor(Date.now() / 1000);
      const input = `${b64({ alg: "RS256", typ: "JWT", x5t: createHash("sha1").update(cert.raw).digest("base64url") })}.${b64(
        {
          aud: `${emu.url}/${tenant}/oauth2/v2.0/token`,
          iss: emu.seed.clientId,
          sub: emu.seed.clientId,
          jti: randomUUID(),
          nbf: now,
          exp: now + 600,
        },
      )}`;
      return `${input}.${sign("RSA-SHA256", Buffer.from(input), key).toString("base64url")}`;
    };
    const form = (key: KeyObject) => ({
      grant_type: "client_credentials",
      client_id: emu.seed.clientId,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion(key),
      scope: `${PC}/.default`,
    });
    const ok = await tokenRequest(emu, tenant, form(createPrivateKey(pem)));
    expect(ok.status).toBe(200);
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const refused = await tokenRequest(emu, tenant, form(other));
    expect([refused.status, refused.body.error, refused.body.error_codes]).toEqual([
      401,
      "invalid_client",
      [700027],
    ]);
  });

  it("answers invalid_grant for unknown (AADSTS9002313), revoked (AADSTS50173) and expired (AADSTS700082) refresh tokens", async () => {
    const unknown = await tokenRequest(emu, tenant, userForm(emu, `${PC}/user_impersonation`, "0.Anope"));
    expect([unknown.status, unknown.body.error, unknown.body.error_codes]).toEqual([
      400,
      "invalid_grant",
      [9002313],
    ]);

    expect(await emu.admin.revokeRefreshTokens(emu.seed.adminAgentUserId)).toBeGreaterThan(0);
    const revoked = await tokenRequest(emu, tenant, userForm(emu, `${PC}/user_impersonation`));
    expect([revoked.status, revoked.body.error, revoked.body.error_codes]).toEqual([
      400,
      "invalid_grant",
      [50173],
    ]);

    await emu.reset();
    await emu.admin.advanceTime(91 * 24 * 3600_000);
    const expired = await tokenRequest(emu, tenant, userForm(emu, `${PC}/user_impersonation`));
    expect([expired.status, expired.body.error, expired.body.error_codes]).toEqual([
      400,
      "invalid_grant",
      [700082],
    ]);
  });
});

describe("Entra ID tokens", () => {
  it("rotates refresh tokens: each redemption returns a new one, and earlier ones stay valid until they expire", async () => {
    const first = await tokenRequest(emu, tenant, userForm(emu, `${PC}/user_impersonation`));
    expect(first.status).toBe(200);
    const second = await tokenRequest(
      emu,
      tenant,
      userForm(emu, `${PC}/user_impersonation`, String(first.body.refresh_token)),
    );
    expect(second.status).toBe(200);
    expect(new Set([emu.seed.refreshToken, first.body.refresh_token, second.body.refresh_token]).size).toBe(
      3,
    );
    const again = await tokenRequest(emu, tenant, userForm(emu, `${PC}/user_impersonation`));
    expect(again.status).toBe(200);

    expect(claimsOf(second.body.access_token)).toMatchObject({
      aud: PC,
      scp: "user_impersonation",
      idtyp: "user",
    });
    expect(JSON.parse(Buffer.from(String(second.body.client_info), "base64url").toString())).toEqual({
      uid: emu.seed.adminAgentUserId,
      utid: tenant,
    });
    expect(claimsOf(second.body.id_token)).toMatchObject({ aud: emu.seed.clientId, tid: tenant });
  });

  it("signs tokens with the key published at the JWKS endpoint, and the openid-configuration points at the emulator", async () => {
    const config = await ask(emu, { path: `/${tenant}/v2.0/.well-known/openid-configuration` });
    expect(config.body).toMatchObject({
      issuer: `${emu.url}/${tenant}/v2.0`,
      token_endpoint: `${emu.url}/${tenant}/oauth2/v2.0/token`,
      authorization_endpoint: `${emu.url}/${tenant}/oauth2/v2.0/authorize`,
    });
    const jwks = await ask(emu, { path: new URL(String(config.body.jwks_uri)).pathname });
    const issued = await tokenRequest(emu, tenant, appForm(emu, "https://graph.microsoft.com/.default"));
    const token = String(issued.body.access_token);
    const [h, p, s] = token.split(".");
    const kid = JSON.parse(Buffer.from(h, "base64url").toString()).kid;
    const jwk = (jwks.body.keys as JsonWebKey[]).find((k) => k.kid === kid);
    expect(jwk).toBeDefined();
    const key = createPublicKey({ key: jwk!, format: "jwk" });
    expect(verify("RSA-SHA256", Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url"))).toBe(true);

    const unknown = await ask(emu, { path: `/${randomUUID()}/v2.0/.well-known/openid-configuration` });
    expect([unknown.status, unknown.body.error_codes]).toEqual([400, [90002]]);
  });

  it("gives app-only tokens in a customer tenant only after Partner Center application consent, with the consented app roles", async () => {
    const customerId = await createCustomer();
    const graph = "https://graph.microsoft.com/.default";
    const before = await tokenRequest(emu, customerId, appForm(emu, graph));
    expect([before.status, before.body.error_codes]).toEqual([400, [700016]]);

    // Consenting Graph application permissions takes Privileged Role Administrator through GDAP.
    await grantSeedAgentGdap(emu, customerId);
    const user = await tokenRequest(emu, tenant, userForm(emu, `${PC}/user_impersonation`));
    const consent = await ask(emu, {
      path: `/partnercenter/v1/customers/${customerId}/applicationconsents`,
      headers: { authorization: `Bearer ${user.body.access_token}` },
      json: {
        applicationId: emu.seed.clientId,
        applicationGrants: [
          {
            enterpriseApplicationId: "00000003-0000-0000-c000-000000000000",
            scope: "Application.ReadWrite.All",
          },
        ],
      },
    });
    expect(consent.status).toBe(201);

    const after = await tokenRequest(emu, customerId, appForm(emu, graph));
    expect(after.status).toBe(200);
    expect(claimsOf(after.body.access_token)).toMatchObject({
      tid: customerId,
      idtyp: "app",
      roles: ["Application.ReadWrite.All"],
    });
  });

  it("redeems the admin agent's refresh token in a customer tenant of its partner (admin-on-behalf-of), not in another tenant", async () => {
    const customerId = await createCustomer();
    const aobo = await tokenRequest(emu, customerId, userForm(emu, "https://management.azure.com//.default"));
    expect(aobo.status).toBe(200);
    expect(claimsOf(aobo.body.access_token)).toMatchObject({
      aud: "https://management.azure.com/",
      tid: customerId,
      oid: emu.seed.adminAgentUserId,
      idp: `https://sts.windows.net/${tenant}/`,
      scp: "user_impersonation",
    });

    const otherPartner = emu.accounts[1].partnerTenantId;
    expect(emu.env.CSP_ACCOUNT_EU_TENANT_ID).toBe(otherPartner);
    const refused = await tokenRequest(
      emu,
      otherPartner,
      userForm(emu, "https://management.azure.com//.default"),
    );
    expect([refused.status, refused.body.error, refused.body.error_codes]).toEqual([
      400,
      "invalid_grant",
      [50020],
    ]);
  });

  it("runs the authorization-code flow with PKCE without a browser, and each code redeems once", async () => {
    const verifier = "v".repeat(50);
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const q = new URLSearchParams({
      client_id: emu.seed.clientId,
      response_type: "code",
      redirect_uri: "http://localhost:8400/callback",
      scope: `${PC}/user_impersonation openid offline_access`,
      state: "s1",
      nonce: "n1",
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    // The registered URI is http://localhost: a loopback URI may differ in its port only, not its path.
    const registered = await ask(emu, { path: `/organizations/oauth2/v2.0/authorize?${q}` });
    expect(registered.status).toBe(400);
    expect(registered.body.error_codes).toEqual([50011]);

    q.set("redirect_uri", "http://localhost:8400");
    const auth = await ask(emu, { path: `/organizations/oauth2/v2.0/authorize?${q}` });
    expect(auth.status).toBe(302);
    const back = new URL(String(auth.headers.location));
    expect(back.searchParams.get("state")).toBe("s1");
    const code = back.searchParams.get("code")!;
    const form = {
      grant_type: "authorization_code",
      client_id: emu.seed.clientId,
      client_secret: emu.seed.clientSecret,
      code,
      redirect_uri: "http://localhost:8400",
      code_verifier: verifier,
      scope: `${PC}/user_impersonation openid offline_access`,
    };
    const redeemed = await tokenRequest(emu, "organizations", form);
    expect(redeemed.status).toBe(200);
    expect(claimsOf(redeemed.body.access_token)).toMatchObject({ tid: tenant, amr: ["pwd", "mfa"] });
    expect(claimsOf(redeemed.body.id_token)).toMatchObject({ nonce: "n1" });
    expect(typeof redeemed.body.refresh_token).toBe("string");

    const twice = await tokenRequest(emu, "organizations", form);
    expect([twice.status, twice.body.error]).toEqual([400, "invalid_grant"]);
  });

  it("answers the admin-consent URL with a redirect carrying admin_consent=True and the tenant", async () => {
    const q = new URLSearchParams({
      client_id: emu.seed.clientId,
      redirect_uri: "https://localhost",
      state: "x",
    });
    const r = await ask(emu, { path: `/common/adminconsent?${q}` });
    expect(r.status).toBe(302);
    const back = new URL(String(r.headers.location));
    expect(Object.fromEntries(back.searchParams)).toEqual({ admin_consent: "True", tenant, state: "x" });
  });
});
