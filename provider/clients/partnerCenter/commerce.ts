import type { ServiceClient } from "../../http/types";
import { listPartnerCenter } from "../paging";
import { quoteEtag } from "./customers";

/**
 * Partner Center commerce operations used by the Azure plan and Azure subscriptions
 * (reference §3): catalog, carts, checkout, orders, subscriptions and Azure entitlements.
 * All of these accept app-only tokens except the provisioning-status routes (App+User).
 */

/** The Azure plan's catalog item `product:sku:availability` (reference §3.1). */
export const AZURE_PLAN_CATALOG_ITEM = "DZH318Z0BPS6:0001:DZH318Z0BML6";

export interface CatalogItemParts {
  productId: string;
  skuId: string;
  availabilityId: string;
}

/** Splits `product:sku:availability`; `undefined` when the text does not have three parts. */
export function parseCatalogItemId(catalogItemId: string): CatalogItemParts | undefined {
  const parts = catalogItemId.split(":");
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) return undefined;
  return { productId: parts[0]!, skuId: parts[1]!, availabilityId: parts[2]! };
}

function customerBase(customerId: string): string {
  return `/v1/customers/${encodeURIComponent(customerId)}`;
}

// --- catalog --------------------------------------------------------------------------------

export interface PcAvailability {
  id: string;
  productId?: string;
  skuId?: string;
  catalogItemId?: string;
  country?: string;
  isPurchasable?: boolean;
  /** License-based offers: the terms it can be bought for ("Product resources": Term). */
  terms?: { duration?: string; description?: string }[];
}

/**
 * The availabilities of a SKU for a customer: `GET /v1/customers/{c}/products/{p}/skus/{s}/availabilities`
 * ("Get a list of availabilities for a SKU (by customer)",
 * https://learn.microsoft.com/partner-center/developer/get-a-list-of-availabilities-for-a-sku-by-customer);
 * empty when the product or SKU is unknown (404).
 */
export async function listAvailabilities(
  pc: ServiceClient,
  customerId: string,
  productId: string,
  skuId: string,
  country: string,
): Promise<PcAvailability[]> {
  const res = await pc.send<{ items?: PcAvailability[] }>({
    method: "GET",
    path: `${customerBase(customerId)}/products/${encodeURIComponent(productId)}/skus/${encodeURIComponent(skuId)}/availabilities`,
    query: { country },
    okStatuses: [404],
  });
  return res.status === 404 ? [] : (res.body?.items ?? []);
}

/**
 * Whether the catalog item is offered to this customer in `country`:
 * `GET /v1/customers/{c}/products/{p}/skus/{s}/availabilities?country=` (customer-scoped catalog,
 * reference §3.1) and look for the availability id. `false` when the product/SKU is unknown (404).
 */
export async function isCatalogItemAvailable(
  pc: ServiceClient,
  customerId: string,
  item: CatalogItemParts,
  country: string,
): Promise<boolean> {
  const path = `${customerBase(customerId)}/products/${encodeURIComponent(item.productId)}/skus/${encodeURIComponent(item.skuId)}/availabilities`;
  const res = await pc.send<{ items?: PcAvailability[] }>({
    method: "GET",
    path,
    query: { country },
    okStatuses: [404],
  });
  if (res.status === 404) return false;
  const wanted = item.availabilityId.toLowerCase();
  return (res.body?.items ?? []).some((a) => a.id.toLowerCase() === wanted);
}

// --- carts and checkout ---------------------------------------------------------------------

export interface PcCartLineItem {
  id: number;
  catalogItemId: string;
  friendlyName?: string;
  quantity: number;
  billingCycle?: string;
  termDuration?: string;
  orderGroup?: string;
  /** Indirect model: `[{ key: "transaction_reseller", value: <reseller PartnerID> }]` ("Create a cart"). */
  participants?: { key: string; value: string }[];
  error?: { errorCode?: string | number; errorDescription?: string };
}

export interface PcCart {
  id: string;
  creationTimestamp?: string;
  status?: string;
  lineItems?: PcCartLineItem[];
  expirationTimestamp?: string;
}

export interface PcOrderLineItem {
  lineItemNumber?: number;
  offerId?: string;
  subscriptionId?: string;
  friendlyName?: string;
  quantity?: number;
}

export interface PcOrder {
  id: string;
  referenceCustomerId?: string;
  billingCycle?: string;
  lineItems?: PcOrderLineItem[];
  creationDate?: string;
  status?: string;
}

export interface PcCheckoutResult {
  orders?: PcOrder[];
  orderErrors?: { orderGroupId?: string; code?: number | string; description?: string }[];
}

/**
 * `POST /v1/customers/{c}/carts` ("Create a cart", https://learn.microsoft.com/partner-center/developer/create-a-cart).
 * A cart is not a purchase; the key makes a
 * re-run after a crash get the same cart back, so its checkout can be replayed too.
 */
export async function createCart(
  pc: ServiceClient,
  customerId: string,
  lineItems: PcCartLineItem[],
  idempotencyKey: string,
  /** Cart-level fields besides the line items, e.g. `PartnerOnRecordAttestationAccepted` ("Create a cart"). */
  cartFields: Record<string, unknown> = {},
): Promise<PcCart> {
  const res = await pc.send<PcCart>({
    method: "POST",
    path: `${customerBase(customerId)}/carts`,
    body: { ...cartFields, lineItems },
    idempotencyKey,
  });
  return res.body;
}

/**
 * `GET /v1/customers/{c}/carts/{cart}` ("Get a cart by ID":
 * https://learn.microsoft.com/partner-center/developer/get-a-cart-by-id): the cart as it is now,
 * its `status` `Active`, `Ordered` or `Expired`; `undefined` on 404.
 */
export async function getCart(
  pc: ServiceClient,
  customerId: string,
  cartId: string,
): Promise<PcCart | undefined> {
  const res = await pc.send<PcCart>({
    method: "GET",
    path: `${customerBase(customerId)}/carts/${encodeURIComponent(cartId)}`,
    okStatuses: [404],
  });
  return res.status === 404 ? undefined : res.body;
}

/**
 * `POST /v1/customers/{c}/carts/{cart}/checkout` → 201 CartCheckoutResult ("Checkout a cart",
 * https://learn.microsoft.com/partner-center/developer/checkout-a-cart).
 * THE purchase. The idempotency key is reused by the pipeline after a lost response, so the
 * service answers the stored result instead of ordering again.
 */
export async function checkoutCart(
  pc: ServiceClient,
  customerId: string,
  cartId: string,
  idempotencyKey: string,
): Promise<PcCheckoutResult> {
  const res = await pc.send<PcCheckoutResult>({
    method: "POST",
    path: `${customerBase(customerId)}/carts/${encodeURIComponent(cartId)}/checkout`,
    idempotencyKey,
  });
  return res.body;
}

// --- orders ---------------------------------------------------------------------------------

/** `GET /v1/customers/{c}/orders/{o}`; `undefined` on 404. */
export async function getOrder(
  pc: ServiceClient,
  customerId: string,
  orderId: string,
): Promise<PcOrder | undefined> {
  const res = await pc.send<PcOrder>({
    method: "GET",
    path: `${customerBase(customerId)}/orders/${encodeURIComponent(orderId)}`,
    okStatuses: [404],
  });
  return res.status === 404 ? undefined : res.body;
}

/** `GET /v1/customers/{c}/orders`. */
export async function listOrders(pc: ServiceClient, customerId: string): Promise<PcOrder[]> {
  return listPartnerCenter<PcOrder>(pc, { method: "GET", path: `${customerBase(customerId)}/orders` });
}

// --- subscriptions --------------------------------------------------------------------------

/** `Subscription` (reference §3.4, vector 13). */
export interface PcSubscription {
  id: string;
  offerId?: string;
  offerName?: string;
  entitlementId?: string;
  friendlyName?: string;
  quantity?: number;
  status?: string;
  autoRenewEnabled?: boolean;
  billingType?: string;
  billingCycle?: string;
  orderId?: string;
  productType?: { id?: string; displayName?: string };
  attributes?: { etag?: string; objectType?: string };
  [key: string]: unknown;
}

/** `GET /v1/customers/{c}/subscriptions`. */
export async function listSubscriptions(pc: ServiceClient, customerId: string): Promise<PcSubscription[]> {
  return listPartnerCenter<PcSubscription>(pc, {
    method: "GET",
    path: `${customerBase(customerId)}/subscriptions`,
  });
}

/** `GET /v1/customers/{c}/subscriptions/{s}`; `undefined` on 404. */
export async function getSubscription(
  pc: ServiceClient,
  customerId: string,
  subscriptionId: string,
): Promise<PcSubscription | undefined> {
  const res = await pc.send<PcSubscription>({
    method: "GET",
    path: `${customerBase(customerId)}/subscriptions/${encodeURIComponent(subscriptionId)}`,
    okStatuses: [404],
  });
  return res.status === 404 ? undefined : res.body;
}

/**
 * The subscription and the service's time of the answer (its HTTP `Date` header; the local clock
 * when there is none), for decisions Partner Center makes by its own clock (cancellation windows).
 */
export async function getSubscriptionAndTime(
  pc: ServiceClient,
  customerId: string,
  subscriptionId: string,
): Promise<{ subscription?: PcSubscription; serviceTime: Date }> {
  const res = await pc.send<PcSubscription>({
    method: "GET",
    path: `${customerBase(customerId)}/subscriptions/${encodeURIComponent(subscriptionId)}`,
    okStatuses: [404],
  });
  const date = Date.parse(res.headers["date"] ?? "");
  const serviceTime = Number.isFinite(date) ? new Date(date) : new Date();
  return res.status === 404 ? { serviceTime } : { subscription: res.body, serviceTime };
}

/**
 * `PATCH /v1/customers/{c}/subscriptions/{s}` with the FULL subscription in the body and
 * `If-Match` ("Update a subscription", https://learn.microsoft.com/partner-center/developer/update-a-subscription-by-id;
 * the same PATCH changes the quantity, auto-renew or, with status `deleted`, cancels); a stale ETag is 400 code 2055.
 */
export async function patchSubscription(
  pc: ServiceClient,
  customerId: string,
  subscription: PcSubscription,
): Promise<PcSubscription> {
  const etag = subscription.attributes?.etag;
  const res = await pc.send<PcSubscription>({
    method: "PATCH",
    path: `${customerBase(customerId)}/subscriptions/${encodeURIComponent(subscription.id)}`,
    body: subscription,
    ...(etag ? { headers: { "If-Match": quoteEtag(etag) } } : {}),
    // Sending the same full resource twice gives the same result.
    idempotent: true,
  });
  return res.body;
}

/** Whether a subscription is the Azure plan for `catalogItemId` (reference §3.1, §3.4 [U values]). */
export function isAzurePlanSubscription(sub: PcSubscription, catalogItemId: string): boolean {
  const offer = (sub.offerId ?? "").toLowerCase();
  if (offer === catalogItemId.toLowerCase()) return true;
  // The published subscription sample is a legacy offer; for the Azure plan the offerId is the
  // catalog item id (usage records show it). Fall back to the product id prefix.
  const product = parseCatalogItemId(catalogItemId)?.productId.toLowerCase();
  return product !== undefined && offer.startsWith(`${product}:`);
}

// --- Azure entitlements ----------------------------------------------------------------------

/** Azure entitlement = an Azure subscription inside the plan (reference §3.5, vector 14). */
export interface PcAzureEntitlement {
  id: string;
  friendlyName?: string;
  status?: string;
  subscriptionId?: string;
}

function entitlementsPath(customerId: string, planSubscriptionId: string): string {
  return `${customerBase(customerId)}/subscriptions/${encodeURIComponent(planSubscriptionId)}/azureEntitlements`;
}

/** `GET .../subscriptions/{s}/azureEntitlements`. */
export async function listAzureEntitlements(
  pc: ServiceClient,
  customerId: string,
  planSubscriptionId: string,
): Promise<PcAzureEntitlement[]> {
  return listPartnerCenter<PcAzureEntitlement>(pc, {
    method: "GET",
    path: entitlementsPath(customerId, planSubscriptionId),
  });
}

/** `GET .../azureEntitlements/{e}`; `undefined` on 404 (800111). */
export async function getAzureEntitlement(
  pc: ServiceClient,
  customerId: string,
  planSubscriptionId: string,
  entitlementId: string,
): Promise<PcAzureEntitlement | undefined> {
  const res = await pc.send<PcAzureEntitlement>({
    method: "GET",
    path: `${entitlementsPath(customerId, planSubscriptionId)}/${encodeURIComponent(entitlementId)}`,
    okStatuses: [404],
  });
  return res.status === 404 ? undefined : res.body;
}

/**
 * The documented `cancellationReason`: Microsoft's page ("Cancel an Azure subscription") shows
 * only `compromise` [C]; the API exists for compromise and abuse ("If compromise or abuse,
 * partners ... can cancel"). Other values are not documented [U]; an invalid one is 400 / 900307.
 */
export const DEFAULT_CANCELLATION_REASON = "compromise";

/** `POST .../azureEntitlements/{e}/cancel` body `{cancellationReason}` (reference §3.5). */
export async function cancelAzureEntitlement(
  pc: ServiceClient,
  customerId: string,
  planSubscriptionId: string,
  entitlementId: string,
  cancellationReason: string,
): Promise<void> {
  await pc.send({
    method: "POST",
    path: `${entitlementsPath(customerId, planSubscriptionId)}/${encodeURIComponent(entitlementId)}/cancel`,
    body: { cancellationReason },
    // Cancelling a cancelled entitlement changes nothing.
    idempotent: true,
  });
}

/** `POST .../azureEntitlements/{e}/reactivate` → 202 (reference §3.5). */
export async function reactivateAzureEntitlement(
  pc: ServiceClient,
  customerId: string,
  planSubscriptionId: string,
  entitlementId: string,
): Promise<void> {
  await pc.send({
    method: "POST",
    path: `${entitlementsPath(customerId, planSubscriptionId)}/${encodeURIComponent(entitlementId)}/reactivate`,
    idempotent: true,
  });
}
