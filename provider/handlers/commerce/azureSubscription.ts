import { z } from "zod";
import {
  type ArmAlias,
  customerBillingScope,
  enableArmSubscription,
  findPartnerBillingAccount,
  getAlias,
  getArmSubscription,
  listBillingCustomers,
  putAlias,
  renameSubscription,
} from "../../clients/arm/subscriptions";
import type { CspApi } from "../../clients/cspApi";
import type { PcAzureEntitlement } from "../../clients/partnerCenter/commerce";
import type { CspConfig } from "../../configTypes";
import { CspError, isCspError } from "../../errors";
import { shown } from "../../purchaseMarker";
import { checkCannotRun, deterministicUuid, partialCreate, stripUndefined, validateInputs } from "../common";
import { registerHandler } from "../registry";
import type { CheckFailure, ResourceHandler } from "../types";
import { isUnknown } from "../types";
import {
  type CancelOutcome,
  cancelAsCompromised,
  cancelThroughArm,
  findEntitlement,
} from "./azureSubscriptionLifecycle";
import { afterPurchase, refusal } from "./errors";
import {
  accountFailures,
  accountField,
  accountName,
  customerIdField,
  immutableFailures,
  requiredText,
} from "./fields";
import { pollUntil } from "./polling";
import { purchaseFailures } from "./purchaseGuard";

/**
 * AzureSubscription: an Azure subscription under the customer's Azure plan, created through ARM
 * `Microsoft.Subscription/aliases` with the customer's MPA billing scope ("Programmatically create
 * Azure subscriptions for a Microsoft Partner Agreement":
 * https://learn.microsoft.com/azure/cost-management-billing/manage/programmatically-create-subscription-microsoft-partner-agreement),
 * a billable purchase.
 *
 * - The alias name is deterministic: `deterministicUuid("azure-subscription", account,
 *   customerId, key)`, where `key` is a stable input (default: the display name at the first
 *   create, then kept even when the display name changes; Pulumi does not pass the resource name
 *   to dynamic providers). A retry or a re-run finds the same alias, so the same subscription.
 * - Rename is an update (ARM `Microsoft.Subscription/rename`).
 * - Delete cancels the subscription through ARM `Microsoft.Subscription/cancel`, the routine cancel
 *   of its Owners (see `commerce/azureSubscriptionLifecycle.ts`); Azure refuses while it holds
 *   resources. `onDelete: "cancelAsCompromised"` uses Partner Center's cancel for compromised or
 *   abused subscriptions instead. A cancelled subscription is disabled and deleted by Azure 90
 *   days later; creating the resource again before that finds the same alias and enables it again
 *   (ARM `Microsoft.Subscription/enable`, a purchase: acknowledgement applies). A subscription
 *   cancelled outside the program is planned as a replacement (delete-before-replace: nothing,
 *   then enable), which `pulumi preview` shows explicitly.
 */

export const AZURE_SUBSCRIPTION_TYPE = "AzureSubscription";

export type Workload = "Production" | "DevTest";
export type AzureSubscriptionOnDelete = "cancel" | "cancelAsCompromised";

export interface AzureSubscriptionInputs {
  customerId: string;
  displayName: string;
  /** Default `Production`. */
  workload?: Workload;
  /** Must be `true`: the explicit acknowledgement that this program buys an Azure subscription. */
  acknowledgePurchase: true;
  /** Stable identity of the subscription within the customer (default: the first display name). */
  key?: string;
  /** Alias name; default derived from account, customer and `key`. */
  aliasName?: string;
  /** MPN id of the indirect reseller. */
  resellerId?: string;
  /** What a delete does: `cancel` (default, ARM) or `cancelAsCompromised` (Partner Center, reason `compromise`). */
  onDelete?: AzureSubscriptionOnDelete;
  account?: string;
}

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

type SubscriptionState = AzureSubscriptionInputs & AzureSubscriptionOutputs;

const IDENTITY_KEYS = ["customerId", "workload", "resellerId", "account"] as const;

const CANNOT_REPLACE =
  "an Azure subscription is never replaced implicitly: that would cancel this subscription (and stop what runs in it) and buy a new one. To create another subscription, add a new AzureSubscription resource; to stop managing this one, remove it from the program (deleting it cancels the subscription, see deletionBehavior); otherwise set the input back";

const schema = z.object({
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
}) as z.ZodType<AzureSubscriptionInputs>;

export function defaultAliasName(account: string | undefined, customerId: string, key: string): string {
  return deterministicUuid("azure-subscription", accountName(account), customerId.toLowerCase(), key);
}

function describeDeletion(mode: AzureSubscriptionOnDelete | undefined): string {
  return mode === "cancelAsCompromised"
    ? 'cancelAsCompromised: deleting this resource cancels the Azure subscription as compromised or abused (Partner Center cancel, reason "compromise"), even while it holds resources; it is disabled, Azure deletes it 90 days later, and creating the resource again before that enables it again'
    : "cancel: deleting this resource cancels the Azure subscription (Azure Resource Manager cancel, as its Owner), which Azure refuses while it holds resources; it is disabled, Azure deletes it 90 days later, and creating the resource again before that enables it again";
}

function keyOf(inputs: Pick<AzureSubscriptionInputs, "key" | "displayName">): string {
  return inputs.key ?? inputs.displayName;
}

// --- billing scope and entitlement ---------------------------------------------------------------

/** The customer's MPA billing scope; refuses when the customer has no Azure plan there. */
async function billingScopeFor(api: CspApi, customerId: string): Promise<string> {
  const account = await findPartnerBillingAccount(api.arm);
  if (!account) {
    throw refusal(
      `partner account "${api.account}" has no Microsoft Partner Agreement billing account in Azure`,
      "accept the Microsoft Partner Agreement in Partner Center and make sure the admin agent can read billing accounts",
      "CSP_API_ERROR",
    );
  }
  const customers = await listBillingCustomers(api.arm, account.name);
  const wanted = customerId.toLowerCase();
  const customer = customers.find(
    (c) => c.name.toLowerCase() === wanted || c.id.toLowerCase().endsWith(`/customers/${wanted}`),
  );
  if (!customer) {
    throw refusal(
      `customer ${customerId} has no Azure plan in billing account ${account.name}`,
      "create an AzurePlan for the customer first (and let this resource depend on it)",
      "CSP_API_ERROR",
    );
  }
  return customerBillingScope(account.name, customer.name);
}

/** Waits (bounded) for the alias to reach a final provisioning state. */
async function settleAlias(api: CspApi, aliasName: string, alias: ArmAlias): Promise<ArmAlias> {
  const isFinal = (a: ArmAlias | undefined) =>
    a?.properties?.provisioningState === "Succeeded" || a?.properties?.provisioningState === "Failed";
  if (isFinal(alias) && alias.properties?.subscriptionId) return alias;
  const settled = await pollUntil(async () => {
    const current = await getAlias(api.arm, aliasName);
    return isFinal(current) ? current : undefined;
  });
  return settled ?? alias;
}

/** Display name Azure holds: ARM (customer tenant, admin-on-behalf-of), else the entitlement's name. */
async function actualDisplayName(
  api: CspApi,
  customerId: string,
  azureSubscriptionId: string,
  entitlement: PcAzureEntitlement | undefined,
): Promise<string | undefined> {
  try {
    const sub = await getArmSubscription(api.arm, customerId, azureSubscriptionId);
    if (sub?.displayName) return sub.displayName;
  } catch (e) {
    // A disabled (cancelled) subscription may not be readable through ARM: fall back.
    if (!isCspError(e) || e.status === undefined || e.status >= 500) throw e;
  }
  return entitlement?.friendlyName;
}

function assertPurchaseAllowed(inputs: AzureSubscriptionInputs, config: CspConfig, what: string): void {
  const failures = purchaseFailures(AZURE_SUBSCRIPTION_TYPE, what, inputs.acknowledgePurchase, true, config);
  if (failures.length > 0) {
    throw refusal(
      failures.map((f) => f.reason).join("; "),
      "see acknowledgePurchase and csp:allowPurchases in the README",
    );
  }
}

function inputsOnly(state: object): AzureSubscriptionInputs {
  const out: Record<string, unknown> = { ...state };
  for (const k of [
    "azureSubscriptionId",
    "entitlementStatus",
    "planSubscriptionId",
    "billingScope",
    "provisioningState",
    "deletionBehavior",
  ]) {
    delete out[k];
  }
  return out as unknown as AzureSubscriptionInputs;
}

function outputs(
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

/** Entitlement status, display name and plan of a provisioned subscription, as outputs. */
async function describe(
  api: CspApi,
  inputs: AzureSubscriptionInputs,
  base: {
    aliasName: string;
    azureSubscriptionId: string;
    billingScope?: string;
    provisioningState?: string;
    plan?: string;
  },
): Promise<SubscriptionState | undefined> {
  const found = await findEntitlement(api, inputs.customerId, base.azureSubscriptionId, base.plan);
  if (!found) return undefined;
  const displayName =
    (await actualDisplayName(api, inputs.customerId, base.azureSubscriptionId, found.entitlement)) ??
    inputs.displayName;
  return outputs(inputs, {
    aliasName: base.aliasName,
    azureSubscriptionId: base.azureSubscriptionId,
    displayName,
    entitlementStatus: found.entitlement.status,
    planSubscriptionId: found.plan,
    ...(base.billingScope ? { billingScope: base.billingScope } : {}),
    ...(base.provisioningState ? { provisioningState: base.provisioningState } : {}),
  });
}

export const azureSubscriptionHandler: ResourceHandler<AzureSubscriptionInputs, AzureSubscriptionOutputs> = {
  purchase(inputs) {
    const name = shown(inputs.displayName, "(name not known yet)");
    const customer = shown(inputs.customerId, "created in this update");
    return `Azure subscription "${name}" (${inputs.workload ?? "Production"}) for customer ${customer}, billed by usage`;
  },
  async check(olds, news, ctx) {
    const validated = validateInputs(schema, news);
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
        identity.push({
          property: key,
          reason: `${key}: cannot change from ${JSON.stringify(olds[key])} to ${JSON.stringify(inputs[key])}: ${AZURE_SUBSCRIPTION_TYPE} ${CANNOT_REPLACE}`,
        });
      }
    }
    if (identity.length > 0) return { failures: identity };
    return { inputs, ...(isNew && !isPurchase ? { buys: false } : {}) };
  },

  async diff(_id, olds, news) {
    // A subscription cancelled outside the program: plan its reactivation as a replacement
    // (delete first: nothing to cancel; then create: reactivate), so the preview shows it.
    if ((olds.entitlementStatus ?? "").toLowerCase() === "inactive") {
      return { changes: true, replaces: ["entitlementStatus"], deleteBeforeReplace: true };
    }
    const renamed = !isUnknown(news.displayName) && news.displayName !== olds.displayName;
    const onDeleteChanged = describeDeletion(news.onDelete) !== olds.deletionBehavior;
    const pending = !olds.azureSubscriptionId || olds.provisioningState !== "Succeeded";
    return { changes: renamed || onDeleteChanged || pending };
  },

  async create(inputs, ctx) {
    const api = ctx.api(inputs.account);
    const key = keyOf(inputs);
    const aliasName = inputs.aliasName ?? defaultAliasName(inputs.account, inputs.customerId, key);
    const label = `AzureSubscription "${inputs.displayName}" (alias ${aliasName})`;
    let alias = await getAlias(api.arm, aliasName);
    let billingScope = alias?.properties?.billingScope;
    if (!alias) {
      assertPurchaseAllowed(inputs, ctx.config, `an Azure subscription for customer ${inputs.customerId}`);
      billingScope = await billingScopeFor(api, inputs.customerId);
      ctx.log(`${label}: creating an Azure subscription for customer ${inputs.customerId}`);
      alias = await putAlias(
        api.arm,
        aliasName,
        stripUndefined({
          displayName: inputs.displayName,
          workload: inputs.workload ?? "Production",
          billingScope,
          resellerId: inputs.resellerId,
        }),
      );
    } else {
      ctx.log(
        `${label}: the alias exists already (an earlier run); using its subscription, not buying another`,
      );
    }
    alias = await settleAlias(api, aliasName, alias);
    const state = alias.properties?.provisioningState;
    const azureSubscriptionId = alias.properties?.subscriptionId;
    if (state === "Failed") {
      throw new CspError({
        code: "CSP_API_ERROR",
        service: "arm",
        summary: `creating the Azure subscription through alias ${aliasName} failed (provisioningState Failed)`,
        hint: "check the customer's Azure plan (active, sandbox limit of 3 subscriptions per plan) and run again; the alias name stays the same",
      });
    }
    if (state !== "Succeeded" || !azureSubscriptionId) {
      throw partialCreate(
        new CspError({
          code: "CSP_TIMEOUT",
          service: "arm",
          summary: `the Azure subscription alias ${aliasName} is not provisioned yet (provisioningState ${state ?? "unknown"})`,
          hint: "the alias is recorded in the stack; run `pulumi refresh` or `pulumi up` later to complete it (the same alias is used, nothing is bought twice)",
        }),
        azureSubscriptionId ?? aliasName,
        outputs(inputs, {
          aliasName,
          displayName: inputs.displayName,
          ...(azureSubscriptionId ? { azureSubscriptionId } : {}),
          ...(billingScope ? { billingScope } : {}),
          provisioningState: state ?? "Accepted",
        }),
      );
    }

    let found: Awaited<ReturnType<typeof findEntitlement>>;
    const current = () =>
      outputs(inputs, {
        aliasName,
        azureSubscriptionId,
        displayName: inputs.displayName,
        ...(found ? { entitlementStatus: found.entitlement.status, planSubscriptionId: found.plan } : {}),
        ...(billingScope ? { billingScope } : {}),
        provisioningState: state,
        ...(alias.properties?.workload === "DevTest" || alias.properties?.workload === "Production"
          ? { workload: alias.properties.workload }
          : {}),
      });
    // The subscription exists from here on: a failure below records it (partial create).
    const outs = await afterPurchase(azureSubscriptionId, current, async () => {
      found = await findEntitlement(api, inputs.customerId, azureSubscriptionId);
      if (found && (found.entitlement.status ?? "").toLowerCase() !== "active") {
        // Re-creating a cancelled subscription: enable it again (billing resumes).
        assertPurchaseAllowed(
          inputs,
          ctx.config,
          `the reactivation of Azure subscription ${azureSubscriptionId}`,
        );
        try {
          await enableArmSubscription(api.arm, inputs.customerId, azureSubscriptionId);
        } catch (e) {
          if (!isCspError(e) || e.status !== 404) throw e;
          throw refusal(
            `the Azure subscription ${azureSubscriptionId} (alias ${aliasName}) cannot be enabled again: Azure deletes a cancelled subscription 90 days after the cancel`,
            "to buy a new subscription, give this resource another key (a new alias); otherwise remove the resource from the program",
            "CSP_API_ERROR",
          );
        }
        ctx.log(
          `${label}: enabled the cancelled Azure subscription ${azureSubscriptionId} again (Azure Resource Manager enable)`,
        );
        found = await findEntitlement(api, inputs.customerId, azureSubscriptionId, found.plan);
      }
      const actualName = await actualDisplayName(
        api,
        inputs.customerId,
        azureSubscriptionId,
        found?.entitlement,
      );
      if (actualName !== undefined && actualName !== inputs.displayName) {
        await renameSubscription(api.arm, inputs.customerId, azureSubscriptionId, inputs.displayName);
        ctx.log(`${label}: renamed from "${actualName}" to "${inputs.displayName}"`);
      }
      return current();
    });
    return { id: azureSubscriptionId, outs };
  },

  async read(id, props, ctx) {
    const api = ctx.api(props.account);
    const inputs = inputsOnly(props);
    let azureSubscriptionId = props.azureSubscriptionId;
    let provisioningState = props.provisioningState;
    if (!azureSubscriptionId || provisioningState !== "Succeeded") {
      const alias = await getAlias(api.arm, props.aliasName);
      if (!alias) {
        ctx.log(`AzureSubscription alias ${props.aliasName}: no longer exists; removed from the state`);
        return { id: "" };
      }
      azureSubscriptionId = alias.properties?.subscriptionId;
      provisioningState = alias.properties?.provisioningState;
      if (!azureSubscriptionId || provisioningState !== "Succeeded") {
        return {
          id,
          props: outputs(inputs, {
            aliasName: props.aliasName,
            displayName: props.displayName,
            ...(azureSubscriptionId ? { azureSubscriptionId } : {}),
            ...(props.billingScope ? { billingScope: props.billingScope } : {}),
            ...(provisioningState ? { provisioningState } : {}),
          }),
        };
      }
    }
    const described = await describe(api, inputs, {
      aliasName: props.aliasName,
      azureSubscriptionId,
      ...(props.billingScope ? { billingScope: props.billingScope } : {}),
      ...(provisioningState ? { provisioningState } : {}),
      ...(props.planSubscriptionId ? { plan: props.planSubscriptionId } : {}),
    });
    if (!described) {
      ctx.log(
        `AzureSubscription ${azureSubscriptionId}: no longer an Azure subscription of customer ${props.customerId}; removed from the state`,
      );
      return { id: "" };
    }
    return { id, props: { ...described, workload: props.workload } };
  },

  async update(_id, olds, news, ctx) {
    const api = ctx.api(news.account);
    if (!olds.azureSubscriptionId || olds.provisioningState !== "Succeeded") {
      // A partial create: complete it (same alias, nothing bought twice).
      const created = await azureSubscriptionHandler.create(
        { ...news, key: olds.key, aliasName: olds.aliasName },
        ctx,
      );
      return created.outs ? { outs: created.outs } : {};
    }
    const azureSubscriptionId = olds.azureSubscriptionId;
    if (news.displayName !== olds.displayName) {
      await renameSubscription(api.arm, news.customerId, azureSubscriptionId, news.displayName);
      ctx.log(
        `AzureSubscription ${azureSubscriptionId}: renamed from "${olds.displayName}" to "${news.displayName}"`,
      );
    }
    const described = await describe(
      api,
      { ...news, key: olds.key },
      {
        aliasName: olds.aliasName,
        azureSubscriptionId,
        ...(olds.billingScope ? { billingScope: olds.billingScope } : {}),
        provisioningState: "Succeeded",
        ...(olds.planSubscriptionId ? { plan: olds.planSubscriptionId } : {}),
      },
    );
    const outs =
      described ??
      outputs(
        { ...news, key: olds.key },
        {
          aliasName: olds.aliasName,
          azureSubscriptionId,
          displayName: news.displayName,
          provisioningState: "Succeeded",
        },
      );
    return { outs: { ...outs, displayName: news.displayName, workload: olds.workload } };
  },

  async delete(_id, props, ctx) {
    const api = ctx.api(props.account);
    const id = props.azureSubscriptionId;
    if (!id) {
      ctx.log(
        `AzureSubscription alias ${props.aliasName}: never provisioned in this stack; nothing to cancel`,
      );
      return;
    }
    const compromised = props.onDelete === "cancelAsCompromised";
    const outcome: CancelOutcome = compromised
      ? await cancelAsCompromised(api, props.customerId, id, props.planSubscriptionId)
      : await cancelThroughArm(api, props.customerId, id, `the Azure subscription ${id}`);
    const messages: Record<CancelOutcome, string> = {
      gone: `already gone for customer ${props.customerId}`,
      alreadyCancelled: "already cancelled",
      cancelled: compromised
        ? 'cancelled as compromised (Partner Center cancel, reason "compromise"); Azure deletes it 90 days from now, and creating this resource again before that enables it again'
        : "cancelled (Azure Resource Manager cancel); Azure deletes it 90 days from now, and creating this resource again before that enables it again",
    };
    ctx.log(`AzureSubscription ${id}: ${messages[outcome]}`);
  },
};

registerHandler(AZURE_SUBSCRIPTION_TYPE, azureSubscriptionHandler);
