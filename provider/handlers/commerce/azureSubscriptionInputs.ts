import { z } from "zod";
import { getAlias } from "../../clients/arm/subscriptions";
import {
  accountFailures,
  checkCannotRun,
  deterministicUuid,
  refusal,
  stripUndefined,
  validateInputs,
} from "../common";
import type { CheckFailure, CheckResult, HandlerContext } from "../types";
import { isUnknown } from "../types";
import { accountField, accountName, customerIdField, immutableFailures, requiredText } from "./fields";
import { purchaseFailures } from "./purchaseGuard";

/**
 * The AzureSubscription's inputs and outputs, its `check` (schema, the stable key, what cannot
 * change, the purchase acknowledgement), and the mapping of both into the recorded state.
 */

export const AZURE_SUBSCRIPTION_TYPE = "AzureSubscription";

export const azureSubscriptionSchema = z.object({
  customerId: customerIdField,
  displayName: requiredText(64).regex(/^[^<>;|]*$/, "must not contain < > ; or |"),
  workload: z.enum(["Production", "DevTest"], { error: 'must be "Production" or "DevTest"' }).optional(),
  acknowledgePurchase: z.literal(true, { error: "must be true" }),
  key: z
    .string({ error: "must be a string" })
    .trim()
    .min(1, "must not be empty")
    .max(200, "must be at most 200 characters")
    .optional(),
  aliasName: z
    .string({ error: "must be a string" })
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be 1-64 letters, digits, _ . or -")
    .optional(),
  resellerId: z
    .string({ error: "must be a string" })
    .regex(/^\d{1,10}$/, "must be the indirect reseller's MPN id (digits)")
    .optional(),
  onDelete: z
    .enum(["cancel", "cancelAsCompromised"], { error: 'must be "cancel" or "cancelAsCompromised"' })
    .optional(),
  // Before ARM's cancel, deletes sent Partner Center's compromise cancel with this reason.
  cancellationReason: z
    .never({
      error:
        'is no longer an input: deleting an AzureSubscription cancels it through Azure Resource Manager, the routine cancel; Partner Center\'s cancel with reason "compromise" is for compromised or abused subscriptions only: to delete through it, set onDelete: "cancelAsCompromised"',
    })
    .optional(),
  account: accountField,
});

/**
 * The checked inputs. `key` is the subscription's stable identity within the customer (default:
 * the first display name); `aliasName` defaults to one derived from account, customer and `key`;
 * `resellerId` is the indirect reseller's MPN id; `onDelete` is `cancel` (default, ARM) or
 * `cancelAsCompromised` (Partner Center, reason `compromise`); `acknowledgePurchase` must be `true`.
 */
export type AzureSubscriptionInputs = z.output<typeof azureSubscriptionSchema>;
export type Workload = NonNullable<AzureSubscriptionInputs["workload"]>;
export type AzureSubscriptionOnDelete = NonNullable<AzureSubscriptionInputs["onDelete"]>;

export interface AzureSubscriptionOutputs {
  azureSubscriptionId?: string;
  aliasName: string;
  key: string;
  /** The display name Azure holds. */
  displayName: string;
  workload: Workload;
  /** Partner Center entitlement status: `active` or `inactive` (cancelled). */
  entitlementStatus?: string;
  /** The Azure plan (Partner Center subscription id) the subscription belongs to. */
  planSubscriptionId?: string;
  billingScope?: string;
  /** ARM alias provisioning state (`Succeeded` once the subscription exists). */
  provisioningState?: string;
  deletionBehavior: string;
}

export type SubscriptionState = AzureSubscriptionInputs & AzureSubscriptionOutputs;

const IDENTITY_KEYS = ["customerId", "workload", "resellerId", "account"] as const;

const CANNOT_REPLACE =
  "an Azure subscription is never replaced implicitly: that would cancel this subscription (and stop what runs in it) and buy a new one. To create another subscription, add a new AzureSubscription resource; to stop managing this one, remove it from the program (deleting it cancels the subscription, see deletionBehavior); otherwise set the input back";

export function defaultAliasName(account: string | undefined, customerId: string, key: string): string {
  return deterministicUuid("azure-subscription", accountName(account), customerId.toLowerCase(), key);
}

export function describeDeletion(mode: AzureSubscriptionOnDelete | undefined): string {
  return mode === "cancelAsCompromised"
    ? 'cancelAsCompromised: deleting this resource cancels the Azure subscription as compromised or abused (Partner Center cancel, reason "compromise"), even while it holds resources; it is disabled, Azure deletes it 90 days later, and creating the resource again before that enables it again'
    : "cancel: deleting this resource cancels the Azure subscription (Azure Resource Manager cancel, as its Owner), which Azure refuses while it holds resources; it is disabled, Azure deletes it 90 days later, and creating the resource again before that enables it again";
}

export function keyOf(inputs: Pick<AzureSubscriptionInputs, "key" | "displayName">): string {
  return inputs.key ?? inputs.displayName;
}

/** The inputs of a recorded state (the keys that are only outputs removed). */
export function inputsOnly(
  state: AzureSubscriptionInputs & Partial<AzureSubscriptionOutputs>,
): AzureSubscriptionInputs {
  const {
    azureSubscriptionId: _id,
    entitlementStatus: _status,
    planSubscriptionId: _plan,
    billingScope: _scope,
    provisioningState: _state,
    deletionBehavior: _deletion,
    ...inputs
  } = state;
  return inputs;
}

export function outputs(
  inputs: AzureSubscriptionInputs,
  values: Omit<AzureSubscriptionOutputs, "deletionBehavior" | "key" | "workload"> & { workload?: Workload },
): SubscriptionState {
  return stripUndefined({
    ...inputsOnly(inputs),
    ...values,
    key: keyOf(inputs),
    workload: values.workload ?? inputs.workload ?? "Production",
    deletionBehavior: describeDeletion(inputs.onDelete),
  });
}

export async function checkAzureSubscription(
  olds: Partial<AzureSubscriptionInputs>,
  news: AzureSubscriptionInputs,
  ctx: HandlerContext,
): Promise<CheckResult<AzureSubscriptionInputs>> {
  const validated = validateInputs(azureSubscriptionSchema, news);
  const failures: CheckFailure[] = (validated.failures ?? []).filter(
    (f) => f.property !== "acknowledgePurchase",
  );
  const isNew = olds.customerId === undefined;
  // With purchases disabled, an alias that exists already (an earlier run) is not a purchase:
  // look it up (read-only) when its name is known.
  let isPurchase = isNew;
  const key = news.key ?? news.displayName;
  if (
    isNew &&
    !ctx.config.allowPurchases &&
    (validated.failures ?? []).length === 0 &&
    !isUnknown(news.customerId) &&
    !isUnknown(key)
  ) {
    const aliasName = news.aliasName ?? defaultAliasName(news.account, news.customerId, key);
    try {
      isPurchase = (await getAlias(ctx.api(news.account).arm, aliasName)) === undefined;
    } catch (e) {
      throw checkCannotRun(`whether the Azure subscription alias ${aliasName} exists`, e);
    }
  }
  failures.push(
    ...purchaseFailures(
      AZURE_SUBSCRIPTION_TYPE,
      `an Azure subscription (pay-as-you-go) for customer ${isUnknown(news.customerId) ? "(not known yet)" : String(news.customerId)}`,
      news.acknowledgePurchase,
      isPurchase,
      ctx.config,
    ),
  );
  failures.push(...accountFailures(news.account, ctx.config));
  if (failures.length > 0) return { failures };
  const inputs: AzureSubscriptionInputs = { ...(validated.inputs ?? news) };
  // The stable key: explicit, else the one recorded at the first check, else the display name.
  if (inputs.key === undefined) {
    if (olds.key !== undefined) inputs.key = olds.key;
    else if (!isUnknown(inputs.displayName)) inputs.key = inputs.displayName;
  }
  inputs.workload ??= "Production";
  const identity = immutableFailures(
    AZURE_SUBSCRIPTION_TYPE,
    { ...olds, workload: olds.workload ?? (isNew ? undefined : "Production") },
    inputs,
    IDENTITY_KEYS,
    CANNOT_REPLACE,
  );
  for (const key of ["key", "aliasName"] as const) {
    if (
      olds[key] !== undefined &&
      inputs[key] !== undefined &&
      !isUnknown(inputs[key]) &&
      olds[key] !== inputs[key]
    ) {
      identity.push(
        refusal(
          key,
          `cannot change from ${JSON.stringify(olds[key])}: ${AZURE_SUBSCRIPTION_TYPE} ${CANNOT_REPLACE}`,
          inputs[key],
        ),
      );
    }
  }
  if (identity.length > 0) return { failures: identity };
  return { inputs, ...(isNew && !isPurchase ? { buys: false } : {}) };
}
