import type { AuthTarget, ServiceClient } from "../../http/types";
import { listArm } from "../paging";

/**
 * ARM operations for Azure subscriptions under a customer's Azure plan (reference §3.6):
 * billing accounts and billing customers (the MPA billing scope), subscription aliases, and
 * subscription rename. Billing and alias calls run as app+user in the partner tenant (the
 * partner's admin agent); calls on `/subscriptions/{id}` run as app+user with the customer tenant
 * as authority (admin-on-behalf-of).
 */

export const BILLING_API_VERSION = "2020-05-01";
export const ALIAS_API_VERSION = "2021-10-01";
export const SUBSCRIPTION_API_VERSION = "2021-10-01";
/** `GET /subscriptions/{id}` (Microsoft.Resources). */
export const RESOURCES_SUBSCRIPTION_API_VERSION = "2022-12-01";

const PARTNER_USER: AuthTarget = { mode: "user" };

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
    auth: PARTNER_USER,
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
    auth: PARTNER_USER,
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
    auth: PARTNER_USER,
    okStatuses: [404],
  });
  return res.status === 404 ? undefined : res.body;
}

/**
 * `PUT /providers/Microsoft.Subscription/aliases/{alias}` (reference §3.6): creates the Azure
 * subscription under the billing scope. Idempotent by alias name: a repeated PUT answers the
 * existing alias, so the pipeline may retry it after a lost response.
 */
export async function putAlias(
  arm: ServiceClient,
  aliasName: string,
  properties: { displayName: string; workload: string; billingScope: string; resellerId?: string },
): Promise<ArmAlias> {
  const res = await arm.send<ArmAlias>({
    method: "PUT",
    path: aliasPath(aliasName),
    query: { "api-version": ALIAS_API_VERSION },
    body: { properties },
    auth: PARTNER_USER,
  });
  return res.body;
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
    auth: { mode: "user", tenantId: customerTenantId },
    okStatuses: [404],
  });
  return res.status === 404 ? undefined : res.body;
}

/** `POST /subscriptions/{id}/providers/Microsoft.Subscription/rename` body `{subscriptionName}` (reference §3.6 item 5). */
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
    auth: { mode: "user", tenantId: customerTenantId },
    // Renaming to the same name twice has the same effect.
    idempotent: true,
  });
}
