import { z } from "zod";
import { BILLING_CYCLES_OF_TERM, MICROSOFT_365_OFFERS } from "../provider/handlers/commerce/licenseInputs";
import { acknowledgePurchase, itemKey, list, obj, oneOf, pattern, text } from "./customerSpecFields";

/**
 * The seats of a customer spec: `licenses` (new-commerce license subscriptions, one
 * LicenseSubscription each) and the `licenses` of a user. See the LicenseSubscription resource
 * for what a quantity change and a removal do (the seven-day windows).
 */

const OFFERS = Object.keys(MICROSOFT_365_OFFERS);

export const licenseSubscriptionSchema = obj({
  key: itemKey("license subscription"),
  offer: z
    .string({ error: `must be one of ${OFFERS.join(", ")}` })
    .refine((v) => OFFERS.some((o) => o.toLowerCase() === v.trim().toLowerCase()), {
      message: `must be one of ${OFFERS.join(", ")} (or give productId and skuId)`,
    })
    .meta({ description: `A Microsoft 365 offer by name: ${OFFERS.join(", ")}. Or productId + skuId.` })
    .optional(),
  productId: pattern(
    /^[A-Za-z0-9]{1,20}$/,
    "must be a catalog product id such as CFQ7TTC0LCHC",
    "Catalog product id.",
  ).optional(),
  skuId: pattern(
    /^[A-Za-z0-9]{1,10}$/,
    "must be a catalog SKU id such as 0002",
    "Catalog SKU id.",
  ).optional(),
  availabilityId: pattern(
    /^[A-Za-z0-9]{1,20}$/,
    "must be a catalog availability id",
    "Catalog availability id; by default the first purchasable one for the term.",
  ).optional(),
  quantity: z
    .number({ error: "must be a number of seats" })
    .int("must be a whole number of seats")
    .min(1, "must be at least 1 seat")
    .meta({
      description:
        "Seats. Adding seats is billed for the rest of the term; seats can be removed only within seven days of adding them.",
    }),
  termDuration: oneOf(["P1M", "P1Y", "P3Y"], "Term: P1M, P1Y or P3Y. Cannot change."),
  billingCycle: oneOf(
    ["monthly", "annual", "triennial"],
    "Billing: monthly (default), annual or triennial; not longer than the term. Cannot change.",
  ).optional(),
  autoRenew: z
    .boolean({ error: "must be true or false" })
    .meta({ description: "Whether the subscription renews at the end of its term (default true)." })
    .optional(),
  friendlyName: text(50, "Friendly name of the subscription.").optional(),
  partnerIdOnRecord: pattern(
    /^\d{4,10}$/,
    "must be a PartnerID (digits)",
    "Indirect providers: the indirect reseller's PartnerID (reseller of record). Cannot change.",
  ).optional(),
  onDelete: oneOf(
    ["cancel", "leave"],
    "What removing it does: cancel (default: cancels within the cancellation window, otherwise turns auto-renew off) or leave.",
  ).optional(),
  acknowledgePurchase: acknowledgePurchase("a license subscription"),
}).meta({
  description: "Seats of a new-commerce license-based offer (e.g. Microsoft 365 Business Premium).",
});

/** A user's licenses. */
export const userLicenses = list(
  text(128, "A license by SKU name (Microsoft 365 Business Premium), part number (SPB) or SKU id."),
  "Licenses of the user, reconciled as a set; each needs a free seat.",
);

export type CustomerSpecLicense = z.infer<typeof licenseSubscriptionSchema>;

/** Rules across the fields of the spec's `licenses`. */
export function licenseRules(
  licenses: readonly CustomerSpecLicense[] | undefined,
  users: readonly { licenses?: string[] }[] | undefined,
  issue: (path: (string | number)[], message: string) => void,
): void {
  const keys = new Set<string>();
  licenses?.forEach((l, i) => {
    if (keys.has(l.key)) issue(["licenses", i, "key"], "must be unique");
    keys.add(l.key);
    const byIds = l.productId !== undefined || l.skuId !== undefined;
    if (l.offer !== undefined && byIds)
      issue(["licenses", i, "offer"], "give either offer or productId + skuId, not both");
    if (l.offer === undefined && (l.productId === undefined || l.skuId === undefined)) {
      issue(
        ["licenses", i, l.productId === undefined ? "offer" : "skuId"],
        "is required: name the offer, or give productId and skuId",
      );
    }
    const cycles = BILLING_CYCLES_OF_TERM[l.termDuration];
    if (l.billingCycle !== undefined && !cycles.includes(l.billingCycle)) {
      issue(
        ["licenses", i, "billingCycle"],
        `cannot be longer than the term: a ${l.termDuration} term is billed ${cycles.join(" or ")}`,
      );
    }
  });
  users?.forEach((u, i) => {
    const seen = new Set<string>();
    u.licenses?.forEach((name, j) => {
      if (seen.has(name.toLowerCase())) issue(["users", i, "licenses", j], "is listed twice");
      seen.add(name.toLowerCase());
    });
  });
}
