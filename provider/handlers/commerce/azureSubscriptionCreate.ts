import {
  type ArmAlias,
  customerBillingScope,
  enableArmSubscription,
  getAlias,
  getArmSubscription,
  listBillingCustomers,
  putAlias,
  renameSubscription,
} from "../../clients/arm/subscriptions";
import type { CspApi } from "../../clients/cspApi";
import type { PcAzureEntitlement } from "../../clients/partnerCenter/commerce";
import { CspError, isCspError } from "../../errors";
import { partialCreate, stripUndefined } from "../common";
import type { CreateResult, HandlerContext } from "../types";
import {
  AZURE_SUBSCRIPTION_TYPE,
  type AzureSubscriptionInputs,
  type AzureSubscriptionOutputs,
  defaultAliasName,
  keyOf,
  outputs,
} from "./azureSubscriptionInputs";
import { findEntitlement } from "./azureSubscriptionLifecycle";
import { afterPurchase, providerRefusal } from "./errors";
import { pollUntil } from "./polling";
import { billingAccount, knownPlan } from "./processFacts";
import { assertPurchaseAllowed } from "./purchaseGuard";

/**
 * The AzureSubscription's create: PUT of the alias under its deterministic name, first ("Alias -
 * Create", https://learn.microsoft.com/rest/api/subscription/2021-10-01/alias/create: idempotent by
 * name, 201 for a new alias, 200 for one that exists), then one GET until it is provisioned. A new
 * alias is a new subscription, active and named as sent: nothing more is read. An alias that
 * existed (an earlier run, a lost answer) may name a cancelled or renamed subscription: it is
 * looked at and enabled or renamed as declared.
 */

/**
 * The customer's MPA billing scope under the partner's billing account (read once per process):
 * "Programmatically create Azure subscriptions for a Microsoft Partner Agreement"
 * (https://learn.microsoft.com/azure/cost-management-billing/manage/programmatically-create-subscription-microsoft-partner-agreement)
 * finds it in the billing account's customers, which lists only customers with an Azure plan.
 * When this process recorded the customer's Azure plan (processFacts.ts), the scope is built from
 * the customer id instead, as "New-PartnerAzureSubscription"
 * (https://learn.microsoft.com/powershell/module/partnercenter/new-partnerazuresubscription) does
 * from the billing account name and the Partner Center customer id ([U] that the billing
 * customer's name is that id). Otherwise the list is read, so a customer without a plan is refused
 * before any write.
 */
async function billingScopeFor(api: CspApi, customerId: string): Promise<string> {
  const account = await billingAccount(api);
  if (!account) {
    throw providerRefusal(
      `partner account "${api.account}" has no Microsoft Partner Agreement billing account in Azure`,
      "accept the Microsoft Partner Agreement in Partner Center and make sure the admin agent can read billing accounts",
      "CSP_API_ERROR",
    );
  }
  if (await knownPlan(api, customerId)) return customerBillingScope(account.name, customerId);
  const customers = await listBillingCustomers(api.arm, account.name);
  const wanted = customerId.toLowerCase();
  const customer = customers.find(
    (c) => c.name.toLowerCase() === wanted || c.id.toLowerCase().endsWith(`/customers/${wanted}`),
  );
  if (!customer) {
    throw providerRefusal(
      `customer ${customerId} has no Azure plan in billing account ${account.name}`,
      "create an AzurePlan for the customer first (and let this resource depend on it)",
      "CSP_API_ERROR",
    );
  }
  return customerBillingScope(account.name, customer.name);
}

/** Waits (bounded) for the alias to reach a final provisioning state. */
async function settleAlias(
  api: CspApi,
  aliasName: string,
  alias: ArmAlias,
  ctx: HandlerContext,
): Promise<ArmAlias> {
  const isFinal = (a: ArmAlias | undefined) =>
    a?.properties?.provisioningState === "Succeeded" || a?.properties?.provisioningState === "Failed";
  if (isFinal(alias) && alias.properties?.subscriptionId) return alias;
  const settled = await pollUntil(ctx.clock, async () => {
    const current = await getAlias(api.arm, aliasName);
    return isFinal(current) ? current : undefined;
  });
  return settled ?? alias;
}

/** Display name Azure holds: ARM (customer tenant, admin-on-behalf-of), else the entitlement's name. */
export async function actualDisplayName(
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

/** PUT of the alias (or, for a stack that may not buy, the alias an earlier run created). */
async function putOrFindAlias(
  api: CspApi,
  inputs: AzureSubscriptionInputs,
  aliasName: string,
  label: string,
  ctx: HandlerContext,
): Promise<{ alias: ArmAlias; created: boolean; billingScope?: string }> {
  if (!ctx.config.allowPurchases) {
    // Nothing may be bought: only an alias that exists already can be recorded.
    const existing = await getAlias(api.arm, aliasName);
    if (existing) return { alias: existing, created: false };
  }
  assertPurchaseAllowed(
    AZURE_SUBSCRIPTION_TYPE,
    `an Azure subscription for customer ${inputs.customerId}`,
    inputs.acknowledgePurchase,
    ctx.config,
  );
  const scope = await billingScopeFor(api, inputs.customerId);
  ctx.log(`${label}: creating an Azure subscription for customer ${inputs.customerId}`);
  const put = await putAlias(
    api.arm,
    aliasName,
    stripUndefined({
      displayName: inputs.displayName,
      workload: inputs.workload ?? "Production",
      billingScope: scope,
      resellerId: inputs.resellerId,
    }),
  );
  return { ...put, billingScope: put.alias.properties?.billingScope ?? scope };
}

export async function createAzureSubscription(
  inputs: AzureSubscriptionInputs,
  ctx: HandlerContext,
): Promise<CreateResult<AzureSubscriptionOutputs>> {
  const api = ctx.api(inputs.account);
  const key = keyOf(inputs);
  const aliasName = inputs.aliasName ?? defaultAliasName(inputs.account, inputs.customerId, key);
  const label = `AzureSubscription "${inputs.displayName}" (alias ${aliasName})`;
  const put = await putOrFindAlias(api, inputs, aliasName, label, ctx);
  if (!put.created) {
    ctx.log(
      `${label}: the alias exists already (an earlier run); using its subscription, not buying another`,
    );
  }
  const billingScope = put.billingScope ?? put.alias.properties?.billingScope;
  const alias = await settleAlias(api, aliasName, put.alias, ctx);
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

  // A new alias: a new, active subscription under the customer's plan, named as sent. The plan is
  // known when this process recorded it (processFacts.ts); otherwise a refresh finds it.
  let found: { plan?: string; entitlement?: PcAzureEntitlement } | undefined = put.created
    ? {
        ...(await knownPlanOf(api, inputs.customerId)),
        entitlement: { id: azureSubscriptionId, status: "active" },
      }
    : undefined;
  const current = () =>
    outputs(inputs, {
      aliasName,
      azureSubscriptionId,
      displayName: inputs.displayName,
      ...(found?.entitlement?.status ? { entitlementStatus: found.entitlement.status } : {}),
      ...(found?.plan ? { planSubscriptionId: found.plan } : {}),
      ...(billingScope ? { billingScope } : {}),
      provisioningState: state,
      ...(alias.properties?.workload === "DevTest" || alias.properties?.workload === "Production"
        ? { workload: alias.properties.workload }
        : {}),
    });
  if (put.created) return { id: azureSubscriptionId, outs: current() };

  // The subscription exists from here on: a failure below records it (partial create).
  const outs = await afterPurchase(azureSubscriptionId, current, async () => {
    let entitlement = await findEntitlement(api, inputs.customerId, azureSubscriptionId);
    found = entitlement;
    if (entitlement && (entitlement.entitlement.status ?? "").toLowerCase() !== "active") {
      // Re-creating a cancelled subscription: enable it again (billing resumes).
      assertPurchaseAllowed(
        AZURE_SUBSCRIPTION_TYPE,
        `the reactivation of Azure subscription ${azureSubscriptionId}`,
        inputs.acknowledgePurchase,
        ctx.config,
      );
      try {
        await enableArmSubscription(api.arm, inputs.customerId, azureSubscriptionId);
      } catch (e) {
        if (!isCspError(e) || e.status !== 404) throw e;
        throw providerRefusal(
          `the Azure subscription ${azureSubscriptionId} (alias ${aliasName}) cannot be enabled again: Azure deletes a cancelled subscription 90 days after the cancel`,
          "to buy a new subscription, give this resource another key (a new alias); otherwise remove the resource from the program",
          "CSP_API_ERROR",
        );
      }
      ctx.log(
        `${label}: enabled the cancelled Azure subscription ${azureSubscriptionId} again (Azure Resource Manager enable)`,
      );
      entitlement = await findEntitlement(api, inputs.customerId, azureSubscriptionId, entitlement.plan);
      found = entitlement;
    }
    const actualName = await actualDisplayName(
      api,
      inputs.customerId,
      azureSubscriptionId,
      entitlement?.entitlement,
    );
    if (actualName !== undefined && actualName !== inputs.displayName) {
      await renameSubscription(api.arm, inputs.customerId, azureSubscriptionId, inputs.displayName);
      ctx.log(`${label}: renamed from "${actualName}" to "${inputs.displayName}"`);
    }
    return current();
  });
  return { id: azureSubscriptionId, outs };
}

async function knownPlanOf(api: CspApi, customerId: string): Promise<{ plan?: string }> {
  const plan = await knownPlan(api, customerId);
  return plan ? { plan } : {};
}
