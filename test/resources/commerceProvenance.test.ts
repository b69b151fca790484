import { describe, expect, it } from "vitest";
import { azurePlanHandler } from "../../provider/handlers/commerce/azurePlan";
import { type CustomerInputs, customerHandler } from "../../provider/handlers/commerce/customer";
import {
  newCustomerWithAgreement,
  planInputs as plan,
  testBillingProfile,
} from "../support/commerceFixtures";
import { useBuyerEmulator } from "../support/emulatorContext";
import { createResource } from "../support/handlerSteps";

/**
 * Whether a plan was bought by this stack or adopted decides what its delete does (a bought plan's
 * sandbox delete cancels its subscriptions, then suspends it): that must survive a crash between
 * the purchase and the state write, and a refresh that meets a passing 404.
 */

const AZURE_PLAN = "DZH318Z0BPS6:0001:DZH318Z0BML6";
const { t, buyer } = useBuyerEmulator({ sandbox: true });

async function plansOf(customerId: string): Promise<string[]> {
  const pc = (await t.emu.admin.state()).partnerCenter as Record<string, unknown>;
  return Object.values(
    (pc["subscriptions"] ?? {}) as Record<
      string,
      { customerId: string; id: string; resource: { offerId: string } }
    >,
  )
    .filter((s) => s.customerId === customerId && s.resource.offerId === AZURE_PLAN)
    .map((s) => s.id);
}

describe("what this stack bought stays in its state", () => {
  it("a plan bought by a run that crashed before recording it stays bought by this stack, not adopted", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    // The first run's create bought the plan, and the run died before the engine recorded it.
    await createResource(azurePlanHandler, plan(customerId), buyer);
    const again = await createResource(azurePlanHandler, plan(customerId), buyer);
    expect(again.state.adopted).toBe(false);
    expect(await plansOf(customerId)).toEqual([again.id]);
    // The sandbox delete of a bought plan cancels its subscriptions, then suspends it.
    expect(again.state.deletionBehavior).toMatch(/^cancelSubscriptionsAndSuspend/);
  });

  it("a plan the customer had before stays adopted", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    // Bought by someone else: another account of the partner's tooling, a different cart body.
    await createResource(azurePlanHandler, plan(customerId, { friendlyName: "Bought elsewhere" }), buyer);
    const adopted = await createResource(azurePlanHandler, plan(customerId), buyer);
    expect(adopted.state.adopted).toBe(true);
  });

  it("a single 404 on the plan's read does not drop it from the state", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    const created = await createResource(azurePlanHandler, plan(customerId), buyer);
    await t.emu.admin.addFault({
      method: "GET",
      pathPattern: `^/v1/customers/${customerId}/subscriptions/${created.id}$`,
      service: "partnerCenter",
      count: 1,
      action: { type: "status", status: 404 },
    });
    const read = await azurePlanHandler.read(created.id, created.state, buyer);
    expect(read.id).toBe(created.id);
    expect(read.props?.subscriptionId).toBe(created.id);
  });

  it("a single 404 on the customer's read does not drop it from the state", async () => {
    const created = await createResource(
      customerHandler,
      customerInputs(`prov${Date.now().toString(36)}`),
      t.ctx,
    );
    await t.emu.admin.addFault({
      method: "GET",
      pathPattern: `^/v1/customers/${created.id}$`,
      service: "partnerCenter",
      count: 1,
      action: { type: "status", status: 404 },
    });
    const read = await customerHandler.read(created.id, created.state, t.ctx);
    expect(read.id).toBe(created.id);
  });
});

function customerInputs(domainPrefix: string): CustomerInputs {
  return {
    domainPrefix,
    companyName: "Provenance Ltd",
    billingProfile: testBillingProfile("billing@provenance.example"),
  };
}
