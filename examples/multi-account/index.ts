// pulumi-csp multi-account: customers of two Partner Center accounts managed from one program.
//
// Each CustomerTenant names the partner account it belongs to; the provider resolves that
// account's credentials by name: the default account from CSP_TENANT_ID / CSP_CLIENT_ID /
// CSP_CLIENT_SECRET / CSP_REFRESH_TOKEN, a named account `eu` from CSP_ACCOUNT_EU_TENANT_ID,
// CSP_ACCOUNT_EU_CLIENT_ID, CSP_ACCOUNT_EU_CLIENT_SECRET and CSP_ACCOUNT_EU_REFRESH_TOKEN (or
// from the stack setting csp:accounts). Every call for a customer uses its own account's tokens.
import * as pulumi from "@pulumi/pulumi";
import { type CustomerSpec, CustomerTenant } from "pulumi-csp";

const config = new pulumi.Config();
/** Account of the US customers: `default` (CSP_*) unless configured. */
const usAccount = config.get("usAccount") || "default";
/** Account of the EU customers: `eu` (CSP_ACCOUNT_EU_*) unless configured. */
const euAccount = config.get("euAccount") || "eu";
const prefix = config.get("domainPrefix") || "northwind";

/** One customer of the Northwind group per region; only the address and the account differ. */
function northwind(region: "us" | "eu"): CustomerSpec {
  const account = region === "us" ? usAccount : euAccount;
  const address =
    region === "us"
      ? { addressLine1: "1 Northwind Way", city: "Seattle", state: "WA", postalCode: "98101", country: "US" }
      : { addressLine1: "Nordwindstrasse 1", city: "Berlin", postalCode: "10115", country: "DE" };
  return {
    key: `northwind-${region}`,
    ...(account === "default" ? {} : { account }),
    customer: {
      domainPrefix: `${prefix}${region}`,
      companyName: `Northwind Traders ${region.toUpperCase()}`,
      billingProfile: {
        email: `billing-${region}@northwind.example`,
        culture: region === "us" ? "en-US" : "de-DE",
        language: region === "us" ? "en" : "de",
        defaultAddress: { firstName: "Nancy", lastName: "Davolio", ...address },
      },
    },
    agreement: {
      primaryContact: { firstName: "Nancy", lastName: "Davolio", email: `nancy.${region}@northwind.example` },
    },
    azurePlan: { acknowledgePurchase: true, friendlyName: `Northwind ${region.toUpperCase()} Azure plan` },
  };
}

const tenants = [
  new CustomerTenant("northwind-us", northwind("us")),
  new CustomerTenant("northwind-eu", northwind("eu")),
];

/** Per customer: the account it lives in, its id, domain and Azure subscriptions. */
export const customers = Object.fromEntries(
  tenants.map((t) => [
    t.key,
    { account: t.account, customerId: t.customerId, domain: t.domain, subscriptionIds: t.subscriptionIds },
  ]),
);
