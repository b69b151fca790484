// pulumi-csp indirect reseller: an indirect provider (distributor) creates a customer for one of
// its indirect resellers.
//
// What that implies, and how it is declared here:
// - The reseller must be one of the provider's active indirect resellers (Partner Center's list of
//   them; `pulumi preview` already looks it up and fails otherwise, naming the resellers it has).
// - The customer is created with `associatedPartnerId` = the reseller: Partner Center links the
//   customer to both (the reseller sees it in its own Partner Center). This needs app+user
//   credentials of the indirect provider (CSP_REFRESH_TOKEN).
// - The Azure plan names the reseller as its partner of record (`partnerIdOnRecord`, the cart's
//   transaction_reseller), and the Azure subscription as `resellerId` (reseller of record for the
//   usage, and for partner earned credit).
// - Admin on behalf of, on every Azure subscription: the provider's AdminAgents group and the
//   reseller's AdminAgents group as foreign principals (the reseller manages the customer's
//   Azure; the provider keeps access for support), declared so a removal shows up as drift.
// - GDAP: this relationship is the provider's; the reseller requests its own from its tenant.
import * as pulumi from "@pulumi/pulumi";
import { CustomerTenant } from "pulumi-csp";

const config = new pulumi.Config();
const resellerPartnerId = config.require("resellerPartnerId");
const providerAdminAgents = config.get("adminAgentsGroupId") || undefined;
const resellerAdminAgents = config.get("resellerAdminAgentsGroupId") || undefined;
const domainPrefix = config.get("domainPrefix") || "tailspintoys";

const partnerAccess = [
  ...(providerAdminAgents ? [{ key: "provider", adminAgentsGroupId: providerAdminAgents }] : []),
  ...(resellerAdminAgents ? [{ key: "reseller", adminAgentsGroupId: resellerAdminAgents }] : []),
];

const tailspin = new CustomerTenant("tailspin", {
  key: "tailspin",
  customer: {
    domainPrefix,
    companyName: "Tailspin Toys",
    associatedPartnerId: resellerPartnerId,
    billingProfile: {
      email: "it@tailspintoys.example",
      culture: "en-US",
      language: "en",
      defaultAddress: {
        firstName: "Mary",
        lastName: "Baker",
        addressLine1: "10 Runway Road",
        city: "Denver",
        state: "CO",
        postalCode: "80202",
        country: "US",
      },
    },
  },
  agreement: { primaryContact: { firstName: "Mary", lastName: "Baker", email: "mary@tailspintoys.example" } },
  azurePlan: { acknowledgePurchase: true, partnerIdOnRecord: resellerPartnerId },
  subscriptions: [
    {
      key: "prod",
      displayName: "Tailspin Toys Production",
      acknowledgePurchase: true,
      resellerId: resellerPartnerId,
    },
  ],
  ...(partnerAccess.length > 0 ? { partnerAccess } : {}),
  gdap: { duration: "P365D", roles: ["Helpdesk Administrator", "Directory Readers"] },
});

export const customerId = tailspin.customerId;
export const domain = tailspin.domain;
export const reseller = resellerPartnerId;
/** How Partner Center sees the provider's relationship to the customer. */
export const relationshipToPartner = tailspin.customer.relationshipToPartner;
export const subscriptionIds = tailspin.subscriptionIds;
export const gdapApprovalLink = tailspin.gdap.apply((g) => g?.approvalLink);
