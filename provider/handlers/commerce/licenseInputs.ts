import { z } from "zod";
import type { CspApi } from "../../clients/cspApi";
import { listAvailabilities, type PcCartLineItem } from "../../clients/partnerCenter/commerce";
import { getCustomer } from "../../clients/partnerCenter/customers";
import { stripUndefined } from "../common";
import type { CartPurchase } from "./cartCheckout";
import { accountField, customerIdField } from "./fields";

/**
 * The inputs of a LicenseSubscription (a new-commerce license-based subscription) and how they map
 * to the catalog and to a cart.
 *
 * - The offer is named either by `offer` (a readable name of a common Microsoft 365 offer, see
 *   {@link MICROSOFT_365_OFFERS}) or by `productId` + `skuId` (+ optionally `availabilityId`), the
 *   catalog model of "Purchase new commerce license-based services"
 *   (https://learn.microsoft.com/partner-center/developer/purchase-new-commerce-license-based).
 *   `check` resolves the availability for the customer's country and records the cart's
 *   `catalogItemId` (product:sku:availability) in the checked inputs.
 * - `termDuration` is P1M, P1Y or P3Y ("Cart resources", CartLineItem.termDuration) and
 *   `billingCycle` monthly, annual or triennial ("Product resources", BillingCycleType); "the
 *   billing cycle cannot be longer than the term" (400 / 900270, "Partner Center REST error codes").
 */

export const LICENSE_SUBSCRIPTION_TYPE = "LicenseSubscription";

export interface LicenseSubscriptionOutputs {
  /** Partner Center subscription id (absent while the order is still provisioning). */
  subscriptionId?: string;
  orderId?: string;
  catalogItemId: string;
  offerName?: string;
  /** `active`, `suspended`, `pending` (order not provisioned yet), ... */
  status: string;
  /** Seats as Partner Center holds them. */
  quantity: number;
  autoRenew: boolean;
  friendlyName?: string;
  /** Last day of the current term (inclusive). */
  commitmentEndDate?: string;
  /** Until when the subscription can be cancelled ("the last date for cancellation"). */
  cancellationAllowedUntilDate?: string;
  /** Seats that can still be removed, and until when the last of them can. */
  refundableSeats: number;
  refundableUntil?: string;
  deletionBehavior: string;
}

export type LicenseState = LicenseSubscriptionInputs & LicenseSubscriptionOutputs;

/**
 * Readable names of common Microsoft 365 offers and their product and SKU ids. [U] The ids follow
 * Microsoft's public new-commerce price list (the Business Basic one is the published subscription
 * sample of "Change the quantity of licenses in a customer subscription"); check verifies them
 * against the customer's catalog, so a catalog that differs is refused at preview, never bought.
 */
export const MICROSOFT_365_OFFERS: Readonly<Record<string, { productId: string; skuId: string }>> = {
  "Microsoft 365 Business Basic": { productId: "CFQ7TTC0LH18", skuId: "0001" },
  "Microsoft 365 Business Standard": { productId: "CFQ7TTC0LDPB", skuId: "0001" },
  "Microsoft 365 Business Premium": { productId: "CFQ7TTC0LCHC", skuId: "0002" },
  "Microsoft 365 E3": { productId: "CFQ7TTC0LFLZ", skuId: "0001" },
  "Office 365 E3": { productId: "CFQ7TTC0LF8Q", skuId: "0001" },
};

/** The billing cycles each term allows (900270: not longer than the term). */
export const BILLING_CYCLES_OF_TERM: Readonly<Record<TermDuration, readonly BillingCycle[]>> = {
  P1M: ["monthly"],
  P1Y: ["monthly", "annual"],
  P3Y: ["monthly", "annual", "triennial"],
};

function offerIds(name: string): { productId: string; skuId: string } | undefined {
  const wanted = name.trim().toLowerCase();
  const key = Object.keys(MICROSOFT_365_OFFERS).find((k) => k.toLowerCase() === wanted);
  return key ? MICROSOFT_365_OFFERS[key] : undefined;
}

const catalogId = (what: string) =>
  z
    .string({ error: "must be a string" })
    .regex(/^[A-Za-z0-9]{1,20}$/, `must be a catalog ${what} id (letters and digits, e.g. CFQ7TTC0LCHC)`);

export const licenseSchema = z
  .object({
    customerId: customerIdField,
    acknowledgePurchase: z.literal(true, {
      error:
        "LicenseSubscription is a billable purchase: set acknowledgePurchase: true to confirm that this program may buy seats",
    }),
    offer: z
      .string({ error: "must be a string" })
      .refine(
        (v) => offerIds(v) !== undefined,
        `must be one of ${Object.keys(MICROSOFT_365_OFFERS).join(", ")} (or give productId and skuId)`,
      )
      .optional(),
    productId: catalogId("product").optional(),
    skuId: z
      .string({ error: "must be a string" })
      .regex(/^[A-Za-z0-9]{1,10}$/, "must be a catalog SKU id (e.g. 0001)")
      .optional(),
    availabilityId: catalogId("availability").optional(),
    quantity: z
      .number({ error: "must be a number of seats" })
      .int("must be a whole number of seats")
      .min(1, "must be at least 1 seat (to stop paying, remove the resource: see deletionBehavior)"),
    termDuration: z.enum(["P1M", "P1Y", "P3Y"], { error: 'must be "P1M", "P1Y" or "P3Y"' }),
    billingCycle: z
      .enum(["monthly", "annual", "triennial"], { error: 'must be "monthly", "annual" or "triennial"' })
      .optional(),
    autoRenew: z.boolean({ error: "must be true or false" }).optional(),
    friendlyName: z
      .string({ error: "must be a string" })
      .trim()
      .min(1, "must not be empty")
      .max(50, "must be at most 50 characters")
      .optional(),
    partnerIdOnRecord: z
      .string({ error: "must be a string" })
      .regex(/^\d{4,10}$/, "must be the indirect reseller's PartnerID (digits, e.g. 5357564)")
      .optional(),
    onDelete: z.enum(["cancel", "leave"], { error: 'must be "cancel" or "leave"' }).optional(),
    account: accountField,
    catalogItemId: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    const named = v.offer !== undefined;
    const byIds = v.productId !== undefined || v.skuId !== undefined;
    if (named && byIds) {
      ctx.addIssue({
        code: "custom",
        path: ["offer"],
        message: "give either offer or productId + skuId, not both",
      });
    } else if (!named && (v.productId === undefined || v.skuId === undefined)) {
      const path =
        v.productId === undefined && v.skuId !== undefined
          ? "productId"
          : v.skuId === undefined && v.productId !== undefined
            ? "skuId"
            : "offer";
      ctx.addIssue({
        code: "custom",
        path: [path],
        message:
          'is required: name the offer (offer: "Microsoft 365 Business Premium") or give productId and skuId',
      });
    }
    if (named && v.availabilityId !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["availabilityId"],
        message: "goes with productId + skuId, not with offer",
      });
    }
    const cycles = BILLING_CYCLES_OF_TERM[v.termDuration];
    if (v.billingCycle !== undefined && cycles && !cycles.includes(v.billingCycle)) {
      ctx.addIssue({
        code: "custom",
        path: ["billingCycle"],
        message: `cannot be longer than the term: a ${v.termDuration} term is billed ${cycles.join(" or ")} (Partner Center 900270)`,
      });
    }
  });

/**
 * The checked inputs. `acknowledgePurchase` must be `true` (the explicit acknowledgement that this
 * program buys seats); `offer` is a readable offer name (or `productId` + `skuId`); `billingCycle`
 * defaults to `monthly`, `autoRenew` to `true`; `partnerIdOnRecord` is an indirect reseller's
 * PartnerID; `onDelete` is `cancel` (default, see deletionBehavior) or `leave`; `catalogItemId` is
 * set by check (the catalog item the cart buys, product:sku:availability).
 */
export type LicenseSubscriptionInputs = z.output<typeof licenseSchema>;
export type TermDuration = LicenseSubscriptionInputs["termDuration"];
export type BillingCycle = NonNullable<LicenseSubscriptionInputs["billingCycle"]>;
export type LicenseOnDelete = NonNullable<LicenseSubscriptionInputs["onDelete"]>;

/** Product and SKU of the inputs (from `offer`, or as given). */
export function productOf(inputs: LicenseSubscriptionInputs): { productId: string; skuId: string } {
  if (inputs.offer !== undefined) return offerIds(inputs.offer)!;
  return { productId: inputs.productId!.toUpperCase(), skuId: inputs.skuId!.toUpperCase() };
}

export function billingCycleOf(inputs: Pick<LicenseSubscriptionInputs, "billingCycle">): BillingCycle {
  return inputs.billingCycle ?? "monthly";
}

/** What the offer is, for messages: the readable name, or product:sku. */
export function offerLabel(inputs: LicenseSubscriptionInputs): string {
  if (inputs.offer !== undefined) return inputs.offer;
  return `${inputs.productId}:${inputs.skuId}`;
}

export type CatalogResolution =
  | { ok: true; catalogItemId: string }
  | { ok: false; property: string; reason: string };

/**
 * The catalog item to buy for the customer: its country's availabilities of the product and SKU
 * ("Get a list of availabilities for a SKU (by customer)"), the one given, or the first that is
 * purchasable for the term (read-only).
 */
export async function resolveCatalogItem(
  api: CspApi,
  inputs: LicenseSubscriptionInputs,
): Promise<CatalogResolution> {
  const customer = await getCustomer(api.partnerCenter, inputs.customerId);
  if (!customer) {
    return {
      ok: false,
      property: "customerId",
      reason: `customer ${inputs.customerId} is not a customer of partner account "${api.account}"`,
    };
  }
  const country =
    customer.billingProfile?.defaultAddress?.country ?? customer.companyProfile?.address?.country ?? "US";
  const { productId, skuId } = productOf(inputs);
  const property = inputs.offer !== undefined ? "offer" : "productId";
  const availabilities = await listAvailabilities(
    api.partnerCenter,
    inputs.customerId,
    productId,
    skuId,
    country,
  );
  if (availabilities.length === 0) {
    return {
      ok: false,
      property,
      reason: `${offerLabel(inputs)} (product ${productId}, SKU ${skuId}) is not in the catalog for customer ${inputs.customerId} in ${country}`,
    };
  }
  const forTerm = availabilities.filter(
    (a) => a.isPurchasable !== false && (a.terms ?? []).some((t) => t.duration === inputs.termDuration),
  );
  const chosen =
    inputs.availabilityId !== undefined
      ? forTerm.find((a) => a.id.toLowerCase() === inputs.availabilityId!.toLowerCase())
      : forTerm[0];
  if (!chosen) {
    const terms = [...new Set(availabilities.flatMap((a) => (a.terms ?? []).map((t) => t.duration)))];
    return {
      ok: false,
      property: inputs.availabilityId !== undefined ? "availabilityId" : "termDuration",
      reason: `${offerLabel(inputs)} has no purchasable availability${inputs.availabilityId !== undefined ? ` ${inputs.availabilityId}` : ""} with a ${inputs.termDuration} term for customer ${inputs.customerId} in ${country} (terms offered: ${terms.join(", ") || "none"})`,
    };
  }
  return { ok: true, catalogItemId: chosen.catalogItemId ?? `${productId}:${skuId}:${chosen.id}` };
}

/**
 * The subscription's cart ("Create a cart"): one line item with term and billing cycle, and for
 * an indirect provider the reseller of record as the `transaction_reseller` participant with the
 * cart's `PartnerOnRecordAttestationAccepted`.
 */
export function licenseCart(
  inputs: LicenseSubscriptionInputs,
  catalogItemId: string,
  earlierPurchases: string[] = [],
): CartPurchase {
  const line: PcCartLineItem = stripUndefined({
    id: 0,
    catalogItemId,
    quantity: inputs.quantity,
    billingCycle: billingCycleOf(inputs),
    termDuration: inputs.termDuration,
    friendlyName: inputs.friendlyName,
    ...(inputs.partnerIdOnRecord
      ? { participants: [{ key: "transaction_reseller", value: inputs.partnerIdOnRecord }] }
      : {}),
  });
  return {
    customerId: inputs.customerId,
    account: inputs.account,
    lineItems: [line],
    ...(inputs.partnerIdOnRecord ? { cartFields: { PartnerOnRecordAttestationAccepted: true } } : {}),
    ...(earlierPurchases.length > 0 ? { keySalt: earlierPurchases } : {}),
    cartNamespace: "license-subscription-cart",
    checkoutNamespace: "license-subscription-checkout",
    what: `the license subscription (${offerLabel(inputs)}, ${inputs.quantity} seats)`,
  };
}
