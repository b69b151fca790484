import type * as pulumi from "@pulumi/pulumi";
import { LicenseSubscription } from "../provider/resources";
import { compact } from "./childInputs";
import type { CustomerSpec } from "./customerSpec";

/**
 * CustomerTenant's license subscriptions (`licenses` of the spec), one LicenseSubscription each,
 * named `<key>-license-<licenseKey>`. They need the accepted agreement (Partner Center refuses a
 * purchase before it), so they depend on it; users with licenses depend on them.
 */
export function licenseSubscriptionsOf(
  spec: CustomerSpec,
  customerId: pulumi.Input<string>,
  options: pulumi.CustomResourceOptions,
): Record<string, LicenseSubscription> {
  const subscriptions: Record<string, LicenseSubscription> = {};
  for (const l of spec.licenses ?? []) {
    subscriptions[l.key] = new LicenseSubscription(
      `${spec.key}-license-${l.key}`,
      compact({
        customerId,
        acknowledgePurchase: l.acknowledgePurchase,
        offer: l.offer,
        productId: l.productId,
        skuId: l.skuId,
        availabilityId: l.availabilityId,
        quantity: l.quantity,
        termDuration: l.termDuration,
        billingCycle: l.billingCycle,
        autoRenew: l.autoRenew,
        friendlyName: l.friendlyName,
        partnerIdOnRecord: l.partnerIdOnRecord,
        onDelete: l.onDelete,
        ...(spec.account === undefined ? {} : { account: spec.account }),
      }),
      options,
    );
  }
  return subscriptions;
}
