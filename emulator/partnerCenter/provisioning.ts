import type { EmulatorSettings, EmulatorState } from "../common/state";
import type { EmulatorCore } from "../common/types";
import { addToPlan } from "./azurePlans";
import { resolveCatalogItem } from "./catalog";
import type { OrderRecord } from "./pcState";
import { createSubscriptionRecord } from "./subscriptionRecords";

/**
 * Order fulfilment. Normally a checkout is fulfilled at once: the order is `completed` and every
 * line item carries its `subscriptionId`. With `settings.partnerCenterProvisioningDelayMs` > 0 the
 * emulator models the documented lag ("subscription ids may be missing if provisioning is still
 * running": "Check out a cart",
 * https://learn.microsoft.com/partner-center/developer/checkout-a-cart; "an order may take up to 15
 * min to appear": "Create an Azure plan",
 * https://learn.microsoft.com/partner-center/developer/create-azure-plan): orders are `pending`,
 * line items have no `subscriptionId`, and the subscriptions (and the Azure subscription of an
 * Azure plan) appear once that much emulator time has passed — checked on every Partner Center
 * request.
 */

/** The provisioning delay setting (absent or 0: immediate). */
export function provisioningDelayMs(state: EmulatorState): number {
  const settings: EmulatorSettings = state.settings;
  const v = settings.partnerCenterProvisioningDelayMs;
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
}

/** Creates the subscriptions of an order and marks it completed. */
export function fulfillOrder(emu: EmulatorCore, order: OrderRecord): void {
  const lineItems = order.resource.lineItems as Record<string, unknown>[];
  for (const item of order.items) {
    const offer = resolveCatalogItem(item.offerId);
    const sub = createSubscriptionRecord(emu, {
      customerId: order.customerId,
      partnerTenantId: order.partnerTenantId,
      orderId: order.id,
      offer,
      item,
    });
    if (offer.kind === "azurePlan") {
      // The checkout of an Azure plan creates the plan and ONE Azure subscription under it.
      addToPlan(emu.state, sub, { customerId: order.customerId, displayName: "Microsoft Azure" }, emu.now());
    }
    const wire = lineItems.find((l) => l.lineItemNumber === item.lineItemNumber);
    if (wire) {
      // Keep the published key order: lineItemNumber, offerId, subscriptionId, ...
      const { lineItemNumber, offerId, ...rest } = wire;
      for (const k of Object.keys(wire)) delete wire[k];
      Object.assign(wire, { lineItemNumber, offerId, subscriptionId: sub.id, ...rest });
    }
  }
  order.resource.status = "completed";
  delete order.provisionAt;
  emu.markDirty();
}

/** Fulfils every pending order whose provisioning time has come. */
export function settleProvisioning(emu: EmulatorCore): void {
  // Read without creating the section: most requests come before any order exists.
  const orders = emu.state.partnerCenter.orders as Record<string, OrderRecord> | undefined;
  if (!orders) return;
  const now = emu.now().getTime();
  for (const order of Object.values(orders)) {
    if (order.provisionAt !== undefined && Date.parse(order.provisionAt) <= now) fulfillOrder(emu, order);
  }
}
