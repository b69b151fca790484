import { describe, expect, it } from "vitest";
import type { CspApi } from "../../provider/clients/cspApi";
import { getSubscription, patchSubscription } from "../../provider/clients/partnerCenter/commerce";
import { isCspError } from "../../provider/errors";
import { azurePlanHandler } from "../../provider/handlers/commerce/azurePlan";
import { commercePolling } from "../../provider/handlers/commerce/polling";
import { type HandlerContext, UNKNOWN } from "../../provider/handlers/types";
import type { ApiRequest, ApiResponse, ServiceClient } from "../../provider/http/types";
import { newCustomer, newCustomerWithAgreement, planInputs as plan } from "../support/commerceFixtures";
import { useBuyerEmulator } from "../support/emulatorContext";
import { checkFailures, createResource, updateResource } from "../support/handlerSteps";

const AZURE_PLAN = "DZH318Z0BPS6:0001:DZH318Z0BML6";

const { t, buyer } = useBuyerEmulator();

const lastSeq = () => t.lastSeq();

/** Azure plans and orders the emulator holds for a customer (read through the admin API). */
async function plansAndOrders(customerId: string): Promise<{ plans: string[]; orders: string[] }> {
  const pc = (await t.emu.admin.state()).partnerCenter as Record<string, unknown>;
  const subs = Object.values(
    (pc["subscriptions"] ?? {}) as Record<
      string,
      { customerId: string; id: string; resource: { offerId: string } }
    >,
  );
  const orders = Object.values((pc["orders"] ?? {}) as Record<string, { customerId: string; id: string }>);
  return {
    plans: subs
      .filter((s) => s.customerId === customerId && s.resource.offerId === AZURE_PLAN)
      .map((s) => s.id),
    orders: orders.filter((o) => o.customerId === customerId).map((o) => o.id),
  };
}

/**
 * A context whose Partner Center answers look like an order still being provisioned: order
 * line items without subscription ids and status `pending` (the documented lag: "Check out a
 * cart", https://learn.microsoft.com/partner-center/developer/checkout-a-cart).
 */
function stillProvisioning(ctx: HandlerContext): HandlerContext {
  const strip = (order: Record<string, unknown>) => ({
    ...order,
    status: "pending",
    lineItems: ((order["lineItems"] ?? []) as Record<string, unknown>[]).map(
      ({ subscriptionId: _s, ...rest }) => rest,
    ),
  });
  return {
    ...ctx,
    api(account?: string): CspApi {
      const api = ctx.api(account);
      const pc = api.partnerCenter;
      const partnerCenter: ServiceClient = {
        service: pc.service,
        baseUrl: pc.baseUrl,
        async send<T>(request: ApiRequest): Promise<ApiResponse<T>> {
          const res = await pc.send<Record<string, unknown>>(request);
          let body: unknown = res.body;
          if (/\/checkout$/.test(request.path) && body) {
            body = {
              ...res.body,
              orders: ((res.body["orders"] ?? []) as Record<string, unknown>[]).map(strip),
            };
          } else if (/\/orders\/[^/]+$/.test(request.path) && body) {
            body = strip(res.body);
          } else if (/\/subscriptions$/.test(request.path) && request.method === "GET") {
            body = { ...res.body, items: [], totalCount: 0 };
          }
          return { ...res, body: body as T };
        },
      };
      return {
        ...api,
        partnerCenter,
        account: api.account,
        partnerTenantId: api.partnerTenantId,
        clientId: api.clientId,
      };
    },
  };
}

describe("AzurePlan purchase acknowledgement", () => {
  it("refuses a plan without acknowledgePurchase at check, with no write", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    const seq = await lastSeq();
    for (const ack of [undefined, false, "yes"]) {
      const failures = await checkFailures(
        azurePlanHandler,
        {},
        { customerId, acknowledgePurchase: ack },
        buyer,
      );
      expect(failures.map((f) => f.property)).toEqual(["acknowledgePurchase"]);
      expect(failures[0]!.reason).toMatch(
        /AzurePlan is a billable purchase: set acknowledgePurchase: true to confirm/,
      );
    }
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);
  });

  it("refuses a new plan when the stack disables purchases, even when acknowledged", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    const locked = await t.contextWith({ CSP_ALLOW_PURCHASES: "true" }, { allowPurchases: "false" });
    const seq = await lastSeq();
    const failures = await checkFailures(azurePlanHandler, {}, plan(customerId), locked);
    expect(failures.map((f) => f.property)).toEqual(["acknowledgePurchase"]);
    expect(failures[0]!.reason).toMatch(/csp:allowPurchases is false/);
    await expect(azurePlanHandler.create(plan(customerId), locked)).rejects.toThrow(/purchases are disabled/);
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);
  });

  it("lets a locked stack adopt a plan the customer already has", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    await createResource(azurePlanHandler, plan(customerId, { friendlyName: "Elsewhere" }), buyer);
    const locked = await t.contextWith({ CSP_ALLOW_PURCHASES: "false" });
    // Check found the plan: the preview does not mark this create as a purchase.
    expect((await azurePlanHandler.check({}, plan(customerId), locked)).buys).toBe(false);
    const adopted = await createResource(azurePlanHandler, plan(customerId), locked);
    expect(adopted.state.adopted).toBe(true);
    expect((await plansAndOrders(customerId)).plans).toHaveLength(1);
  });

  it("verifies the catalog item for the customer at check", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    const seq = await lastSeq();
    const failures = await checkFailures(
      azurePlanHandler,
      {},
      plan(customerId, { catalogItemId: "DZH318Z0BPS6:0001:NOPE00000000" }),
      buyer,
    );
    expect(failures.map((f) => f.property)).toEqual(["catalogItemId"]);
    expect(failures[0]!.reason).toMatch(/is not available to customer/);
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);
  });

  it("passes a preview whose customer is not known yet without any call, and still demands the acknowledgement", async () => {
    const seq = await lastSeq();
    const ok = await checkFailures(azurePlanHandler, {}, plan(UNKNOWN), buyer);
    expect(ok).toEqual([]);
    const missing = await checkFailures(azurePlanHandler, {}, { customerId: UNKNOWN }, buyer);
    expect(missing.map((f) => f.property)).toEqual(["acknowledgePurchase"]);
    expect(await t.emu.admin.requestLog({ sinceSeq: seq })).toEqual([]);
  });

  it("rejects bad input naming the field", async () => {
    const cases: [unknown, string][] = [
      [plan("nope"), "customerId"],
      [plan("0f3c4d1e-1111-2222-3333-444455556666", { status: "paused" as never }), "status"],
      [plan("0f3c4d1e-1111-2222-3333-444455556666", { catalogItemId: "DZH318Z0BPS6" }), "catalogItemId"],
      [plan("0f3c4d1e-1111-2222-3333-444455556666", { onDelete: "cancel" as never }), "onDelete"],
      [plan("0f3c4d1e-1111-2222-3333-444455556666", { friendlyName: "x".repeat(51) }), "friendlyName"],
    ];
    const seq = await lastSeq();
    for (const [news, property] of cases) {
      const failures = await checkFailures(azurePlanHandler, {}, news, buyer);
      expect(failures.map((f) => f.property)).toEqual([property]);
    }
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);
  });
});

describe("AzurePlan lifecycle", () => {
  it("buys, reports no change, renames, reports drift, refuses to suspend over an active subscription, and suspends on delete after cancelling", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    const seq = await lastSeq();
    const created = await createResource(azurePlanHandler, plan(customerId), buyer);
    const s = created.state;
    expect(created.id).toBe(s.subscriptionId);
    expect(s.status).toBe("active");
    expect(s.orderId).toBeTruthy();
    expect(s.azureSubscriptionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.catalogItemId).toBe(AZURE_PLAN);
    expect(s.adopted).toBe(false);
    // Sandbox default: a destroy cancels the plan's subscriptions, then suspends it.
    expect(s.deletionBehavior).toMatch(/^cancelSubscriptionsAndSuspend:/);
    const writes = await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true });
    expect(writes.map((w) => `${w.method} ${w.path.replace(/carts\/[^/]+/, "carts/{cart}")}`)).toEqual([
      `POST /v1/customers/${customerId}/carts`,
      `POST /v1/customers/${customerId}/carts/{cart}/checkout`,
    ]);

    const same = await updateResource(azurePlanHandler, created.id, created, plan(customerId), buyer);
    expect(same.changed).toBe(false);

    const renamed = await updateResource(
      azurePlanHandler,
      created.id,
      created,
      plan(customerId, { friendlyName: "Contoso Azure" }),
      buyer,
    );
    expect(renamed.changed).toBe(true);
    expect(renamed.state.friendlyName).toBe("Contoso Azure");

    // Drift: renamed in Partner Center.
    const pc = t.ctx.api().partnerCenter;
    const current = await getSubscription(pc, customerId, created.id);
    await patchSubscription(pc, customerId, { ...current!, friendlyName: "Renamed elsewhere" });
    const read = await azurePlanHandler.read(created.id, renamed.state, buyer);
    const refreshed = read.props as typeof renamed.state;
    expect(refreshed.friendlyName).toBe("Renamed elsewhere");
    expect((await azurePlanHandler.diff(created.id, refreshed, renamed.inputs, buyer)).changes).toBe(true);

    // Suspend while the Azure subscription created with the plan is active: a clear refusal.
    const suspend = plan(customerId, { friendlyName: "Contoso Azure", status: "suspended" });
    const err = await updateResource(
      azurePlanHandler,
      created.id,
      { inputs: renamed.inputs, state: refreshed },
      suspend,
      buyer,
    ).catch((e: unknown) => e);
    expect(isCspError(err) && err.code).toBe("CSP_CONFLICT");
    expect((err as Error).message).toContain(
      `the Azure subscription ${s.azureSubscriptionId} is active under it`,
    );
    expect((err as Error).message).toMatch(/cancel them first/);

    // Production default (suspend) is refused while a subscription is active; the sandbox default
    // cancels the subscriptions first.
    const production = await t.contextWith({ CSP_ALLOW_PURCHASES: "true", CSP_SANDBOX: "false" });
    await expect(azurePlanHandler.delete(created.id, refreshed, production)).rejects.toThrow(
      /cannot suspend/,
    );
    await azurePlanHandler.delete(created.id, refreshed, buyer);
    expect((await getSubscription(pc, customerId, created.id))!.status).toBe("suspended");
    expect(t.logs.some((l) => l.includes(`cancelled the Azure subscription ${s.azureSubscriptionId}`))).toBe(
      true,
    );
    expect(
      t.logs.some((l) =>
        l.includes(`AzurePlan ${created.id}: suspended on delete (an Azure plan cannot be un-bought`),
      ),
    ).toBe(true);
  });

  it("records the bought plan when a step after the purchase fails", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    // A new plan comes with an active Azure subscription, so suspending it right away fails.
    const err = (await azurePlanHandler
      .create(plan(customerId, { status: "suspended" }), buyer)
      .catch((e: unknown) => e)) as { id?: string; properties?: Record<string, unknown>; message: string };
    const { plans } = await plansAndOrders(customerId);
    expect(plans).toHaveLength(1);
    expect(err.id).toBe(plans[0]);
    expect(err.properties?.["subscriptionId"]).toBe(plans[0]);
    expect(err.properties?.["status"]).toBe("active");
    expect(err.message).toMatch(/cannot suspend/);
  });

  it("in production, a delete refused over the plan's own first subscription says so and how to apply onDelete", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    const production = await t.contextWith({ CSP_SANDBOX: "false", CSP_ALLOW_PURCHASES: "true" });
    const created = await createResource(azurePlanHandler, plan(customerId), production);
    const own = created.state.azureSubscriptionId;
    expect(own).toEqual(expect.any(String));
    const err = (await azurePlanHandler
      .delete(created.id, created.state, production)
      .catch((e: unknown) => e)) as Error;
    expect(err.message).toContain(
      `the Azure subscription ${own} (the plan's own first subscription, created by its checkout, not an AzureSubscription resource) is active`,
    );
    expect(err.message).toContain('onDelete: "cancelSubscriptionsAndSuspend"');
    expect(err.message).toMatch(/run `pulumi up` so the stack records it, then remove the plan/);
    expect(err.message).not.toContain("delete their AzureSubscription resources");
  });

  it("treats setting the default catalog item explicitly as no change", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    const created = await createResource(azurePlanHandler, plan(customerId), buyer);
    const explicit = await updateResource(
      azurePlanHandler,
      created.id,
      created,
      plan(customerId, { catalogItemId: AZURE_PLAN }),
      buyer,
    );
    expect(explicit.changed).toBe(false);
    const other = await checkFailures(
      azurePlanHandler,
      created.inputs,
      plan(customerId, { catalogItemId: "AAA:0001:BBB" }),
      buyer,
    );
    expect(other.map((f) => f.property)).toEqual(["catalogItemId"]);
    expect(other[0]!.reason).toMatch(/never replaced/);
  });

  it("adopts the customer's existing plan instead of buying a second one", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    // Bought otherwise (another cart: a different friendly name).
    const first = await createResource(
      azurePlanHandler,
      plan(customerId, { friendlyName: "Elsewhere" }),
      buyer,
    );
    const seq = await lastSeq();
    const second = await createResource(azurePlanHandler, plan(customerId), buyer);
    expect(second.id).toBe(first.id);
    expect(second.state.adopted).toBe(true);
    // The only write: the cart POST that asks whether this program bought the plan (no checkout).
    const writes = await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true });
    expect(writes.map((w) => `${w.method} ${w.path.replace(customerId, "{c}")}`)).toEqual([
      "POST /v1/customers/{c}/carts",
    ]);
    expect((await plansAndOrders(customerId)).plans).toEqual([first.id]);
  });

  it("ends with exactly one plan and one order when the checkout response is lost after commit", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    await t.emu.admin.addFault({
      method: "POST",
      pathPattern: "/checkout$",
      service: "partnerCenter",
      count: 1,
      action: { type: "commitThenDrop" },
    });
    const created = await createResource(azurePlanHandler, plan(customerId), buyer);
    const { plans, orders } = await plansAndOrders(customerId);
    expect(plans).toEqual([created.id]);
    expect(orders).toHaveLength(1);
    const checkouts = await t.emu.admin.requestLog({
      method: "POST",
      pathPattern: `^/v1/customers/${customerId}/carts/[^/]+/checkout$`,
    });
    expect(checkouts.map((c) => c.status)).toEqual([0, 201]);
    expect(checkouts[0]!.requestId).toBe(checkouts[1]!.requestId);
  });

  it("buys once when the run stopped between cart and checkout and the plan was renamed before the next run", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    // The checkout of the first run never happens (a refusal stands in for a crash after the cart).
    await t.emu.admin.addFault({
      method: "POST",
      pathPattern: "/checkout$",
      service: "partnerCenter",
      count: 1,
      action: { type: "status", status: 409 },
    });
    await expect(
      createResource(azurePlanHandler, plan(customerId, { friendlyName: "Plan A" }), buyer),
    ).rejects.toMatchObject({ code: "CSP_CONFLICT", status: 409 });
    expect((await plansAndOrders(customerId)).plans).toEqual([]);
    // A new cart body is a new request: a new MS-RequestId, not a reused one (400 / 800002).
    const created = await createResource(
      azurePlanHandler,
      plan(customerId, { friendlyName: "Plan B" }),
      buyer,
    );
    const { plans, orders } = await plansAndOrders(customerId);
    expect(plans).toEqual([created.id]);
    expect(orders).toHaveLength(1);
    const carts = await t.emu.admin.requestLog({
      method: "POST",
      pathPattern: `^/v1/customers/${customerId}/carts$`,
    });
    expect(new Set(carts.map((c) => c.requestId)).size).toBe(2);
  });

  it("honours Retry-After when the checkout is throttled, and orders once", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    await t.emu.admin.addFault({
      method: "POST",
      pathPattern: "/checkout$",
      service: "partnerCenter",
      count: 1,
      action: { type: "status", status: 429, retryAfter: "1" },
    });
    const created = await createResource(azurePlanHandler, plan(customerId), buyer);
    const checkouts = await t.emu.admin.requestLog({
      method: "POST",
      pathPattern: `^/v1/customers/${customerId}/carts/[^/]+/checkout$`,
    });
    expect(checkouts.map((c) => c.status)).toEqual([429, 201]);
    expect(Date.parse(checkouts[1]!.time) - Date.parse(checkouts[0]!.time)).toBeGreaterThanOrEqual(950);
    expect((await plansAndOrders(customerId)).plans).toEqual([created.id]);
  });

  it("fails with Partner Center's reason when the customer has not accepted the MCA", async () => {
    const customerId = await newCustomer(t.ctx);
    const err = await azurePlanHandler.create(plan(customerId), buyer).catch((e: unknown) => e);
    expect(isCspError(err) && err.serviceCode).toBe("13605");
    expect((err as Error).message).toMatch(/CustomerAgreement/);
  });

  it("records an accepted but unprovisioned order as a partial create, and a refresh completes it", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    const saved = { ...commercePolling };
    Object.assign(commercePolling, { attempts: 1, intervalMs: 10 });
    try {
      const err = (await azurePlanHandler
        .create(plan(customerId), stillProvisioning(buyer))
        .catch((e: unknown) => e)) as {
        id?: string;
        properties?: Record<string, unknown>;
        message: string;
      };
      expect(err.id).toBeTruthy();
      expect(err.properties?.["orderId"]).toBe(err.id);
      expect(err.properties?.["status"]).toBe("pending");
      expect(err.properties?.["subscriptionId"]).toBeUndefined();
      expect(err.message).toMatch(/accepted but is not provisioned yet/);
      expect(JSON.stringify(err.properties)).not.toContain("undefined");

      // Provisioning finished: the diff plans an update, a refresh fills in the subscription.
      const pending = err.properties as never;
      expect((await azurePlanHandler.diff(err.id!, pending, plan(customerId), buyer)).changes).toBe(true);
      const read = await azurePlanHandler.read(err.id!, pending, buyer);
      const done = read.props as unknown as Record<string, unknown>;
      expect(done["status"]).toBe("active");
      expect(done["orderId"]).toBe(err.id);
      expect((await plansAndOrders(customerId)).plans).toEqual([done["subscriptionId"]]);
      expect((await plansAndOrders(customerId)).orders).toEqual([err.id]);
    } finally {
      Object.assign(commercePolling, saved);
    }
  });
});
