import type { AzureSubscriptionRecord, EmulatorState } from "../../emulator/common/state";
import { addToPlan } from "../../emulator/partnerCenter/azurePlans";
import { AZURE_PLAN_CATALOG_ITEM_ID } from "../../emulator/partnerCenter/catalog";
import { pcSections } from "../../emulator/partnerCenter/pcState";
import { CUSTOMER_TID, PARTNER_TID } from "./graphTestKit";

/** ARM test helpers: a customer of the seeded partner with an active Azure plan and one Azure subscription. */

export const PLAN_ID = "aaaaaaaa-0000-4000-8000-000000000001";
export const SUB_ID = "bbbbbbbb-0000-4000-8000-000000000001";
export const ARM_AUD = "https://management.azure.com/";

export function addCustomerWithAzurePlan(
  state: EmulatorState,
  now = new Date("2025-01-02T00:00:00Z"),
): AzureSubscriptionRecord {
  state.partnerCenter.customers[CUSTOMER_TID] = {
    id: CUSTOMER_TID,
    partnerTenantId: PARTNER_TID,
    commerceId: "c0mmerce",
    resource: {
      id: CUSTOMER_TID,
      companyProfile: { tenantId: CUSTOMER_TID, companyName: "Contoso", domain: "contoso.onmicrosoft.com" },
    },
    createdDateTime: now.toISOString(),
  };
  const plan = {
    id: PLAN_ID,
    customerId: CUSTOMER_TID,
    partnerTenantId: PARTNER_TID,
    version: 1,
    resource: {
      id: PLAN_ID,
      offerId: AZURE_PLAN_CATALOG_ITEM_ID,
      status: "active",
      friendlyName: "Azure plan",
      creationDate: now.toISOString(),
    },
  };
  pcSections(state).subscriptions[PLAN_ID] = plan;
  const added = addToPlan(
    state,
    plan,
    { customerId: CUSTOMER_TID, displayName: "Microsoft Azure", subscriptionId: SUB_ID },
    now,
  );
  if ("error" in added) throw new Error(added.error);
  return added.record;
}
