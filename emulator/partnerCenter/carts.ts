import { isObject, type JsonObject } from "../common/json";
import type { Route } from "../common/types";
import { requireCustomer } from "./customerAccess";
import { arrProp, objProp, requireBody, strProp } from "./jsonBody";
import { pcErrors } from "./pcErrors";
import { type PcContext, pcRoute } from "./pcRoute";
import { type CartRecord, pcSections } from "./pcState";
import {
  checkPurchase,
  orderView,
  type PurchaseItem,
  partnerOnRecord,
  placeOrders,
  purchaseInput,
  readPurchaseItem,
  requirePartnerAttestation,
  resellerOfRecord,
} from "./purchases";
import { attributes, link } from "./resourceLinks";

/**
 * Carts and checkout (Microsoft Learn "Create a cart", "Update a cart", "Check out a cart",
 * https://learn.microsoft.com/partner-center/developer/create-a-cart and siblings; vectors 11, 12).
 * A cart lives 7 days ("Create a cart"; a 2019 response example shows 15 minutes [D]). Creating
 * or updating a cart needs the partner attestation (400 / 900206, see `requirePartnerAttestation`).
 *
 * Checkout answers 201 with a `CartCheckoutResult`. A second checkout of an ordered cart: "Check
 * out a cart" calls the API idempotent per cart id (a later checkout of a checked-out cart repeats
 * the first result), while "Partner Center REST error codes" lists 400 / 800065 "can't check out an
 * already submitted cart". [U] The emulator answers 800065 to a new request and the first answer
 * again to a retry with the same `MS-RequestId` (see the route pipeline); the provider handles both.
 */

const CART_LIFETIME_MS = 7 * 24 * 3600 * 1000;

export const cartRoutes: Route[] = [
  pcRoute("POST", "/v1/customers/:customerId/carts", { auth: "appOrUser", rate: "order" }, (ctx) => {
    const customer = requireCustomer(ctx);
    const items = readCartItems(ctx);
    const now = ctx.emu.now();
    const id = ctx.emu.newId();
    const cart: CartRecord = {
      id,
      customerId: customer.id,
      partnerTenantId: ctx.caller.partnerTenantId,
      resource: {
        id,
        creationTimestamp: now.toISOString(),
        lastModifiedTimestamp: now.toISOString(),
        expirationTimestamp: new Date(now.getTime() + CART_LIFETIME_MS).toISOString(),
        lastModifiedUser: ctx.caller.objectId,
        status: "Active",
        lineItems: items.map(cartLineItem),
      },
    };
    pcSections(ctx.emu.state).carts[id] = cart;
    return { status: 201, body: cartView(cart) };
  }),
  pcRoute("GET", "/v1/customers/:customerId/carts/:cartId", { auth: "appOrUser", rate: "order" }, (ctx) => ({
    status: 200,
    body: cartView(requireCart(ctx)),
  })),
  pcRoute("PUT", "/v1/customers/:customerId/carts/:cartId", { auth: "appOrUser", rate: "order" }, (ctx) => {
    const cart = requireCart(ctx);
    if (cart.resource.status !== "Active") throw pcErrors.cartSubmitted(cart.id);
    const items = readCartItems(ctx);
    const now = ctx.emu.now();
    cart.resource.lineItems = items.map(cartLineItem);
    cart.resource.lastModifiedTimestamp = now.toISOString();
    cart.resource.lastModifiedUser = ctx.caller.objectId;
    return { status: 200, body: cartView(cart) };
  }),
  pcRoute(
    "POST",
    "/v1/customers/:customerId/carts/:cartId/checkout",
    { auth: "appOrUser", rate: "order" },
    checkout,
  ),
];

function requireCart(ctx: PcContext): CartRecord {
  const customer = requireCustomer(ctx);
  const id = (ctx.req.params.cartId ?? "").toLowerCase();
  const cart = pcSections(ctx.emu.state).carts[id];
  if (!cart || cart.customerId !== customer.id) throw pcErrors.cartNotFound(id);
  return cart;
}

function readCartItems(ctx: PcContext): PurchaseItem[] {
  const body = requireBody(ctx.req.body);
  requirePartnerAttestation(body);
  const raw = arrProp(body, "lineItems");
  if (!raw || raw.length === 0)
    throw pcErrors.invalidProperty("lineItems is required and must not be empty.");
  return raw.map((entry, index) => {
    if (!isObject(entry)) throw pcErrors.invalidProperty(`lineItems[${index}] must be an object.`);
    const item = readPurchaseItem(purchaseInput(entry, "catalogItemId"), index);
    const participants = readParticipants(ctx, arrProp(entry, "participants"), index);
    if (participants) Object.assign(item, participants);
    const context = objProp(entry, "provisioningContext");
    return context ? Object.assign(item, { provisioningContext: context }) : item;
  });
}

/**
 * A cart line item's `participants`: "A collection of PartnerID on Record on the purchase" ("Cart
 * resources", https://learn.microsoft.com/partner-center/developer/cart-resources), `{key, value}`
 * pairs; "Create a cart" (https://learn.microsoft.com/partner-center/developer/create-a-cart) names
 * the indirect reseller with the key `transaction_reseller`. That reseller must be an active
 * indirect reseller of the caller, checked here and again at checkout (404 / 800015,
 * 400 / 800016); it becomes the order line item's `partnerIdOnRecord` (its MPN id). [U] Other keys
 * (`additional_transaction_reseller`) are kept as sent, not checked; a second
 * `transaction_reseller` is refused (400 / 2000).
 */
function readParticipants(
  ctx: PcContext,
  raw: unknown[] | undefined,
  index: number,
): { participants: { key: string; value: string }[]; partnerIdOnRecord?: string } | undefined {
  if (raw === undefined) return undefined;
  const participants = raw.map((p, i) => {
    const key = strProp(p, "key");
    const value = strProp(p, "value");
    if (!key || !value) {
      throw pcErrors.invalidProperty(`lineItems[${index}].participants[${i}] must be {key, value} strings.`);
    }
    return { key, value };
  });
  const resellers = participants.filter((p) => p.key.toLowerCase() === "transaction_reseller");
  if (resellers.length > 1) {
    throw pcErrors.invalidProperty(
      `lineItems[${index}].participants names more than one transaction_reseller.`,
    );
  }
  if (resellers.length === 0) return { participants };
  return { participants, partnerIdOnRecord: resellerOfRecord(ctx, resellers[0]!.value) };
}

/** Order group of an item: items sharing a billing cycle are ordered together. */
function groupsOf(items: { billingCycle: string }[]): string[] {
  const seen: string[] = [];
  return items.map((i) => {
    if (!seen.includes(i.billingCycle)) seen.push(i.billingCycle);
    return String(seen.indexOf(i.billingCycle));
  });
}

function cartLineItem(
  item: PurchaseItem & { provisioningContext?: JsonObject; participants?: JsonObject[] },
  index: number,
  all: PurchaseItem[],
) {
  const out: JsonObject = {
    id: index,
    catalogItemId: item.offerId,
  };
  if (item.friendlyName !== undefined) out.friendlyName = item.friendlyName;
  out.quantity = item.quantity;
  out.currencyCode = "USD";
  out.billingCycle = item.billingCycle;
  if (item.termDuration !== undefined) out.termDuration = item.termDuration;
  if (item.participants !== undefined) out.participants = item.participants;
  else if (item.partnerIdOnRecord !== undefined) {
    out.participants = [{ key: "transaction_reseller", value: item.partnerIdOnRecord }];
  }
  out.provisioningContext = { ...(item.provisioningContext ?? {}) };
  out.orderGroup = groupsOf(all)[index];
  if (item.offer.monthlyPrice !== undefined) {
    const price = item.offer.monthlyPrice;
    const months = item.termDuration === "P1Y" ? 12 : item.termDuration === "P3Y" ? 36 : 1;
    out.pricing = {
      listPrice: price,
      discountedPrice: price,
      proratedPrice: price,
      price,
      extendedPrice: Math.round(price * months * item.quantity * 100) / 100,
    };
  }
  return out;
}

function cartView(cart: CartRecord): JsonObject {
  return {
    ...structuredClone(cart.resource),
    links: { self: link(`/customers/${cart.customerId}/carts/${cart.id}`) },
    attributes: attributes("Cart"),
  };
}

function checkout(ctx: PcContext) {
  const cart = requireCart(ctx);
  const customer = requireCustomer(ctx);
  if (cart.resource.status !== "Active") throw pcErrors.cartSubmitted(cart.id);
  if (Date.parse(String(cart.resource.expirationTimestamp)) <= ctx.emu.now().getTime()) {
    throw pcErrors.cartItemError(`the cart ${cart.id} expired; create a new cart.`);
  }
  const wire = cart.resource.lineItems as JsonObject[];
  const items = wire.map((l, index) => {
    const item = readPurchaseItem(
      {
        catalogItemId: String(l.catalogItemId),
        quantity: l.quantity,
        billingCycle: String(l.billingCycle),
        termDuration: l.termDuration as string | undefined,
        friendlyName: l.friendlyName as string | undefined,
        partnerIdOnRecord: partnerOnRecord(l),
      },
      index,
    );
    // The reseller of record is checked again: the relationship may have ended since the cart.
    const participants = readParticipants(ctx, l.participants as unknown[] | undefined, index);
    if (participants?.partnerIdOnRecord) item.partnerIdOnRecord = participants.partnerIdOnRecord;
    return item;
  });
  checkPurchase(ctx.emu, ctx.caller, customer, items);
  const byGroup = new Map<string, PurchaseItem[]>();
  items.forEach((item, i) => {
    const group = String(wire[i].orderGroup ?? "0");
    byGroup.set(group, [...(byGroup.get(group) ?? []), item]);
  });
  const orders = placeOrders(ctx.emu, ctx.caller, customer, [...byGroup.values()]);
  cart.resource.status = "Ordered";
  cart.resource.lastModifiedTimestamp = ctx.emu.now().toISOString();
  const result = { orders: orders.map(orderView), orderErrors: [] };
  cart.checkoutResult = structuredClone(result);
  return { status: 201, body: result };
}
