import { describe, expect, it } from "vitest";
import { renameSubscription } from "../../provider/clients/arm/subscriptions";
import { cancelAzureEntitlement, getAzureEntitlement } from "../../provider/clients/partnerCenter/commerce";
import {
  azureSubscriptionHandler,
  defaultAliasName,
} from "../../provider/handlers/commerce/azureSubscription";
import {
  customerWithAzurePlan,
  newCustomerWithAgreement,
  subscriptionInputs as sub,
} from "../support/commerceFixtures";
import { useBuyerEmulator } from "../support/emulatorContext";
import { checked, checkFailures, createResource, updateResource } from "../support/handlerSteps";

const { t, buyer } = useBuyerEmulator();

const customerWithPlan = () => customerWithAzurePlan(t.ctx, buyer);
const lastSeq = () => t.lastSeq();

const writesSince = (seq: number) => t.writesSince(seq);

async function azureSubscriptionsOf(customerId: string): Promise<string[]> {
  const state = await t.emu.admin.state();
  return Object.values(state.azure.subscriptions)
    .filter((s) => s.customerId.toLowerCase() === customerId.toLowerCase())
    .map((s) => s.subscriptionId);
}

describe("AzureSubscription purchase acknowledgement", () => {
  it("refuses a subscription without acknowledgePurchase at check, with no write", async () => {
    const { customerId } = await customerWithPlan();
    const seq = await lastSeq();
    const failures = await checkFailures(
      azureSubscriptionHandler,
      {},
      { customerId, displayName: "Dev" },
      buyer,
    );
    expect(failures.map((f) => f.property)).toEqual(["acknowledgePurchase"]);
    expect(failures[0]!.reason).toMatch(
      /AzureSubscription is a billable purchase: set acknowledgePurchase: true/,
    );
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);
  });

  it("refuses a new subscription when the stack disables purchases", async () => {
    const { customerId } = await customerWithPlan();
    const locked = await t.contextWith({ CSP_ALLOW_PURCHASES: "false" });
    const seq = await lastSeq();
    const failures = await checkFailures(azureSubscriptionHandler, {}, sub(customerId), locked);
    expect(failures[0]!.reason).toMatch(/purchases are disabled/);
    // The new context's token request is no write to the services.
    expect((await writesSince(seq)).filter((w) => !w.startsWith("identity "))).toEqual([]);
    // An existing subscription (same alias) is found, not bought: a locked stack accepts it.
    await createResource(azureSubscriptionHandler, sub(customerId), buyer);
    const again = await createResource(azureSubscriptionHandler, sub(customerId), locked);
    expect(again.state.entitlementStatus).toBe("active");
  });

  it("rejects bad input naming the field", async () => {
    const id = "0f3c4d1e-1111-2222-3333-444455556666";
    const cases: [unknown, string][] = [
      [sub("x"), "customerId"],
      [sub(id, { displayName: "x".repeat(65) }), "displayName"],
      [sub(id, { workload: "Test" as never }), "workload"],
      [sub(id, { aliasName: "has space" }), "aliasName"],
      [sub(id, { resellerId: "reseller" }), "resellerId"],
      [sub(id, { onDelete: "leave" as never }), "onDelete"],
    ];
    const seq = await lastSeq();
    for (const [news, property] of cases) {
      const failures = await checkFailures(azureSubscriptionHandler, {}, news, buyer);
      expect(failures.map((f) => f.property)).toEqual([property]);
    }
    expect(await writesSince(seq)).toEqual([]);
  });
});

describe("AzureSubscription deletion inputs", () => {
  it("refuses the former cancellationReason input, pointing to onDelete, with no write", async () => {
    const id = "0f3c4d1e-1111-2222-3333-444455556666";
    const seq = await lastSeq();
    const failures = await checkFailures(
      azureSubscriptionHandler,
      {},
      { ...sub(id), cancellationReason: "compromise" },
      buyer,
    );
    expect(failures.map((f) => f.property)).toEqual(["cancellationReason"]);
    expect(failures[0]!.reason).toMatch(
      /cancellationReason: is no longer an input: deleting an AzureSubscription cancels it through Azure Resource Manager.*set onDelete: "cancelAsCompromised"/,
    );
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);
  });
});

describe("AzureSubscription lifecycle", () => {
  it("creates through a deterministic alias, renames, reports drift, cancels on delete and reactivates on re-create", async () => {
    const { customerId, planId, firstAzureSubscription } = await customerWithPlan();
    const created = await createResource(azureSubscriptionHandler, sub(customerId), buyer);
    const s = created.state;
    expect(created.id).toBe(s.azureSubscriptionId);
    expect(s.aliasName).toBe(defaultAliasName(undefined, customerId, "Dev Team subscription"));
    expect(s.key).toBe("Dev Team subscription");
    expect(s.entitlementStatus).toBe("active");
    expect(s.planSubscriptionId).toBe(planId);
    expect(s.workload).toBe("Production");
    expect(s.provisioningState).toBe("Succeeded");
    expect(s.deletionBehavior).toMatch(/^cancel:/);
    expect((await azureSubscriptionsOf(customerId)).sort()).toEqual(
      [firstAzureSubscription, created.id].sort(),
    );

    const same = await updateResource(azureSubscriptionHandler, created.id, created, sub(customerId), buyer);
    expect(same.changed).toBe(false);

    // Rename: an update; the key (and so the alias) stays.
    const renamed = await updateResource(
      azureSubscriptionHandler,
      created.id,
      created,
      sub(customerId, { displayName: "Platform" }),
      buyer,
    );
    expect(renamed.changed).toBe(true);
    expect(renamed.inputs.key).toBe("Dev Team subscription");
    expect(renamed.state.displayName).toBe("Platform");
    expect(renamed.state.aliasName).toBe(s.aliasName);

    // Drift: renamed outside the program.
    await renameSubscription(buyer.api().arm, customerId, created.id, "Renamed elsewhere");
    const read = await azureSubscriptionHandler.read(created.id, renamed.state, buyer);
    const refreshed = read.props as typeof renamed.state;
    expect(refreshed.displayName).toBe("Renamed elsewhere");
    expect((await azureSubscriptionHandler.diff(created.id, refreshed, renamed.inputs, buyer)).changes).toBe(
      true,
    );

    // Delete: cancelled through ARM (the entitlement follows), and it says so.
    const beforeDelete = await lastSeq();
    await azureSubscriptionHandler.delete(created.id, refreshed, buyer);
    const entitlement = await getAzureEntitlement(buyer.api().partnerCenter, customerId, planId, created.id);
    expect(entitlement?.status).toBe("inactive");
    expect(await writesSince(beforeDelete)).toEqual([
      `arm POST /subscriptions/${created.id}/providers/Microsoft.Subscription/cancel`,
    ]);
    expect(
      t.logs.some((l) =>
        l.includes(`AzureSubscription ${created.id}: cancelled (Azure Resource Manager cancel)`),
      ),
    ).toBe(true);

    // Created again (same key, recorded in the inputs above): the same alias finds the same
    // subscription, which is enabled again through ARM.
    const beforeAgain = await lastSeq();
    const again = await createResource(
      azureSubscriptionHandler,
      sub(customerId, { displayName: "Platform", key: renamed.inputs.key! }),
      buyer,
    );
    expect(again.id).toBe(created.id);
    expect(again.state.entitlementStatus).toBe("active");
    // Enabled first: a disabled subscription refuses the rename that follows (drift above).
    expect(await writesSince(beforeAgain)).toEqual([
      `arm POST /subscriptions/${created.id}/providers/Microsoft.Subscription/enable`,
      `arm POST /subscriptions/${created.id}/providers/Microsoft.Subscription/rename`,
    ]);
    expect(
      t.logs.some((l) => l.includes(`enabled the cancelled Azure subscription ${created.id} again`)),
    ).toBe(true);
    expect((await azureSubscriptionsOf(customerId)).sort()).toEqual(
      [firstAzureSubscription, created.id].sort(),
    );
  });

  it("plans a cancelled-elsewhere subscription's reactivation as a visible replacement", async () => {
    const { customerId, planId } = await customerWithPlan();
    const created = await createResource(azureSubscriptionHandler, sub(customerId), buyer);
    await cancelAzureEntitlement(buyer.api().partnerCenter, customerId, planId, created.id, "compromise");
    const read = await azureSubscriptionHandler.read(created.id, created.state, buyer);
    const refreshed = read.props as typeof created.state;
    expect(refreshed.entitlementStatus).toBe("inactive");
    const diff = await azureSubscriptionHandler.diff(created.id, refreshed, created.inputs, buyer);
    expect(diff).toEqual({ changes: true, replaces: ["entitlementStatus"], deleteBeforeReplace: true });
  });

  it("finds the subscription of an interrupted run instead of buying another", async () => {
    const { customerId } = await customerWithPlan();
    const first = await createResource(
      azureSubscriptionHandler,
      sub(customerId, { key: "analytics" }),
      buyer,
    );
    const seq = await lastSeq();
    const again = await createResource(
      azureSubscriptionHandler,
      sub(customerId, { key: "analytics" }),
      buyer,
    );
    expect(again.id).toBe(first.id);
    // The alias PUT comes first (idempotent by name): it answers the existing alias (200, not
    // 201 Created), which is then looked at (entitlement, name); nothing else is sent.
    const calls = (await t.emu.admin.requestLog({ sinceSeq: seq }))
      .filter((c) => !c.path.includes("/oauth2/"))
      .map((c) => `${c.method} ${c.path} ${c.status}`);
    expect(calls).toEqual([
      `PUT /providers/Microsoft.Subscription/aliases/${first.state.aliasName} 200`,
      `GET /v1/customers/${customerId}/subscriptions 200`,
      `GET /v1/customers/${customerId}/subscriptions/${first.state.planSubscriptionId}/azureEntitlements 200`,
      `GET /subscriptions/${first.id} 200`,
    ]);
  });

  it("ends with one subscription when the alias PUT response is lost after commit", async () => {
    const { customerId, firstAzureSubscription } = await customerWithPlan();
    await t.emu.admin.addFault({
      method: "PUT",
      pathPattern: "^/providers/Microsoft.Subscription/aliases/",
      service: "arm",
      count: 1,
      action: { type: "commitThenDrop" },
    });
    const created = await createResource(azureSubscriptionHandler, sub(customerId, { key: "lost" }), buyer);
    expect((await azureSubscriptionsOf(customerId)).sort()).toEqual(
      [firstAzureSubscription, created.id].sort(),
    );
  });

  it("refuses to change the workload or the customer instead of replacing the subscription", async () => {
    const { customerId } = await customerWithPlan();
    const created = await createResource(azureSubscriptionHandler, sub(customerId, { key: "fixed" }), buyer);
    const seq = await lastSeq();
    const workload = await checkFailures(
      azureSubscriptionHandler,
      created.inputs,
      sub(customerId, { key: "fixed", workload: "DevTest" }),
      buyer,
    );
    expect(workload.map((f) => f.property)).toEqual(["workload"]);
    expect(workload[0]!.reason).toMatch(/never replaced implicitly/);
    const key = await checkFailures(
      azureSubscriptionHandler,
      created.inputs,
      sub(customerId, { key: "other" }),
      buyer,
    );
    expect(key.map((f) => f.property)).toEqual(["key"]);
    expect(await writesSince(seq)).toEqual([]);
    // Without an explicit key, the first display name stays the key.
    const kept = await checked(
      azureSubscriptionHandler,
      created.inputs,
      sub(customerId, { displayName: "New name", key: "fixed" }),
      buyer,
    );
    expect(kept.key).toBe("fixed");
  });

  it("refuses a customer without an Azure plan, naming what to create", async () => {
    const customerId = await newCustomerWithAgreement(t.ctx);
    await expect(azureSubscriptionHandler.create(sub(customerId), buyer)).rejects.toThrow(
      /has no Azure plan.*create an AzurePlan/,
    );
  });
});
