import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { azureSubscriptionSchema } from "../handlers/commerce/azureSubscriptionInputs";
import type { ArgsMatch, AssertArgsMatch } from "./argsMatch";
import { CspResource } from "./cspResource";

/** The inputs of an {@link AzureSubscription}. */
export interface AzureSubscriptionArgs {
  /** The customer (tenant) id; the customer needs an Azure plan (make this resource depend on it). */
  customerId: pulumi.Input<string>;
  /** Display name (rename is an update). */
  displayName: pulumi.Input<string>;
  /** `Production` (default) or `DevTest`; cannot change later. */
  workload?: pulumi.Input<"Production" | "DevTest">;
  /**
   * REQUIRED, must be `true`: the explicit acknowledgement that this program buys an Azure
   * subscription (pay-as-you-go, billable) or reactivates a cancelled one. The stack setting
   * `csp:allowPurchases=false` refuses new purchases even when acknowledged.
   */
  acknowledgePurchase: pulumi.Input<true>;
  /**
   * Stable identity of the subscription within the customer, from which the alias name is
   * derived (Pulumi does not pass the resource name to dynamic providers). Default: the display
   * name at the first create, kept afterwards even when the display name changes.
   */
  key?: pulumi.Input<string>;
  /** ARM subscription alias name; default derived from account, customer and `key`. */
  aliasName?: pulumi.Input<string>;
  /** Indirect model: the reseller's MPN id. */
  resellerId?: pulumi.Input<string>;
  /**
   * What deleting the resource does. `cancel` (default): the routine cancel through Azure Resource
   * Manager, as the subscription's Owner (admin-on-behalf-of); Azure refuses while the subscription
   * holds resources. `cancelAsCompromised`: Partner Center's cancel for a compromised or abused
   * subscription (reason `compromise`). Either way the subscription is disabled, Azure deletes it
   * 90 days later, and creating the resource again before that enables it again. (The former input
   * `cancellationReason` is refused: set this one instead.)
   */
  onDelete?: pulumi.Input<"cancel" | "cancelAsCompromised">;
  /** Named partner account; the default account when omitted. */
  account?: pulumi.Input<string>;
}

/**
 * Compiles only while AzureSubscriptionArgs and the handler's schema describe the same inputs; `cancellationReason` is a former input the schema keeps only to refuse it with advice.
 */
export type AzureSubscriptionArgsMatch = AssertArgsMatch<
  ArgsMatch<AzureSubscriptionArgs, Omit<z.input<typeof azureSubscriptionSchema>, "cancellationReason">>
>;

/**
 * An Azure subscription under the customer's Azure plan, created through an ARM subscription
 * alias with a deterministic name. Deleting it cancels the subscription (Azure Resource Manager
 * cancel, see `onDelete`); creating it again within 90 days enables the same subscription again.
 */
export class AzureSubscription extends CspResource {
  declare public readonly azureSubscriptionId: pulumi.Output<string>;
  declare public readonly aliasName: pulumi.Output<string>;
  declare public readonly key: pulumi.Output<string>;
  declare public readonly displayName: pulumi.Output<string>;
  declare public readonly workload: pulumi.Output<string>;
  /** `active` or `inactive` (cancelled). */
  declare public readonly entitlementStatus: pulumi.Output<string | undefined>;
  /** The Azure plan (Partner Center subscription id) it belongs to. */
  declare public readonly planSubscriptionId: pulumi.Output<string | undefined>;
  declare public readonly billingScope: pulumi.Output<string | undefined>;
  declare public readonly provisioningState: pulumi.Output<string | undefined>;
  /** What deleting this resource will do. */
  declare public readonly deletionBehavior: pulumi.Output<string>;

  /** Set only while a create is planned: what it buys (see provider/purchaseMarker.ts). */
  declare public readonly billablePurchase: pulumi.Output<string | undefined>;

  constructor(name: string, args: AzureSubscriptionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "AzureSubscription",
      name,
      {
        key: undefined,
        aliasName: undefined,
        workload: undefined,
        ...args,
        azureSubscriptionId: undefined,
        entitlementStatus: undefined,
        planSubscriptionId: undefined,
        billingScope: undefined,
        provisioningState: undefined,
        deletionBehavior: undefined,
        billablePurchase: undefined,
      },
      opts,
    );
    this.warnOnPurchase();
  }
}
