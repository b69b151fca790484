import type { EmulatorState } from "../../../emulator/index";
import { licenseSubscriptionHandler } from "../../../provider/handlers/commerce/licenseSubscription";
import { customerUserHandler } from "../../../provider/handlers/directory/customerUser";
import {
  BUSINESS_PREMIUM_SKU,
  buySeats,
  confirmAgreement,
  newCustomerWithAgreement,
  seatsInputs,
} from "../../support/commerceFixtures";
import { createTestCustomer } from "../../support/identityFixtures";
import { erase, type FaultLane, type Json } from "./faultKit";
import type { FaultRow, Finding, Held, Prepared } from "./faultTableKit";
import {
  checkedInputs,
  count,
  create,
  heldUser,
  oneUser,
  ordersOf,
  pcSection,
  same,
  userInputs,
} from "./faultTableKit";

/**
 * Fault-matrix rows of seats and licenses: every write of LicenseSubscription's create (cart,
 * checkout), update (seats added, seats removed in their window, auto-renew) and delete (cancel
 * inside the window, auto-renew off outside it, the emulator's clock moved on), and the license
 * update of a CustomerUser (create and update). A purchase faulted at any point is made once.
 */

const DAY = 24 * 3600 * 1000;
const handler = erase(licenseSubscriptionHandler);

interface LicenseRecord {
  id: string;
  customerId: string;
  resource: { status?: string; quantity?: number; autoRenewEnabled?: boolean };
}

function licenseSubscriptions(s: EmulatorState, customerId: string): LicenseRecord[] {
  return Object.values(
    pcSection<LicenseRecord & { resource: { billingType?: string } }>(s, "subscriptions"),
  ).filter((x) => x.customerId === customerId && x.resource.billingType === "license");
}

function seats(customerId: string, next: Json = {}): Json {
  return { ...seatsInputs(customerId), ...next };
}

/** Exactly one subscription and one order for the customer, named by the state. */
function oneSubscription(s: EmulatorState, customerId: string, result: Held, expected: Json = {}): Finding[] {
  const subs = licenseSubscriptions(s, customerId);
  const sub = subs[0];
  return [
    count("license subscriptions of the customer", subs.length, 1),
    count("orders of the customer", ordersOf(s, customerId).length, 1),
    ...same("state subscription id", result.state["subscriptionId"], sub?.id),
    ...Object.entries(expected).flatMap(([k, v]) =>
      same(k, (sub?.resource as Record<string, unknown> | undefined)?.[k], v),
    ),
  ];
}

async function newSeats(lane: FaultLane): Promise<Prepared> {
  const customerId = await newCustomerWithAgreement(lane.setup);
  return { ids: { customerId }, inputs: await checkedInputs(handler, {}, seats(customerId), lane.setup) };
}

async function heldSeats(lane: FaultLane, next: Json = {}, daysLater = 0): Promise<Prepared> {
  const customerId = await newCustomerWithAgreement(lane.setup);
  const existing = await create(handler, seats(customerId), lane.setup);
  if (daysLater > 0) {
    await lane.t.emu.admin.advanceTime(daysLater * DAY);
    // The engine's state after a refresh at that time.
    const read = await handler.read(existing.id, existing.state, lane.setup);
    existing.state = { ...existing.state, ...((read.props ?? {}) as Json) };
  }
  const inputs = await checkedInputs(handler, existing.inputs, seats(customerId, next), lane.setup);
  return { ids: { customerId, subscriptionId: existing.id }, inputs, existing };
}

const subscriptionPath = (p: Prepared) =>
  `^/v1/customers/${p.ids["customerId"]}/subscriptions/${p.ids["subscriptionId"]}$`;

function subscriptionRows(): FaultRow[] {
  const row = (r: Omit<FaultRow, "resource" | "handler" | "service">): FaultRow => ({
    resource: "LicenseSubscription",
    handler,
    service: "partnerCenter",
    ...r,
  });
  return [
    row({
      operation: "create",
      step: "cart",
      method: "POST",
      pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/carts$`,
      repeatable: true,
      prepare: newSeats,
      expect: (s, p, result) => oneSubscription(s, p.ids["customerId"]!, result, { quantity: 5 }),
    }),
    row({
      operation: "create",
      step: "checkout (the purchase)",
      method: "POST",
      pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/carts/[^/]+/checkout$`,
      repeatable: true,
      prepare: newSeats,
      expect: (s, p, result) => oneSubscription(s, p.ids["customerId"]!, result, { quantity: 5 }),
    }),
    row({
      operation: "update",
      step: "seats added (a purchase)",
      method: "PATCH",
      pattern: subscriptionPath,
      repeatable: true,
      prepare: (lane) => heldSeats(lane, { quantity: 8 }),
      expect: (s, p, result) => [
        ...oneSubscription(s, p.ids["customerId"]!, result, { quantity: 8 }),
        ...same("state quantity", result.state["quantity"], 8),
      ],
    }),
    row({
      operation: "update",
      step: "seats removed inside their window",
      method: "PATCH",
      pattern: subscriptionPath,
      repeatable: true,
      prepare: (lane) => heldSeats(lane, { quantity: 3 }),
      expect: (s, p, result) => [
        ...oneSubscription(s, p.ids["customerId"]!, result, { quantity: 3 }),
        ...same("state quantity", result.state["quantity"], 3),
      ],
    }),
    row({
      operation: "update",
      step: "auto-renew off",
      method: "PATCH",
      pattern: subscriptionPath,
      repeatable: true,
      prepare: (lane) => heldSeats(lane, { autoRenew: false }),
      expect: (s, p, result) => [
        ...oneSubscription(s, p.ids["customerId"]!, result, { autoRenewEnabled: false }),
        ...same("state autoRenew", result.state["autoRenew"], false),
      ],
    }),
    row({
      operation: "delete",
      step: "cancel inside the window",
      method: "PATCH",
      pattern: subscriptionPath,
      repeatable: true,
      prepare: (lane) => heldSeats(lane),
      expect: (s, p, result) => oneSubscription(s, p.ids["customerId"]!, result, { status: "deleted" }),
    }),
    row({
      operation: "delete",
      step: "auto-renew off outside the window",
      method: "PATCH",
      pattern: subscriptionPath,
      repeatable: true,
      prepare: (lane) => heldSeats(lane, {}, 8),
      expect: (s, p, result) =>
        oneSubscription(s, p.ids["customerId"]!, result, {
          status: "active",
          autoRenewEnabled: false,
          quantity: 5,
        }),
    }),
  ];
}

/** A customer with the MCA, two seats of Business Premium, and its domain. */
async function licensedCustomer(lane: FaultLane): Promise<{ customerId: string; domain: string }> {
  const c = await createTestCustomer(lane.setup, "fault", { emu: lane.t.emu });
  await confirmAgreement(lane.setup, c.customerId);
  await buySeats(lane.setup, c.customerId, 2);
  return c;
}

function licensed(s: EmulatorState, p: Prepared, result: Held): Finding[] {
  const assignments = pcSection<string[]>(s, "licenseAssignments");
  return [
    ...oneUser(s, p.ids["customerId"]!, p.ids["upn"]!, result).findings,
    ...same("licenses of the user", assignments[`${p.ids["customerId"]}/${result.id}`], [
      BUSINESS_PREMIUM_SKU,
    ]),
    ...same("state license SKU ids", result.state["licenseSkuIds"], [BUSINESS_PREMIUM_SKU]),
  ];
}

function userLicenseRows(): FaultRow[] {
  const withLicense = (customerId: string, domain: string) => ({
    ...userInputs(customerId, domain, "Fault User"),
    licenses: ["Microsoft 365 Business Premium"],
  });
  return [
    {
      resource: "CustomerUser",
      operation: "create",
      step: "license update",
      handler: erase(customerUserHandler),
      service: "partnerCenter",
      method: "POST",
      pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/users/[^/]+/licenseupdates$`,
      repeatable: true,
      async prepare(lane) {
        const { customerId, domain } = await licensedCustomer(lane);
        const inputs = await checkedInputs(
          erase(customerUserHandler),
          {},
          withLicense(customerId, domain),
          lane.setup,
        );
        return { ids: { customerId, upn: `fault.user@${domain}` }, inputs };
      },
      expect: licensed,
    },
    {
      resource: "CustomerUser",
      operation: "update",
      step: "license update",
      handler: erase(customerUserHandler),
      service: "partnerCenter",
      method: "POST",
      pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/users/${p.ids["userId"]}/licenseupdates$`,
      repeatable: true,
      prepare: (lane) => heldUser(lane, withLicense, licensedCustomer),
      expect: licensed,
    },
  ];
}

/** The rows of this file, for FAULT_ROWS. */
export function licenseRows(): FaultRow[] {
  return [...subscriptionRows(), ...userLicenseRows()];
}
