import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { licenseSchema } from "../handlers/commerce/licenseInputs";
import type { ArgsMatch, AssertArgsMatch } from "./argsMatch";
import { CspResource } from "./cspResource";

/** The inputs of a {@link LicenseSubscription}. */
export interface LicenseSubscriptionArgs {
  /** The customer (tenant) id; the customer must have accepted the Microsoft Customer Agreement. */
  customerId: pulumi.Input<string>;
  /**
   * REQUIRED, must be `true`: the explicit acknowledgement that this program buys seats (billable
   * for the whole term). Without it `check` (and so `pulumi preview`) fails. The stack setting
   * `csp:allowPurchases=false` refuses new purchases, and added seats, even when acknowledged.
   */
  acknowledgePurchase: pulumi.Input<true>;
  /**
   * A common Microsoft 365 offer by name: "Microsoft 365 Business Basic", "Microsoft 365 Business
   * Standard", "Microsoft 365 Business Premium", "Microsoft 365 E3" or "Office 365 E3". Or give
   * `productId` and `skuId` instead.
   */
  offer?: pulumi.Input<string>;
  /** Catalog product id, e.g. `CFQ7TTC0LCHC` (with `skuId`, instead of `offer`). */
  productId?: pulumi.Input<string>;
  /** Catalog SKU id, e.g. `0002`. */
  skuId?: pulumi.Input<string>;
  /** Catalog availability id; by default the customer's first purchasable one for the term. */
  availabilityId?: pulumi.Input<string>;
  /**
   * Seats. Adding seats is an update, billed for the rest of the term (a purchase in the preview);
   * removing seats is possible only within seven days of adding them, the preview refuses it later.
   */
  quantity: pulumi.Input<number>;
  /** Term: `P1M`, `P1Y` or `P3Y`. Cannot change. */
  termDuration: pulumi.Input<"P1M" | "P1Y" | "P3Y">;
  /** `monthly` (default), `annual` or `triennial`, not longer than the term. Cannot change. */
  billingCycle?: pulumi.Input<"monthly" | "annual" | "triennial">;
  /** Whether the subscription renews at the end of its term (default `true`). */
  autoRenew?: pulumi.Input<boolean>;
  /** Friendly name of the subscription (update). */
  friendlyName?: pulumi.Input<string>;
  /** Indirect providers: the indirect reseller's PartnerID, the reseller of record. Cannot change. */
  partnerIdOnRecord?: pulumi.Input<string>;
  /**
   * What deleting the resource does: `cancel` (default: cancels within the cancellation window,
   * otherwise turns auto-renew off) or `leave`. See the `deletionBehavior` output.
   */
  onDelete?: pulumi.Input<"cancel" | "leave">;
  /** Named partner account; the default account when omitted. */
  account?: pulumi.Input<string>;
}

/**
 * Compiles only while LicenseSubscriptionArgs and the handler's schema describe the same inputs; `catalogItemId` is set by check (the catalog item the cart buys), not declared.
 */
export type LicenseSubscriptionArgsMatch = AssertArgsMatch<
  ArgsMatch<LicenseSubscriptionArgs, Omit<z.input<typeof licenseSchema>, "catalogItemId">>
>;

/**
 * Seats of a new-commerce license-based offer (e.g. Microsoft 365 Business Premium) for a customer,
 * bought through cart + checkout with replay-safe request ids, never twice.
 */
export class LicenseSubscription extends CspResource {
  /** Partner Center subscription id (absent while the order is still provisioning). */
  declare public readonly subscriptionId: pulumi.Output<string | undefined>;
  declare public readonly orderId: pulumi.Output<string | undefined>;
  /** The catalog item bought (product:sku:availability). */
  declare public readonly catalogItemId: pulumi.Output<string>;
  /** The offer's name as Partner Center gives it, e.g. `Microsoft 365 Business Premium`. */
  declare public readonly offerName: pulumi.Output<string | undefined>;
  /** `active`, `suspended`, or `pending` while provisioning. */
  declare public readonly status: pulumi.Output<string>;
  declare public readonly quantity: pulumi.Output<number>;
  declare public readonly autoRenew: pulumi.Output<boolean>;
  declare public readonly friendlyName: pulumi.Output<string | undefined>;
  /** Last day of the current term. */
  declare public readonly commitmentEndDate: pulumi.Output<string | undefined>;
  /** Until when the subscription can be cancelled. */
  declare public readonly cancellationAllowedUntilDate: pulumi.Output<string | undefined>;
  /** Seats that can still be removed, and until when. */
  declare public readonly refundableSeats: pulumi.Output<number>;
  declare public readonly refundableUntil: pulumi.Output<string | undefined>;
  /** What deleting this resource will do. */
  declare public readonly deletionBehavior: pulumi.Output<string>;

  /** Set only while a purchase is planned (a create, or seats added): what it buys (see provider/purchaseMarker.ts). */
  declare public readonly billablePurchase: pulumi.Output<string | undefined>;

  constructor(name: string, args: LicenseSubscriptionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "LicenseSubscription",
      name,
      {
        offer: undefined,
        productId: undefined,
        skuId: undefined,
        availabilityId: undefined,
        billingCycle: undefined,
        autoRenew: undefined,
        friendlyName: undefined,
        partnerIdOnRecord: undefined,
        onDelete: undefined,
        ...args,
        subscriptionId: undefined,
        orderId: undefined,
        catalogItemId: undefined,
        offerName: undefined,
        status: undefined,
        commitmentEndDate: undefined,
        cancellationAllowedUntilDate: undefined,
        refundableSeats: undefined,
        refundableUntil: undefined,
        deletionBehavior: undefined,
        billablePurchase: undefined,
      },
      opts,
    );
    this.warnOnPurchase();
  }
}
