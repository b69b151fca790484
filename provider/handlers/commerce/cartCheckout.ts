import type { CspApi } from "../../clients/cspApi";
import {
  checkoutCart,
  createCart,
  getCart,
  getOrder,
  getSubscription,
  type PcCart,
  type PcCartLineItem,
  type PcOrder,
  type PcSubscription,
} from "../../clients/partnerCenter/commerce";
import { CspError, hasServiceCode, isCspError, isLostResponse } from "../../errors";
import { canonicalJson, deterministicUuid, partialCreate } from "../common";
import type { Clock } from "../types";
import { conflict } from "./errors";
import { accountName } from "./fields";
import { pollUntil } from "./polling";

/**
 * Buying through a cart, shared by the billable commerce resources (AzurePlan, LicenseSubscription):
 * "Create a cart" (https://learn.microsoft.com/partner-center/developer/create-a-cart) then "Checkout
 * a cart" (https://learn.microsoft.com/partner-center/developer/checkout-a-cart), never twice.
 *
 * - The cart's `MS-RequestId` is derived from what is sent (account, customer, line items, cart
 *   fields, the Pulumi project), so a re-run after a crash gets the same cart back, and a changed
 *   cart is a new request rather than a reused id (400 / 800002).
 * - The checkout's `MS-RequestId` follows the cart: the same cart replays its checkout, and the
 *   service answers the stored result instead of ordering again.
 * - A lost checkout answer, or "cart already submitted" (800065, an earlier run checked it out),
 *   is resolved by the resource's own lookup of the order it placed.
 */

/** A cart to buy: line items, cart-level fields, and the key namespaces of the resource type. */
export interface CartPurchase {
  customerId: string;
  account: string | undefined;
  lineItems: PcCartLineItem[];
  /** Cart-level fields, e.g. `PartnerOnRecordAttestationAccepted` (not part of the key when empty). */
  cartFields?: Record<string, unknown>;
  /**
   * Earlier purchases of the same declaration that no longer exist (cancelled, expired): part of
   * the key, so buying again is a new request rather than a replay of the old one.
   */
  keySalt?: string[];
  /** Namespaces of the deterministic keys, e.g. `azure-plan-cart` / `azure-plan-checkout`. */
  cartNamespace: string;
  checkoutNamespace: string;
  /** What is bought, for messages: "the Azure plan", "the license subscription". */
  what: string;
}

/**
 * The cart's `MS-RequestId`. The Pulumi project is part of it (the engine gives it to the provider
 * host as PULUMI_PROJECT), so another program declaring the same purchase does not pass for its
 * buyer (see {@link cartWasOrdered}). Stacks of one project share it [U]: the engine does not tell
 * the provider its stack.
 */
export function cartKey(p: CartPurchase): string {
  const fields = p.cartFields && Object.keys(p.cartFields).length > 0 ? [canonicalJson(p.cartFields)] : [];
  return deterministicUuid(
    p.cartNamespace,
    accountName(p.account),
    p.customerId.toLowerCase(),
    canonicalJson(p.lineItems),
    ...fields,
    process.env.PULUMI_PROJECT ?? "",
    ...(p.keySalt ?? []),
  );
}

/**
 * Whether this program's cart was already checked out (by a run that died before recording what it
 * bought): the cart POST with the program's key replays the cart that run created, and that cart,
 * read again ("Get a cart by ID", https://learn.microsoft.com/partner-center/developer/get-a-cart-by-id),
 * is `Ordered`. When Partner Center does not know the key, the POST makes a new cart, which is no
 * purchase and expires unused.
 */
export async function cartWasOrdered(api: CspApi, p: CartPurchase): Promise<boolean> {
  const cart = await createCart(api.partnerCenter, p.customerId, p.lineItems, cartKey(p), p.cartFields);
  const now = await getCart(api.partnerCenter, p.customerId, cart.id);
  return (now?.status ?? "").toLowerCase() === "ordered";
}

/**
 * Cart + checkout: the purchase itself. `findOrder` looks for the order this cart placed when the
 * checkout's answer was lost or the cart was already checked out.
 */
export async function orderThroughCart(
  api: CspApi,
  p: CartPurchase,
  findOrder: (cart: PcCart) => Promise<PcOrder | undefined>,
): Promise<PcOrder> {
  const pc = api.partnerCenter;
  const cart = await createCart(pc, p.customerId, p.lineItems, cartKey(p), p.cartFields);
  const lineError = cart.lineItems?.find((l) => l.error)?.error;
  if (lineError) {
    throw new CspError({
      code: "CSP_API_ERROR",
      service: "partnerCenter",
      summary: `the cart for ${p.what} of customer ${p.customerId} has an error: ${lineError.errorDescription ?? "unknown"}`,
      ...(lineError.errorCode !== undefined ? { serviceCode: String(lineError.errorCode) } : {}),
      hint: "fix the cause named by Partner Center (agreement, catalog item, customer profile) and run again",
    });
  }
  let result: Awaited<ReturnType<typeof checkoutCart>>;
  try {
    result = await checkoutCart(
      pc,
      p.customerId,
      cart.id,
      deterministicUuid(
        p.checkoutNamespace,
        accountName(p.account),
        p.customerId.toLowerCase(),
        cart.id.toLowerCase(),
      ),
    );
  } catch (e) {
    // Lost answer or "cart already submitted" (an earlier run checked it out): look for the order.
    if (isLostResponse(e) || hasServiceCode(e, "800065")) {
      const found = await findOrder(cart);
      if (found) return found;
      if (isCspError(e) && hasServiceCode(e, "800065")) {
        throw conflict(
          "partnerCenter",
          `the cart ${cart.id} for ${p.what} of customer ${p.customerId} was already checked out by an earlier run, but its order is not visible yet`,
          "nothing was bought twice; Partner Center can take up to 15 minutes to list a new order: run `pulumi up` again in a few minutes",
        );
      }
    }
    throw e;
  }
  const orderError = result.orderErrors?.[0];
  if (orderError) {
    throw new CspError({
      code: "CSP_API_ERROR",
      service: "partnerCenter",
      summary: `checkout of ${p.what} for customer ${p.customerId} failed: ${orderError.description ?? "order error"}`,
      ...(orderError.code !== undefined ? { serviceCode: String(orderError.code) } : {}),
      hint: "fix the cause named by Partner Center and run again (nothing was ordered for this order group)",
    });
  }
  const order = result.orders?.[0];
  if (!order) {
    throw new CspError({
      code: "CSP_API_ERROR",
      service: "partnerCenter",
      summary: `checkout of ${p.what} for customer ${p.customerId} returned no order`,
      hint: "run `pulumi up` again: the checkout is replayed with the same request id, nothing is bought twice",
    });
  }
  return order;
}

/** The subscription id the order's line item for `catalogItemId` names (its first line item otherwise). */
export function subscriptionOfOrder(order: PcOrder, catalogItemId: string): string | undefined {
  const wanted = catalogItemId.toLowerCase();
  const line =
    order.lineItems?.find((l) => (l.offerId ?? "").toLowerCase() === wanted) ?? order.lineItems?.[0];
  return line?.subscriptionId || undefined;
}

/**
 * Waits (bounded, see `polling.ts`) until the order names its subscription: orders may be listed
 * without subscription ids while provisioning runs ("Purchase new commerce license-based services").
 */
async function waitForOrderSubscription(
  api: CspApi,
  customerId: string,
  order: PcOrder,
  catalogItemId: string,
  clock: Clock,
): Promise<string | undefined> {
  const immediate = subscriptionOfOrder(order, catalogItemId);
  if (immediate) return immediate;
  return pollUntil(clock, async () => {
    const current = await getOrder(api.partnerCenter, customerId, order.id);
    return current ? subscriptionOfOrder(current, catalogItemId) : undefined;
  });
}

/**
 * The subscription an order bought, read once it is provisioned. When the order does not name it
 * within the bounded wait, the create fails as a partial create holding the order id and
 * `pending` outputs, so the purchase is in the state and a later refresh or `up` completes it
 * without ordering again.
 */
export async function orderedSubscription(
  api: CspApi,
  customerId: string,
  order: PcOrder,
  catalogItemId: string,
  clock: Clock,
  what: string,
  pending: object,
): Promise<PcSubscription> {
  const subscriptionId = await waitForOrderSubscription(api, customerId, order, catalogItemId, clock);
  const sub = subscriptionId
    ? await getSubscription(api.partnerCenter, customerId, subscriptionId)
    : undefined;
  if (sub) return sub;
  throw partialCreate(
    new CspError({
      code: "CSP_TIMEOUT",
      service: "partnerCenter",
      summary: `the order ${order.id} for ${what} was accepted but is not provisioned yet`,
      hint: "the order is recorded in the stack; run `pulumi refresh` or `pulumi up` later to complete it (nothing will be ordered again)",
    }),
    order.id,
    pending,
  );
}
