import { createCustomerAgreement } from "../../provider/clients/partnerCenter/agreements";
import { createCustomer } from "../../provider/clients/partnerCenter/customers";
import type { HandlerContext } from "../../provider/handlers/types";

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
