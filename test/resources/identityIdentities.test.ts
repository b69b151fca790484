import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  armOnBehalfOf,
  customerTenantApp,
  gdapUser,
  graphDirectoryAuth,
  partnerCenterUser,
} from "../../provider/auth/actingIdentity";
import { roleDefinitionResourceId } from "../../provider/clients/arm/roleAssignments";
import type { AuthTarget } from "../../provider/http/types";
import { useEmulator } from "../support/emulatorContext";
import { buyAzurePlan, consentPartnerApp, createTestCustomer, GRAPH } from "../support/identityFixtures";

/**
 * The identity table of `provider/auth/actingIdentity.ts`, call by call: the documented
 * identity succeeds, a wrong one is refused by the emulator as Microsoft would refuse it.
 */

const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

const t = useEmulator();
let customerId: string;
let subscriptionId: string;

beforeAll(async () => {
  ({ customerId } = await createTestCustomer(t.ctx, "who", { emu: t.emu }));
  subscriptionId = await buyAzurePlan(t.ctx, t.emu, customerId);
});

const refused = { status: expect.any(Number), code: expect.stringMatching(/CSP_AUTH_ERROR|CSP_API_ERROR/) };

async function expectRefused(call: Promise<unknown>): Promise<void> {
  await expect(call).rejects.toMatchObject(refused);
  const e = await call.catch((x: unknown) => x as { status?: number });
  expect([400, 401, 403]).toContain((e as { status?: number }).status);
}

describe("which identity acts where", () => {
  it("customer users and directory roles need the admin agent (app+user); app-only is refused", async () => {
    const pc = t.ctx.api().partnerCenter;
    const users = (auth: AuthTarget) =>
      pc.send({ method: "GET", path: `/v1/customers/${customerId}/users`, auth });
    const roles = (auth: AuthTarget) =>
      pc.send({ method: "GET", path: `/v1/customers/${customerId}/directoryroles`, auth });
    expect((await users(partnerCenterUser())).status).toBe(200);
    expect((await roles(partnerCenterUser())).status).toBe(200);
    await expectRefused(users({ mode: "app" }));
    await expectRefused(roles({ mode: "app" }));
  });

  it("application consents need the admin agent; app-only is refused", async () => {
    const api = t.ctx.api();
    const consent = (auth: AuthTarget) =>
      api.partnerCenter.send({
        method: "POST",
        path: `/v1/customers/${customerId}/applicationconsents`,
        body: {
          applicationId: api.clientId,
          displayName: "x",
          applicationGrants: [{ enterpriseApplicationId: GRAPH, scope: "Directory.Read.All" }],
        },
        idempotencyKey: randomUUID(),
        auth,
      });
    await expectRefused(consent({ mode: "app" }));
    expect((await consent(partnerCenterUser())).status).toBeLessThan(300);
  });

  it("Graph objects in a customer tenant need the partner app consented there (app-only, customer authority)", async () => {
    const { customerId: fresh } = await createTestCustomer(t.ctx, "whograph", { emu: t.emu });
    const graph = t.ctx.api().graph;
    const list = (auth: AuthTarget) => graph.send({ method: "GET", path: "/v1.0/applications", auth });
    // Not consented yet: the partner app cannot act in that tenant.
    await expect(list(customerTenantApp(fresh))).rejects.toMatchObject({
      code: expect.stringMatching(/CSP_AUTH_ERROR|CSP_API_ERROR/),
    });
    await consentPartnerApp(t.ctx, fresh);
    expect((await list(customerTenantApp(fresh))).status).toBe(200);
    // The admin agent's delegated token is for the partner tenant: it does not see the customer's objects.
    const partnerView = await graph.send<{ value: { id: string }[] }>({
      method: "GET",
      path: "/v1.0/applications",
      auth: { mode: "user" },
    });
    const customerView = await graph.send<{ value: { id: string }[] }>({
      method: "GET",
      path: "/v1.0/applications",
      auth: customerTenantApp(fresh),
    });
    const partnerIds = new Set(partnerView.body.value.map((a) => a.id));
    expect(customerView.body.value.some((a) => partnerIds.has(a.id))).toBe(false);
  });

  it("Graph writes in the partner tenant need the admin agent: the partner app holds no application permission there", async () => {
    const graph = t.ctx.api().graph;
    const partnerTenantId = t.emu.seed.partnerTenantId;
    const create = (auth: AuthTarget) =>
      graph.send<{ id: string }>({
        method: "POST",
        path: "/v1.0/applications",
        body: { displayName: `who ${randomUUID()}` },
        auth,
      });
    await expectRefused(create({ mode: "app" }));
    const created = await create(graphDirectoryAuth(partnerTenantId));
    expect(created.status).toBe(201);
    await graph.send({
      method: "DELETE",
      path: `/v1.0/applications/${created.body.id}`,
      auth: graphDirectoryAuth(partnerTenantId),
    });
  });

  it("GDAP writes need the admin agent; the app-only token is refused", async () => {
    const graph = t.ctx.api().graph;
    const create = (auth: AuthTarget) =>
      graph.send<{ id: string }>({
        method: "POST",
        path: "/v1.0/tenantRelationships/delegatedAdminRelationships",
        body: {
          displayName: `who ${Date.now().toString(36)}-${auth.mode}`,
          duration: "P1D",
          customer: { tenantId: customerId },
          accessDetails: { unifiedRoles: [{ roleDefinitionId: "729827e3-9c14-49f7-bb1b-9608f156bbb8" }] },
        },
        auth,
      });
    await expectRefused(create({ mode: "app" }));
    expect((await create(gdapUser())).status).toBe(201);
  });

  it("ARM role assignments need the admin agent on behalf of the partner, with the customer tenant as authority", async () => {
    const arm = t.ctx.api().arm;
    const scope = `/subscriptions/${subscriptionId}`;
    const put = (auth: AuthTarget) =>
      arm.send({
        method: "PUT",
        path: `${scope}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`,
        query: { "api-version": "2022-04-01" },
        body: {
          properties: {
            roleDefinitionId: roleDefinitionResourceId(scope, READER),
            principalId: t.emu.seed.adminAgentUserId,
            principalType: "ForeignGroup",
          },
        },
        auth,
      });
    // Partner tenant authority: the token is from the wrong issuer for the customer's subscription.
    await expectRefused(put({ mode: "user" }));
    // The partner app itself holds no RBAC role on the customer's subscription.
    // (Consented so that the app can get a token in the customer tenant at all; 409 = already consented.)
    await consentPartnerApp(t.ctx, customerId).catch((e: { status?: number }) => {
      if (e.status !== 409) throw e;
    });
    await expectRefused(put(customerTenantApp(customerId)));
    const listed = await arm.send({
      method: "GET",
      path: `${scope}/providers/Microsoft.Authorization/roleAssignments`,
      query: { "api-version": "2022-04-01" },
      auth: armOnBehalfOf(customerId),
    });
    expect(listed.status).toBe(200);
  });
});
