import { armOnBehalfOf, armPartnerAgent } from "../../auth/actingIdentity";
import type { ServiceClient } from "../../http/types";
import { listArm } from "../paging";

/**
 * ARM operations for Azure subscriptions under a customer's Azure plan ("Programmatically create
 * Azure subscriptions for a Microsoft Partner Agreement":
 * https://learn.microsoft.com/azure/cost-management-billing/manage/programmatically-create-subscription-microsoft-partner-agreement):
 * billing accounts and billing customers (the MPA billing scope), subscription aliases, and the
 * subscription's rename, cancel and enable. Billing and alias calls run as app+user in the partner
 * tenant (the partner's admin agent); calls on `/subscriptions/{id}` run as app+user with the
 * customer tenant as authority (admin-on-behalf-of: the partner's admin agents are Owners of the
 * Azure subscriptions they create under the Azure plan, "Manage subscriptions and resources under
 * the Azure plan": https://learn.microsoft.com/partner-center/azure-plan-manage).
 */

export const BILLING_API_VERSION = "2020-05-01";
export const ALIAS_API_VERSION = "2021-10-01";
export const SUBSCRIPTION_API_VERSION = "2021-10-01";
/** `GET /subscriptions/{id}` (Microsoft.Resources). */
export const RESOURCES_SUBSCRIPTION_API_VERSION = "2022-12-01";

export interface ArmBillingAccount {
  id?: string;
  name: string;
  properties?: { agreementType?: string; accountType?: string; displayName?: string };
}

export interface ArmBillingCustomer {
  id: string;
  name: string;
  properties?: { displayName?: string; billingProfileId?: string; billingProfileDisplayName?: string };
}

/** `GET /providers/Microsoft.Billing/billingAccounts`. */
export async function listBillingAccounts(arm: ServiceClient): Promise<ArmBillingAccount[]> {
  return listArm<ArmBillingAccount>(arm, {
    method: "GET",
    path: "/providers/Microsoft.Billing/billingAccounts",
    query: { "api-version": BILLING_API_VERSION },
    auth: armPartnerAgent(),
  });
}

/** The partner's Microsoft Partner Agreement billing account (`agreementType: MicrosoftPartnerAgreement`). */
export async function findPartnerBillingAccount(arm: ServiceClient): Promise<ArmBillingAccount | undefined> {
  const accounts = await listBillingAccounts(arm);
  return accounts.find((a) => a.properties?.agreementType === "MicrosoftPartnerAgreement");
}

/** `GET /providers/Microsoft.Billing/billingAccounts/{ba}/customers`: customers that have an Azure plan. */
export async function listBillingCustomers(
  arm: ServiceClient,
  billingAccountName: string,
): Promise<ArmBillingCustomer[]> {
  return listArm<ArmBillingCustomer>(arm, {
    method: "GET",
    path: `/providers/Microsoft.Billing/billingAccounts/${encodeURIComponent(billingAccountName)}/customers`,
    query: { "api-version": BILLING_API_VERSION },
    auth: armPartnerAgent(),
  });
}

/** The billing scope of a customer's Azure plan, as the MPA document writes it (vector 24). */
export function customerBillingScope(billingAccountName: string, customerId: string): string {
  return `/providers/Microsoft.Billing/billingAccounts/${billingAccountName}/customers/${customerId}`;
}

export interface ArmAliasProperties {
  subscriptionId?: string;
  displayName?: string;
  provisioningState?: "Accepted" | "Succeeded" | "Failed" | string;
  billingScope?: string;
  workload?: string;
  resellerId?: string;
}

export interface ArmAlias {
  id?: string;
  name?: string;
  properties?: ArmAliasProperties;
}

function aliasPath(aliasName: string): string {
  return `/providers/Microsoft.Subscription/aliases/${encodeURIComponent(aliasName)}`;
}

/** `GET /providers/Microsoft.Subscription/aliases/{alias}`; `undefined` on 404. */
export async function getAlias(arm: ServiceClient, aliasName: string): Promise<ArmAlias | undefined> {
  const res = await arm.send<ArmAlias>({
    method: "GET",
    path: aliasPath(aliasName),
    query: { "api-version": ALIAS_API_VERSION },
    auth: armPartnerAgent(),
    okStatuses: [404],
  });
  return res.status === 404 ? undefined : res.body;
}

/**
 * `PUT /providers/Microsoft.Subscription/aliases/{alias}` ("Programmatically create Azure
 * subscriptions for a Microsoft Partner Agreement with the latest APIs",
 * https://learn.microsoft.com/azure/cost-management-billing/manage/programmatically-create-subscription-microsoft-partner-agreement;
 * "Alias - Create", https://learn.microsoft.com/rest/api/subscription/2021-10-01/alias/create):
 * creates the Azure subscription under the billing scope. Idempotent by alias name: a repeated PUT
 * answers the existing alias, so the pipeline may retry it after a lost response. "Alias - Create"
 * lists 201 Created for a new alias and 200 OK for one that exists: `created` says which.
 */
export async function putAlias(
  arm: ServiceClient,
  aliasName: string,
  properties: { displayName: string; workload: string; billingScope: string; resellerId?: string },
): Promise<{ alias: ArmAlias; created: boolean }> {
  const res = await arm.send<ArmAlias>({
    method: "PUT",
    path: aliasPath(aliasName),
    query: { "api-version": ALIAS_API_VERSION },
    body: { properties },
    auth: armPartnerAgent(),
  });
  return { alias: res.body, created: res.status === 201 };
}

export interface ArmSubscription {
  subscriptionId?: string;
  displayName?: string;
  state?: string;
  tenantId?: string;
}

/** `GET /subscriptions/{id}` in the customer tenant (admin-on-behalf-of); `undefined` on 404. */
export async function getArmSubscription(
  arm: ServiceClient,
  customerTenantId: string,
  subscriptionId: string,
): Promise<ArmSubscription | undefined> {
  const res = await arm.send<ArmSubscription>({
    method: "GET",
    path: `/subscriptions/${encodeURIComponent(subscriptionId)}`,
    query: { "api-version": RESOURCES_SUBSCRIPTION_API_VERSION },
    auth: armOnBehalfOf(customerTenantId),
    okStatuses: [404],
  });
  return res.status === 404 ? undefined : res.body;
}

/**
 * `POST /subscriptions/{id}/providers/Microsoft.Subscription/rename` body `{subscriptionName}`
 * ("Subscription - Rename": https://learn.microsoft.com/rest/api/subscription/subscription/rename).
 */
export async function renameSubscription(
  arm: ServiceClient,
  customerTenantId: string,
  subscriptionId: string,
  displayName: string,
): Promise<void> {
  await arm.send({
    method: "POST",
    path: `/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.Subscription/rename`,
    query: { "api-version": SUBSCRIPTION_API_VERSION },
    body: { subscriptionName: displayName },
    auth: armOnBehalfOf(customerTenantId),
    // Renaming to the same name twice has the same effect.
    idempotent: true,
  });
}

function subscriptionActionPath(subscriptionId: string, action: "cancel" | "enable"): string {
  return `/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.Subscription/${action}`;
}

/**
 * Cancels an Azure subscription: `POST /subscriptions/{id}/providers/Microsoft.Subscription/cancel`,
 * 200 `{subscriptionId}` ("Subscription - Cancel", api-version 2021-10-01:
 * https://learn.microsoft.com/rest/api/subscription/subscription/cancel). This is the routine
 * cancel of an Azure plan subscription, which its Owners may do ("Cancel and delete your Azure
 * subscription": https://learn.microsoft.com/azure/cost-management-billing/manage/cancel-azure-subscription);
 * the subscription is then disabled, and Azure deletes it 90 days later. Azure refuses it while
 * the subscription still holds resources (400 `ResourcesExistingOnSubscription`); the stable
 * api-version documents no parameter to skip that check, so none is sent. A repeated cancel after a
 * lost answer meets a disabled subscription (which refuses actions): the caller reads its state.
 */
export async function cancelArmSubscription(
  arm: ServiceClient,
  customerTenantId: string,
  subscriptionId: string,
): Promise<void> {
  await arm.send({
    method: "POST",
    path: subscriptionActionPath(subscriptionId, "cancel"),
    query: { "api-version": SUBSCRIPTION_API_VERSION },
    auth: armOnBehalfOf(customerTenantId),
    idempotent: true,
  });
}

/**
 * Enables a cancelled (disabled) Azure subscription again:
 * `POST /subscriptions/{id}/providers/Microsoft.Subscription/enable`, 200 `{subscriptionId}`
 * ("Subscription - Enable", api-version 2021-10-01:
 * https://learn.microsoft.com/rest/api/subscription/subscription/enable). Possible until Azure
 * deletes the cancelled subscription (90 days after the cancel; then 404). [U] Learn's cancel page
 * sends other than pay-as-you-go subscriptions to support for a reactivation within those 90 days,
 * and Partner Center documents its own reactivate ("Reactivate an Azure subscription"); we use
 * ARM's enable, the counterpart of the cancel we send.
 */
export async function enableArmSubscription(
  arm: ServiceClient,
  customerTenantId: string,
  subscriptionId: string,
): Promise<void> {
  await arm.send({
    method: "POST",
    path: subscriptionActionPath(subscriptionId, "enable"),
    query: { "api-version": SUBSCRIPTION_API_VERSION },
    auth: armOnBehalfOf(customerTenantId),
    // Enabling an enabled subscription changes nothing.
    idempotent: true,
  });
}
