import type { Route } from "../common/types";
import { requireCustomer } from "./customerAccess";
import { arrProp, isObject, type JsonObject, objProp, requireBody } from "./jsonBody";
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
} from "./purchases";
import { attributes, link } from "./resourceLinks";

/**
 * Carts and checkout (reference 3.2; vectors 11, 12). A cart lives 7 days (the 2023 example;
 * the 2019 one shows 15 minutes [D]). Checkout answers 201 with a `CartCheckoutResult`; a second
 * checkout of an ordered cart is 400 / 800065 (a retry with the same `MS-RequestId` instead gets
 * the first answer again, see the route pipeline).
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
  const raw = arrProp(body, "lineItems");
  if (!raw || raw.length === 0)
    throw pcErrors.invalidProperty("lineItems is required and must not be empty.");
  return raw.map((entry, index) => {
    if (!isObject(entry)) throw pcErrors.invalidProperty(`lineItems[${index}] must be an object.`);
    const item = readPurchaseItem(purchaseInput(entry, "catalogItemId"), index);
    const context = objProp(entry, "provisioningContext");
    return context ? Object.assign(item, { provisioningContext: context }) : item;
  });
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
  item: PurchaseItem & { provisioningContext?: JsonObject },
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
  if (item.partnerIdOnRecord !== undefined) {
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
  const items = wire.map((l, index) =>
    readPurchaseItem(
      {
        catalogItemId: String(l.catalogItemId),
        quantity: l.quantity,
        billingCycle: String(l.billingCycle),
        termDuration: l.termDuration as string | undefined,
        friendlyName: l.friendlyName as string | undefined,
        partnerIdOnRecord: partnerOnRecord(l),
      },
      index,
    ),
  );
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
