import type { AnyHandler, Json } from "./faultKit";

/**
 * What the bad-input table's families share: the case's shape, the objects the checks read, and
 * `resource`, which turns rows of one changed value into cases. Each family's cases live in its own
 * badInput*.ts; badInputCases.ts assembles them.
 */

/** Ids of objects that exist at the emulator, for the checks that read (domains, relationships, catalog). */
export interface World {
  /** A customer of the default account (country US) and its domain. */
  customerId: string;
  domain: string;
  /** Another customer of the same partner, without an Azure plan, and its domain. */
  otherCustomerId: string;
  otherDomain: string;
  /** The partner tenant's own domain prefix: taken by another organization. */
  takenPrefix: string;
  /** The customer's Azure subscription (from its Azure plan). */
  subscriptionId: string;
  /** An active GDAP relationship with Helpdesk Administrator and User Administrator. */
  relationshipId: string;
  adminAgentsGroupId: string;
}

export interface BadCase {
  resource: string;
  handler: AnyHandler;
  /** What is wrong, for the test name. */
  label: string;
  /** Property the failure must name. */
  property: string;
  /** What the reason must mention: the field (for an unknown input, its key). */
  field: string;
  /** The rule the reason must state. */
  rule: RegExp;
  news: Json;
  /** Stored inputs+outputs for a change of an existing resource (absent: a create). */
  olds?: Json;
  /** Run with purchases disabled for the stack (`CSP_ALLOW_PURCHASES=false`). */
  purchasesDisabled?: boolean;
  /** A secret value that must not appear in any failure. */
  secret?: string;
}

export interface ResourceCases {
  resource: string;
  handler: AnyHandler;
  /** Valid inputs: `check` accepts them (so each case fails because of its one change). */
  base: Json;
  cases: BadCase[];
}

export type Path = (string | number)[];

/** `base` with the value at `path` replaced (`undefined` removes it). */
export function withValue(base: Json, path: Path, value: unknown): Json {
  const copy = structuredClone(base) as Json;
  let cur: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    cur[key] = structuredClone(cur[key] ?? {});
    cur = cur[key] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return copy;
}

export const long = (n: number) => "x".repeat(n);
export const NOT_A_GUID = "not-a-guid";
export const UNKNOWN_GUID = "5d9e1f4a-2b3c-4d5e-8f60-718293a4b5c6";

export type Row = [path: Path, value: unknown, label: string, rule: RegExp, property?: string];
export type Extra = Omit<BadCase, "resource" | "handler" | "field"> & { field?: string };

/** What every purchase refuses of its customer: not a tenant id, or not a customer of the partner. */
export const PURCHASE_CUSTOMER_ROWS: Row[] = [
  [["customerId"], NOT_A_GUID, "not a tenant id", /tenant id/],
  [["customerId"], UNKNOWN_GUID, "not a customer of the partner", /is not a customer of partner account/],
];

/** A purchase without its acknowledgement. */
export const MISSING_ACKNOWLEDGEMENT: Row = [
  ["acknowledgePurchase"],
  undefined,
  "missing acknowledgement",
  /billable purchase: set acknowledgePurchase: true/,
];

/** The row every resource with an `account` input has: a name no configured account has. */
export const UNKNOWN_ACCOUNT: Row = [
  ["account"],
  "nope",
  "unknown account",
  /account: names no configured partner account .*\(got "nope"\)/,
];

/**
 * The cases of one resource: rows change one value of `base` (the failure names the dotted path
 * unless `property` says otherwise); extras are whole cases (several values, or a change of an
 * existing resource).
 */
export function resource(
  name: string,
  handler: AnyHandler,
  base: Json,
  rows: Row[],
  extras: Extra[] = [],
): ResourceCases {
  return {
    resource: name,
    handler,
    base,
    cases: [
      ...rows.map(([path, value, label, rule, property]) => ({
        resource: name,
        handler,
        label,
        property: property ?? path.join("."),
        field: path.join("."),
        rule,
        news: withValue(base, path, value),
      })),
      ...extras.map((extra) => ({ resource: name, handler, field: extra.property, ...extra })),
    ],
  };
}
