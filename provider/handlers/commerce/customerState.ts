import type { PcCustomer } from "../../clients/partnerCenter/customers";
import type { CspConfig } from "../../configTypes";
import { stripUndefined } from "../common";
import { type BillingProfileState, billingProfileFromPc, normalizeBillingProfile } from "./billingProfile";
import {
  CUSTOMER_OUTPUT_KEYS,
  type CustomerInputs,
  type CustomerOnDelete,
  type CustomerOutputs,
  type CustomerState,
  fullDomain,
} from "./customerInputs";

/**
 * What the Customer resource records: its outputs from Partner Center's customer, and what its
 * delete does (`deletionBehavior`).
 */

export type DeletionMode = "deleteTenant" | "leave" | "removeRelationship";

/**
 * What a delete does. An explicit `onDelete` wins; otherwise an integration sandbox deletes the
 * tenant (unless the customer was adopted, i.e. not created by this resource) and production
 * leaves it.
 */
export function deletionMode(
  onDelete: CustomerOnDelete | undefined,
  adopted: boolean,
  config: CspConfig,
): DeletionMode {
  if (onDelete) return onDelete;
  return config.sandbox && !adopted ? "deleteTenant" : "leave";
}

export function describeDeletion(mode: DeletionMode): string {
  switch (mode) {
    case "deleteTenant":
      return "deleteTenant: integration sandbox; deleting this resource deletes the customer tenant (DELETE /v1/customers/{id})";
    case "removeRelationship":
      return "removeRelationship: deleting this resource removes the reseller relationship with the customer (its active subscriptions must be suspended first); the tenant stays";
    case "leave":
      return "leave: deleting this resource only stops managing the customer; the tenant and the reseller relationship stay (a production customer tenant cannot be deleted)";
  }
}

export function desiredProfile(inputs: CustomerInputs): BillingProfileState {
  return normalizeBillingProfile(inputs.billingProfile, inputs.companyName);
}

export function actualCompanyName(c: PcCustomer): string | undefined {
  return c.companyProfile?.companyName ?? c.billingProfile?.companyName;
}

export function adminUpn(userName: string | undefined, domain: string): string | undefined {
  if (!userName) return undefined;
  return userName.includes("@") ? userName : `${userName}@${domain}`;
}

export function inputsOnly(state: object): CustomerInputs {
  const out: Record<string, unknown> = { ...state };
  for (const k of CUSTOMER_OUTPUT_KEYS) if (k !== "companyName" && k !== "billingProfile") delete out[k];
  return out as CustomerInputs;
}

export function outputsFrom(
  inputs: CustomerInputs,
  customer: PcCustomer,
  config: CspConfig,
  extra: {
    adopted: boolean;
    adminUserName?: string;
    adminPassword?: string;
    billingProfile?: BillingProfileState;
    defaultGdapRelationshipId?: string;
  },
): CustomerState {
  const domain = customer.companyProfile?.domain ?? fullDomain(inputs.domainPrefix);
  const outputs: CustomerOutputs = {
    customerId: customer.id,
    domain,
    commerceId: customer.commerceId,
    relationshipToPartner: customer.relationshipToPartner,
    companyName: actualCompanyName(customer) ?? inputs.companyName,
    billingProfile:
      extra.billingProfile ?? billingProfileFromPc(customer.billingProfile) ?? desiredProfile(inputs),
    adminUserName: extra.adminUserName,
    adminPassword: extra.adminPassword,
    adopted: extra.adopted,
    deletionBehavior: describeDeletion(deletionMode(inputs.onDelete, extra.adopted, config)),
    defaultGdapRelationshipId: extra.defaultGdapRelationshipId,
  };
  return stripUndefined({ ...inputs, ...outputs });
}
