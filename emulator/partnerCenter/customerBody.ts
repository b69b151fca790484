import type { JsonObject } from "../common/json";
import { ISO_COUNTRIES } from "./countries";
import { boolProp, objProp, prop, requireStr, strProp } from "./jsonBody";
import { pcErrors } from "./pcErrors";

/** Reading the fields of a customer create body and of a billing profile PUT, validated. */

/**
 * "Create a customer" (https://learn.microsoft.com/partner-center/developer/create-a-customer):
 * `enableGDAPByDefault` true creates the Default GDAP relationship, false does not. Omitted: since
 * November 1, 2023 production grants it too ("GDAP frequently asked questions",
 * https://learn.microsoft.com/partner-center/security/dap-faq, timelines table). A value that
 * is not a boolean is refused (400 / 2000 [U]) rather than read as "omitted".
 */
export function readEnableGdapByDefault(body: JsonObject): boolean {
  const value = boolProp(body, "enableGDAPByDefault");
  const sent = prop(body, "enableGDAPByDefault");
  if (value === undefined && sent !== undefined && sent !== null) {
    throw pcErrors.invalidProperty("enableGDAPByDefault must be true or false.");
  }
  return value ?? true;
}

/** The billing profile fields of a create or PUT body, validated and in wire casing. */
export function readBillingProfile(
  input: JsonObject,
  path: string,
): JsonObject & { defaultAddress: JsonObject } {
  const email = requireStr(input, "email", `${path}.email`);
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
    throw pcErrors.invalidProperty(`${path}.email is not a valid email address.`);
  const culture = normalizeCulture(requireStr(input, "culture", `${path}.culture`), `${path}.culture`);
  const language = requireStr(input, "language", `${path}.language`);
  const companyName = requireStr(input, "companyName", `${path}.companyName`);
  const addressIn = objProp(input, "defaultAddress");
  if (!addressIn) throw pcErrors.invalidProperty(`${path}.defaultAddress is required.`);
  const defaultAddress = readAddress(addressIn, `${path}.defaultAddress`);
  // Published key order: (id,) firstName, lastName, email, culture, language, companyName, defaultAddress.
  const out: JsonObject = {};
  const firstName = strProp(input, "firstName");
  const lastName = strProp(input, "lastName");
  if (firstName !== undefined) out.firstName = firstName;
  if (lastName !== undefined) out.lastName = lastName;
  return { ...out, email, culture, language, companyName, defaultAddress };
}

/**
 * Address (limits of "Utility resources",
 * https://learn.microsoft.com/partner-center/developer/utility-resources): wire key order as in
 * vector 02.
 */
function readAddress(input: JsonObject, path: string): JsonObject {
  const country = requireStr(input, "country", `${path}.country`).toUpperCase();
  if (country.length !== 2 || !ISO_COUNTRIES.has(country)) {
    throw pcErrors.invalidProperty(
      `${path}.country must be an ISO 3166-1 alpha-2 country code (got ${country}).`,
    );
  }
  const line1 = requireStr(input, "addressLine1", `${path}.addressLine1`);
  if (line1.length > 200)
    throw pcErrors.invalidProperty(`${path}.addressLine1 must be at most 200 characters.`);
  const city = requireStr(input, "city", `${path}.city`);
  const firstName = requireStr(input, "firstName", `${path}.firstName`);
  const lastName = requireStr(input, "lastName", `${path}.lastName`);
  if (firstName.length > 50)
    throw pcErrors.invalidProperty(`${path}.firstName must be at most 50 characters.`);
  if (lastName.length > 50) throw pcErrors.invalidProperty(`${path}.lastName must be at most 50 characters.`);
  const line2 = strProp(input, "addressLine2");
  if (line2 !== undefined && line2.length > 200) {
    throw pcErrors.invalidProperty(`${path}.addressLine2 must be at most 200 characters.`);
  }
  const out: JsonObject = { country };
  const region = strProp(input, "region");
  if (region !== undefined) out.region = region;
  out.city = city;
  const state = strProp(input, "state");
  if (state !== undefined) out.state = state;
  out.addressLine1 = line1;
  if (line2 !== undefined) out.addressLine2 = line2;
  const postalCode = strProp(input, "postalCode");
  if (postalCode !== undefined) out.postalCode = postalCode;
  out.firstName = firstName;
  out.lastName = lastName;
  out.phoneNumber = strProp(input, "phoneNumber") ?? "";
  return out;
}

/** `EN-US` -> `en-US` (the service normalises the culture, vector 01 -> 02). */
function normalizeCulture(value: string, path: string): string {
  const m = /^([a-z]{2,3})(?:-([a-z0-9]{2,4}))?$/i.exec(value.trim());
  if (!m) throw pcErrors.invalidProperty(`${path} must be a culture such as en-US (got ${value}).`);
  return m[2] ? `${m[1].toLowerCase()}-${m[2].toUpperCase()}` : m[1].toLowerCase();
}
