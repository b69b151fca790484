import type { CspConfig } from "../../configTypes";
import type { CheckFailure } from "../types";
import { isUnknown } from "../types";
import { providerRefusal } from "./errors";

type BillableType = "AzurePlan" | "AzureSubscription" | "LicenseSubscription";

/**
 * The purchase acknowledgement: how a billable purchase becomes reviewable before it happens.
 *
 * Two switches, both checked in `check` (so `pulumi preview` already fails, before any call):
 * 1. Every billable resource (AzurePlan, AzureSubscription, LicenseSubscription) has a REQUIRED input
 *    `acknowledgePurchase: true`. The literal sits in the program next to the resource, so a code
 *    review sees every purchase; leaving it out, or `false`, fails the check.
 * 2. The stack setting `csp:allowPurchases` (environment `CSP_ALLOW_PURCHASES`). When it is
 *    `false`, no NEW purchase is accepted at all, even when acknowledged: a stack can be locked so
 *    that `pulumi up` only updates or adopts what exists. Existing purchases still update, except
 *    that adding seats to a LicenseSubscription is a purchase too (refused the same way).
 *
 * `create` repeats both checks before it orders anything (defence in depth: check might have run
 * with inputs that were not known yet).
 */
export function purchaseFailures(
  resourceType: BillableType,
  what: string,
  acknowledged: unknown,
  isNewPurchase: boolean,
  config: Pick<CspConfig, "allowPurchases">,
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (acknowledged !== true && !isUnknown(acknowledged)) {
    failures.push({
      property: "acknowledgePurchase",
      reason: `acknowledgePurchase: ${resourceType} is a billable purchase: set acknowledgePurchase: true to confirm that this program may buy ${what} (got ${acknowledged === undefined ? "missing" : JSON.stringify(acknowledged)})`,
    });
  }
  if (isNewPurchase && !config.allowPurchases) {
    failures.push({
      property: "acknowledgePurchase",
      reason: `acknowledgePurchase: purchases are disabled for this stack (csp:allowPurchases is false, or CSP_ALLOW_PURCHASES=false): this ${resourceType} would buy ${what}. Set csp:allowPurchases to true to allow new purchases`,
    });
  }
  return failures;
}

/**
 * The guard `create` (and an update that buys) runs right before it orders: both switches again,
 * as a refusal naming what would be bought.
 */
export function assertPurchaseAllowed(
  resourceType: BillableType,
  what: string,
  acknowledged: unknown,
  config: Pick<CspConfig, "allowPurchases">,
): void {
  const failures = purchaseFailures(resourceType, what, acknowledged, true, config);
  if (failures.length > 0) {
    throw providerRefusal(
      failures.map((f) => f.reason).join("; "),
      "see acknowledgePurchase and csp:allowPurchases in the README",
    );
  }
}
