import { describe, expect, it } from "vitest";
import { getSubscription } from "../../provider/clients/partnerCenter/commerce";
import { isCspError } from "../../provider/errors";
import { azurePlanHandler } from "../../provider/handlers/commerce/azurePlan";
import { azureSubscriptionHandler } from "../../provider/handlers/commerce/azureSubscription";
import {
  customerWithAzurePlan,
  newCustomerWithAgreement,
  planInputs as plan,
  subscriptionInputs as sub,
} from "../support/commerceFixtures";
import { useBuyerEmulator } from "../support/emulatorContext";
import { createResource } from "../support/handlerSteps";

/**
 * Cancelling Azure subscriptions: AzureSubscription delete and AzurePlan teardown cancel through
 * Azure Resource Manager (the routine cancel of the subscription's Owners), never with Partner
 * Center's cancel for compromised subscriptions unless asked; Azure refuses while a subscription
 * holds resources. Its own emulator: a sandbox partner has at most 10 Azure plans.
 */

const { t, buyer } = useBuyerEmulator();

const customerWithPlan = () => customerWithAzurePlan(t.ctx, buyer);
const lastSeq = () => t.lastSeq();

const writesSince = (seq: number) => t.writesSince(seq);

/** The ARM state of an Azure subscription (read through the admin API). */
async function armState(subscriptionId: string): Promise<string | undefined> {
  return (await t.emu.admin.state()).azure.subscriptions[subscriptionId]?.state;
}

/** Creates or deletes a resource group in a customer's subscription, as the admin agent (AOBO). */
async function resourceGroup(method: "PUT" | "DELETE", customerId: string, subscriptionId: string) {
  await buyer.api().arm.send({
    method,
    path: `/subscriptions/${subscriptionId}/resourcegroups/workload`,
    query: { "api-version": "2021-04-01" },
    ...(method === "PUT" ? { body: { location: "westeurope" } } : {}),
    auth: { mode: "user", tenantId: customerId },
  });
}

describe("AzureSubscription delete", () => {
  it("cancels through Azure Resource Manager, never with Partner Center's compromise cancel; a second delete finds it cancelled", async () => {
    const { customerId } = await customerWithPlan();
    const created = await createResource(
      azureSubscriptionHandler,
      sub(customerId, { key: "routine" }),
      buyer,
    );
    expect(created.state.deletionBehavior).toMatch(/^cancel: .*Azure Resource Manager cancel/);
    const seq = await lastSeq();
    await azureSubscriptionHandler.delete(created.id, created.state, buyer);
    const cancels = await t.emu.admin.requestLog({ sinceSeq: seq, pathPattern: "/cancel$" });
    expect(cancels.map((e) => `${e.service} ${e.method} ${e.path} ${e.status}`)).toEqual([
      `arm POST /subscriptions/${created.id}/providers/Microsoft.Subscription/cancel 200`,
    ]);
    expect(await armState(created.id)).toBe("Disabled");
    const again = await lastSeq();
    await azureSubscriptionHandler.delete(created.id, created.state, buyer);
    expect(await writesSince(again)).toEqual([]);
    expect(t.logs.some((l) => l === `AzureSubscription ${created.id}: already cancelled`)).toBe(true);
  });

  it("refuses to cancel a subscription that holds resources, with no write, and cancels once they are gone", async () => {
    const { customerId } = await customerWithPlan();
    const created = await createResource(azureSubscriptionHandler, sub(customerId, { key: "busy" }), buyer);
    await resourceGroup("PUT", customerId, created.id);
    const seq = await lastSeq();
    const err = await azureSubscriptionHandler
      .delete(created.id, created.state, buyer)
      .catch((e: unknown) => e);
    expect(isCspError(err) && err.code).toBe("CSP_CONFLICT");
    expect((err as Error).message).toContain(
      `cannot cancel the Azure subscription ${created.id} of customer ${customerId}: Azure cancels a subscription only once it holds no resources`,
    );
    expect((err as Error).message).toMatch(/delete its resources and resource groups first/);
    expect(await writesSince(seq)).toEqual([]);
    expect(await armState(created.id)).toBe("Enabled");
    await resourceGroup("DELETE", customerId, created.id);
    await azureSubscriptionHandler.delete(created.id, created.state, buyer);
    expect(await armState(created.id)).toBe("Disabled");
  });

  it('with onDelete: "cancelAsCompromised", cancels through Partner Center with reason compromise, even with resources', async () => {
    const { customerId, planId } = await customerWithPlan();
    const created = await createResource(
      azureSubscriptionHandler,
      sub(customerId, { key: "compromised", onDelete: "cancelAsCompromised" }),
      buyer,
    );
    expect(created.state.deletionBehavior).toMatch(/^cancelAsCompromised: .*reason "compromise"/);
    await resourceGroup("PUT", customerId, created.id);
    const seq = await lastSeq();
    await azureSubscriptionHandler.delete(created.id, created.state, buyer);
    expect(await writesSince(seq)).toEqual([
      `partnerCenter POST /v1/customers/${customerId}/subscriptions/${planId}/azureEntitlements/${created.id}/cancel`,
    ]);
    expect(await armState(created.id)).toBe("Disabled");
  });

  it("ends cancelled when the answer to the ARM cancel is lost after it took effect", async () => {
    const { customerId } = await customerWithPlan();
    const created = await createResource(
      azureSubscriptionHandler,
      sub(customerId, { key: "lost-cancel" }),
      buyer,
    );
    await t.emu.admin.addFault({
      method: "POST",
      pathPattern: "/providers/Microsoft.Subscription/cancel$",
      service: "arm",
      count: 1,
      action: { type: "commitThenDrop" },
    });
    await azureSubscriptionHandler.delete(created.id, created.state, buyer);
    expect(await armState(created.id)).toBe("Disabled");
    expect(await t.emu.admin.faults()).toEqual([]);
  });
});

describe("AzurePlan teardown", () => {
  it("in a sandbox teardown, cancels the plan's Azure subscriptions through Azure Resource Manager, not Partner Center's compromise cancel", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    const created = await createResource(azurePlanHandler, plan(customerId), buyer);
    const own = created.state.azureSubscriptionId!;
    const seq = await lastSeq();
    await azurePlanHandler.delete(created.id, created.state, buyer);
    const cancels = await t.emu.admin.requestLog({ sinceSeq: seq, pathPattern: "/cancel$" });
    expect(cancels.map((e) => `${e.service} ${e.method} ${e.path} ${e.status}`)).toEqual([
      `arm POST /subscriptions/${own}/providers/Microsoft.Subscription/cancel 200`,
    ]);
    expect((await t.emu.admin.state()).azure.subscriptions[own]?.state).toBe("Disabled");
    expect((await getSubscription(t.ctx.api().partnerCenter, customerId, created.id))!.status).toBe(
      "suspended",
    );
  });

  it("stops a teardown whose Azure subscription holds resources, leaving the plan active", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    const created = await createResource(azurePlanHandler, plan(customerId), buyer);
    const own = created.state.azureSubscriptionId!;
    await resourceGroup("PUT", customerId, own);
    const seq = await lastSeq();
    const err = await azurePlanHandler.delete(created.id, created.state, buyer).catch((e: unknown) => e);
    expect(isCspError(err) && err.code).toBe("CSP_CONFLICT");
    expect((err as Error).message).toContain(
      `cannot cancel the Azure subscription ${own} of Azure plan ${created.id} of customer ${customerId}`,
    );
    expect(await writesSince(seq)).toEqual([]);
    expect((await getSubscription(t.ctx.api().partnerCenter, customerId, created.id))!.status).toBe("active");
  });
});

describe("AzureSubscription re-created after Azure deleted it", () => {
  it("says the subscription cannot be enabled again and how to buy a new one", async () => {
    const { customerId } = await customerWithPlan();
    const created = await createResource(
      azureSubscriptionHandler,
      sub(customerId, { key: "expired" }),
      buyer,
    );
    await azureSubscriptionHandler.delete(created.id, created.state, buyer);
    // Azure deleted it (90 days after the cancel): ARM no longer knows the subscription.
    await t.emu.admin.addFault({
      method: "POST",
      pathPattern: "/providers/Microsoft.Subscription/enable$",
      service: "arm",
      count: 1,
      action: { type: "status", status: 404 },
    });
    const err = await azureSubscriptionHandler
      .create(sub(customerId, { key: "expired" }), buyer)
      .catch((e: unknown) => e);
    expect((err as Error).message).toContain(
      `the Azure subscription ${created.id} (alias ${created.state.aliasName}) cannot be enabled again: Azure deletes a cancelled subscription 90 days after the cancel`,
    );
    expect((err as Error).message).toMatch(/give this resource another key/);
    expect((err as { id?: string }).id).toBe(created.id);
  });
});
