import {
  getOrder,
  getSubscription,
  getSubscriptionAndTime,
  listSubscriptions,
  patchSubscription,
} from "../../clients/partnerCenter/commerce";
import { CspError, hasServiceCode } from "../../errors";
import { shown } from "../../purchaseMarker";
import { accountFailures, checkCannotRun, containsUnknown, validateInputs } from "../common";
import type { CheckFailure, ResourceHandler } from "../types";
import { isUnknown } from "../types";
import { subscriptionOfOrder } from "./cartCheckout";
import { afterPurchase, providerRefusal } from "./errors";
import { immutableFailures } from "./fields";
import {
  billingCycleOf,
  LICENSE_SUBSCRIPTION_TYPE,
  type LicenseSubscriptionInputs,
  type LicenseSubscriptionOutputs,
  licenseSchema,
  offerLabel,
  resolveCatalogItem,
} from "./licenseInputs";
import {
  applySettings,
  buy,
  isGone,
  outputsOf,
  pendingOutputs,
  str,
  subscriptionOfRecordedOrder,
  what,
} from "./licenseSeats";
import { assertPurchaseAllowed, purchaseFailures } from "./purchaseGuard";
import {
  cancellationOpen,
  decreaseRefusal,
  describeLicenseDeletion,
  shownDate,
  termEndDay,
} from "./seatWindow";

/**
 * LicenseSubscription: seats of a new-commerce license-based offer for a customer (e.g. Microsoft 365
 * Business Premium), a billable purchase ("Purchase new commerce license-based services",
 * https://learn.microsoft.com/partner-center/developer/purchase-new-commerce-license-based).
 *
 * - Bought through cart + checkout, never twice (commerce/cartCheckout.ts): the re-run after a crash
 *   replays this program's cart and checkout and records what it bought. A purchase of the same
 *   declaration that was cancelled or expired since is not replayed: its id salts the new cart's key.
 * - Both acknowledgements of the Azure plan apply (commerce/purchaseGuard.ts); the preview marks the
 *   create, and an update that adds seats, as a purchase.
 * - `quantity` is an update: seats can be added at any time (billed for the rest of the term) and
 *   removed only while they are in their seven-day window (commerce/seatWindow.ts). A decrease the
 *   window no longer allows is refused by the preview (diff reads the subscription), with the date
 *   the window closed and what is possible instead.
 * - `autoRenew` and `friendlyName` are updates; offer, term, billing cycle, customer, account and
 *   reseller of record cannot change (never replaced).
 * - Delete cancels while Partner Center allows it and otherwise turns auto-renew off (the seats stay
 *   billable until the term ends); `onDelete: "leave"` only forgets it. See `deletionBehavior`.
 */

const IDENTITY_KEYS = [
  "customerId",
  "account",
  "offer",
  "productId",
  "skuId",
  "availabilityId",
  "termDuration",
  "billingCycle",
  "partnerIdOnRecord",
] as const;

const CANNOT_REPLACE =
  "a license subscription is never replaced: that would buy new seats and cancel (or stop renewing) these. To buy another offer, term or billing cycle, add a new LicenseSubscription (and remove this one: see its deletionBehavior); otherwise set the input back";

/** The inputs with the defaults filled in, so declaring a default later is no change. */
function withDefaults<T extends Partial<LicenseSubscriptionInputs>>(v: T): T {
  return v.customerId === undefined || isUnknown(v.billingCycle)
    ? v
    : { ...v, billingCycle: billingCycleOf(v) };
}

export const licenseSubscriptionHandler: ResourceHandler<
  LicenseSubscriptionInputs,
  LicenseSubscriptionOutputs
> = {
  purchase(inputs) {
    return `${what(inputs)} (${inputs.termDuration} term, billed ${billingCycleOf(inputs)}): billed for the whole term; cancellable only within seven days of the purchase`;
  },

  purchaseOnUpdate(olds, news) {
    if (
      typeof olds.quantity !== "number" ||
      typeof news.quantity !== "number" ||
      news.quantity <= olds.quantity
    ) {
      return undefined;
    }
    return `adds ${news.quantity - olds.quantity} seats (${olds.quantity} -> ${news.quantity}) of ${offerLabel(news)} for customer ${shown(news.customerId, "(not known yet)")}: billed for the rest of the current term; removable only within seven days`;
  },

  async check(olds, news, ctx) {
    const validated = validateInputs(licenseSchema, news);
    const failures: CheckFailure[] = (validated.failures ?? []).filter(
      (f) => f.property !== "acknowledgePurchase",
    );
    const isNew = olds.customerId === undefined;
    failures.push(
      ...purchaseFailures(
        LICENSE_SUBSCRIPTION_TYPE,
        validated.inputs ? what(validated.inputs) : "seats",
        news.acknowledgePurchase,
        isNew,
        ctx.config,
      ),
    );
    if (
      !isNew &&
      !ctx.config.allowPurchases &&
      typeof news.quantity === "number" &&
      typeof olds.quantity === "number" &&
      news.quantity > olds.quantity
    ) {
      failures.push({
        property: "quantity",
        reason: `quantity: adding seats (${olds.quantity} -> ${news.quantity}) is a purchase, and purchases are disabled for this stack (csp:allowPurchases is false, or CSP_ALLOW_PURCHASES=false)`,
      });
    }
    failures.push(...accountFailures(news.account, ctx.config));
    failures.push(
      ...immutableFailures(
        LICENSE_SUBSCRIPTION_TYPE,
        withDefaults(olds),
        withDefaults(news),
        IDENTITY_KEYS,
        CANNOT_REPLACE,
      ),
    );
    if (failures.length > 0) return { failures };
    const inputs: LicenseSubscriptionInputs = { ...(validated.inputs ?? news) };
    delete inputs.catalogItemId;

    // The catalog item is resolved once, for the customer, and kept afterwards (availability ids change over time).
    if (!isNew && typeof olds.catalogItemId === "string")
      return { inputs: { ...inputs, catalogItemId: olds.catalogItemId } };
    const known = !containsUnknown(IDENTITY_KEYS.map((k) => news[k]));
    if (!known) return { inputs };
    try {
      const resolved = await resolveCatalogItem(ctx.api(inputs.account), inputs);
      if (!resolved.ok)
        return {
          failures: [{ property: resolved.property, reason: `${resolved.property}: ${resolved.reason}` }],
        };
      return { inputs: { ...inputs, catalogItemId: resolved.catalogItemId } };
    } catch (e) {
      throw checkCannotRun(`the catalog item of ${what(inputs)}`, e);
    }
  },

  async diff(_id, olds, news, ctx) {
    const pending = !olds.subscriptionId;
    const quantityChanged = !isUnknown(news.quantity) && news.quantity !== olds.quantity;
    const autoRenewChanged = !isUnknown(news.autoRenew) && (news.autoRenew ?? true) !== olds.autoRenew;
    const nameChanged =
      news.friendlyName !== undefined &&
      !isUnknown(news.friendlyName) &&
      news.friendlyName !== olds.friendlyName;
    const onDeleteChanged =
      describeLicenseDeletion(news.onDelete ?? "cancel", olds) !== olds.deletionBehavior;
    if (quantityChanged && !pending && news.quantity < olds.quantity) {
      // A preview refuses a decrease the window no longer allows: the subscription as it is now (read-only).
      const sub = await getSubscription(
        ctx.api(olds.account).partnerCenter,
        olds.customerId,
        olds.subscriptionId!,
      );
      const why =
        sub && !isGone(sub) ? decreaseRefusal(sub, sub.quantity ?? olds.quantity, news.quantity) : undefined;
      if (why)
        throw providerRefusal(`quantity: ${why}`, `set quantity back to ${sub!.quantity ?? olds.quantity}`);
    }
    return { changes: pending || quantityChanged || autoRenewChanged || nameChanged || onDeleteChanged };
  },

  async create(inputs, ctx) {
    const api = ctx.api(inputs.account);
    assertPurchaseAllowed(LICENSE_SUBSCRIPTION_TYPE, what(inputs), inputs.acknowledgePurchase, ctx.config);
    let catalogItemId = inputs.catalogItemId;
    if (!catalogItemId) {
      const resolved = await resolveCatalogItem(api, inputs);
      if (!resolved.ok) throw providerRefusal(resolved.reason, `check ${resolved.property}`);
      catalogItemId = resolved.catalogItemId;
    }
    const full = { ...inputs, catalogItemId };
    ctx.log(
      `LicenseSubscription: buying ${what(inputs)} (${catalogItemId}, ${inputs.termDuration} term, billed ${billingCycleOf(inputs)})`,
    );
    const { order, sub } = await buy(api, full, catalogItemId, ctx);
    const outs = await afterPurchase(
      sub.id,
      () => outputsOf(full, sub, order.id),
      async () => outputsOf(full, await applySettings(api, full, sub.id, ctx), order.id),
    );
    return { id: sub.id, outs };
  },

  async read(id, props, ctx) {
    const api = ctx.api(props.account);
    let subscriptionId = props.subscriptionId;
    if (!subscriptionId) {
      // A partial create: the order was accepted, its subscription not provisioned yet.
      const order = props.orderId
        ? await getOrder(api.partnerCenter, props.customerId, props.orderId)
        : undefined;
      if (!order) {
        ctx.log(
          `LicenseSubscription: the order ${props.orderId ?? "(unknown)"} of customer ${props.customerId} no longer exists; removed from the state`,
        );
        return { id: "" };
      }
      subscriptionId = subscriptionOfOrder(order, props.catalogItemId);
      if (!subscriptionId) return { id, props: pendingOutputs(props, order.id) };
    }
    const found = subscriptionId;
    // A billable resource leaves the state only when its absence is confirmed (GET, then the list).
    const sub =
      (await getSubscription(api.partnerCenter, props.customerId, subscriptionId)) ??
      (await listSubscriptions(api.partnerCenter, props.customerId)).find(
        (s) => s.id.toLowerCase() === found.toLowerCase(),
      );
    if (isGone(sub)) {
      ctx.log(
        `LicenseSubscription ${found}: ${sub ? sub.status : "no longer exists"} for customer ${props.customerId}; removed from the state (declaring it again buys new seats)`,
      );
      return { id: "" };
    }
    return { id, props: outputsOf(props, sub!, props.orderId) };
  },

  async update(_id, olds, news, ctx) {
    const api = ctx.api(news.account);
    const subscriptionId = await subscriptionOfRecordedOrder(api, olds);
    if (!subscriptionId) {
      throw new CspError({
        code: "CSP_TIMEOUT",
        service: "partnerCenter",
        summary: `the order ${olds.orderId} for ${what(news)} is not provisioned yet`,
        hint: "run `pulumi up` again in a few minutes (nothing will be ordered again)",
      });
    }
    const inputs = { ...news, catalogItemId: news.catalogItemId ?? olds.catalogItemId };
    const sub = await applySettings(api, inputs, subscriptionId, ctx);
    return { outs: outputsOf(inputs, sub, olds.orderId) };
  },

  async delete(_id, props, ctx) {
    const mode = props.onDelete ?? "cancel";
    if (mode === "leave" || !props.subscriptionId) {
      ctx.log(
        props.subscriptionId
          ? `LicenseSubscription ${props.subscriptionId}: left as it is (onDelete: leave); this stack no longer manages it and it stays billable`
          : `LicenseSubscription: order ${props.orderId ?? "(unknown)"} of customer ${props.customerId} was never provisioned in this stack; nothing to cancel`,
      );
      return;
    }
    const pc = ctx.api(props.account).partnerCenter;
    for (let attempt = 0; ; attempt++) {
      const { subscription: sub, serviceTime } = await getSubscriptionAndTime(
        pc,
        props.customerId,
        props.subscriptionId,
      );
      if (isGone(sub)) {
        ctx.log(
          `LicenseSubscription ${props.subscriptionId}: already ${sub?.status ?? "gone"} for customer ${props.customerId}`,
        );
        return;
      }
      const current = sub!;
      const cancel = cancellationOpen(current, serviceTime);
      if (!cancel && current.autoRenewEnabled === false) {
        ctx.log(
          `LicenseSubscription ${current.id}: the cancellation window closed ${shownDate(str(current.cancellationAllowedUntilDate))} and auto-renew is off: the ${current.quantity} seats stay billable until the term ends on ${termEndDay(current)}, then the subscription expires`,
        );
        return;
      }
      try {
        await patchSubscription(
          pc,
          props.customerId,
          cancel ? { ...current, status: "deleted" } : { ...current, autoRenewEnabled: false },
        );
      } catch (e) {
        // A repeated PATCH after a lost answer (stale ETag, already cancelled), or the window closed meanwhile: read again.
        if (attempt < 3 && hasServiceCode(e, "2055", "2011", "900117")) continue;
        throw e;
      }
      ctx.log(
        cancel
          ? `LicenseSubscription ${current.id}: cancelled within its cancellation window (until ${shownDate(str(current.cancellationAllowedUntilDate))}; prorated refund)`
          : `LicenseSubscription ${current.id}: the cancellation window closed ${shownDate(str(current.cancellationAllowedUntilDate))}, so it cannot be cancelled: auto-renew turned off; the ${current.quantity} seats stay billable until the term ends on ${termEndDay(current)}, then the subscription expires`,
      );
      return;
    }
  },
};
