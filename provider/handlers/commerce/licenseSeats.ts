import type { CspApi } from "../../clients/cspApi";
import {
  getOrder,
  getSubscription,
  listOrders,
  type PcCart,
  type PcOrder,
  type PcSubscription,
  patchSubscription,
} from "../../clients/partnerCenter/commerce";
import { hasServiceCode } from "../../errors";
import { shown } from "../../purchaseMarker";
import { stripUndefined } from "../common";
import type { HandlerContext } from "../types";
import { orderedSubscription, orderThroughCart, subscriptionOfOrder } from "./cartCheckout";
import { providerRefusal } from "./errors";
import {
  LICENSE_SUBSCRIPTION_TYPE,
  type LicenseState,
  type LicenseSubscriptionInputs,
  licenseCart,
  offerLabel,
} from "./licenseInputs";
import { assertPurchaseAllowed } from "./purchaseGuard";
import { decreaseRefusal, describeLicenseDeletion, removableSeats } from "./seatWindow";

/**
 * The steps of a LicenseSubscription (see `../licenseSubscription.ts`): buying through the cart
 * without buying twice, applying quantity / auto-renew / friendly name to the subscription, and
 * the outputs as Partner Center holds them.
 */

export function what(inputs: LicenseSubscriptionInputs): string {
  return `${inputs.quantity} seats of ${offerLabel(inputs)} for customer ${shown(inputs.customerId, "(not known yet)")}`;
}

/** Outputs from the subscription as Partner Center holds it. */
export function outputsOf(
  inputs: LicenseSubscriptionInputs,
  sub: PcSubscription,
  orderId?: string,
): LicenseState {
  const { seats, until } = removableSeats(sub);
  const state = {
    quantity: sub.quantity ?? inputs.quantity,
    cancellationAllowedUntilDate: str(sub.cancellationAllowedUntilDate),
    commitmentEndDate: str(sub.commitmentEndDate),
  };
  return stripUndefined({
    ...inputs,
    catalogItemId: inputs.catalogItemId ?? sub.offerId ?? "",
    subscriptionId: sub.id,
    orderId: sub.orderId ?? orderId,
    offerName: sub.offerName,
    status: sub.status ?? "active",
    quantity: state.quantity,
    autoRenew: sub.autoRenewEnabled ?? true,
    friendlyName: sub.friendlyName,
    commitmentEndDate: state.commitmentEndDate,
    cancellationAllowedUntilDate: state.cancellationAllowedUntilDate,
    refundableSeats: seats,
    refundableUntil: until,
    deletionBehavior: describeLicenseDeletion(inputs.onDelete ?? "cancel", state),
  });
}

/** Outputs of an order whose subscription is not provisioned yet. */
export function pendingOutputs(inputs: LicenseSubscriptionInputs, orderId: string): LicenseState {
  return stripUndefined({
    ...inputs,
    catalogItemId: inputs.catalogItemId ?? "",
    orderId,
    status: "pending",
    autoRenew: inputs.autoRenew ?? true,
    refundableSeats: inputs.quantity,
    deletionBehavior: describeLicenseDeletion(inputs.onDelete ?? "cancel", { quantity: inputs.quantity }),
  });
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function isGone(sub: PcSubscription | undefined): boolean {
  const status = (sub?.status ?? "").toLowerCase();
  return !sub || status === "deleted" || status === "expired";
}

/**
 * The order this cart placed, when the checkout's answer is lost and not replayed: the customer's
 * order with this cart's line item (catalog item, quantity, friendly name) placed at or after the
 * cart was created. [U] Partner Center does not link a cart to its order; the earliest match is taken.
 */
export async function findOrderOfCart(
  api: CspApi,
  inputs: LicenseSubscriptionInputs,
  catalogItemId: string,
  cart: PcCart,
): Promise<PcOrder | undefined> {
  const since = Date.parse(cart.creationTimestamp ?? "") || 0;
  const matches = (await listOrders(api.partnerCenter, inputs.customerId))
    .filter((o) => (o.status ?? "").toLowerCase() !== "cancelled")
    .filter((o) => (Date.parse(o.creationDate ?? "") || 0) >= since - 60_000)
    .filter((o) =>
      (o.lineItems ?? []).some(
        (l) =>
          (l.offerId ?? "").toLowerCase() === catalogItemId.toLowerCase() &&
          l.quantity === inputs.quantity &&
          (inputs.friendlyName === undefined || l.friendlyName === inputs.friendlyName),
      ),
    )
    .sort((a, b) => (a.creationDate ?? "").localeCompare(b.creationDate ?? ""));
  return matches[0];
}

/**
 * Buys the seats, or finds what an earlier run of this program bought with the same cart. A
 * subscription of this declaration that was cancelled or expired since is not taken: its id becomes
 * part of the next cart's key, and the next cart is a new purchase.
 */
export async function buy(
  api: CspApi,
  inputs: LicenseSubscriptionInputs,
  catalogItemId: string,
  ctx: HandlerContext,
): Promise<{ order: PcOrder; sub: PcSubscription }> {
  const earlier: string[] = [];
  for (;;) {
    const cart = licenseCart(inputs, catalogItemId, earlier);
    const order = await orderThroughCart(api, cart, (c) => findOrderOfCart(api, inputs, catalogItemId, c));
    const sub = await orderedSubscription(
      api,
      inputs.customerId,
      order,
      catalogItemId,
      ctx.clock,
      what(inputs),
      pendingOutputs({ ...inputs, catalogItemId }, order.id),
    );
    if (!isGone(sub)) return { order, sub };
    if (earlier.length >= 10) {
      throw providerRefusal(
        `too many earlier purchases of ${what(inputs)} were cancelled`,
        "buy it in Partner Center, then declare it",
      );
    }
    ctx.log(
      `LicenseSubscription: the subscription ${sub.id} this program bought earlier with the same declaration is ${sub.status}; buying anew`,
    );
    earlier.push(sub.id);
  }
}

/**
 * Applies quantity, auto-renew and friendly name with a PATCH of the full subscription (If-Match).
 * A stale ETag (2055) or an answer that the subscription changed meanwhile is read again: a
 * repeated PATCH after a lost answer finds the change already made and sends nothing.
 */
export async function applySettings(
  api: CspApi,
  inputs: LicenseSubscriptionInputs,
  subscriptionId: string,
  ctx: HandlerContext,
): Promise<PcSubscription> {
  for (let attempt = 0; ; attempt++) {
    const current = await getSubscription(api.partnerCenter, inputs.customerId, subscriptionId);
    if (isGone(current)) {
      throw providerRefusal(
        `the license subscription ${subscriptionId} of customer ${inputs.customerId} is ${current?.status ?? "gone"}`,
        "run `pulumi refresh` to drop it from the stack; declaring it again buys new seats",
        "CSP_API_ERROR",
      );
    }
    const sub = current!;
    const body: PcSubscription = { ...sub };
    const from = sub.quantity ?? inputs.quantity;
    if (inputs.quantity !== from) {
      if (inputs.quantity > from) {
        assertPurchaseAllowed(
          LICENSE_SUBSCRIPTION_TYPE,
          `${inputs.quantity - from} more seats of ${offerLabel(inputs)}`,
          inputs.acknowledgePurchase,
          ctx.config,
        );
      } else {
        const why = decreaseRefusal(sub, from, inputs.quantity);
        if (why) throw providerRefusal(`quantity: ${why}`, `set quantity back to ${from}`);
      }
      body.quantity = inputs.quantity;
    }
    const autoRenew = inputs.autoRenew ?? true;
    if (autoRenew !== (sub.autoRenewEnabled ?? true)) body.autoRenewEnabled = autoRenew;
    if (inputs.friendlyName !== undefined && inputs.friendlyName !== sub.friendlyName)
      body.friendlyName = inputs.friendlyName;
    if (
      body.quantity === sub.quantity &&
      body.autoRenewEnabled === sub.autoRenewEnabled &&
      body.friendlyName === sub.friendlyName
    ) {
      return sub;
    }
    try {
      const updated = await patchSubscription(api.partnerCenter, inputs.customerId, body);
      if (body.quantity !== sub.quantity) {
        ctx.log(
          `LicenseSubscription ${subscriptionId}: ${from} -> ${body.quantity} seats (${body.quantity! > from ? "the added seats are billed for the rest of the term" : "removed within their window"})`,
        );
      }
      return { ...body, ...updated };
    } catch (e) {
      if (attempt < 2 && hasServiceCode(e, "2055")) continue;
      throw e;
    }
  }
}

/** The subscription of a recorded order, completing a partial create (never ordering again). */
export async function subscriptionOfRecordedOrder(
  api: CspApi,
  state: LicenseState,
): Promise<string | undefined> {
  if (state.subscriptionId) return state.subscriptionId;
  const order = state.orderId
    ? await getOrder(api.partnerCenter, state.customerId, state.orderId)
    : undefined;
  if (!order) {
    throw providerRefusal(
      `the license order ${state.orderId ?? "(unknown)"} of customer ${state.customerId} cannot be found`,
      "run `pulumi refresh`; if the order is gone, remove the resource from the state and run `pulumi up` again",
      "CSP_API_ERROR",
    );
  }
  return subscriptionOfOrder(order, state.catalogItemId);
}
