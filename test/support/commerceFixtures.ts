import { createCustomerAgreement } from "../../provider/clients/partnerCenter/agreements";
import { checkoutCart, createCart } from "../../provider/clients/partnerCenter/commerce";
import { createCustomer } from "../../provider/clients/partnerCenter/customers";
import { type AzurePlanInputs, azurePlanHandler } from "../../provider/handlers/commerce/azurePlan";
import type { AzureSubscriptionInputs } from "../../provider/handlers/commerce/azureSubscription";
import type { LicenseSubscriptionInputs } from "../../provider/handlers/commerce/licenseInputs";
import type { HandlerContext } from "../../provider/handlers/types";
import { sampleAddress, sampleBillingProfile } from "../../testing/index";
import { createResource } from "./handlerSteps";

/** Fixtures for commerce tests: customers (and agreements) made directly through the API clients. */

let counter = 0;

/** A new customer of the context's default account; returns its id. */
export async function newCustomer(ctx: HandlerContext, account?: string): Promise<string> {
  counter += 1;
  const domain = `fx${Date.now().toString(36)}${counter}.onmicrosoft.com`;
  const customer = await createCustomer(
    ctx.api(account).partnerCenter,
    {
      enableGDAPByDefault: false,
      companyProfile: { domain, companyName: "Fixture Corp" },
      billingProfile: {
        email: "billing@fixture.example",
        culture: "en-US",
        language: "en",
        companyName: "Fixture Corp",
        defaultAddress: {
          firstName: "Fix",
          lastName: "Ture",
          addressLine1: "1 Main St",
          city: "Redmond",
          state: "WA",
          postalCode: "98052",
          country: "US",
        },
      },
    },
    crypto.randomUUID(),
  );
  return customer.id;
}

/** A new customer that accepted the Microsoft Customer Agreement (ready for an Azure plan). */
export async function newCustomerWithAgreement(ctx: HandlerContext, account?: string): Promise<string> {
  const customerId = await newCustomer(ctx, account);
  await createCustomerAgreement(
    ctx.api(account).partnerCenter,
    customerId,
    {
      primaryContact: { firstName: "Fix", lastName: "Ture", email: "owner@fixture.example" },
      templateId: "117a77b0-9360-443b-8795-c6dedc750cf9",
      dateAgreed: new Date().toISOString(),
    },
    crypto.randomUUID(),
  );
  return customerId;
}

/** Microsoft 365 Business Premium in the emulator's catalog, and its SKU. */
export const BUSINESS_PREMIUM = "CFQ7TTC0LCHC:0002:CFQ7TTC0N8SL";
export const BUSINESS_PREMIUM_SKU = "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46";

/** Confirms the customer's acceptance of the Microsoft Customer Agreement. */
export async function confirmAgreement(ctx: HandlerContext, customerId: string): Promise<void> {
  await createCustomerAgreement(
    ctx.api().partnerCenter,
    customerId,
    {
      primaryContact: { firstName: "Fix", lastName: "Ture", email: "owner@fixture.example" },
      templateId: "117a77b0-9360-443b-8795-c6dedc750cf9",
      dateAgreed: new Date().toISOString(),
    },
    crypto.randomUUID(),
  );
}

/** Buys seats of a license offer (a customer that accepted the MCA) through cart + checkout; returns the subscription id. */
export async function buySeats(
  ctx: HandlerContext,
  customerId: string,
  quantity: number,
  catalogItemId = BUSINESS_PREMIUM,
): Promise<string> {
  const pc = ctx.api().partnerCenter;
  const line = { id: 0, catalogItemId, quantity, termDuration: "P1M", billingCycle: "monthly" };
  const cart = await createCart(pc, customerId, [line], crypto.randomUUID());
  const result = await checkoutCart(pc, customerId, cart.id, crypto.randomUUID());
  const id = result.orders?.[0]?.lineItems?.[0]?.subscriptionId;
  if (!id) throw new Error(`no subscription after buying ${quantity} seats of ${catalogItemId}`);
  return id;
}

/** AzurePlan inputs for a customer, the purchase acknowledged. */
export function planInputs(customerId: string, overrides: Partial<AzurePlanInputs> = {}): AzurePlanInputs {
  return { customerId, acknowledgePurchase: true, ...overrides };
}

/** AzureSubscription inputs for a customer with an Azure plan, the purchase acknowledged. */
export function subscriptionInputs(
  customerId: string,
  overrides: Partial<AzureSubscriptionInputs> = {},
): AzureSubscriptionInputs {
  return { customerId, displayName: "Dev Team subscription", acknowledgePurchase: true, ...overrides };
}

/** LicenseSubscription inputs: five seats of Microsoft 365 Business Premium for a year, acknowledged. */
export function seatsInputs(
  customerId: string,
  overrides: Partial<LicenseSubscriptionInputs> = {},
): LicenseSubscriptionInputs {
  return {
    customerId,
    acknowledgePurchase: true,
    offer: "Microsoft 365 Business Premium",
    quantity: 5,
    termDuration: "P1Y",
    ...overrides,
  };
}

/**
 * A new customer with the agreement and an Azure plan `buyer` bought through the handler: the ids
 * of the customer, of the plan, and of the plan's first Azure subscription.
 */
export async function customerWithAzurePlan(
  ctx: HandlerContext,
  buyer: HandlerContext,
): Promise<{ customerId: string; planId: string; firstAzureSubscription: string }> {
  const customerId = await newCustomerWithAgreement(ctx);
  const plan = await createResource(azurePlanHandler, planInputs(customerId), buyer);
  return { customerId, planId: plan.id, firstAzureSubscription: plan.state.azureSubscriptionId! };
}

/** The billing address the tests give their customers: the package's sample (`pulumi-csp/testing`). */
export const testAddress = sampleAddress;

/** A customer's billing profile (en-US) at {@link testAddress}. */
export const testBillingProfile = sampleBillingProfile;
