import { randomUUID } from "node:crypto";
import type { RunningEmulator } from "../../emulator/index";
import { ask, tokenRequest } from "./coreTestKit";

/**
 * Tokens from a running emulator for the official-client tests: app-only (client credentials)
 * and app+user (the seeded admin agent's rotating refresh token, kept up to date here), for any
 * tenant as authority.
 */
export class EmulatorTokens {
  private refreshToken: string;

  constructor(private readonly emu: RunningEmulator) {
    this.refreshToken = emu.seed.refreshToken;
  }

  async user(tenant: string, scope: string): Promise<string> {
    const res = await tokenRequest(this.emu, tenant, {
      grant_type: "refresh_token",
      client_id: this.emu.seed.clientId,
      client_secret: this.emu.seed.clientSecret,
      refresh_token: this.refreshToken,
      scope: `${scope} offline_access`,
    });
    if (res.status !== 200) throw new Error(`token: ${res.text}`);
    this.refreshToken = String(res.body.refresh_token);
    return String(res.body.access_token);
  }

  async app(tenant: string, scope: string): Promise<string> {
    const res = await tokenRequest(this.emu, tenant, {
      grant_type: "client_credentials",
      client_id: this.emu.seed.clientId,
      client_secret: this.emu.seed.clientSecret,
      scope,
    });
    if (res.status !== 200) throw new Error(`token: ${res.text}`);
    return String(res.body.access_token);
  }
}

const PC = "https://api.partnercenter.microsoft.com/user_impersonation";

/**
 * Creates a customer of the seeded partner through Partner Center over HTTPS, confirms the MCA and
 * buys the Azure plan (which brings one Azure subscription). Returns the customer id.
 */
export async function customerWithAzurePlan(emu: RunningEmulator, tokens: EmulatorTokens): Promise<string> {
  const auth = { authorization: `Bearer ${await tokens.user(emu.seed.partnerTenantId, PC)}` };
  const prefix = `c${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const customer = await ask(emu, {
    path: "/partnercenter/v1/customers",
    headers: auth,
    json: {
      CompanyProfile: { Domain: `${prefix}.onmicrosoft.com` },
      BillingProfile: {
        Culture: "EN-US",
        Email: "admin@example.com",
        Language: "en",
        CompanyName: `Company ${prefix}`,
        DefaultAddress: {
          FirstName: "Test",
          LastName: "Customer",
          AddressLine1: "One Microsoft Way",
          City: "Redmond",
          State: "WA",
          PostalCode: "98052",
          Country: "US",
        },
      },
    },
  });
  if (customer.status !== 201) throw new Error(`customer: ${customer.text}`);
  const id = String(customer.body.id);
  const agreement = await ask(emu, {
    path: `/partnercenter/v1/customers/${id}/agreements`,
    headers: auth,
    json: {
      primaryContact: {
        firstName: "Tania",
        lastName: "Carr",
        email: "someone@example.com",
        phoneNumber: "1234567890",
      },
      templateId: "117a77b0-9360-443b-8795-c6dedc750cf9",
      dateAgreed: "2018-06-14T00:00:00.000Z",
      type: "MicrosoftCustomerAgreement",
    },
  });
  if (agreement.status !== 201) throw new Error(`agreement: ${agreement.text}`);
  const cart = await ask(emu, {
    path: `/partnercenter/v1/customers/${id}/carts`,
    headers: auth,
    json: {
      PartnerOnRecordAttestationAccepted: true,
      lineItems: [
        {
          id: 0,
          catalogItemId: "DZH318Z0BPS6:0001:DZH318Z0BML6",
          quantity: 1,
          billingCycle: "one_time",
          friendlyName: "Azure plan",
        },
      ],
    },
  });
  if (cart.status !== 201) throw new Error(`cart: ${cart.text}`);
  const checkout = await ask(emu, {
    method: "POST",
    path: `/partnercenter/v1/customers/${id}/carts/${String(cart.body.id)}/checkout`,
    headers: auth,
  });
  if (checkout.status !== 200 && checkout.status !== 201) throw new Error(`checkout: ${checkout.text}`);
  return id;
}
