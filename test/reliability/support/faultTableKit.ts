import type { EmulatorState } from "../../../emulator/index";
import { customerUserHandler } from "../../../provider/handlers/directory/customerUser";
import type { HandlerContext } from "../../../provider/handlers/types";
import type { HttpMethod } from "../../../provider/http/types";
import { checked, createResource } from "../../support/handlerSteps";
import { consentPartnerApp, createTestCustomer, type TestGdapAccess } from "../../support/identityFixtures";
import { type AnyHandler, erase, type FaultLane, type Json } from "./faultKit";

/**
 * What the fault matrix's rows share: the row's shape, the findings, readers of the emulator's
 * state and the setup steps more than one family uses. Each family's rows live in its own file;
 * faultTable.ts assembles them.
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

export const HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8";

let unique = 0;

/** A short name unique in this process (lower-case letters and digits). */
export function uniqueName(label: string): string {
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

export function pcSection<T>(s: EmulatorState, name: string): Record<string, T> {
  return ((s.partnerCenter as Record<string, unknown>)[name] ?? {}) as Record<string, T>;
}

export function ordersOf(s: EmulatorState, customerId: string) {
  return Object.values(pcSection<{ customerId: string }>(s, "orders")).filter(
    (o) => o.customerId === customerId,
  );
}

export function tenant(s: EmulatorState, id: string) {
  const t = s.directory[id];
  if (!t) throw new Error(`the emulator has no tenant ${id}`);
  return t;
}

export function servicePrincipalsOf(s: EmulatorState, tenantId: string, appId: string) {
  return Object.values(tenant(s, tenantId).servicePrincipals).filter(
    (sp) => sp.appId.toLowerCase() === appId.toLowerCase(),
  );
}

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

export function userInputs(customerId: string, domain: string, displayName: string, roles?: string[]): Json {
  return {
    customerId,
    userPrincipalName: `fault.user@${domain}`,
    displayName,
    usageLocation: "US",
    ...(roles ? { roles } : {}),
  };
}

/**
 * A customer whose tenant has the partner app consented (Graph access app-only); the admin agent
 * holds the GDAP roles the consent needs.
 */
export async function consentedCustomer(
  ctx: HandlerContext,
  gdap: TestGdapAccess,
): Promise<{ customerId: string; domain: string }> {
  const c = await createTestCustomer(ctx, "fault", gdap);
  await consentPartnerApp(ctx, c.customerId);
  return c;
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

/**
 * A CustomerUser made through the handler for a customer `customer` makes (default: a test
 * customer), and the checked inputs `next` gives for its update.
 */
export async function heldUser(
  lane: FaultLane,
  next: (customerId: string, domain: string) => Json,
  customer: (lane: FaultLane) => Promise<{ customerId: string; domain: string }> = (l) =>
    createTestCustomer(l.setup, "fault", { emu: l.t.emu }),
): Promise<Prepared> {
  const { customerId, domain } = await customer(lane);
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
