import { azurePlanHandler } from "../../../provider/handlers/commerce/azurePlan";
import { azureSubscriptionHandler } from "../../../provider/handlers/commerce/azureSubscription";
import { customerHandler } from "../../../provider/handlers/commerce/customer";
import { customerAgreementHandler } from "../../../provider/handlers/commerce/customerAgreement";
import { testBillingProfile } from "../../support/commerceFixtures";
import {
  long,
  MISSING_ACKNOWLEDGEMENT,
  NOT_A_GUID,
  type Path,
  PURCHASE_CUSTOMER_ROWS,
  type ResourceCases,
  resource,
  UNKNOWN_ACCOUNT,
  UNKNOWN_GUID,
  type World,
  withValue,
} from "./badInputKit";
import { erase, type Json } from "./faultKit";

/** The bad-input cases of commerce: Customer, CustomerAgreement, AzurePlan, AzureSubscription. */
export function commerceBadInputs(w: World): ResourceCases[] {
  const customerBase: Json = {
    domainPrefix: "badinputcontoso",
    companyName: "Contoso Ltd",
    billingProfile: testBillingProfile("billing@contoso.example"),
  };
  const customerOlds: Json = {
    ...customerBase,
    customerId: w.customerId,
    domain: "badinputcontoso.onmicrosoft.com",
    adopted: false,
  };
  const addr = (field: string): Path => ["billingProfile", "defaultAddress", field];

  const agreementBase: Json = {
    customerId: w.customerId,
    primaryContact: { firstName: "Ada", lastName: "Lovelace", email: "ada@contoso.example" },
  };

  const planBase: Json = { customerId: w.otherCustomerId, acknowledgePurchase: true };
  const subscriptionBase: Json = {
    customerId: w.customerId,
    displayName: "Production",
    acknowledgePurchase: true,
  };
  const subscriptionOlds: Json = { ...subscriptionBase, key: "Production", workload: "Production" };
  return [
    resource(
      "Customer",
      erase(customerHandler),
      customerBase,
      [
        [["domainPrefix"], "", "empty", /1-27 letters or digits/],
        [["domainPrefix"], long(28), "too long", /1-27 letters or digits/],
        [["domainPrefix"], "con-toso", "with a hyphen", /no dots or hyphens/],
        [["domainPrefix"], 42, "not a string", /must be a string/],
        [
          ["domainPrefix"],
          w.takenPrefix,
          "domain of another organization",
          /already taken by another organization/,
        ],
        [["companyName"], "", "empty", /2-255 characters/],
        [["companyName"], long(256), "too long", /2-255 characters/],
        [["billingProfile", "email"], "billing.contoso.example", "not an e-mail", /e-mail address/],
        [["billingProfile", "email"], `${long(250)}@x.io`, "too long", /at most 254/],
        [["billingProfile", "culture"], "english", "wrong format", /culture such as en-US/],
        [["billingProfile", "language"], "english", "wrong format", /language such as en/],
        [["billingProfile", "companyName"], "A", "too short", /2-255 characters/],
        [addr("firstName"), "", "empty", /is required/],
        [addr("firstName"), long(51), "too long", /at most 50/],
        [addr("lastName"), " ", "blank", /is required/],
        [addr("addressLine1"), undefined, "missing", /must be a string/],
        [addr("addressLine1"), long(201), "too long", /at most 200/],
        [addr("addressLine2"), long(201), "too long", /at most 200/],
        [addr("city"), "", "empty", /is required/],
        [addr("state"), "WAS", "too long", /at most 2 characters/],
        [addr("postalCode"), long(21), "too long", /at most 20/],
        [addr("country"), "USA", "three letters", /ISO 3166-1 alpha-2/],
        [addr("country"), "XX", "not a country", /ISO 3166-1 alpha-2/],
        [addr("phoneNumber"), "call me", "not a phone number", /phone number/],
        [["organizationRegistrationNumber"], "", "empty", /must not be empty/],
        [["associatedPartnerId"], "reseller", "not a partner id", /MPN id/],
        [
          ["associatedPartnerId"],
          "7654321",
          "not an indirect reseller of the account",
          /7654321 is not an indirect reseller of partner account "default"/,
        ],
        [["adopt", "customerId"], NOT_A_GUID, "not a tenant id", /tenant id/],
        [["onDelete"], "destroy", "unknown behaviour", /"leave" or "removeRelationship"/],
        UNKNOWN_ACCOUNT,
      ],
      [
        {
          label: "a country that needs a registration number, without one",
          property: "organizationRegistrationNumber",
          rule: /is required for customers in PL/,
          news: withValue(
            withValue(customerBase, addr("country"), "PL"),
            addr("phoneNumber"),
            "+48 22 123 4567",
          ),
        },
        {
          label: "a country that needs a phone number, without one",
          property: "billingProfile.defaultAddress.phoneNumber",
          rule: /is required for customers in PL/,
          news: {
            ...withValue(customerBase, addr("country"), "PL"),
            organizationRegistrationNumber: "1234567890",
          },
        },
        {
          label: "adopt.domain that is not the domain prefix's domain",
          property: "adopt.domain",
          rule: /must be the customer's initial domain/,
          news: { ...customerBase, adopt: { domain: w.otherDomain } },
        },
        {
          label: "a changed domain prefix of an existing customer",
          property: "domainPrefix",
          rule: /cannot change.*cannot be replaced/s,
          news: { ...customerBase, domainPrefix: "othercontoso" },
          olds: customerOlds,
        },
        {
          label: "a changed company name of an existing customer",
          property: "companyName",
          rule: /cannot change.*cannot be replaced/s,
          news: { ...customerBase, companyName: "Fabrikam" },
          olds: customerOlds,
        },
      ],
    ),

    resource(
      "CustomerAgreement",
      erase(customerAgreementHandler),
      agreementBase,
      [
        [["customerId"], NOT_A_GUID, "not a tenant id", /tenant id/],
        [["primaryContact", "firstName"], "", "empty", /is required/],
        [["primaryContact", "lastName"], long(51), "too long", /at most 50/],
        [["primaryContact", "email"], "ada", "not an e-mail", /e-mail address/],
        [["primaryContact", "phoneNumber"], "call me", "not a phone number", /phone number/],
        [["dateAgreed"], "yesterday", "not a date", /ISO 8601 date/],
        [["dateAgreed"], "2024-13-45", "impossible date", /ISO 8601 date/],
        [["templateId"], "mca", "not a template id", /agreement template id/],
        UNKNOWN_ACCOUNT,
      ],
      [
        {
          label: "a changed date of a recorded attestation",
          property: "dateAgreed",
          rule: /cannot change/,
          news: { ...agreementBase, dateAgreed: "2025-01-02T00:00:00Z" },
          olds: { ...agreementBase, dateAgreed: "2025-01-01T00:00:00Z" },
        },
      ],
    ),

    resource(
      "AzurePlan",
      erase(azurePlanHandler),
      planBase,
      [
        ...PURCHASE_CUSTOMER_ROWS,
        MISSING_ACKNOWLEDGEMENT,
        [["acknowledgePurchase"], false, "false", /billable purchase: set acknowledgePurchase: true/],
        [["friendlyName"], "", "empty", /must not be empty/],
        [["friendlyName"], long(51), "too long", /at most 50/],
        [["status"], "paused", "unknown status", /"active" or "suspended"/],
        [["catalogItemId"], "azure-plan", "wrong format", /product:sku:availability/],
        [
          ["catalogItemId"],
          "DZH318Z0BPS6:0001:ZZZZZZZZZZZZ",
          "unknown catalog item",
          /is not available to customer/,
        ],
        [
          ["onDelete"],
          "cancel",
          "unknown behaviour",
          /"suspend", "cancelSubscriptionsAndSuspend" or "leave"/,
        ],
        [["partnerIdOnRecord"], "reseller", "not an MPN id", /MPN id/],
        [
          ["partnerIdOnRecord"],
          "7654321",
          "not an indirect reseller of the account",
          /7654321 is not an indirect reseller of partner account "default"/,
        ],
        UNKNOWN_ACCOUNT,
      ],
      [
        {
          label: "a new purchase while the stack forbids purchases",
          property: "acknowledgePurchase",
          rule: /purchases are disabled for this stack/,
          news: planBase,
          purchasesDisabled: true,
        },
        {
          label: "a changed customer of an existing plan",
          property: "customerId",
          rule: /cannot change.*never replaced/s,
          news: { ...planBase, customerId: UNKNOWN_GUID },
          olds: { ...planBase, subscriptionId: UNKNOWN_GUID, status: "active" },
        },
      ],
    ),

    resource(
      "AzureSubscription",
      erase(azureSubscriptionHandler),
      subscriptionBase,
      [
        [["customerId"], NOT_A_GUID, "not a tenant id", /tenant id/],
        [["displayName"], "", "empty", /is required/],
        [["displayName"], long(65), "too long", /at most 64/],
        [["displayName"], "prod|test", "forbidden character", /must not contain < > ; or \|/],
        [["workload"], "Test", "unknown workload", /"Production" or "DevTest"/],
        MISSING_ACKNOWLEDGEMENT,
        [["key"], " ", "blank", /must not be empty/],
        [["key"], long(201), "too long", /at most 200/],
        [["aliasName"], "my alias", "with a space", /1-64 letters, digits/],
        [["resellerId"], "reseller", "not an MPN id", /MPN id/],
        [["onDelete"], "leave", "unknown deletion", /"cancel" or "cancelAsCompromised"/],
        [["cancellationReason"], "compromise", "the former input", /no longer an input.*onDelete/],
        UNKNOWN_ACCOUNT,
      ],
      [
        {
          label: "a new purchase while the stack forbids purchases",
          property: "acknowledgePurchase",
          rule: /purchases are disabled for this stack/,
          news: subscriptionBase,
          purchasesDisabled: true,
        },
        {
          label: "a changed workload of an existing subscription",
          property: "workload",
          rule: /cannot change.*never replaced implicitly/s,
          news: { ...subscriptionBase, workload: "DevTest" },
          olds: subscriptionOlds,
        },
        {
          label: "a changed key of an existing subscription",
          property: "key",
          rule: /cannot change/,
          news: { ...subscriptionBase, key: "Other" },
          olds: subscriptionOlds,
        },
      ],
    ),
  ];
}
