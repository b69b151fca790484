import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSubscription } from "../../provider/clients/partnerCenter/commerce";
import { azurePlanHandler } from "../../provider/handlers/commerce/azurePlan";
import { azureSubscriptionHandler } from "../../provider/handlers/commerce/azureSubscription";
import { customerHandler } from "../../provider/handlers/commerce/customer";
import { customerAgreementHandler } from "../../provider/handlers/commerce/customerAgreement";
import { customerInputs, uniquePrefix } from "../support/customerInputs";
import { type EmulatorContext, startEmulatorContext } from "../support/emulatorContext";
import { createResource } from "../support/handlerSteps";

/**
 * The calls of a tenant's commerce resources created by one provider process (what `pulumi up`
 * does): what each create, refresh and delete sends, in order (token requests left out). The
 * emulator of this file is its own: the sandbox allows 10 Azure plans per partner.
 */

let t: EmulatorContext;
beforeAll(async () => {
  t = await startEmulatorContext();
});
afterAll(() => t?.stop());

describe("commerce calls of a tenant created by this process", () => {
  it("buys the plan and the subscription without looking first; refresh and delete read what they must", async () => {
    const ctx = await t.contextWith({ CSP_ALLOW_PURCHASES: "true" });
    const customer = await createResource(customerHandler, customerInputs(uniquePrefix()), ctx);
    const contact = { firstName: "Ada", lastName: "Lovelace", email: "ada@contoso.com" };
    await createResource(customerAgreementHandler, { customerId: customer.id, primaryContact: contact }, ctx);
    const ids: Record<string, string> = { [customer.id]: "{c}" };
    const calls = async (since: number) =>
      (await t.emu.admin.requestLog({ sinceSeq: since }))
        .filter((c) => !c.path.includes("/oauth2/"))
        .map((c) =>
          Object.entries(ids).reduce(
            (text, [id, name]) => text.replaceAll(id, name),
            `${c.method} ${c.path.split("?")[0]}`,
          ),
        );

    let seq = await t.lastSeq();
    const plan = await createResource(
      azurePlanHandler,
      { customerId: customer.id, acknowledgePurchase: true },
      ctx,
    );
    ids[plan.id] = "{p}";
    expect(await calls(seq)).toEqual([
      "GET /v1/customers/{c}/products/DZH318Z0BPS6/skus/0001/availabilities",
      "POST /v1/customers/{c}/carts",
      expect.stringMatching(/^POST \/v1\/customers\/\{c\}\/carts\/[^/]+\/checkout$/),
      "GET /v1/customers/{c}/subscriptions/{p}",
      "GET /v1/customers/{c}/subscriptions/{p}/azureEntitlements",
    ]);
    ids[plan.state.azureSubscriptionId!] = "{own}";

    // The same plan created again in this process (a duplicate declaration, a retried create):
    // only the first plan of a new customer skips the look, so this one finds the plan, buys nothing.
    seq = await t.lastSeq();
    const again = await createResource(
      azurePlanHandler,
      { customerId: customer.id, acknowledgePurchase: true },
      ctx,
    );
    expect(again.id).toBe(plan.id);
    expect((await calls(seq)).filter((c) => c.endsWith("/checkout"))).toEqual([]);
    expect((await calls(seq))[0]).toBe("GET /v1/customers/{c}/subscriptions");

    seq = await t.lastSeq();
    const sub = await createResource(
      azureSubscriptionHandler,
      { customerId: customer.id, displayName: "Analytics", acknowledgePurchase: true },
      ctx,
    );
    ids[sub.id] = "{s}";
    ids[sub.state.aliasName] = "{alias}";
    expect(await calls(seq)).toEqual([
      "GET /providers/Microsoft.Billing/billingAccounts",
      "PUT /providers/Microsoft.Subscription/aliases/{alias}",
      "GET /providers/Microsoft.Subscription/aliases/{alias}",
    ]);
    expect(sub.state.planSubscriptionId).toBe(plan.id);
    expect(sub.state.entitlementStatus).toBe("active");

    seq = await t.lastSeq();
    const refreshedPlan = await azurePlanHandler.read(plan.id, plan.state, ctx);
    const refreshedSub = await azureSubscriptionHandler.read(sub.id, sub.state, ctx);
    expect(refreshedPlan.props?.azureSubscriptionId).toBe(plan.state.azureSubscriptionId);
    expect(refreshedSub.props).toEqual(sub.state);
    expect(await calls(seq)).toEqual([
      "GET /v1/customers/{c}/subscriptions/{p}",
      "GET /v1/customers/{c}/subscriptions/{p}/azureEntitlements/{s}",
    ]);

    seq = await t.lastSeq();
    await azureSubscriptionHandler.delete(sub.id, sub.state, ctx);
    await azurePlanHandler.delete(plan.id, plan.state, ctx);
    expect(await calls(seq)).toEqual([
      "POST /subscriptions/{s}/providers/Microsoft.Subscription/cancel",
      "GET /v1/customers/{c}/subscriptions/{p}",
      "GET /v1/customers/{c}/subscriptions/{p}/azureEntitlements",
      "POST /subscriptions/{own}/providers/Microsoft.Subscription/cancel",
      "PATCH /v1/customers/{c}/subscriptions/{p}",
    ]);
    expect((await getSubscription(ctx.api().partnerCenter, customer.id, plan.id))?.status).toBe("suspended");
  });
});
