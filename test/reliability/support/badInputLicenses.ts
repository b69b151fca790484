import { licenseSubscriptionHandler } from "../../../provider/handlers/commerce/licenseSubscription";
import { customerUserHandler } from "../../../provider/handlers/directory/customerUser";
import { seatsInputs } from "../../support/commerceFixtures";
import {
  long,
  MISSING_ACKNOWLEDGEMENT,
  PURCHASE_CUSTOMER_ROWS,
  type ResourceCases,
  resource,
  UNKNOWN_ACCOUNT,
  type World,
} from "./badInputKit";
import { erase, type Json } from "./faultKit";

/**
 * The bad-input rows of seats and licenses: LicenseSubscription's fields (offer, quantity, term,
 * billing cycle, acknowledgements, catalog), and the licenses of a CustomerUser.
 */
export function licenseBadInputs(w: World): ResourceCases[] {
  const seatsBase: Json = { ...seatsInputs(w.customerId) };
  const held: Json = {
    ...seatsBase,
    billingCycle: "monthly",
    catalogItemId: "CFQ7TTC0LCHC:0002:CFQ7TTC0N8SL",
  };
  const userBase: Json = {
    customerId: w.customerId,
    userPrincipalName: `licensed@${w.domain}`,
    displayName: "Licensed",
    usageLocation: "US",
    licenses: ["Microsoft 365 Business Premium"],
  };
  return [
    resource(
      "LicenseSubscription",
      erase(licenseSubscriptionHandler),
      seatsBase,
      [
        ...PURCHASE_CUSTOMER_ROWS,
        MISSING_ACKNOWLEDGEMENT,
        [["acknowledgePurchase"], "yes", "not true", /billable purchase: set acknowledgePurchase: true/],
        [
          ["offer"],
          "Microsoft 365 Platinum",
          "unknown offer name",
          /must be one of Microsoft 365 Business Basic/,
        ],
        [["quantity"], 0, "no seat", /at least 1 seat/],
        [["quantity"], 2.5, "part of a seat", /whole number of seats/],
        [["quantity"], "5", "a string", /must be a number of seats/],
        [["termDuration"], "P2Y", "unknown term", /"P1M", "P1Y" or "P3Y"/],
        [["billingCycle"], "weekly", "unknown billing cycle", /"monthly", "annual" or "triennial"/],
        [
          ["billingCycle"],
          "triennial",
          "longer than the term",
          /cannot be longer than the term: a P1Y term is billed monthly or annual/,
        ],
        [["autoRenew"], "yes", "not a boolean", /true or false/],
        [["friendlyName"], "", "empty", /must not be empty/],
        [["friendlyName"], long(51), "too long", /at most 50/],
        [["partnerIdOnRecord"], "contoso", "not a PartnerID", /indirect reseller's PartnerID/],
        [["onDelete"], "suspend", "unknown behaviour", /"cancel" or "leave"/],
        UNKNOWN_ACCOUNT,
      ],
      [
        {
          label: "offer and productId together",
          property: "offer",
          rule: /give either offer or productId \+ skuId, not both/,
          news: { ...seatsBase, productId: "CFQ7TTC0LCHC", skuId: "0002" },
        },
        {
          label: "productId without skuId",
          property: "skuId",
          rule: /is required: name the offer/,
          news: { ...seatsBase, offer: undefined, productId: "CFQ7TTC0LCHC" },
        },
        {
          label: "a product the customer's catalog does not have",
          property: "productId",
          rule: /is not in the catalog for customer/,
          news: { ...seatsBase, offer: undefined, productId: "NOPE00000000", skuId: "0001" },
        },
        {
          label: "a term the offer does not have",
          property: "termDuration",
          rule: /has no purchasable availability with a P3Y term/,
          news: { ...seatsBase, offer: "Microsoft 365 Business Basic", termDuration: "P3Y" },
        },
        {
          label: "another offer for an existing subscription",
          property: "offer",
          rule: /cannot change .* a license subscription is never replaced/,
          news: { ...seatsBase, offer: "Microsoft 365 Business Basic" },
          olds: held,
        },
        {
          label: "another term for an existing subscription",
          property: "termDuration",
          rule: /a license subscription is never replaced/,
          news: { ...seatsBase, termDuration: "P1M" },
          olds: held,
        },
        {
          label: "a new purchase on a stack that disables purchases",
          property: "acknowledgePurchase",
          rule: /purchases are disabled for this stack/,
          news: seatsBase,
          purchasesDisabled: true,
        },
        {
          label: "seats added on a stack that disables purchases",
          property: "quantity",
          rule: /adding seats \(5 -> 8\) is a purchase, and purchases are disabled/,
          news: { ...seatsBase, quantity: 8 },
          olds: held,
          purchasesDisabled: true,
        },
      ],
    ),
    resource(
      "CustomerUser licenses",
      erase(customerUserHandler),
      userBase,
      [
        [["licenses"], "SPB", "not a list", /must be a list of license names or SKU ids/],
        [["licenses", 0], "", "an empty name", /must not be empty/],
        [["licenses", 1], "microsoft 365 business premium", "a license twice", /is listed twice/],
      ],
      [
        {
          label: "licenses without usage location",
          property: "usageLocation",
          rule: /is required to assign licenses/,
          news: { ...userBase, usageLocation: undefined },
        },
      ],
    ),
  ];
}
