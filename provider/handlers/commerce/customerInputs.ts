import { z } from "zod";
import { findCustomersByDomain } from "../../clients/partnerCenter/customers";
import { accountFailures, checkCannotRun, refusal, validateInputs } from "../common";
import { isCountryCode } from "../countryCodes";
import type { CheckFailure, CheckResult, HandlerContext } from "../types";
import { isUnknown } from "../types";
import type { BillingProfileState } from "./billingProfile";
import { PHONE_REQUIRED, REGISTRATION_NUMBER_REQUIRED } from "./countries";
import { gdapByDefaultFailures, gdapByDefaultInput } from "./customerDefaultGdap";
import {
  accountField,
  customerIdField,
  emailField,
  GUID_PATTERN,
  immutableFailures,
  requiredText,
} from "./fields";
import { resellerFailures } from "./indirectResellers";
import { domainTaken } from "./processFacts";

/**
 * The Customer's inputs and outputs, and its `check`: the schema, the rules across fields and
 * across time (what cannot change once the customer exists), and the read-only look at the domain.
 */

export const CUSTOMER_TYPE = "Customer";

const addressSchema = z.object({
  firstName: requiredText(50),
  lastName: requiredText(50),
  addressLine1: requiredText(200),
  addressLine2: z.string({ error: "must be a string" }).max(200, "must be at most 200 characters").optional(),
  city: requiredText(100),
  // Partner Center documents State as (0, 2) characters (utility resources, Address).
  state: z
    .string({ error: "must be a string" })
    .max(2, "must be a code of at most 2 characters (e.g. WA)")
    .optional(),
  postalCode: requiredText(20),
  country: z
    .string({ error: "must be a string" })
    .refine((c) => isCountryCode(c.toUpperCase()), "must be an ISO 3166-1 alpha-2 country code such as US"),
  phoneNumber: z
    .string({ error: "must be a string" })
    .regex(
      /^\+?[0-9 ()./-]{4,30}$/,
      "must be a phone number of 4-30 digits, spaces or ( ) . / - (optionally starting with +)",
    )
    .optional(),
});

const billingProfileSchema = z.object({
  email: emailField,
  culture: z
    .string({ error: "must be a string" })
    .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})+$/, "must be a culture such as en-US"),
  language: z
    .string({ error: "must be a string" })
    .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})?$/, "must be a language such as en"),
  companyName: z
    .string({ error: "must be a string" })
    .trim()
    .min(2, "must be 2-255 characters")
    .max(255, "must be 2-255 characters")
    .optional(),
  defaultAddress: addressSchema,
});

/**
 * Domain prefix rule: letters and digits only, 1-27 characters. The `*.onmicrosoft.com` initial
 * domain rules are not on the Learn pages read; this is the rule Microsoft's sign-up pages apply
 * [U: assumption], stricter than DNS (63 characters, hyphens).
 */
const DOMAIN_PREFIX = /^[a-zA-Z0-9]{1,27}$/;

export const customerSchema = z.object({
  domainPrefix: z
    .string({ error: "must be a string" })
    .regex(
      DOMAIN_PREFIX,
      "must be the *.onmicrosoft.com prefix: 1-27 letters or digits, no dots or hyphens (e.g. contoso for contoso.onmicrosoft.com)",
    ),
  companyName: z
    .string({ error: "must be a string" })
    .trim()
    .min(2, "must be 2-255 characters")
    .max(255, "must be 2-255 characters"),
  billingProfile: billingProfileSchema,
  organizationRegistrationNumber: z
    .string({ error: "must be a string" })
    .trim()
    .min(1, "must not be empty")
    .max(100, "must be at most 100 characters")
    .optional(),
  associatedPartnerId: z
    .string({ error: "must be a string" })
    .refine(
      (v) => /^\d{1,10}$/.test(v) || GUID_PATTERN.test(v),
      "must be the indirect reseller's partner id (MPN id, digits) or partner GUID",
    )
    .optional(),
  adopt: z
    .object({
      customerId: customerIdField.optional(),
      domain: z.string({ error: "must be a string" }).optional(),
    })
    .optional(),
  onDelete: z
    .enum(["leave", "removeRelationship"], { error: 'must be "leave" or "removeRelationship"' })
    .optional(),
  enableGdapByDefault: z.boolean({ error: "must be true or false" }).optional(),
  account: accountField,
});

/**
 * The checked inputs. `domainPrefix` is the `*.onmicrosoft.com` prefix (`contoso` →
 * `contoso.onmicrosoft.com`); `enableGdapByDefault` says whether Partner Center grants the partner
 * its Default GDAP relationship with the new customer (false unless declared, fixed once the
 * customer exists, see customerDefaultGdap.ts).
 */
export type CustomerInputs = z.output<typeof customerSchema>;

export type CustomerOnDelete = NonNullable<CustomerInputs["onDelete"]>;

export interface CustomerOutputs {
  customerId: string;
  domain: string;
  commerceId?: string;
  relationshipToPartner?: string;
  /** The company name Partner Center holds. */
  companyName: string;
  /** The billing profile as applied. */
  billingProfile: BillingProfileState;
  adminUserName?: string;
  /** Secret: only known from the create response. */
  adminPassword?: string;
  adopted: boolean;
  deletionBehavior: string;
  /** The Default GDAP relationship Partner Center granted (only with `enableGdapByDefault: true`). */
  defaultGdapRelationshipId?: string;
}

export type CustomerState = CustomerInputs & CustomerOutputs;

export const CUSTOMER_OUTPUT_KEYS = [
  "customerId",
  "domain",
  "commerceId",
  "relationshipToPartner",
  "companyName",
  "billingProfile",
  "adminUserName",
  "adminPassword",
  "adopted",
  "deletionBehavior",
  "defaultGdapRelationshipId",
] as const;

/** Inputs that identify the customer and can never change. */
const IDENTITY_KEYS = [
  "domainPrefix",
  "companyName",
  "organizationRegistrationNumber",
  "associatedPartnerId",
  "account",
] as const;

export const CANNOT_REPLACE =
  "a customer tenant cannot be replaced (a production tenant cannot be deleted, and a new one would be a different customer) and Partner Center offers no API to change this field. To manage a different customer, add a new Customer resource; to stop managing this one, remove it from the program (see its deletionBehavior output for what that does); otherwise set the input back";

export function fullDomain(domainPrefix: string): string {
  return `${domainPrefix.toLowerCase()}.onmicrosoft.com`;
}

/**
 * The country of the billing address is fixed once the customer exists [U]: "Update a customer's
 * billing profile" (https://learn.microsoft.com/partner-center/developer/update-a-customer-s-billing-profile)
 * does not say it may change, and the customer's tenant, offers and prices are per country; the
 * emulator refuses it too. Refused at check, so the preview says so instead of the update failing.
 */
function countryChangeFailures(olds: Partial<CustomerInputs>, news: Partial<CustomerInputs>): CheckFailure[] {
  const before = olds.billingProfile?.defaultAddress?.country;
  const after = news.billingProfile?.defaultAddress?.country;
  if (typeof before !== "string" || typeof after !== "string" || isUnknown(after)) return [];
  if (before.toUpperCase() === after.toUpperCase()) return [];
  return [
    refusal(
      "billingProfile.defaultAddress.country",
      `cannot change from ${before}: a customer's country is set when it is created. To serve the organization in ${after}, declare a new Customer; otherwise set the country back`,
      after,
    ),
  ];
}

/** Rules that depend on more than one field (zod skips refinements when a field already failed). */
function crossFieldFailures(news: Partial<CustomerInputs>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const country = news.billingProfile?.defaultAddress?.country;
  if (typeof country !== "string" || isUnknown(country)) return failures;
  const cc = country.toUpperCase();
  if (REGISTRATION_NUMBER_REQUIRED.has(cc) && news.organizationRegistrationNumber === undefined) {
    failures.push(
      refusal(
        "organizationRegistrationNumber",
        `is required for customers in ${cc} (Partner Center code 600049)`,
        undefined,
      ),
    );
  }
  const phone = news.billingProfile?.defaultAddress?.phoneNumber;
  if (PHONE_REQUIRED.has(cc) && (phone === undefined || phone.trim() === "")) {
    failures.push(
      refusal(
        "billingProfile.defaultAddress.phoneNumber",
        `is required for customers in ${cc} (Partner Center code 600051)`,
        phone,
      ),
    );
  }
  return failures;
}

/** `adopt.domain`, when given, must be the domain `domainPrefix` names. */
function adoptDomainFailures(news: Partial<CustomerInputs>): CheckFailure[] {
  const adoptDomain = news.adopt?.domain;
  const prefix = news.domainPrefix;
  if (typeof adoptDomain !== "string" || typeof prefix !== "string") return [];
  if (isUnknown(adoptDomain) || isUnknown(prefix)) return [];
  if (adoptDomain.toLowerCase() === fullDomain(prefix)) return [];
  return [
    refusal(
      "adopt.domain",
      `must be the customer's initial domain ${fullDomain(prefix)} (domainPrefix + .onmicrosoft.com)`,
      adoptDomain,
    ),
  ];
}

/**
 * A new customer's domain must be free (read-only: HEAD, then the partner's customers, so preview
 * already says when the domain belongs to someone else). The answer is kept for the create that
 * follows (processFacts.ts). A lookup failure fails the check, naming the cause.
 */
async function domainFailures(inputs: CustomerInputs, ctx: HandlerContext): Promise<CheckFailure[]> {
  if (isUnknown(inputs.domainPrefix)) return [];
  const domain = fullDomain(inputs.domainPrefix);
  const api = ctx.api(inputs.account);
  try {
    if (!(await domainTaken(api, domain))) return [];
    if ((await findCustomersByDomain(api.partnerCenter, domain)).length > 0) return [];
  } catch (e) {
    throw checkCannotRun(`whether the domain ${domain} is free`, e);
  }
  return [
    refusal(
      "domainPrefix",
      `the domain ${domain} is already taken by another organization; choose another prefix`,
      inputs.domainPrefix,
    ),
  ];
}

export async function checkCustomer(
  olds: Partial<CustomerInputs>,
  news: CustomerInputs,
  ctx: HandlerContext,
): Promise<CheckResult<CustomerInputs>> {
  const validated = validateInputs(customerSchema, news);
  const failures: CheckFailure[] = [...(validated.failures ?? [])];
  failures.push(...crossFieldFailures(news));
  failures.push(...countryChangeFailures(olds, news));
  failures.push(...accountFailures(news.account, ctx.config));
  failures.push(...gdapByDefaultFailures(olds, news));
  failures.push(...adoptDomainFailures(news));
  failures.push(
    ...immutableFailures(CUSTOMER_TYPE, olds, news, IDENTITY_KEYS, CANNOT_REPLACE, {
      companyName:
        "The company name on the customer's invoices is billingProfile.companyName, which can change (it defaults to companyName).",
    }),
  );
  if (failures.length > 0) return { failures };
  const inputs = validated.inputs ?? news;
  if (typeof inputs.domainPrefix === "string" && !isUnknown(inputs.domainPrefix)) {
    inputs.domainPrefix = inputs.domainPrefix.toLowerCase();
  }
  const gdapByDefault = gdapByDefaultInput(olds, inputs);
  if (gdapByDefault === undefined) delete inputs.enableGdapByDefault;
  else inputs.enableGdapByDefault = gdapByDefault;

  const isNew = olds.domainPrefix === undefined;
  if (isNew && !inputs.adopt) {
    const taken = await domainFailures(inputs, ctx);
    if (taken.length > 0) return { failures: taken };
    // A customer for an indirect reseller: the reseller must be one of the account's (read-only).
    const reseller = inputs.associatedPartnerId;
    if (typeof reseller === "string" && !isUnknown(reseller)) {
      const resellers = await resellerFailures(ctx, inputs.account, "associatedPartnerId", reseller);
      if (resellers.length > 0) return { failures: resellers };
    }
  }
  return { inputs };
}
