import { z } from "zod";

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

/** Optional named partner account (see the provider configuration; `default` when omitted). */
export const account = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_]*$/,
    "must be an account name (letters, digits, underscore) from the provider configuration",
  )
  .optional();

/** A non-empty trimmed string of at most `max` characters. */
export function text(max: number) {
  return z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);
}
