import { z } from "zod";
import type { CspApi } from "../../clients/cspApi";
import {
  getOrder,
  getSubscription,
  listAzureEntitlements,
  listSubscriptions,
  type PcOrder,
  type PcSubscription,
  parseCatalogItemId,
} from "../../clients/partnerCenter/commerce";
import { shown } from "../../purchaseMarker";
import { accountFailures, checkCannotRun, validateInputs } from "../common";
import type { CheckFailure, HandlerContext, ResourceHandler } from "../types";
import { isUnknown } from "../types";
import {
  catalogItemOf,
  deletionMode,
  describeDeletion,
  describePlan,
  pendingOutputs,
  planOutputs,
  withDeletion,
} from "./azurePlanOutputs";
import { boughtByThisProgram, findExisting, orderPlan, verifyCatalogItem } from "./azurePlanPurchase";
import { activeEntitlements, applyPlanSettings, desiredSettings } from "./azurePlanSettings";
import { cancelThroughArm } from "./azureSubscriptionLifecycle";
import { orderedSubscription, subscriptionOfOrder } from "./cartCheckout";
import { afterPurchase, providerRefusal } from "./errors";
import { accountField, customerIdField, immutableFailures } from "./fields";
import { assertActiveReseller, resellerFailures } from "./indirectResellers";
import { firstOfNewCustomer, rememberPlan } from "./processFacts";
import { assertPurchaseAllowed, purchaseFailures } from "./purchaseGuard";

/**
 * AzurePlan: the customer's Microsoft Azure plan ("Create an Azure plan",
 * https://learn.microsoft.com/partner-center/developer/create-azure-plan), a billable purchase.
 *
 * - Never bought twice: create first looks (an Azure plan the customer already has, or an order
 *   for one still being provisioned, is adopted) and only then orders through cart + checkout.
 *   The one exception is the first plan of a customer this very process created moments before
 *   (processFacts.ts): it has no plan and no order, so there is nothing to find.
 *   What Microsoft Learn documents and what it leaves open:
 *   - `MS-RequestId` ("Partner Center REST and response headers",
 *     https://learn.microsoft.com/partner-center/developer/headers): the same value on a retry
 *     after a timeout, a new one after any answer. That is the pipeline's retry of one call.
 *   - Checkout ("Check out a cart"): idempotent per cart id; a cart already checked out answers
 *     its first result again (or 400 / 800065, then the order is looked up).
 *   - [U] Not documented: whether the service still knows an `MS-RequestId` on a later run, and
 *     for how long. The cart's and the checkout's ids are deterministic (the cart's from account,
 *     customer and cart body; the checkout's from the cart), so a re-run after a crash replays
 *     them when the service remembers, but nothing depends on it: the look-before-write above
 *     finds a plan or an order bought by an earlier run; only a run that died after its checkout
 *     and re-runs before the order is listed (up to 15 minutes, "Create an Azure plan") leans
 *     on the service remembering the cart's id.
 * - An accepted order whose subscription is not provisioned after a bounded wait is recorded as a
 *   partial create (id = order id) instead of being lost; refresh or update completes it.
 * - `friendlyName` and `status` (`active` / `suspended`) are updates (PATCH with If-Match).
 *   Suspending needs every Azure subscription under the plan to be cancelled first.
 * - Delete suspends the plan (a plan cannot be un-bought); `onDelete` can leave it instead, or
 *   cancel its Azure subscriptions first. The output `deletionBehavior` says which.
 * - Purchase acknowledgement: see `commerce/purchaseGuard.ts`.
 */

export const AZURE_PLAN_TYPE = "AzurePlan";

export interface AzurePlanOutputs {
  /** Partner Center subscription id of the plan (absent while the order is still provisioning). */
  subscriptionId?: string;
  /** Partner Center status: `active`, `suspended`, `pending` (order not provisioned yet), ... */
  status: string;
  orderId?: string;
  /** The first Azure subscription (entitlement) of the plan. */
  azureSubscriptionId?: string;
  friendlyName?: string;
  catalogItemId: string;
  adopted: boolean;
  deletionBehavior: string;
}

export type PlanState = Omit<AzurePlanInputs, "status" | "friendlyName"> & AzurePlanOutputs;

const IDENTITY_KEYS = ["customerId", "catalogItemId", "partnerIdOnRecord", "account"] as const;

const CANNOT_REPLACE =
  "an Azure plan is never replaced: that would buy a new plan and suspend this one, two billable changes. To buy a plan for another customer, add a new AzurePlan resource; to stop managing this one, remove it from the program (see its deletionBehavior output); otherwise set the input back";

export const azurePlanSchema = z.object({
  customerId: customerIdField,
  acknowledgePurchase: z.literal(true, {
    error:
      "AzurePlan is a billable purchase: set acknowledgePurchase: true to confirm that this program may buy an Azure plan",
  }),
  friendlyName: z
    .string({ error: "must be a string" })
    .trim()
    .min(1, "must not be empty")
    .max(50, "must be at most 50 characters")
    .optional(),
  status: z.enum(["active", "suspended"], { error: 'must be "active" or "suspended"' }).optional(),
  catalogItemId: z
    .string({ error: "must be a string" })
    .refine(
      (v) => parseCatalogItemId(v) !== undefined,
      "must be product:sku:availability, e.g. DZH318Z0BPS6:0001:DZH318Z0BML6",
    )
    .optional(),
  onDelete: z
    .enum(["suspend", "cancelSubscriptionsAndSuspend", "leave"], {
      error: 'must be "suspend", "cancelSubscriptionsAndSuspend" or "leave"',
    })
    .optional(),
  partnerIdOnRecord: z
    .string({ error: "must be a string" })
    .regex(/^\d{1,10}$/, "must be the indirect reseller's MPN id (PartnerID, digits)")
    .optional(),
  account: accountField,
});

/**
 * The checked inputs. `acknowledgePurchase` must be `true` (the explicit acknowledgement that
 * this program buys an Azure plan); `status` defaults to `active`; `catalogItemId` to
 * `DZH318Z0BPS6:0001:DZH318Z0BML6` (Microsoft Azure plan); `partnerIdOnRecord` names an indirect
 * provider's reseller of record (see indirectResellers.ts).
 */
export type AzurePlanInputs = z.output<typeof azurePlanSchema>;
export type AzurePlanStatus = NonNullable<AzurePlanInputs["status"]>;
export type AzurePlanOnDelete = NonNullable<AzurePlanInputs["onDelete"]>;

// --- provisioning -------------------------------------------------------------------------------

/** From an order to the provisioned plan, or the partial-create error carrying the order id. */
async function completeOrder(
  api: CspApi,
  inputs: AzurePlanInputs,
  order: PcOrder,
  adopted: boolean,
  ctx: HandlerContext,
): Promise<PcSubscription> {
  const config = ctx.config;
  const catalogItemId = catalogItemOf(inputs);
  return orderedSubscription(
    api,
    inputs.customerId,
    order,
    catalogItemId,
    ctx.clock,
    `the Azure plan of customer ${inputs.customerId}`,
    withDeletion(pendingOutputs(inputs, order.id, adopted), config),
  );
}

export const azurePlanHandler: ResourceHandler<AzurePlanInputs, AzurePlanOutputs> = {
  purchase(inputs) {
    const customer = shown(inputs.customerId, "created in this update");
    return `Azure plan ${catalogItemOf(inputs)} for customer ${customer} (a plan it already has is adopted instead)`;
  },
  async check(olds, news, ctx) {
    const validated = validateInputs(azurePlanSchema, news);
    const failures: CheckFailure[] = (validated.failures ?? []).filter(
      (f) => f.property !== "acknowledgePurchase",
    );
    const isNew = olds.customerId === undefined;
    const customerKnown = typeof news.customerId === "string" && !isUnknown(news.customerId);
    // With purchases disabled, a plan the customer already has is adopted, not bought: look (read-only).
    let isPurchase = isNew;
    if (isNew && !ctx.config.allowPurchases && customerKnown && (validated.failures ?? []).length === 0) {
      try {
        const existing = await findExisting(ctx.api(news.account), news.customerId, catalogItemOf(news));
        isPurchase = !existing.plan && !existing.order;
      } catch (e) {
        throw checkCannotRun(`whether customer ${news.customerId} already has an Azure plan`, e);
      }
    }
    failures.push(
      ...purchaseFailures(
        AZURE_PLAN_TYPE,
        `an Azure plan for customer ${customerKnown ? news.customerId : "(not known yet)"}`,
        news.acknowledgePurchase,
        isPurchase,
        ctx.config,
      ),
    );
    failures.push(...accountFailures(news.account, ctx.config));
    // The default catalog item counts as given: setting it explicitly later is not a change.
    const withCatalog = <T extends Partial<AzurePlanInputs>>(v: T): T =>
      v.customerId === undefined || isUnknown(v.catalogItemId)
        ? v
        : { ...v, catalogItemId: catalogItemOf(v) };
    failures.push(
      ...immutableFailures(
        AZURE_PLAN_TYPE,
        withCatalog(olds),
        withCatalog(news),
        IDENTITY_KEYS,
        CANNOT_REPLACE,
      ),
    );
    if (failures.length > 0) return { failures };
    const inputs = validated.inputs ?? news;

    // The reseller of record must be one of the account's active indirect resellers (read-only;
    // the customer need not be known yet).
    const onRecord = inputs.partnerIdOnRecord;
    if (isPurchase && typeof onRecord === "string" && !isUnknown(onRecord)) {
      const resellers = await resellerFailures(ctx, inputs.account, "partnerIdOnRecord", onRecord);
      if (resellers.length > 0) return { failures: resellers };
    }

    // Verify the catalog item for the customer's country when the customer is known (read-only).
    if (isPurchase && customerKnown) {
      try {
        const verdict = await verifyCatalogItem(
          ctx.api(inputs.account),
          inputs.customerId,
          catalogItemOf(inputs),
        );
        if (!verdict.ok) {
          const property = verdict.reason.startsWith("customer ") ? "customerId" : "catalogItemId";
          return { failures: [{ property, reason: `${property}: ${verdict.reason}` }] };
        }
      } catch (e) {
        throw checkCannotRun(
          `the catalog item ${catalogItemOf(inputs)} for customer ${inputs.customerId}`,
          e,
        );
      }
    }
    return { inputs, ...(isNew && !isPurchase ? { buys: false } : {}) };
  },

  async diff(_id, olds, news, ctx) {
    const desired = desiredSettings(news);
    const statusChanged = !isUnknown(desired.status) && desired.status !== olds.status;
    const nameChanged =
      desired.friendlyName !== undefined &&
      !isUnknown(desired.friendlyName) &&
      desired.friendlyName !== olds.friendlyName;
    const onDeleteChanged =
      describeDeletion(deletionMode(news.onDelete, olds.adopted === true, ctx.config)) !==
      olds.deletionBehavior;
    const pending = !olds.subscriptionId;
    return { changes: statusChanged || nameChanged || onDeleteChanged || pending };
  },

  async create(inputs, ctx) {
    const api = ctx.api(inputs.account);
    const catalogItemId = catalogItemOf(inputs);
    // A customer this process just created has no plan and no order: its first plan is bought
    // without looking (the cart's and checkout's request ids still make a replay answer the same
    // order). Any other customer is looked at first, so nothing is bought twice.
    const existing = firstOfNewCustomer(api, inputs.customerId, "azurePlan")
      ? {}
      : await findExisting(api, inputs.customerId, catalogItemId);
    let sub: PcSubscription;
    let orderId: string | undefined;
    let adopted = false;
    if (existing.plan) {
      sub = existing.plan;
      adopted = !(await boughtByThisProgram(api, inputs, catalogItemId, ctx.config));
      ctx.log(
        adopted
          ? `AzurePlan: customer ${inputs.customerId} already has the Azure plan ${sub.id} (${sub.status}); adopted, not bought again`
          : `AzurePlan: found the Azure plan ${sub.id} an earlier run of this program bought; recorded, not bought again`,
      );
    } else {
      let order = existing.order;
      if (order) {
        adopted = !(await boughtByThisProgram(api, inputs, catalogItemId, ctx.config));
        ctx.log(
          adopted
            ? `AzurePlan: customer ${inputs.customerId} already has an order for an Azure plan (${order.id}); adopted, not bought again`
            : `AzurePlan: found the order ${order.id} an earlier run of this program placed; recorded, not bought again`,
        );
      } else {
        assertPurchaseAllowed(
          AZURE_PLAN_TYPE,
          `an Azure plan for customer ${inputs.customerId}`,
          inputs.acknowledgePurchase,
          ctx.config,
        );
        if (inputs.partnerIdOnRecord) {
          await assertActiveReseller(api, "partnerIdOnRecord", inputs.partnerIdOnRecord);
        }
        // Usually the verdict of this resource's check, moments ago (processFacts.ts).
        const verdict = await verifyCatalogItem(api, inputs.customerId, catalogItemId);
        if (!verdict.ok) throw providerRefusal(verdict.reason, "check customerId and catalogItemId");
        order = await orderPlan(api, inputs, catalogItemId, ctx);
      }
      orderId = order.id || undefined;
      sub = await completeOrder(api, inputs, order, adopted, ctx);
    }
    const plan = sub;
    rememberPlan(api, inputs.customerId, plan.id);
    const outs = await afterPurchase(
      plan.id,
      () => withDeletion(planOutputs(inputs, plan, { adopted, ...(orderId ? { orderId } : {}) }), ctx.config),
      async () => {
        const applied = await applyPlanSettings(
          api,
          inputs.customerId,
          plan.id,
          desiredSettings(inputs),
          ctx,
          undefined,
          { current: plan },
        );
        return describePlan(api, inputs, applied, { adopted, ...(orderId ? { orderId } : {}) });
      },
    );
    return { id: plan.id, outs: withDeletion(outs, ctx.config) };
  },

  async read(id, props, ctx) {
    const api = ctx.api(props.account);
    const inputs: AzurePlanInputs = props;
    let subscriptionId = props.subscriptionId;
    if (!subscriptionId && props.orderId) {
      const order = await getOrder(api.partnerCenter, props.customerId, props.orderId);
      if (!order) {
        ctx.log(
          `AzurePlan: the order ${props.orderId} of customer ${props.customerId} no longer exists; removed from the state`,
        );
        return { id: "" };
      }
      subscriptionId = subscriptionOfOrder(order, catalogItemOf(inputs));
      if (!subscriptionId)
        return {
          id,
          props: withDeletion(pendingOutputs(inputs, props.orderId, props.adopted === true), ctx.config),
        };
    }
    if (!subscriptionId) return { id: "" };
    // A billable resource leaves the state only when its absence is confirmed: a 404 of the GET is
    // checked against the customer's list of subscriptions before the plan is dropped.
    const sub =
      (await getSubscription(api.partnerCenter, props.customerId, subscriptionId)) ??
      (await listSubscriptions(api.partnerCenter, props.customerId)).find(
        (s) => s.id.toLowerCase() === subscriptionId.toLowerCase(),
      );
    if (!sub) {
      ctx.log(
        `AzurePlan ${subscriptionId}: no longer exists for customer ${props.customerId}; removed from the state`,
      );
      return { id: "" };
    }
    const outs = await describePlan(api, inputs, sub, {
      adopted: props.adopted === true,
      ...(props.orderId ? { orderId: props.orderId } : {}),
      ...(props.azureSubscriptionId ? { previousAzureSubscriptionId: props.azureSubscriptionId } : {}),
    });
    return { id, props: withDeletion(outs, ctx.config) };
  },

  async update(_id, olds, news, ctx) {
    const api = ctx.api(news.account);
    let subscriptionId = olds.subscriptionId;
    if (!subscriptionId) {
      // A partial create: finish the provisioning first (never order again).
      const order = olds.orderId
        ? await getOrder(api.partnerCenter, news.customerId, olds.orderId)
        : undefined;
      if (!order) {
        throw providerRefusal(
          `the Azure plan order ${olds.orderId ?? "(unknown)"} of customer ${news.customerId} cannot be found`,
          "run `pulumi refresh`; if the order is gone, remove the resource from the state and run `pulumi up` again",
          "CSP_API_ERROR",
        );
      }
      subscriptionId = (await completeOrder(api, news, order, olds.adopted === true, ctx)).id;
    }
    const applied = await applyPlanSettings(api, news.customerId, subscriptionId, desiredSettings(news), ctx);
    const outs = await describePlan(api, news, applied, {
      adopted: olds.adopted === true,
      ...(olds.orderId ? { orderId: olds.orderId } : {}),
      ...(olds.azureSubscriptionId ? { previousAzureSubscriptionId: olds.azureSubscriptionId } : {}),
    });
    return { outs: withDeletion(outs, ctx.config) };
  },

  async delete(_id, props, ctx) {
    const mode = deletionMode(props.onDelete, props.adopted === true, ctx.config);
    const subscriptionId = props.subscriptionId;
    if (mode === "leave" || !subscriptionId) {
      ctx.log(
        subscriptionId
          ? `AzurePlan ${subscriptionId}: left active (onDelete: leave); this stack no longer manages it and it stays billable`
          : `AzurePlan: order ${props.orderId ?? "(unknown)"} of customer ${props.customerId} was never provisioned in this stack; nothing to suspend`,
      );
      return;
    }
    const api = ctx.api(props.account);
    const sub = await getSubscription(api.partnerCenter, props.customerId, subscriptionId);
    if (!sub) {
      ctx.log(`AzurePlan ${subscriptionId}: already gone for customer ${props.customerId}`);
      return;
    }
    const cancelling = mode === "cancelSubscriptionsAndSuspend";
    if (cancelling) {
      const active = activeEntitlements(
        await listAzureEntitlements(api.partnerCenter, props.customerId, subscriptionId),
      );
      // The routine cancel through ARM, one by one (see commerce/azureSubscriptionLifecycle.ts).
      for (const e of active) {
        const label = `the Azure subscription ${e.id} of Azure plan ${subscriptionId}`;
        if ((await cancelThroughArm(api, props.customerId, e.id, label)) === "cancelled")
          ctx.log(`AzurePlan ${subscriptionId}: cancelled the Azure subscription ${e.id}`);
      }
    }
    if ((sub.status ?? "").toLowerCase() === "suspended") {
      ctx.log(
        `AzurePlan ${subscriptionId}: already suspended; an Azure plan cannot be un-bought, it stays suspended`,
      );
      return;
    }
    await applyPlanSettings(
      api,
      props.customerId,
      subscriptionId,
      { status: "suspended" },
      ctx,
      { ...(props.azureSubscriptionId ? { ownAzureSubscriptionId: props.azureSubscriptionId } : {}) },
      { current: sub, noneActive: cancelling },
    );
    ctx.log(
      `AzurePlan ${subscriptionId}: suspended on delete (an Azure plan cannot be un-bought; set status: active on a new AzurePlan for customer ${props.customerId} to reactivate it)`,
    );
  },
};
