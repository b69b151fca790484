import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { azurePlanSchema } from "../handlers/commerce/azurePlan";
import type { ArgsMatch, AssertArgsMatch } from "./argsMatch";
import { CspResource } from "./cspResource";

/** The inputs of an {@link AzurePlan}. */
export interface AzurePlanArgs {
  /** The customer (tenant) id; the customer must have accepted the Microsoft Customer Agreement. */
  customerId: pulumi.Input<string>;
  /**
   * REQUIRED, must be `true`: the explicit acknowledgement that this program buys an Azure plan
   * (billable). Without it `check` (and so `pulumi preview`) fails. The stack setting
   * `csp:allowPurchases=false` refuses new purchases even when acknowledged.
   */
  acknowledgePurchase: pulumi.Input<true>;
  /** Friendly name of the plan subscription (update). */
  friendlyName?: pulumi.Input<string>;
  /** `active` (default) or `suspended` (update; suspending needs every Azure subscription under it cancelled). */
  status?: pulumi.Input<"active" | "suspended">;
  /** Catalog item `product:sku:availability`; default `DZH318Z0BPS6:0001:DZH318Z0BML6`. */
  catalogItemId?: pulumi.Input<string>;
  /**
   * What deleting the resource does: `suspend` (a plan cannot be un-bought; fails while Azure
   * subscriptions under it are active), `cancelSubscriptionsAndSuspend`, or `leave`. Default:
   * `cancelSubscriptionsAndSuspend` in an integration sandbox (`csp:sandbox`) for a plan this
   * resource bought, `suspend` otherwise. See the `deletionBehavior` output.
   */
  onDelete?: pulumi.Input<"suspend" | "cancelSubscriptionsAndSuspend" | "leave">;
  /**
   * Indirect providers: the MPN id (PartnerID) of the indirect reseller of record for this
   * purchase. It must be an active indirect reseller of the account: `check` (and so the preview)
   * looks it up (App+User) and fails otherwise. Fixed once the plan is bought.
   */
  partnerIdOnRecord?: pulumi.Input<string>;
  /** Named partner account; the default account when omitted. */
  account?: pulumi.Input<string>;
}

/** Compiles only while AzurePlanArgs and the handler's schema describe the same inputs. */
export type AzurePlanArgsMatch = AssertArgsMatch<ArgsMatch<AzurePlanArgs, z.input<typeof azurePlanSchema>>>;

/**
 * The customer's Microsoft Azure plan. Never bought twice: an existing plan (or an order for one)
 * is adopted; otherwise it is ordered through cart + checkout with replay-safe request ids.
 */
export class AzurePlan extends CspResource {
  /** Partner Center subscription id of the plan (absent while the order is still provisioning). */
  declare public readonly subscriptionId: pulumi.Output<string | undefined>;
  /** `active`, `suspended`, or `pending` while provisioning. */
  declare public readonly status: pulumi.Output<string>;
  declare public readonly orderId: pulumi.Output<string | undefined>;
  /** The first Azure subscription of the plan (created with it). */
  declare public readonly azureSubscriptionId: pulumi.Output<string | undefined>;
  declare public readonly friendlyName: pulumi.Output<string | undefined>;
  declare public readonly catalogItemId: pulumi.Output<string>;
  /** Whether an existing plan (or order) was adopted rather than bought by this resource. */
  declare public readonly adopted: pulumi.Output<boolean>;
  /** What deleting this resource will do. */
  declare public readonly deletionBehavior: pulumi.Output<string>;

  /** Set only while a create is planned: what it buys (see provider/purchaseMarker.ts). */
  declare public readonly billablePurchase: pulumi.Output<string | undefined>;

  constructor(name: string, args: AzurePlanArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "AzurePlan",
      name,
      {
        status: undefined,
        friendlyName: undefined,
        catalogItemId: undefined,
        ...args,
        subscriptionId: undefined,
        orderId: undefined,
        azureSubscriptionId: undefined,
        adopted: undefined,
        deletionBehavior: undefined,
        billablePurchase: undefined,
      },
      opts,
    );
    this.warnOnPurchase();
  }
}
