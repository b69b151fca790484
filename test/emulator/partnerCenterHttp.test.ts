import { randomUUID } from "node:crypto";
import { Agent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceClient } from "../../provider/http/types";
import { type EmulatorContext, startEmulatorContext } from "../support/emulatorContext";
import { at, customerBody, list, shapeDiff, str, vector } from "./partnerCenterTestKit";

/**
 * Partner Center over HTTPS: the emulator started in-process, called with the project's own
 * client (msal tokens, HTTP pipeline) and with plain undici trusting the emulator's CA. Retries
 * are not needed here: every call is expected to succeed or fail on the first answer.
 */
describe("Partner Center over HTTPS", () => {
  let t: EmulatorContext;
  let pc: ServiceClient;
  let agent: Agent;

  beforeAll(async () => {
    t = await startEmulatorContext();
    pc = (await t.ctx.api()).partnerCenter;
    agent = new Agent({ connect: { ca: t.emu.caCertPem } });
  });

  afterAll(async () => {
    await agent?.close();
    await t?.stop();
  });

  it("creates a customer from the published request (vector 01 with a fresh domain) with an app-only token", async () => {
    const body = vector("01-pc-customer-create-request.json");
    (body.CompanyProfile as Record<string, unknown>).Domain =
      `v01${randomUUID().slice(0, 8)}.onmicrosoft.com`;
    const res = await pc.send({ method: "POST", path: "/v1/customers", body, idempotencyKey: randomUUID() });
    expect(res.status).toBe(201);
    expect(shapeDiff(res.body, vector("02-pc-customer-create-response.json"))).toEqual([]);
  });

  it("runs the Azure plan purchase end to end with App+User where the service requires it", async () => {
    const created = await pc.send({
      method: "POST",
      path: "/v1/customers",
      body: customerBody(),
      idempotencyKey: randomUUID(),
    });
    const customerId = str(created.body, "id");
    const mca = await pc.send({
      method: "POST",
      path: `/v1/customers/${customerId}/agreements`,
      body: vector("07-pc-agreement-create-request.json"),
      auth: { mode: "user" },
      idempotencyKey: randomUUID(),
    });
    expect(mca.status).toBe(201);
    const cart = await pc.send({
      method: "POST",
      path: `/v1/customers/${customerId}/carts`,
      body: {
        PartnerOnRecordAttestationAccepted: true,
        lineItems: [
          { id: 0, catalogItemId: "DZH318Z0BPS6:0001:DZH318Z0BML6", quantity: 1, billingCycle: "one_time" },
        ],
      },
      idempotencyKey: randomUUID(),
    });
    const checkout = await pc.send({
      method: "POST",
      path: `/v1/customers/${customerId}/carts/${str(cart.body, "id")}/checkout`,
      idempotencyKey: randomUUID(),
    });
    expect(checkout.status).toBe(201);
    const planId = str(checkout.body, "orders.0.lineItems.0.subscriptionId");
    const entitlements = await pc.send({
      method: "GET",
      path: `/v1/customers/${customerId}/subscriptions/${planId}/azureEntitlements`,
    });
    expect(list(entitlements.body)).toHaveLength(1);
    const status = await pc.send({
      method: "GET",
      path: `/v1/customers/${customerId}/orders/${str(checkout.body, "orders.0.id")}/provisioningstatus`,
      auth: { mode: "user" },
    });
    expect(at(status.body, "items.0.status")).toBe("fulfilled");
  });

  it("answers the same stored response to a POST retried with the same MS-RequestId", async () => {
    const requestId = randomUUID();
    const body = customerBody();
    const send = () =>
      request(`${t.emu.env.CSP_PARTNER_CENTER_URL}/v1/customers`, {
        method: "POST",
        dispatcher: agent,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "MS-RequestId": requestId,
        },
        body: JSON.stringify(body),
      });
    const token = await appToken();
    const first = await send();
    const firstBody = (await first.body.json()) as Record<string, unknown>;
    const second = await send();
    const secondBody = (await second.body.json()) as Record<string, unknown>;
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.headers["ms-requestid"]).toBe(requestId);
    expect(str(secondBody, "id")).toBe(str(firstBody, "id"));
    const domain = str(firstBody, "companyProfile.domain");
    const found = await pc.send({
      method: "GET",
      path: "/v1/customers",
      query: {
        size: 10,
        filter: JSON.stringify({ Field: "Domain", Value: domain, Operator: "starts_with" }),
      },
    });
    expect(list(found.body)).toHaveLength(1);
  });

  it("refuses a cart without the partner attestation (900206) and echoes the caller's request and correlation ids", async () => {
    const created = await pc.send({
      method: "POST",
      path: "/v1/customers",
      body: customerBody(),
      idempotencyKey: randomUUID(),
    });
    const [requestId, correlationId] = [randomUUID(), randomUUID()];
    const res = await request(
      `${t.emu.env.CSP_PARTNER_CENTER_URL}/v1/customers/${str(created.body, "id")}/carts`,
      {
        method: "POST",
        dispatcher: agent,
        headers: {
          authorization: `Bearer ${await appToken()}`,
          "content-type": "application/json",
          "MS-RequestId": requestId,
          "MS-CorrelationId": correlationId,
        },
        body: JSON.stringify({
          lineItems: [{ catalogItemId: "DZH318Z0BPS6:0001:DZH318Z0BML6", quantity: 1 }],
        }),
      },
    );
    expect(res.statusCode).toBe(400);
    expect(await res.body.json()).toMatchObject({ code: 900206, source: "PartnerFD" });
    expect([res.headers["ms-requestid"], res.headers["ms-correlationid"]]).toEqual([
      requestId,
      correlationId,
    ]);
  });

  it("matches paths case-insensitively and answers unknown routes in the Partner Center error format", async () => {
    const token = await appToken();
    const upper = await request(`${t.emu.env.CSP_PARTNER_CENTER_URL}/V1/Customers?size=1`, {
      dispatcher: agent,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(upper.statusCode).toBe(200);
    await upper.body.dump();
    const unknown = await request(`${t.emu.env.CSP_PARTNER_CENTER_URL}/v1/nothing-here`, {
      dispatcher: agent,
      headers: { authorization: `Bearer ${token}` },
    });
    const body = await unknown.body.json();
    expect(unknown.statusCode).toBeGreaterThanOrEqual(400);
    expect(body).toMatchObject({
      code: expect.any(Number),
      description: expect.any(String),
      data: [],
      source: "PartnerFD",
    });
  });

  it("refuses an app-only token on an App+User-only operation", async () => {
    const token = await appToken();
    const res = await request(
      `${t.emu.env.CSP_PARTNER_CENTER_URL}/v1/agreements?agreementType=MicrosoftCustomerAgreement`,
      {
        dispatcher: agent,
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(res.statusCode).toBe(403);
    expect(await res.body.json()).toMatchObject({ code: 900329, source: "PartnerFD" });
  });

  /** A client-credentials token for Partner Center from the emulator's token endpoint. */
  async function appToken(): Promise<string> {
    const env = t.emu.env;
    const res = await request(`${env.CSP_LOGIN_URL}/${env.CSP_TENANT_ID}/oauth2/v2.0/token`, {
      method: "POST",
      dispatcher: agent,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: env.CSP_CLIENT_ID,
        client_secret: env.CSP_CLIENT_SECRET,
        scope: "https://api.partnercenter.microsoft.com/.default",
      }).toString(),
    });
    const json = (await res.body.json()) as { access_token?: string };
    if (!json.access_token) throw new Error(`no token: ${JSON.stringify(json)}`);
    return json.access_token;
  }
});
