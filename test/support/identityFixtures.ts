import { randomUUID } from "node:crypto";
import type { RunningEmulator } from "../../emulator/index";
import { createCustomerAgreement, currentMcaTemplate } from "../../provider/clients/partnerCenter/agreements";
import {
  AZURE_PLAN_CATALOG_ITEM,
  checkoutCart,
  createCart,
} from "../../provider/clients/partnerCenter/commerce";
import { createApplicationConsent } from "../../provider/clients/partnerCenter/consents";
import { createCustomer } from "../../provider/clients/partnerCenter/customers";
import type { HandlerContext } from "../../provider/handlers/types";

/**
 * Setup for identity-resource tests, made through the public APIs (Partner Center, ARM) as a
 * partner would: customers, the partner app's consent in a customer tenant, an Azure plan with
 * its Azure subscription. Never reaches into the emulator's state except to read ids.
 */

/** Microsoft Graph's app id. */
export const GRAPH = "00000003-0000-0000-c000-000000000000";

/** Graph permissions the partner app needs in a customer tenant for the identity resources. */
export const PARTNER_APP_GRAPH_SCOPES = [
  "Application.ReadWrite.All",
  "AppRoleAssignment.ReadWrite.All",
  "DelegatedPermissionGrant.ReadWrite.All",
  "Directory.Read.All",
];

let counter = 0;

/** Creates a customer with a unique `*.onmicrosoft.com` domain; returns its id and domain. */
export async function createTestCustomer(
  ctx: HandlerContext,
  label = "identity",
): Promise<{ customerId: string; domain: string }> {
  counter += 1;
  const prefix = `${label}${Date.now().toString(36)}${counter}`
    .replace(/[^a-z0-9]/gi, "")
    .slice(0, 27)
    .toLowerCase();
  const domain = `${prefix}.onmicrosoft.com`;
  const customer = await createCustomer(
    ctx.api().partnerCenter,
    {
      enableGDAPByDefault: false,
      companyProfile: { domain },
      billingProfile: {
        email: `admin@${domain}`,
        culture: "en-US",
        language: "en",
        companyName: `Identity test ${prefix}`,
        defaultAddress: {
          firstName: "Ada",
          lastName: "Lovelace",
          addressLine1: "One Microsoft Way",
          city: "Redmond",
          state: "WA",
          postalCode: "98052",
          country: "US",
        },
      },
    },
    randomUUID(),
  );
  return { customerId: customer.id, domain: customer.companyProfile?.domain ?? domain };
}

/** Consents the partner app in the customer tenant with the Graph permissions the identity resources use. */
export async function consentPartnerApp(
  ctx: HandlerContext,
  customerId: string,
  scopes: string[] = PARTNER_APP_GRAPH_SCOPES,
): Promise<void> {
  const api = ctx.api();
  await createApplicationConsent(
    api.partnerCenter,
    customerId,
    {
      applicationId: api.clientId,
      displayName: "Partner automation",
      applicationGrants: [{ enterpriseApplicationId: GRAPH, scope: scopes.join(",") }],
    },
    randomUUID(),
  );
}

/**
 * Accepts the Microsoft Customer Agreement and buys the Azure plan (the checkout creates one Azure
 * subscription: "Create an Azure plan",
 * https://learn.microsoft.com/partner-center/developer/create-azure-plan); returns the Azure
 * subscription id.
 */
export async function buyAzurePlan(
  ctx: HandlerContext,
  emu: RunningEmulator,
  customerId: string,
): Promise<string> {
  const pc = ctx.api().partnerCenter;
  const template = await currentMcaTemplate(pc);
  await createCustomerAgreement(
    pc,
    customerId,
    {
      primaryContact: { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" },
      templateId: template?.templateId ?? "117a77b0-9360-443b-8795-c6dedc750cf9",
      dateAgreed: new Date().toISOString(),
    },
    randomUUID(),
  );
  const cart = await createCart(
    pc,
    customerId,
    [{ id: 0, catalogItemId: AZURE_PLAN_CATALOG_ITEM, quantity: 1, billingCycle: "one_time" }],
    randomUUID(),
  );
  await checkoutCart(pc, customerId, cart.id!, randomUUID());
  const state = await emu.admin.state();
  const sub = Object.values(state.azure.subscriptions).find((s) => s.customerId === customerId);
  if (!sub) throw new Error(`no Azure subscription for customer ${customerId} after the Azure plan checkout`);
  return sub.subscriptionId;
}

/** A request log entry of a method that can change state (POST/PUT/PATCH/DELETE), whatever its outcome. */
export function isWriteMethod(entry: { method: string }): boolean {
  return !["GET", "HEAD", "OPTIONS"].includes(entry.method.toUpperCase());
}
