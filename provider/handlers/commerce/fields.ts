import { z } from "zod";
import type { CheckFailure } from "../types";
import { isUnknown } from "../types";

/** Zod fields and checks shared by the commerce resources. */

export const GUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A customer id is the customer's tenant id, a GUID (Partner Center 900118 otherwise). */
/** A required, trimmed text of at most `max` characters (names, address lines, display names). */
export function requiredText(max: number) {
  return z
    .string({ error: "must be a string" })
    .trim()
    .min(1, "is required")
    .max(max, `must be at most ${max} characters`);
}

export const customerIdField = z
  .string({ error: "must be a string" })
  .regex(GUID_PATTERN, "must be the customer's tenant id (a GUID such as 0f3c4d1e-...)");

/** Named partner account (see `CspConfig.accounts`); the default account when omitted. Not a secret. */
export const accountField = z
  .string({ error: "must be a string" })
  .regex(
    /^[A-Za-z0-9_-]{1,64}$/,
    "must be the name of a configured partner account (letters, digits, _ or -)",
  )
  .optional();

/** Pragmatic e-mail syntax: one `@`, no spaces, a dot in the domain part. */
export const emailField = z
  .string({ error: "must be a string" })
  .max(254, "must be at most 254 characters")
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "must be an e-mail address such as admin@contoso.com");

/** The account name used in idempotency keys and client lookups. */
export function accountName(account: string | undefined): string {
  return account ?? "default";
}

/**
 * Failures for inputs that identify the Microsoft object and therefore cannot change once it
 * exists. A replacement is never planned for these resources: the old object would be deleted,
 * cancelled or left behind, and a new one bought.
 */
export function immutableFailures<I extends object>(
  resourceType: string,
  olds: Partial<I>,
  news: I,
  keys: readonly (keyof I & string)[],
  remedy: string,
  /** A sentence per key saying what can change instead (e.g. the billing profile's company name). */
  notes: Partial<Record<keyof I & string, string>> = {},
): CheckFailure[] {
  const o = olds as Record<string, unknown>;
  const n = news as Record<string, unknown>;
  // Olds are empty on a create: nothing exists yet that could be changed.
  if (!keys.some((k) => o[k] !== undefined)) return [];
  const failures: CheckFailure[] = [];
  for (const key of keys) {
    if (isUnknown(n[key])) continue;
    if (canonical(o[key]) === canonical(n[key])) continue;
    failures.push({
      property: key,
      reason: `${key}: cannot change from ${show(o[key])} to ${show(n[key])} on a ${resourceType}: ${notes[key] ? `${notes[key]} ` : ""}${remedy}`,
    });
  }
  return failures;
}

function canonical(v: unknown): string {
  return typeof v === "string" ? v.toLowerCase() : JSON.stringify(v ?? null);
}

function show(v: unknown): string {
  return v === undefined ? "(not set)" : JSON.stringify(v);
}
