import { randomUUID } from "node:crypto";
import type { EmulatorState } from "../../../emulator/index";
import { AZURE_PLAN_CATALOG_ITEM } from "../../../provider/clients/partnerCenter/commerce";
import { createCustomerUser } from "../../../provider/clients/partnerCenter/users";
import { applicationConsentHandler } from "../../../provider/handlers/applicationConsent";
import { applicationRegistrationHandler } from "../../../provider/handlers/applicationRegistration";
import { azurePlanHandler } from "../../../provider/handlers/azurePlan";
import { azureSubscriptionHandler } from "../../../provider/handlers/azureSubscription";
import { customerHandler } from "../../../provider/handlers/customer";
import { customerAgreementHandler } from "../../../provider/handlers/customerAgreement";
import { customerUserHandler } from "../../../provider/handlers/customerUser";
import { gdapAccessAssignmentHandler } from "../../../provider/handlers/gdap/gdapAccessAssignment";
import { gdapRelationshipHandler } from "../../../provider/handlers/gdap/gdapRelationship";
import { permissionGrantHandler } from "../../../provider/handlers/permissionGrant";
import { roleAssignmentHandler } from "../../../provider/handlers/roleAssignment";
import type { HandlerContext } from "../../../provider/handlers/types";
import type { HttpMethod } from "../../../provider/http/types";
import { newCustomerWithAgreement } from "../../support/commerceFixtures";
import { checked, createResource } from "../../support/handlerSteps";
import {
  buyAzurePlan,
  consentPartnerApp,
  createTestCustomer,
  GRAPH,
  type TestGdapAccess,
} from "../../support/identityFixtures";
import { type AnyHandler, erase, type FaultLane, type Json } from "./faultKit";
import { licenseRows } from "./faultTableLicenses";

/**
 * The fault matrix table: one row per write of every create, update and delete of every
 * resource type: which request to fault (method + service path pattern), how to get there
 * (setup, inputs) and which objects must exist at the emulator afterwards.
 */

export type Operation = "create" | "update" | "delete";

/** A resource as the engine holds it after a create: id, checked inputs, outputs. */
export interface Held {
  id: string;
  inputs: Json;
  state: Json;
}

/** What a row's setup produced: ids for the pattern and the expectations, the operation's inputs. */
export interface Prepared {
  ids: Record<string, string>;
  /** Checked inputs of the operation (the new inputs of an update; the held inputs of a delete). */
  inputs: Json;
  /** The resource before an update or a delete. */
  existing?: Held;
}

/** How many objects of a kind the emulator holds, against how many there must be. */
export interface ObjectCount {
  what: string;
  found: number;
  wanted: number;
}

/** A count, or a sentence saying what does not match (the state returned vs the emulator). */
export type Finding = ObjectCount | string;

export interface FaultRow {
  resource: string;
  operation: Operation;
  /** Which write of the operation is faulted, when it has several. */
  step?: string;
  handler: AnyHandler;
  service: "partnerCenter" | "graph" | "arm";
  method: HttpMethod;
  /** Regular expression for the faulted request's service path. */
  pattern(p: Prepared): string;
  /**
   * Whether the HTTP core may send the faulted request again after ANY transient outcome
   * (PUT/DELETE, a Partner Center `MS-RequestId` idempotency key, or marked idempotent). When
   * false (a Graph POST), the core repeats it only after a 429; other faults reach the handler.
   */
  repeatable: boolean;
  /**
   * A fault kind this write cannot fully survive, and why (documented in the README). The cell
   * then asserts the documented consequence: the loss shows on refresh, and the next run (after
   * refresh, a create) restores exactly the intended objects.
   */
  limitation?: {
    kind: string;
    text: string;
    /**
     * What the refresh after the loss does: `seesLoss` (default) reads the object as gone;
     * `fails` cannot read it (the loss took the reader's own permissions) and must fail with a
     * CspError, never read it as present or gone. The next command then creates it again.
     */
    refresh?: "seesLoss" | "fails";
  };
  prepare(lane: FaultLane): Promise<Prepared>;
  /** The emulator's objects after the operation converged, against the handler's returned state. */
  expect(s: EmulatorState, p: Prepared, result: Held): Finding[];
}

// --- constants ------------------------------------------------------------------------------------

const HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const USER_READ_ALL_ROLE = "df021288-bdef-4463-88db-98f22de89214";
const GDAP_BASE = "/v1.0/tenantRelationships/delegatedAdminRelationships";

let unique = 0;
/** A short name unique in this process (lower-case letters and digits). */
function uniqueName(label: string): string {
  unique += 1;
  return `${label}${Date.now().toString(36)}${unique}`;
}

export function count(what: string, found: number, wanted: number): ObjectCount {
  return { what, found, wanted };
}

export function same(what: string, actual: unknown, expected: unknown): Finding[] {
  return JSON.stringify(actual) === JSON.stringify(expected)
    ? []
    : [`${what}: the emulator holds ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`];
}

// --- reading the emulator's state ------------------------------------------------------------------

export function pcSection<T>(s: EmulatorState, name: string): Record<string, T> {
  return ((s.partnerCenter as Record<string, unknown>)[name] ?? {}) as Record<string, T>;
}

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

export function ordersOf(s: EmulatorState, customerId: string) {
  return Object.values(pcSection<{ customerId: string }>(s, "orders")).filter(
    (o) => o.customerId === customerId,
  );
}

function azureSubscriptionsOf(s: EmulatorState, customerId: string) {
  return Object.values(s.azure.subscriptions).filter((x) => x.customerId === customerId);
}

export function tenant(s: EmulatorState, id: string) {
  const t = s.directory[id];
  if (!t) throw new Error(`the emulator has no tenant ${id}`);
  return t;
}

function appsWithTag(s: EmulatorState, tenantId: string, tag: string) {
  return Object.values(tenant(s, tenantId).applications).filter((a) =>
    ((a.properties["tags"] as string[] | undefined) ?? []).includes(tag),
  );
}

function servicePrincipalsOf(s: EmulatorState, tenantId: string, appId: string) {
  return Object.values(tenant(s, tenantId).servicePrincipals).filter(
    (sp) => sp.appId.toLowerCase() === appId.toLowerCase(),
  );
}

function liveRelationships(s: EmulatorState, displayName: string) {
  return Object.entries(s.gdap).filter(
    ([, r]) =>
      r.resource["displayName"] === displayName &&
      !["terminated", "expired", "terminating", "terminationRequested"].includes(
        String(r.resource["status"]),
      ),
  );
}

function liveAssignments(s: EmulatorState, relationshipId: string, groupId: string) {
  const rel = s.gdap[relationshipId];
  return Object.values(rel?.accessAssignments ?? {}).filter(
    (a) =>
      (a.resource["accessContainer"] as { accessContainerId?: string }).accessContainerId === groupId &&
      !["deleted", "deleting"].includes(String(a.resource["status"])),
  );
}

function roleIdsOfResource(resource: Record<string, unknown>): string[] {
  const roles = (resource["accessDetails"] as { unifiedRoles?: { roleDefinitionId: string }[] } | undefined)
    ?.unifiedRoles;
  return (roles ?? []).map((r) => r.roleDefinitionId.toLowerCase()).sort();
}

// --- setup ----------------------------------------------------------------------------------------

export async function create(handler: AnyHandler, inputs: Json, ctx: HandlerContext): Promise<Held> {
  const { id, inputs: checkedInputs, state } = await createResource(handler, inputs, ctx);
  return { id, inputs: checkedInputs, state: state as Json };
}

export async function checkedInputs(
  handler: AnyHandler,
  olds: Json,
  news: Json,
  ctx: HandlerContext,
): Promise<Json> {
  return checked(handler, olds, news, ctx);
}

function customerInputs(domainPrefix: string, email = "billing@contoso.example"): Json {
  return {
    domainPrefix,
    companyName: "Fault Matrix Ltd",
    billingProfile: {
      email,
      culture: "en-US",
      language: "en",
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
  };
}

function agreementInputs(customerId: string, email: string): Json {
  return { customerId, primaryContact: { firstName: "Ada", lastName: "Lovelace", email } };
}

export function userInputs(customerId: string, domain: string, displayName: string, roles?: string[]): Json {
  return {
    customerId,
    userPrincipalName: `fault.user@${domain}`,
    displayName,
    usageLocation: "US",
    ...(roles ? { roles } : {}),
  };
}

function gdapInputs(customerId: string, displayName: string, autoExtendDuration = "PT0S"): Json {
  return {
    displayName,
    customerTenantId: customerId,
    duration: "P730D",
    roles: ["Helpdesk Administrator", "User Administrator"],
    autoExtendDuration,
  };
}

/**
 * A customer whose tenant has the partner app consented (Graph access app-only); the admin agent
 * holds the GDAP roles the consent needs.
 */
async function consentedCustomer(
  ctx: HandlerContext,
  gdap: TestGdapAccess,
): Promise<{ customerId: string; domain: string }> {
  const c = await createTestCustomer(ctx, "fault", gdap);
  await consentPartnerApp(ctx, c.customerId);
  return c;
}

/** A GDAP relationship the customer approved (status active), made through the handler. */
async function activeRelationship(lane: FaultLane, customerId: string, autoExtend = "PT0S"): Promise<Held> {
  const rel = await create(
    erase(gdapRelationshipHandler),
    gdapInputs(customerId, uniqueName("fm "), autoExtend),
    lane.setup,
  );
  await lane.t.emu.admin.approveGdapRelationship(rel.id);
  const read = await gdapRelationshipHandler.read(rel.id, rel.state as never, lane.setup);
  return { ...rel, state: { ...rel.state, ...(read.props as unknown as Json) } };
}

// --- expectations shared by rows of one resource ------------------------------------------------------

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

export function oneUser(s: EmulatorState, customerId: string, upn: string, result: Held, state = "active") {
  const users = Object.values(tenant(s, customerId).users).filter((u) => u.userPrincipalName === upn);
  return {
    users,
    findings: [
      count(`users ${upn}`, users.length, 1),
      ...same("user state", users[0]?.state, state),
      ...same("user id", users[0]?.id, result.id),
    ] as Finding[],
  };
}

function oneApplication(s: EmulatorState, customerId: string, result: Held) {
  const apps = appsWithTag(s, customerId, String(result.state["marker"]));
  return {
    app: apps[0],
    findings: [
      count("applications with the marker", apps.length, 1),
      count(
        "service principals of the application",
        servicePrincipalsOf(s, customerId, String(result.state["appId"])).length,
        1,
      ),
      ...same("application object id", apps[0]?.id, result.id),
      ...same(
        "service principal id",
        servicePrincipalsOf(s, customerId, String(result.state["appId"]))[0]?.id,
        result.state["servicePrincipalId"],
      ),
    ] as Finding[],
  };
}

function partnerConsent(s: EmulatorState, customerId: string, partnerAppId: string) {
  return pcSection<Record<string, { applicationGrants: { scope: string }[] }>>(s, "applicationConsents")[
    customerId
  ]?.[partnerAppId.toLowerCase()];
}

function grantsOf(s: EmulatorState, customerId: string, clientSpId: string) {
  const t = tenant(s, customerId);
  return {
    delegated: Object.values(t.oauth2PermissionGrants).filter((g) => g.clientId === clientSpId),
    roles: Object.values(t.appRoleAssignments).filter((a) => a.principalId === clientSpId),
  };
}

function roleAssignmentsOf(s: EmulatorState, principalId: string) {
  return Object.values(s.azure.roleAssignments).filter((a) => a.principalId === principalId);
}

// --- the table ------------------------------------------------------------------------------------------

const customerRows: FaultRow[] = [
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

const agreementRows: FaultRow[] = [
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

const planRows: FaultRow[] = [
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

const subscriptionRows: FaultRow[] = [
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

async function heldUser(
  lane: FaultLane,
  next: (customerId: string, domain: string) => Json,
): Promise<Prepared> {
  const { customerId, domain } = await createTestCustomer(lane.setup, "fault", { emu: lane.t.emu });
  const existing = await create(
    erase(customerUserHandler),
    userInputs(customerId, domain, "Fault User"),
    lane.setup,
  );
  const inputs = await checkedInputs(
    erase(customerUserHandler),
    existing.inputs,
    next(customerId, domain),
    lane.setup,
  );
  return { ids: { customerId, domain, userId: existing.id, upn: `fault.user@${domain}` }, inputs, existing };
}

const userRows: FaultRow[] = [
  {
    resource: "CustomerUser",
    operation: "create",
    handler: erase(customerUserHandler),
    service: "partnerCenter",
    method: "POST",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/users$`,
    repeatable: true,
    async prepare(lane) {
      const { customerId, domain } = await createTestCustomer(lane.setup, "fault", { emu: lane.t.emu });
      const inputs = await checkedInputs(
        erase(customerUserHandler),
        {},
        userInputs(customerId, domain, "Fault User"),
        lane.setup,
      );
      return { ids: { customerId, upn: `fault.user@${domain}` }, inputs };
    },
    expect: (s, p, result) => oneUser(s, p.ids["customerId"]!, p.ids["upn"]!, result).findings,
  },
  {
    resource: "CustomerUser",
    operation: "update",
    step: "profile",
    handler: erase(customerUserHandler),
    service: "partnerCenter",
    method: "PATCH",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/users/${p.ids["userId"]}$`,
    repeatable: true,
    prepare: (lane) => heldUser(lane, (c, d) => userInputs(c, d, "Renamed User")),
    expect(s, p, result) {
      const { users, findings } = oneUser(s, p.ids["customerId"]!, p.ids["upn"]!, result);
      return [...findings, ...same("display name", users[0]?.displayName, "Renamed User")];
    },
  },
  {
    resource: "CustomerUser",
    operation: "update",
    step: "directory role",
    handler: erase(customerUserHandler),
    service: "partnerCenter",
    method: "POST",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/directoryroles/[^/]+/usermembers$`,
    repeatable: true,
    prepare: (lane) => heldUser(lane, (c, d) => userInputs(c, d, "Fault User", ["Helpdesk Administrator"])),
    expect(s, p, result) {
      const members = tenant(s, p.ids["customerId"]!).directoryRoleMembers[HELPDESK] ?? [];
      return [
        ...oneUser(s, p.ids["customerId"]!, p.ids["upn"]!, result).findings,
        count(
          "Helpdesk Administrator memberships of the user",
          members.filter((m) => m === result.id).length,
          1,
        ),
        ...same("state role ids", result.state["roleIds"], [HELPDESK]),
      ];
    },
  },
  {
    resource: "CustomerUser",
    operation: "delete",
    step: "soft delete",
    handler: erase(customerUserHandler),
    service: "partnerCenter",
    method: "DELETE",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/users/${p.ids["userId"]}$`,
    repeatable: true,
    prepare: (lane) => heldUser(lane, (c, d) => userInputs(c, d, "Fault User")),
    expect: (s, p, result) => oneUser(s, p.ids["customerId"]!, p.ids["upn"]!, result, "inactive").findings,
  },
];

async function heldApplication(lane: FaultLane, next: Json): Promise<Prepared> {
  const { customerId } = await consentedCustomer(lane.setup, { emu: lane.t.emu });
  const base = { tenantId: customerId, displayName: "Fault app" };
  const existing = await create(erase(applicationRegistrationHandler), base, lane.setup);
  const inputs = await checkedInputs(
    erase(applicationRegistrationHandler),
    existing.inputs,
    { ...base, ...next },
    lane.setup,
  );
  return { ids: { customerId, objectId: existing.id }, inputs, existing };
}

async function newApplication(lane: FaultLane, extra: Json = {}): Promise<Prepared> {
  const { customerId } = await consentedCustomer(lane.setup, { emu: lane.t.emu });
  const inputs = await checkedInputs(
    erase(applicationRegistrationHandler),
    {},
    { tenantId: customerId, displayName: "Fault app", ...extra },
    lane.setup,
  );
  return { ids: { customerId }, inputs };
}

const applicationRows: FaultRow[] = [
  {
    resource: "ApplicationRegistration",
    operation: "create",
    step: "application POST",
    handler: erase(applicationRegistrationHandler),
    service: "graph",
    method: "POST",
    pattern: () => "^/v1.0/applications$",
    repeatable: false,
    prepare: (lane) => newApplication(lane),
    expect: (s, p, result) => oneApplication(s, p.ids["customerId"]!, result).findings,
  },
  {
    resource: "ApplicationRegistration",
    operation: "create",
    step: "service principal POST",
    handler: erase(applicationRegistrationHandler),
    service: "graph",
    method: "POST",
    pattern: () => "^/v1.0/servicePrincipals$",
    repeatable: false,
    prepare: (lane) => newApplication(lane),
    expect: (s, p, result) => oneApplication(s, p.ids["customerId"]!, result).findings,
  },
  {
    resource: "ApplicationRegistration",
    operation: "create",
    step: "client secret (addPassword)",
    handler: erase(applicationRegistrationHandler),
    service: "graph",
    method: "POST",
    pattern: () => "^/v1.0/applications/[^/]+/addPassword$",
    repeatable: false,
    prepare: (lane) => newApplication(lane, { passwordCredential: { displayName: "ci" } }),
    expect(s, p, result) {
      const { app, findings } = oneApplication(s, p.ids["customerId"]!, result);
      const creds = app?.passwordCredentials ?? [];
      return [
        ...findings,
        count("client secrets of the application", creds.length, 1),
        ...same("client secret key id", creds[0]?.keyId, result.state["clientSecretKeyId"]),
        ...(typeof result.state["clientSecret"] === "string" ? [] : ["the state holds no client secret"]),
      ];
    },
  },
  {
    resource: "ApplicationRegistration",
    operation: "update",
    step: "PATCH",
    handler: erase(applicationRegistrationHandler),
    service: "graph",
    method: "PATCH",
    pattern: (p) => `^/v1.0/applications/${p.ids["objectId"]}$`,
    repeatable: true,
    prepare: (lane) => heldApplication(lane, { redirectUris: ["https://app.contoso.example/callback"] }),
    expect(s, p, result) {
      const { app, findings } = oneApplication(s, p.ids["customerId"]!, result);
      return [
        ...findings,
        ...same(
          "redirect URIs",
          (app?.properties["web"] as { redirectUris?: string[] } | undefined)?.redirectUris,
          ["https://app.contoso.example/callback"],
        ),
      ];
    },
  },
  {
    resource: "ApplicationRegistration",
    operation: "delete",
    step: "application DELETE",
    handler: erase(applicationRegistrationHandler),
    service: "graph",
    method: "DELETE",
    pattern: (p) => `^/v1.0/applications/${p.ids["objectId"]}$`,
    repeatable: true,
    prepare: (lane) => heldApplication(lane, {}),
    expect: (s, p, result) => [
      count(
        "applications with the marker",
        appsWithTag(s, p.ids["customerId"]!, String(result.state["marker"])).length,
        0,
      ),
      count(
        "service principals of the application",
        servicePrincipalsOf(s, p.ids["customerId"]!, String(result.state["appId"])).length,
        0,
      ),
    ],
  },
];

function consentInputs(customerId: string, scopes: string[]): Json {
  return {
    customerId,
    displayName: "Partner automation",
    grants: [{ enterpriseApplicationId: GRAPH, scopes }],
  };
}

function consentFindings(s: EmulatorState, p: Prepared, scope: string): Finding[] {
  const appId = p.ids["appId"]!;
  const consent = partnerConsent(s, p.ids["customerId"]!, appId);
  return [
    count("consents of the partner app", consent ? 1 : 0, 1),
    count(
      "service principals of the partner app",
      servicePrincipalsOf(s, p.ids["customerId"]!, appId).length,
      1,
    ),
    ...same(
      "consented scopes",
      consent?.applicationGrants.map((g) => g.scope),
      [scope],
    ),
  ];
}

const consentRows: FaultRow[] = [
  {
    resource: "ApplicationConsent",
    operation: "create",
    handler: erase(applicationConsentHandler),
    service: "partnerCenter",
    method: "POST",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/applicationconsents$`,
    repeatable: true,
    async prepare(lane) {
      const { customerId } = await createTestCustomer(lane.setup, "fault", { emu: lane.t.emu });
      const inputs = await checkedInputs(
        erase(applicationConsentHandler),
        {},
        consentInputs(customerId, ["Directory.Read.All"]),
        lane.setup,
      );
      return { ids: { customerId, appId: lane.t.emu.seed.clientId.toLowerCase() }, inputs };
    },
    expect: (s, p) => consentFindings(s, p, "Directory.Read.All"),
  },
  {
    resource: "ApplicationConsent",
    operation: "update",
    step: "DELETE of the old consent",
    handler: erase(applicationConsentHandler),
    service: "partnerCenter",
    method: "DELETE",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/applicationconsents/${p.ids["appId"]}$`,
    repeatable: true,
    limitation: {
      kind: "slow response",
      text: "Partner Center changes a consent only by DELETE + POST at the same address. When the DELETE is slower than the client timeout, the pipeline repeats it, the consent is posted again, and then the original DELETE, still queued at the service, removes the new consent. Nothing in the answers tells the handler. The consent is read through Graph as the partner app, whose permissions in the tenant went with it: the next refresh fails with Graph's 403 (it does not guess 'gone'); removing the consent from the state (`pulumi state delete`) and running up consents again.",
      refresh: "fails",
    },
    prepare: (lane) => heldConsent(lane, ["Directory.Read.All", "User.Read.All"]),
    expect: (s, p) => consentFindings(s, p, "Directory.Read.All,User.Read.All"),
  },
  {
    resource: "ApplicationConsent",
    operation: "update",
    step: "consent again (after the DELETE)",
    handler: erase(applicationConsentHandler),
    service: "partnerCenter",
    method: "POST",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/applicationconsents$`,
    repeatable: true,
    prepare: (lane) => heldConsent(lane, ["Directory.Read.All", "User.Read.All"]),
    expect: (s, p) => consentFindings(s, p, "Directory.Read.All,User.Read.All"),
  },
  {
    resource: "ApplicationConsent",
    operation: "delete",
    handler: erase(applicationConsentHandler),
    service: "partnerCenter",
    method: "DELETE",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/applicationconsents/${p.ids["appId"]}$`,
    repeatable: true,
    prepare: (lane) => heldConsent(lane, ["Directory.Read.All"]),
    expect: (s, p) => [
      count(
        "consents of the partner app",
        partnerConsent(s, p.ids["customerId"]!, p.ids["appId"]!) ? 1 : 0,
        0,
      ),
    ],
  },
];

async function heldConsent(lane: FaultLane, nextScopes: string[]): Promise<Prepared> {
  const { customerId } = await createTestCustomer(lane.setup, "fault", { emu: lane.t.emu });
  const existing = await create(
    erase(applicationConsentHandler),
    consentInputs(customerId, ["Directory.Read.All"]),
    lane.setup,
  );
  const inputs = await checkedInputs(
    erase(applicationConsentHandler),
    existing.inputs,
    consentInputs(customerId, nextScopes),
    lane.setup,
  );
  return { ids: { customerId, appId: lane.t.emu.seed.clientId.toLowerCase() }, inputs, existing };
}

async function grantClient(lane: FaultLane): Promise<{ customerId: string; client: Held }> {
  const { customerId } = await consentedCustomer(lane.setup, { emu: lane.t.emu });
  const client = await create(
    erase(applicationRegistrationHandler),
    { tenantId: customerId, displayName: "Grant client" },
    lane.setup,
  );
  return { customerId, client };
}

function grantInputs(customerId: string, clientAppId: string, scopes: string[]): Json {
  return {
    tenantId: customerId,
    clientAppId,
    resourceAppId: GRAPH,
    delegatedScopes: scopes,
    appRoles: ["User.Read.All"],
  };
}

async function newGrant(lane: FaultLane): Promise<Prepared> {
  const { customerId, client } = await grantClient(lane);
  const inputs = await checkedInputs(
    erase(permissionGrantHandler),
    {},
    grantInputs(customerId, String(client.state["appId"]), ["User.Read"]),
    lane.setup,
  );
  return { ids: { customerId, clientSp: String(client.state["servicePrincipalId"]) }, inputs };
}

async function heldGrant(lane: FaultLane, scopes: string[]): Promise<Prepared> {
  const { customerId, client } = await grantClient(lane);
  const base = grantInputs(customerId, String(client.state["appId"]), ["User.Read"]);
  const existing = await create(erase(permissionGrantHandler), base, lane.setup);
  const inputs = await checkedInputs(
    erase(permissionGrantHandler),
    existing.inputs,
    { ...base, delegatedScopes: scopes },
    lane.setup,
  );
  return {
    ids: {
      customerId,
      clientSp: String(client.state["servicePrincipalId"]),
      grantId: String(existing.state["delegatedGrantId"]),
    },
    inputs,
    existing,
  };
}

function grantFindings(s: EmulatorState, p: Prepared, result: Held, scopes: string[]): Finding[] {
  const { delegated, roles } = grantsOf(s, p.ids["customerId"]!, p.ids["clientSp"]!);
  return [
    count("delegated grants of the client", delegated.length, 1),
    count("app role assignments of the client", roles.length, 1),
    ...same("delegated scopes", delegated[0]?.scope.split(" ").sort(), [...scopes].sort()),
    ...same("app role", roles[0]?.appRoleId, USER_READ_ALL_ROLE),
    ...same("state grant id", result.state["delegatedGrantId"], delegated[0]?.id),
  ];
}

const grantRows: FaultRow[] = [
  {
    resource: "PermissionGrant",
    operation: "create",
    step: "delegated grant POST",
    handler: erase(permissionGrantHandler),
    service: "graph",
    method: "POST",
    pattern: () => "^/v1.0/oauth2PermissionGrants$",
    repeatable: false,
    prepare: newGrant,
    expect: (s, p, result) => grantFindings(s, p, result, ["User.Read"]),
  },
  {
    resource: "PermissionGrant",
    operation: "create",
    step: "app role assignment POST",
    handler: erase(permissionGrantHandler),
    service: "graph",
    method: "POST",
    pattern: () => "^/v1.0/servicePrincipals/[^/]+/appRoleAssignedTo$",
    repeatable: false,
    prepare: newGrant,
    expect: (s, p, result) => grantFindings(s, p, result, ["User.Read"]),
  },
  {
    resource: "PermissionGrant",
    operation: "update",
    step: "grant PATCH",
    handler: erase(permissionGrantHandler),
    service: "graph",
    method: "PATCH",
    pattern: (p) => `^/v1.0/oauth2PermissionGrants/${p.ids["grantId"]}$`,
    repeatable: true,
    prepare: (lane) => heldGrant(lane, ["User.Read", "openid"]),
    expect: (s, p, result) => grantFindings(s, p, result, ["User.Read", "openid"]),
  },
  {
    resource: "PermissionGrant",
    operation: "delete",
    step: "grant DELETE",
    handler: erase(permissionGrantHandler),
    service: "graph",
    method: "DELETE",
    pattern: (p) => `^/v1.0/oauth2PermissionGrants/${p.ids["grantId"]}$`,
    repeatable: true,
    prepare: (lane) => heldGrant(lane, ["User.Read"]),
    expect(s, p) {
      const { delegated, roles } = grantsOf(s, p.ids["customerId"]!, p.ids["clientSp"]!);
      return [
        count("delegated grants of the client", delegated.length, 0),
        count("app role assignments of the client", roles.length, 0),
      ];
    },
  },
];

async function rbacSetup(
  lane: FaultLane,
): Promise<{ customerId: string; scope: string; principalId: string }> {
  const { customerId, domain } = await createTestCustomer(lane.setup, "fault", { emu: lane.t.emu });
  const subscriptionId = await buyAzurePlan(lane.setup, lane.t.emu, customerId);
  const user = await createCustomerUser(
    lane.setup.api().partnerCenter,
    customerId,
    {
      userPrincipalName: `rbac@${domain}`,
      displayName: "RBAC principal",
      usageLocation: "US",
      passwordProfile: { password: `Pw-${randomUUID()}`, forceChangePassword: true },
    },
    randomUUID(),
  );
  return { customerId, scope: `/subscriptions/${subscriptionId}`, principalId: user.id };
}

function rbacInputs(
  r: { customerId: string; scope: string; principalId: string },
  description?: string,
): Json {
  return {
    tenantId: r.customerId,
    scope: r.scope,
    roleName: "Reader",
    principalId: r.principalId,
    principalType: "User",
    ...(description ? { description } : {}),
  };
}

async function heldAssignment(lane: FaultLane, description?: string): Promise<Prepared> {
  const r = await rbacSetup(lane);
  const existing = await create(erase(roleAssignmentHandler), rbacInputs(r), lane.setup);
  const inputs = await checkedInputs(
    erase(roleAssignmentHandler),
    existing.inputs,
    rbacInputs(r, description),
    lane.setup,
  );
  return { ids: { ...r, name: String(existing.state["assignmentName"]) }, inputs, existing };
}

function assignmentFindings(s: EmulatorState, p: Prepared, result: Held, description?: string): Finding[] {
  const found = roleAssignmentsOf(s, p.ids["principalId"]!);
  return [
    count("role assignments of the principal", found.length, 1),
    ...same("role", found[0]?.roleDefinitionId.split("/").pop(), READER),
    ...same("assignment name", found[0]?.name, result.state["assignmentName"]),
    ...(description === undefined ? [] : same("description", found[0]?.description, description)),
  ];
}

const rbacRows: FaultRow[] = [
  {
    resource: "RoleAssignment",
    operation: "create",
    handler: erase(roleAssignmentHandler),
    service: "arm",
    method: "PUT",
    pattern: (p) => `^${p.ids["scope"]}/providers/Microsoft.Authorization/roleAssignments/[^/]+$`,
    repeatable: true,
    async prepare(lane) {
      const r = await rbacSetup(lane);
      const inputs = await checkedInputs(erase(roleAssignmentHandler), {}, rbacInputs(r), lane.setup);
      return { ids: r, inputs };
    },
    expect: (s, p, result) => assignmentFindings(s, p, result),
  },
  {
    resource: "RoleAssignment",
    operation: "update",
    step: "description",
    handler: erase(roleAssignmentHandler),
    service: "arm",
    method: "PUT",
    pattern: (p) => `^${p.ids["scope"]}/providers/Microsoft.Authorization/roleAssignments/${p.ids["name"]}$`,
    repeatable: true,
    prepare: (lane) => heldAssignment(lane, "auditors"),
    expect: (s, p, result) => assignmentFindings(s, p, result, "auditors"),
  },
  {
    resource: "RoleAssignment",
    operation: "delete",
    handler: erase(roleAssignmentHandler),
    service: "arm",
    method: "DELETE",
    pattern: (p) => `^${p.ids["scope"]}/providers/Microsoft.Authorization/roleAssignments/${p.ids["name"]}$`,
    repeatable: true,
    prepare: (lane) => heldAssignment(lane),
    expect: (s, p) => [
      count("role assignments of the principal", roleAssignmentsOf(s, p.ids["principalId"]!).length, 0),
    ],
  },
];

async function newRelationship(lane: FaultLane): Promise<Prepared> {
  const { customerId } = await createTestCustomer(lane.setup, "fault");
  const name = uniqueName("fm ");
  const inputs = await checkedInputs(
    erase(gdapRelationshipHandler),
    {},
    gdapInputs(customerId, name),
    lane.setup,
  );
  return { ids: { customerId, name }, inputs };
}

function relationshipFindings(
  s: EmulatorState,
  p: Prepared,
  result: Held,
  status: string,
  autoExtend = "PT0S",
): Finding[] {
  const live = liveRelationships(s, p.ids["name"]!);
  return [
    count(`GDAP relationships named "${p.ids["name"]}"`, live.length, 1),
    ...same("relationship id", live[0]?.[0], result.id),
    ...same("relationship status", live[0]?.[1].resource["status"], status),
    ...same("state status", result.state["status"], status),
    ...same("auto-extend", live[0]?.[1].resource["autoExtendDuration"], autoExtend),
  ];
}

const gdapRows: FaultRow[] = [
  {
    resource: "GdapRelationship",
    operation: "create",
    step: "relationship POST",
    handler: erase(gdapRelationshipHandler),
    service: "graph",
    method: "POST",
    pattern: () => `^${GDAP_BASE}$`,
    repeatable: false,
    prepare: newRelationship,
    expect: (s, p, result) => relationshipFindings(s, p, result, "approvalPending"),
  },
  {
    resource: "GdapRelationship",
    operation: "create",
    step: "lockForApproval request",
    handler: erase(gdapRelationshipHandler),
    service: "graph",
    method: "POST",
    pattern: () => `^${GDAP_BASE}/[^/]+/requests$`,
    repeatable: false,
    prepare: newRelationship,
    expect: (s, p, result) => relationshipFindings(s, p, result, "approvalPending"),
  },
  {
    resource: "GdapRelationship",
    operation: "update",
    step: "auto-extend PATCH (If-Match)",
    handler: erase(gdapRelationshipHandler),
    service: "graph",
    method: "PATCH",
    pattern: (p) => `^${GDAP_BASE}/${p.ids["relationshipId"]}$`,
    repeatable: true,
    async prepare(lane) {
      const { customerId } = await createTestCustomer(lane.setup, "fault");
      const existing = await activeRelationship(lane, customerId);
      const name = String(existing.inputs["displayName"]);
      const inputs = await checkedInputs(
        erase(gdapRelationshipHandler),
        existing.inputs,
        gdapInputs(customerId, name, "P180D"),
        lane.setup,
      );
      return { ids: { customerId, name, relationshipId: existing.id }, inputs, existing };
    },
    expect: (s, p, result) => relationshipFindings(s, p, result, "active", "P180D"),
  },
  {
    resource: "GdapRelationship",
    operation: "delete",
    step: "terminate request",
    handler: erase(gdapRelationshipHandler),
    service: "graph",
    method: "POST",
    pattern: (p) => `^${GDAP_BASE}/${p.ids["relationshipId"]}/requests$`,
    repeatable: false,
    async prepare(lane) {
      const { customerId } = await createTestCustomer(lane.setup, "fault");
      const existing = await activeRelationship(lane, customerId);
      return {
        ids: { customerId, name: String(existing.inputs["displayName"]), relationshipId: existing.id },
        inputs: existing.inputs,
        existing,
      };
    },
    expect: (s, p) => [
      count(
        `live GDAP relationships named "${p.ids["name"]}"`,
        liveRelationships(s, p.ids["name"]!).length,
        0,
      ),
      count(
        "relationships ending (termination requested or later)",
        Object.values(s.gdap).filter((r) => r.resource["displayName"] === p.ids["name"]).length,
        1,
      ),
    ],
  },
];

async function accessSetup(lane: FaultLane): Promise<{ relationshipId: string; groupId: string }> {
  const { customerId } = await createTestCustomer(lane.setup, "fault");
  const rel = await activeRelationship(lane, customerId);
  return { relationshipId: rel.id, groupId: lane.t.emu.seed.adminAgentsGroupId };
}

function accessInputs(a: { relationshipId: string; groupId: string }, roles: string[]): Json {
  return { relationshipId: a.relationshipId, securityGroupId: a.groupId, roles };
}

async function heldAccess(lane: FaultLane, roles: string[]): Promise<Prepared> {
  const a = await accessSetup(lane);
  const existing = await create(
    erase(gdapAccessAssignmentHandler),
    accessInputs(a, ["Helpdesk Administrator"]),
    lane.setup,
  );
  const inputs = await checkedInputs(
    erase(gdapAccessAssignmentHandler),
    existing.inputs,
    accessInputs(a, roles),
    lane.setup,
  );
  return { ids: { ...a, assignmentId: existing.id }, inputs, existing };
}

function accessFindings(s: EmulatorState, p: Prepared, result: Held, roleIds: string[]): Finding[] {
  const live = liveAssignments(s, p.ids["relationshipId"]!, p.ids["groupId"]!);
  return [
    count("access assignments of the group", live.length, 1),
    ...same("assignment id", live[0]?.resource["id"], result.id),
    ...same("assigned roles", live[0] ? roleIdsOfResource(live[0].resource) : undefined, [...roleIds].sort()),
  ];
}

const accessRows: FaultRow[] = [
  {
    resource: "GdapAccessAssignment",
    operation: "create",
    handler: erase(gdapAccessAssignmentHandler),
    service: "graph",
    method: "POST",
    pattern: (p) => `^${GDAP_BASE}/${p.ids["relationshipId"]}/accessAssignments$`,
    repeatable: false,
    async prepare(lane) {
      const a = await accessSetup(lane);
      const inputs = await checkedInputs(
        erase(gdapAccessAssignmentHandler),
        {},
        accessInputs(a, ["Helpdesk Administrator"]),
        lane.setup,
      );
      return { ids: a, inputs };
    },
    expect: (s, p, result) => accessFindings(s, p, result, [HELPDESK]),
  },
  {
    resource: "GdapAccessAssignment",
    operation: "update",
    step: "roles PATCH (If-Match)",
    handler: erase(gdapAccessAssignmentHandler),
    service: "graph",
    method: "PATCH",
    pattern: (p) => `^${GDAP_BASE}/${p.ids["relationshipId"]}/accessAssignments/${p.ids["assignmentId"]}$`,
    repeatable: true,
    prepare: (lane) => heldAccess(lane, ["Helpdesk Administrator", "User Administrator"]),
    expect: (s, p, result) => accessFindings(s, p, result, [HELPDESK, USER_ADMIN]),
  },
  {
    resource: "GdapAccessAssignment",
    operation: "delete",
    step: "DELETE (If-Match)",
    handler: erase(gdapAccessAssignmentHandler),
    service: "graph",
    method: "DELETE",
    pattern: (p) => `^${GDAP_BASE}/${p.ids["relationshipId"]}/accessAssignments/${p.ids["assignmentId"]}$`,
    repeatable: true,
    prepare: (lane) => heldAccess(lane, ["Helpdesk Administrator"]),
    expect: (s, p) => [
      count(
        "access assignments of the group",
        liveAssignments(s, p.ids["relationshipId"]!, p.ids["groupId"]!).length,
        0,
      ),
    ],
  },
];

/** Every row of the fault matrix. */
export const FAULT_ROWS: readonly FaultRow[] = [
  ...customerRows,
  ...agreementRows,
  ...planRows,
  ...subscriptionRows,
  ...licenseRows(),
  ...userRows,
  ...applicationRows,
  ...consentRows,
  ...grantRows,
  ...rbacRows,
  ...gdapRows,
  ...accessRows,
];

/** `Resource operation (step)`, as test names use it. */
export function rowName(row: FaultRow): string {
  return `${row.resource} ${row.operation}${row.step ? ` (${row.step})` : ""}`;
}
