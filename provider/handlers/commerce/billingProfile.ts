import type { PcAddress, PcBillingProfile } from "../../clients/partnerCenter/customers";
import { stripUndefined } from "../common";

/**
 * The customer's billing profile as a resource input and output, and its mapping to and from
 * Partner Center's `CustomerBillingProfile` ("Update a customer's billing profile",
 * https://learn.microsoft.com/partner-center/developer/update-a-customer-s-billing-profile). Both
 * sides are normalised the same way before they are compared, so a value Partner Center merely
 * re-formats (culture `EN-US` → `en-US`, an empty `phoneNumber: ""`) is not reported as drift.
 */

export interface AddressInput {
  firstName: string;
  lastName: string;
  addressLine1: string;
  addressLine2?: string;
  city: string;
  state?: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  phoneNumber?: string;
}

export interface BillingProfileInput {
  email: string;
  culture: string;
  language: string;
  /** Defaults to the customer's `companyName`. */
  companyName?: string;
  defaultAddress: AddressInput;
}

/** The billing profile as applied (output); `companyName` always present. */
export interface BillingProfileState extends BillingProfileInput {
  companyName: string;
}

/** `en-us` → `en-US`, `zh-hans-cn` → `zh-Hans-CN` (BCP 47 casing). */
export function canonicalCulture(culture: string): string {
  const [lang, ...rest] = culture.trim().split("-");
  const tail = rest.map((part) => {
    if (part.length === 2) return part.toUpperCase();
    if (part.length === 4) return part[0]!.toUpperCase() + part.slice(1).toLowerCase();
    return part;
  });
  return [lang!.toLowerCase(), ...tail].join("-");
}

function nonEmpty(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = value.trim();
  return t.length > 0 ? t : undefined;
}

/** Normalised form of the input (what the resource declares). */
export function normalizeBillingProfile(p: BillingProfileInput, companyName: string): BillingProfileState {
  const a = p.defaultAddress;
  return stripUndefined({
    email: p.email.trim(),
    culture: canonicalCulture(p.culture),
    language: p.language.trim().toLowerCase(),
    companyName: (p.companyName ?? companyName).trim(),
    defaultAddress: {
      firstName: a.firstName.trim(),
      lastName: a.lastName.trim(),
      addressLine1: a.addressLine1.trim(),
      addressLine2: nonEmpty(a.addressLine2),
      city: a.city.trim(),
      state: nonEmpty(a.state)?.toUpperCase(),
      postalCode: a.postalCode.trim(),
      country: a.country.trim().toUpperCase(),
      phoneNumber: nonEmpty(a.phoneNumber),
    },
  });
}

/** Normalised form of what Partner Center holds; `undefined` when the answer has no profile. */
export function billingProfileFromPc(p: PcBillingProfile | undefined): BillingProfileState | undefined {
  if (!p?.defaultAddress) return undefined;
  const a = p.defaultAddress;
  return normalizeBillingProfile(
    {
      email: p.email ?? "",
      culture: p.culture ?? "",
      language: p.language ?? "",
      companyName: p.companyName ?? "",
      defaultAddress: {
        firstName: a.firstName ?? p.firstName ?? "",
        lastName: a.lastName ?? p.lastName ?? "",
        addressLine1: a.addressLine1 ?? "",
        addressLine2: a.addressLine2,
        city: a.city ?? "",
        state: a.state,
        postalCode: a.postalCode ?? "",
        country: a.country ?? "",
        phoneNumber: a.phoneNumber,
      },
    },
    p.companyName ?? "",
  );
}

/** The Partner Center address for a normalised profile. */
export function toPcAddress(a: AddressInput): PcAddress {
  return stripUndefined({
    firstName: a.firstName,
    lastName: a.lastName,
    addressLine1: a.addressLine1,
    addressLine2: a.addressLine2,
    city: a.city,
    state: a.state,
    postalCode: a.postalCode,
    country: a.country,
    phoneNumber: a.phoneNumber,
  });
}

/**
 * The profile to PUT: the current one (keeps `id`, `links` and fields we do not manage) with the
 * managed fields replaced.
 */
export function mergeIntoPcProfile(
  current: PcBillingProfile,
  desired: BillingProfileState,
): PcBillingProfile {
  return {
    ...current,
    firstName: desired.defaultAddress.firstName,
    lastName: desired.defaultAddress.lastName,
    email: desired.email,
    culture: desired.culture,
    language: desired.language,
    companyName: desired.companyName,
    defaultAddress: toPcAddress(desired.defaultAddress),
  };
}
