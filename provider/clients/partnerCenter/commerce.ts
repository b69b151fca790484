import type { ServiceClient } from "../../http/types";
import { listPartnerCenter } from "../paging";
import { quoteEtag } from "./customers";

/**
 * Partner Center commerce operations used by the Azure plan and Azure subscriptions ("Create an
 * Azure plan", https://learn.microsoft.com/partner-center/developer/create-azure-plan): catalog,
 * carts, checkout, orders, subscriptions and Azure entitlements. All of these accept app-only
 * tokens except the provisioning-status routes (App+User).
 */

/**
 * The Azure plan's catalog item `product:sku:availability`, found through the catalog as "Create an
 * Azure plan" describes (product `DZH318Z0BPS6`, SKU `0001`, availability `DZH318Z0BML6`).
 */
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
 * `GET /v1/customers/{c}/products/{p}/skus/{s}/availabilities?country=` ("Get a list of
 * availabilities for a SKU (by customer)") and look for the availability id. `false` when the
 * product/SKU is unknown (404).
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
  /** PartnerIDs on record: `{ key: "transaction_reseller", value: <MPN id> }` names the indirect reseller. */
  participants?: { key: string; value: string }[];
  orderGroup?: string;
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
  /** The indirect reseller of record (its MPN id). */
  partnerIdOnRecord?: string;
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

/** The body of a cart create: the line items and the partner attestation. */
export interface PcCartRequestBody {
  PartnerOnRecordAttestationAccepted: true;
  lineItems: PcCartLineItem[];
}

/**
 * The cart request body. "Create a cart" (https://learn.microsoft.com/partner-center/developer/create-a-cart)
 * lists `PartnerOnRecordAttestationAccepted` (Boolean, required) at the top of the body next to
 * `lineItems`; without it the service answers 400 / 900206 "Partner Attestation is missing"
 * ("Partner Center REST error codes"). Sending `true` is the partner's attestation, made by the
 * program that buys: an AzurePlan only orders with `acknowledgePurchase: true` and a stack that
 * allows purchases.
 */
export function cartRequestBody(lineItems: PcCartLineItem[]): PcCartRequestBody {
  return { PartnerOnRecordAttestationAccepted: true, lineItems };
}

/**
 * `POST /v1/customers/{c}/carts` ("Create a cart"), body {@link cartRequestBody}. A cart is not a
 * purchase. The key is sent as `MS-RequestId`: the pipeline reuses it on its own retries of this
 * call (the documented use), and the Azure plan derives it from the body, so a re-run after a crash
 * sends the same id again; whether the service still answers the earlier cart then is not
 * documented (see `boughtByThisProgram` in the Azure plan handler).
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
    body: { ...cartRequestBody(lineItems), ...cartFields },
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
 * `POST /v1/customers/{c}/carts/{cart}/checkout` → 201 CartCheckoutResult ("Check out a cart",
 * https://learn.microsoft.com/partner-center/developer/checkout-a-cart). THE purchase. That page
 * documents the checkout as idempotent per cart id: checking out a cart that was already checked
 * out repeats the first result instead of ordering again ("Partner Center REST error codes" also
 * lists 400 / 800065 for an already submitted cart, which the Azure plan handler takes as "look for
 * the order"). The idempotency key is reused by the pipeline after a lost response as well.
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

/** `Subscription` ("Subscription resources"; vector 13). */
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

/**
 * Whether a subscription is the Azure plan for `catalogItemId` ("Create an Azure plan"; [U] the
 * values: no Azure plan subscription example is published).
 */
export function isAzurePlanSubscription(sub: PcSubscription, catalogItemId: string): boolean {
  const offer = (sub.offerId ?? "").toLowerCase();
  if (offer === catalogItemId.toLowerCase()) return true;
  // The published subscription sample is a legacy offer; for the Azure plan the offerId is the
  // catalog item id (usage records show it). Fall back to the product id prefix.
  const product = parseCatalogItemId(catalogItemId)?.productId.toLowerCase();
  return product !== undefined && offer.startsWith(`${product}:`);
}

// --- Azure entitlements ----------------------------------------------------------------------

/**
 * Azure entitlement = an Azure subscription inside the plan ("Get a list of Azure entitlements for a
 * subscription"; vector 14).
 */
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
 * Partner Center's cancel of an Azure subscription: `POST .../azureEntitlements/{e}/cancel` body
 * `{cancellationReason}` ("Cancel an Azure subscription":
 * https://learn.microsoft.com/partner-center/developer/cancel-an-azure-subscription). The page
 * gives it for compromised or abused subscriptions and shows only the reason `compromise`; the
 * routine cancel is ARM's (`cancelArmSubscription`).
 */
export async function cancelAzureEntitlement(
  pc: ServiceClient,
  customerId: string,
  planSubscriptionId: string,
  entitlementId: string,
  cancellationReason: "compromise",
): Promise<void> {
  await pc.send({
    method: "POST",
    path: `${entitlementsPath(customerId, planSubscriptionId)}/${encodeURIComponent(entitlementId)}/cancel`,
    body: { cancellationReason },
    // Cancelling a cancelled entitlement changes nothing.
    idempotent: true,
  });
}
