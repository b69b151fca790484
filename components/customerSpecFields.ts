import { z } from "zod";

/**
 * The building blocks of the customer spec's schema (customerSpec.ts): field patterns and zod
 * helpers that carry the rule a failure names and the description the JSON Schema shows.
 */

export const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** The customer key: resource names derive from it, so it is short, lower case and URN-safe. */
export const KEY = /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
/** Keys of items inside a customer (subscriptions, users, applications, partner access entries). */
export const ITEM_KEY = /^[a-z0-9](?:[a-z0-9-]{0,28}[a-z0-9])?$/;
export const DOMAIN_PREFIX = /^[a-zA-Z0-9]{1,27}$/;
export const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
export const COUNTRY = /^[A-Za-z]{2}$/;
export const ACCOUNT = /^[A-Za-z][A-Za-z0-9_]*$/;
export const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;
export const PERMISSION = /^[A-Za-z0-9_.-]+$/;

export const requiredOr = (message: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? "is required" : message;

/** A mapping with exactly these fields (unknown fields are refused: they are usually typos). */
export function obj<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, { error: requiredOr("must be a mapping of fields") });
}

export function text(max: number, description: string) {
  return z
    .string({ error: requiredOr("must be a string") })
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .meta({ description });
}

export function pattern(re: RegExp, rule: string, description: string) {
  return z
    .string({ error: requiredOr(rule) })
    .regex(re, rule)
    .meta({ description });
}

/** true or false. */
export function flag(description: string) {
  return z.boolean({ error: requiredOr("must be true or false") }).meta({ description });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, description: string) {
  const shown = values.map((v) => `"${v}"`);
  const rule =
    shown.length === 1
      ? `must be ${shown[0]}`
      : `must be ${shown.slice(0, -1).join(", ")} or ${shown.at(-1)}`;
  return z.enum(values, { error: requiredOr(rule) }).meta({ description });
}

export function list<T extends z.ZodType>(item: T, description: string) {
  return z.array(item, { error: requiredOr("must be a list") }).meta({ description });
}

export const guid = (description: string) =>
  pattern(GUID, "must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", description);

export const itemKey = (what: string) =>
  pattern(
    ITEM_KEY,
    "must be 1-30 lower-case letters, digits or hyphens (no leading or trailing hyphen)",
    `Stable identity of the ${what} within the customer: resource names derive from it, so changing it replaces the ${what}. Display names can change freely.`,
  );

export const acknowledgePurchase = (what: string) =>
  z
    .literal(true, {
      error: `must be true: ${what} is a billable purchase; acknowledge it explicitly (it shows up in code review)`,
    })
    .meta({ description: `Must be true: the explicit acknowledgement that this buys ${what} (billable).` });

export const permissionNames = (description: string) =>
  list(
    pattern(
      PERMISSION,
      "must be a permission name such as User.Read (no spaces or commas)",
      "Permission name.",
    ),
    description,
  );

export const roleNames = (description: string) =>
  list(text(128, "Directory role name (e.g. Helpdesk Administrator) or role template id."), description);

// --- well-known ids ------------------------------------------------------------------------------

/** Microsoft Graph's application id, the default resource of consents and permission grants. */
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/**
 * Graph application permissions the partner app needs in a customer tenant so that the identity
 * resources can act there app-only (application registrations, service principals, app role
 * assignments, delegated grants): the default grant of `partnerAppConsent`.
 */
export const DEFAULT_PARTNER_APP_GRAPH_SCOPES: readonly string[] = [
  "Application.ReadWrite.All",
  "AppRoleAssignment.ReadWrite.All",
  "DelegatedPermissionGrant.ReadWrite.All",
  "Directory.Read.All",
];

/** The subscription key that names the Azure plan's own (first) Azure subscription. */
export const PLAN_SUBSCRIPTION_KEY = "plan";
