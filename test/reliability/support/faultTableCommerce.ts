import type { EmulatorState } from "../../../emulator/index";
import { AZURE_PLAN_CATALOG_ITEM } from "../../../provider/clients/partnerCenter/commerce";
import { azurePlanHandler } from "../../../provider/handlers/commerce/azurePlan";
import { azureSubscriptionHandler } from "../../../provider/handlers/commerce/azureSubscription";
import { customerHandler } from "../../../provider/handlers/commerce/customer";
import { customerAgreementHandler } from "../../../provider/handlers/commerce/customerAgreement";
import { newCustomerWithAgreement, testBillingProfile } from "../../support/commerceFixtures";
import { buyAzurePlan, createTestCustomer } from "../../support/identityFixtures";
import { erase, type FaultLane, type Json } from "./faultKit";
import type { FaultRow, Finding, Held, Prepared } from "./faultTableKit";
import { checkedInputs, count, create, ordersOf, pcSection, same, uniqueName } from "./faultTableKit";

/**
 * Fault-matrix rows of commerce: every write of Customer, CustomerAgreement, AzurePlan and
 * AzureSubscription (create, update, delete).
 */

interface PcSubscriptionRecord {
  id: string;
  customerId: string;
  resource: { offerId?: string; status?: string; friendlyName?: string };
}

function customersWithDomain(s: EmulatorState, domain: string) {
  return Object.values(s.partnerCenter.customers).filter(
    (c) =>
      String(
        (c.resource["companyProfile"] as { domain?: string } | undefined)?.domain ?? "",
      ).toLowerCase() === domain,
  );
}

function azurePlans(s: EmulatorState, customerId: string): PcSubscriptionRecord[] {
  return Object.values(pcSection<PcSubscriptionRecord>(s, "subscriptions")).filter(
    (x) => x.customerId === customerId && x.resource.offerId === AZURE_PLAN_CATALOG_ITEM,
  );
}

function azureSubscriptionsOf(s: EmulatorState, customerId: string) {
  return Object.values(s.azure.subscriptions).filter((x) => x.customerId === customerId);
}

function customerInputs(domainPrefix: string, email = "billing@contoso.example"): Json {
  return {
    domainPrefix,
    companyName: "Fault Matrix Ltd",
    billingProfile: testBillingProfile(email),
  };
}

function agreementInputs(customerId: string, email: string): Json {
  return { customerId, primaryContact: { firstName: "Ada", lastName: "Lovelace", email } };
}

function oneCustomer(s: EmulatorState, domain: string, result: Held): Finding[] {
  const found = customersWithDomain(s, domain);
  return [
    count(`customers with domain ${domain}`, found.length, 1),
    ...same("customer id", found[0]?.id, result.id),
    ...same("state customerId", result.state["customerId"], found[0]?.id),
  ];
}

function onePlan(s: EmulatorState, customerId: string, result: Held): Finding[] {
  const plans = azurePlans(s, customerId);
  return [
    count("Azure plans", plans.length, 1),
    count("orders", ordersOf(s, customerId).length, 1),
    count("Azure subscriptions of the plan", azureSubscriptionsOf(s, customerId).length, 1),
    ...same("plan id", plans[0]?.id, result.id),
  ];
}

export const customerRows: FaultRow[] = [
  {
    resource: "Customer",
    operation: "create",
    handler: erase(customerHandler),
    service: "partnerCenter",
    method: "POST",
    pattern: () => "^/v1/customers$",
    repeatable: true,
    async prepare(lane) {
      const prefix = uniqueName("fm");
      const inputs = await checkedInputs(erase(customerHandler), {}, customerInputs(prefix), lane.setup);
      return { ids: { domain: `${prefix}.onmicrosoft.com` }, inputs };
    },
    expect: (s, p, result) => oneCustomer(s, p.ids["domain"]!, result),
  },
  {
    resource: "Customer",
    operation: "update",
    step: "billing profile",
    handler: erase(customerHandler),
    service: "partnerCenter",
    method: "PUT",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/profiles/billing$`,
    repeatable: true,
    async prepare(lane) {
      const prefix = uniqueName("fm");
      const existing = await create(erase(customerHandler), customerInputs(prefix), lane.setup);
      const inputs = await checkedInputs(
        erase(customerHandler),
        existing.inputs,
        customerInputs(prefix, "ap@contoso.example"),
        lane.setup,
      );
      return { ids: { domain: `${prefix}.onmicrosoft.com`, customerId: existing.id }, inputs, existing };
    },
    expect(s, p, result) {
      const found = customersWithDomain(s, p.ids["domain"]!);
      const billing = found[0]?.resource["billingProfile"] as { email?: string } | undefined;
      return [
        ...oneCustomer(s, p.ids["domain"]!, result),
        ...same("billing e-mail", billing?.email, "ap@contoso.example"),
        ...same(
          "state billing e-mail",
          (result.state["billingProfile"] as { email?: string }).email,
          "ap@contoso.example",
        ),
      ];
    },
  },
  {
    resource: "Customer",
    operation: "delete",
    step: "sandbox tenant",
    handler: erase(customerHandler),
    service: "partnerCenter",
    method: "DELETE",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}$`,
    repeatable: true,
    async prepare(lane) {
      const prefix = uniqueName("fm");
      const existing = await create(erase(customerHandler), customerInputs(prefix), lane.setup);
      return {
        ids: { domain: `${prefix}.onmicrosoft.com`, customerId: existing.id },
        inputs: existing.inputs,
        existing,
      };
    },
    expect: (s, p) => [
      count(`customers with domain ${p.ids["domain"]}`, customersWithDomain(s, p.ids["domain"]!).length, 0),
    ],
  },
];

function agreementsOf(s: EmulatorState, customerId: string) {
  return pcSection<{ primaryContact: { email?: string } }[]>(s, "agreements")[customerId] ?? [];
}

export const agreementRows: FaultRow[] = [
  {
    resource: "CustomerAgreement",
    operation: "create",
    handler: erase(customerAgreementHandler),
    service: "partnerCenter",
    method: "POST",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/agreements$`,
    repeatable: true,
    async prepare(lane) {
      const { customerId } = await createTestCustomer(lane.setup, "fault");
      const inputs = await checkedInputs(
        erase(customerAgreementHandler),
        {},
        agreementInputs(customerId, "owner@contoso.example"),
        lane.setup,
      );
      return { ids: { customerId }, inputs };
    },
    expect(s, p, result) {
      const all = agreementsOf(s, p.ids["customerId"]!);
      return [
        count("agreement attestations", all.length, 1),
        ...same("attested contact", all[0]?.primaryContact.email, "owner@contoso.example"),
        ...same(
          "state attestation contact",
          (result.state["attestation"] as { primaryContact: { email: string } }).primaryContact.email,
          "owner@contoso.example",
        ),
      ];
    },
  },
  {
    resource: "CustomerAgreement",
    operation: "update",
    step: "new attestation",
    handler: erase(customerAgreementHandler),
    service: "partnerCenter",
    method: "POST",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/agreements$`,
    repeatable: true,
    async prepare(lane) {
      const { customerId } = await createTestCustomer(lane.setup, "fault");
      const existing = await create(
        erase(customerAgreementHandler),
        agreementInputs(customerId, "owner@contoso.example"),
        lane.setup,
      );
      const inputs = await checkedInputs(
        erase(customerAgreementHandler),
        existing.inputs,
        agreementInputs(customerId, "cfo@contoso.example"),
        lane.setup,
      );
      return { ids: { customerId }, inputs, existing };
    },
    expect(s, p, result) {
      const all = agreementsOf(s, p.ids["customerId"]!);
      return [
        count("agreement attestations (the first and the new one)", all.length, 2),
        count(
          "attestations for the new contact",
          all.filter((a) => a.primaryContact.email === "cfo@contoso.example").length,
          1,
        ),
        ...same(
          "state attestation contact",
          (result.state["attestation"] as { primaryContact: { email: string } }).primaryContact.email,
          "cfo@contoso.example",
        ),
      ];
    },
  },
];

async function planCustomer(lane: FaultLane): Promise<Prepared> {
  const customerId = await newCustomerWithAgreement(lane.setup);
  const inputs = await checkedInputs(
    erase(azurePlanHandler),
    {},
    { customerId, acknowledgePurchase: true },
    lane.setup,
  );
  return { ids: { customerId }, inputs };
}

async function heldPlan(lane: FaultLane, next: Json = {}): Promise<Prepared> {
  const customerId = await newCustomerWithAgreement(lane.setup);
  const base = { customerId, acknowledgePurchase: true };
  const existing = await create(erase(azurePlanHandler), base, lane.setup);
  const inputs = await checkedInputs(
    erase(azurePlanHandler),
    existing.inputs,
    { ...base, ...next },
    lane.setup,
  );
  return { ids: { customerId, planId: existing.id }, inputs, existing };
}

function planAfterDelete(s: EmulatorState, p: Prepared): Finding[] {
  const plans = azurePlans(s, p.ids["customerId"]!);
  return [
    count("Azure plans", plans.length, 1),
    ...same("plan status", plans[0]?.resource.status, "suspended"),
    count(
      "active Azure subscriptions",
      azureSubscriptionsOf(s, p.ids["customerId"]!).filter((x) => x.entitlementStatus === "active").length,
      0,
    ),
  ];
}

export const planRows: FaultRow[] = [
  {
    resource: "AzurePlan",
    operation: "create",
    step: "cart",
    handler: erase(azurePlanHandler),
    service: "partnerCenter",
    method: "POST",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/carts$`,
    repeatable: true,
    prepare: planCustomer,
    expect: (s, p, result) => onePlan(s, p.ids["customerId"]!, result),
  },
  {
    resource: "AzurePlan",
    operation: "create",
    step: "checkout (the purchase)",
    handler: erase(azurePlanHandler),
    service: "partnerCenter",
    method: "POST",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/carts/[^/]+/checkout$`,
    repeatable: true,
    prepare: planCustomer,
    expect: (s, p, result) => onePlan(s, p.ids["customerId"]!, result),
  },
  {
    resource: "AzurePlan",
    operation: "update",
    step: "rename",
    handler: erase(azurePlanHandler),
    service: "partnerCenter",
    method: "PATCH",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/subscriptions/${p.ids["planId"]}$`,
    repeatable: true,
    prepare: (lane) => heldPlan(lane, { friendlyName: "Renamed plan" }),
    expect: (s, p, result) => [
      ...onePlan(s, p.ids["customerId"]!, result),
      ...same(
        "plan friendly name",
        azurePlans(s, p.ids["customerId"]!)[0]?.resource.friendlyName,
        "Renamed plan",
      ),
      ...same("state friendly name", result.state["friendlyName"], "Renamed plan"),
    ],
  },
  {
    resource: "AzurePlan",
    operation: "delete",
    step: "cancel its Azure subscriptions (ARM)",
    handler: erase(azurePlanHandler),
    service: "arm",
    method: "POST",
    pattern: () => "^/subscriptions/[^/]+/providers/Microsoft.Subscription/cancel$",
    repeatable: true,
    prepare: (lane) => heldPlan(lane),
    expect: (s, p) => planAfterDelete(s, p),
  },
  {
    resource: "AzurePlan",
    operation: "delete",
    step: "suspend",
    handler: erase(azurePlanHandler),
    service: "partnerCenter",
    method: "PATCH",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/subscriptions/${p.ids["planId"]}$`,
    repeatable: true,
    prepare: (lane) => heldPlan(lane),
    expect: (s, p) => planAfterDelete(s, p),
  },
];

async function heldSubscription(lane: FaultLane, next: Json = {}): Promise<Prepared> {
  const { customerId } = await createTestCustomer(lane.setup, "fault");
  const planSubscription = await buyAzurePlan(lane.setup, lane.t.emu, customerId);
  const base = { customerId, displayName: "Fault workload", acknowledgePurchase: true };
  const existing = await create(erase(azureSubscriptionHandler), base, lane.setup);
  const inputs = await checkedInputs(
    erase(azureSubscriptionHandler),
    existing.inputs,
    { ...base, ...next },
    lane.setup,
  );
  return { ids: { customerId, planSubscription, subscriptionId: existing.id }, inputs, existing };
}

function subscriptionFindings(
  s: EmulatorState,
  p: Prepared,
  result: Held,
  displayName: string,
  entitlement: string,
) {
  const subs = azureSubscriptionsOf(s, p.ids["customerId"]!);
  const ours = subs.filter((x) => x.subscriptionId === result.id);
  return [
    count("Azure subscriptions of the customer (the plan's first one and this one)", subs.length, 2),
    count("aliases", Object.keys(s.azure.aliases).length, 1),
    count("this subscription", ours.length, 1),
    ...same("display name", ours[0]?.displayName, displayName),
    ...same("entitlement status", ours[0]?.entitlementStatus, entitlement),
  ];
}

export const subscriptionRows: FaultRow[] = [
  {
    resource: "AzureSubscription",
    operation: "create",
    step: "alias PUT (the purchase)",
    handler: erase(azureSubscriptionHandler),
    service: "arm",
    method: "PUT",
    pattern: () => "^/providers/Microsoft.Subscription/aliases/[^/]+$",
    repeatable: true,
    async prepare(lane) {
      const { customerId } = await createTestCustomer(lane.setup, "fault");
      await buyAzurePlan(lane.setup, lane.t.emu, customerId);
      const inputs = await checkedInputs(
        erase(azureSubscriptionHandler),
        {},
        { customerId, displayName: "Fault workload", acknowledgePurchase: true },
        lane.setup,
      );
      return { ids: { customerId }, inputs };
    },
    expect: (s, p, result) => [
      ...subscriptionFindings(s, p, result, "Fault workload", "active"),
      ...same("state subscription id", result.state["azureSubscriptionId"], result.id),
    ],
  },
  {
    resource: "AzureSubscription",
    operation: "update",
    step: "rename",
    handler: erase(azureSubscriptionHandler),
    service: "arm",
    method: "POST",
    pattern: (p) => `^/subscriptions/${p.ids["subscriptionId"]}/providers/Microsoft.Subscription/rename$`,
    repeatable: true,
    prepare: (lane) => heldSubscription(lane, { displayName: "Renamed workload" }),
    expect: (s, p, result) => [
      ...subscriptionFindings(s, p, result, "Renamed workload", "active"),
      ...same("state display name", result.state["displayName"], "Renamed workload"),
    ],
  },
  {
    resource: "AzureSubscription",
    operation: "delete",
    step: "cancel (ARM)",
    handler: erase(azureSubscriptionHandler),
    service: "arm",
    method: "POST",
    pattern: (p) => `^/subscriptions/${p.ids["subscriptionId"]}/providers/Microsoft.Subscription/cancel$`,
    repeatable: true,
    prepare: (lane) => heldSubscription(lane),
    expect: (s, p, result) => subscriptionFindings(s, p, result, "Fault workload", "inactive"),
  },
];
