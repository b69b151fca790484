import { z } from "zod";
import { accountField } from "../commerce/fields";

/** Zod building blocks shared by the identity handlers; messages read as rules ("must be ..."). */

const GUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** True for a GUID in the 8-4-4-4-12 form (any version; Microsoft first-party ids are not RFC 4122 v4). */
export function isGuid(value: string): boolean {
  return GUID_PATTERN.test(value);
}

/** A GUID, normalised to lower case. */
export const guid = z
  .string()
  .regex(GUID_PATTERN, "must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")
  .transform((s) => s.toLowerCase());

/**
 * Optional named partner account (`default` when omitted): the one rule every resource uses, so a
 * name the configuration accepts (`csp:accounts`, `CSP_ACCOUNT_<NAME>_*`) passes every type.
 */
export const account = accountField;

/** A non-empty trimmed string of at most `max` characters. */
export function text(max: number) {
  return z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);
}
