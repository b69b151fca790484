import { z } from "zod";
import type { CspApi } from "../../clients/cspApi";
import {
  createCustomer,
  deleteSandboxCustomer,
  findCustomersByDomain,
  getBillingProfile,
  getCustomer,
  isDomainTaken,
  type PcCustomer,
  type PcCustomerCreateRequest,
  putBillingProfile,
  removeResellerRelationship,
} from "../../clients/partnerCenter/customers";
import type { CspConfig } from "../../configTypes";
import { CspError, hasServiceCode, isCspError, isLostResponse } from "../../errors";
import {
  canonicalJson,
  checkCannotRun,
  containsUnknown,
  deterministicUuid,
  jsonEqual,
  stripUndefined,
  validateInputs,
} from "../common";
import { isCountryCode } from "../countryCodes";
import { registerHandler } from "../registry";
import type { CheckFailure, HandlerContext, ResourceHandler } from "../types";
import { isUnknown } from "../types";
import {
  type BillingProfileInput,
  type BillingProfileState,
  billingProfileFromPc,
  mergeIntoPcProfile,
  normalizeBillingProfile,
  toPcAddress,
} from "./billingProfile";
import { PHONE_REQUIRED, REGISTRATION_NUMBER_REQUIRED } from "./countries";
import {
  findDefaultGdapRelationship,
  gdapByDefaultFailures,
  gdapByDefaultInput,
} from "./customerDefaultGdap";
import { refusal } from "./errors";
import {
  accountFailures,
  accountField,
  accountName,
  customerIdField,
  emailField,
  GUID_PATTERN,
  immutableFailures,
  requiredText,
} from "./fields";
import { assertActiveReseller, resellerFailures } from "./indirectResellers";

/**
 * Customer: a Partner Center customer (a new Entra tenant with a reseller relationship), or an
 * existing one adopted explicitly ("Create a customer",
 * https://learn.microsoft.com/partner-center/developer/create-a-customer).
 *
 * Identity and money rules:
 * - The resource id is the customer id (= the customer's tenant id).
 * - Create is safe to retry: `MS-RequestId` is derived from the account, the domain and the request
 *   body (see `createKey`), reused by the pipeline after a lost response and by a re-run after a
 *   crash; before a fresh create the domain is checked (`HEAD /v1/domains`) and looked up among the
 *   partner's customers, so an existing customer is found instead of created twice. An answer is
 *   recorded only once it names a live customer (`createLive`).
 * - Domain, company name, registration number, reseller and account never change: a customer
 *   tenant cannot be replaced, so `check`/`diff` refuse with a message instead of planning a
 *   replacement.
 * - Delete: in an integration sandbox the tenant is deleted (unless adopted or `onDelete` says
 *   otherwise); in production the default leaves the tenant, `onDelete: "removeRelationship"`
 *   removes the reseller relationship. The output `deletionBehavior` says which, before any delete.
 * - The create always says whether Partner Center grants the Default GDAP relationship
 *   (`enableGdapByDefault`, false unless declared); see customerDefaultGdap.ts.
 */

export const CUSTOMER_TYPE = "Customer";

export type CustomerOnDelete = "leave" | "removeRelationship";

export interface CustomerInputs {
  /** The `*.onmicrosoft.com` prefix: `contoso` → `contoso.onmicrosoft.com`. */
  domainPrefix: string;
  companyName: string;
  billingProfile: BillingProfileInput;
  organizationRegistrationNumber?: string;
  associatedPartnerId?: string;
  adopt?: { customerId?: string; domain?: string };
  onDelete?: CustomerOnDelete;
  /**
   * Whether Partner Center grants the partner its Default GDAP relationship with the new customer.
   * False unless declared; fixed once the customer exists (see customerDefaultGdap.ts).
   */
  enableGdapByDefault?: boolean;
  account?: string;
}

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

type CustomerState = CustomerInputs & CustomerOutputs;

const OUTPUT_KEYS = [
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

const CANNOT_REPLACE =
  "a customer tenant cannot be replaced (a production tenant cannot be deleted, and a new one would be a different customer) and Partner Center offers no API to change this field. To manage a different customer, add a new Customer resource; to stop managing this one, remove it from the program (see its deletionBehavior output for what that does); otherwise set the input back";

// --- validation -------------------------------------------------------------------------------

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

const schema = z.object({
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
}) as z.ZodType<CustomerInputs>;

/** Rules that depend on more than one field (zod skips refinements when a field already failed). */
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
    {
      property: "billingProfile.defaultAddress.country",
      reason: `billingProfile.defaultAddress.country: cannot change from ${before} to ${after}: a customer's country is set when it is created. To serve the organization in ${after}, declare a new Customer; otherwise set the country back`,
    },
  ];
}

function crossFieldFailures(news: Partial<CustomerInputs>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const country = news.billingProfile?.defaultAddress?.country;
  if (typeof country !== "string" || isUnknown(country)) return failures;
  const cc = country.toUpperCase();
  if (REGISTRATION_NUMBER_REQUIRED.has(cc) && news.organizationRegistrationNumber === undefined) {
    failures.push({
      property: "organizationRegistrationNumber",
      reason: `organizationRegistrationNumber: is required for customers in ${cc} (Partner Center code 600049) (got missing)`,
    });
  }
  const phone = news.billingProfile?.defaultAddress?.phoneNumber;
  if (PHONE_REQUIRED.has(cc) && (phone === undefined || phone.trim() === "")) {
    failures.push({
      property: "billingProfile.defaultAddress.phoneNumber",
      reason: `billingProfile.defaultAddress.phoneNumber: is required for customers in ${cc} (Partner Center code 600051) (got missing)`,
    });
  }
  return failures;
}

export function fullDomain(domainPrefix: string): string {
  return `${domainPrefix.toLowerCase()}.onmicrosoft.com`;
}

// --- deletion ---------------------------------------------------------------------------------

type DeletionMode = "deleteTenant" | "leave" | "removeRelationship";

/**
 * What a delete does. An explicit `onDelete` wins; otherwise an integration sandbox deletes the
 * tenant (unless the customer was adopted, i.e. not created by this resource) and production
 * leaves it.
 */
function deletionMode(
  onDelete: CustomerOnDelete | undefined,
  adopted: boolean,
  config: CspConfig,
): DeletionMode {
  if (onDelete) return onDelete;
  return config.sandbox && !adopted ? "deleteTenant" : "leave";
}

function describeDeletion(mode: DeletionMode): string {
  switch (mode) {
    case "deleteTenant":
      return "deleteTenant: integration sandbox; deleting this resource deletes the customer tenant (DELETE /v1/customers/{id})";
    case "removeRelationship":
      return "removeRelationship: deleting this resource removes the reseller relationship with the customer (its active subscriptions must be suspended first); the tenant stays";
    case "leave":
      return "leave: deleting this resource only stops managing the customer; the tenant and the reseller relationship stay (a production customer tenant cannot be deleted)";
  }
}

// --- mapping ----------------------------------------------------------------------------------

function desiredProfile(inputs: CustomerInputs): BillingProfileState {
  return normalizeBillingProfile(inputs.billingProfile, inputs.companyName);
}

function actualCompanyName(c: PcCustomer): string | undefined {
  return c.companyProfile?.companyName ?? c.billingProfile?.companyName;
}

function adminUpn(userName: string | undefined, domain: string): string | undefined {
  if (!userName) return undefined;
  return userName.includes("@") ? userName : `${userName}@${domain}`;
}

function inputsOnly(state: object): CustomerInputs {
  const out: Record<string, unknown> = { ...state };
  for (const k of OUTPUT_KEYS) if (k !== "companyName" && k !== "billingProfile") delete out[k];
  return out as unknown as CustomerInputs;
}

function outputsFrom(
  inputs: CustomerInputs,
  customer: PcCustomer,
  config: CspConfig,
  extra: {
    adopted: boolean;
    adminUserName?: string;
    adminPassword?: string;
    billingProfile?: BillingProfileState;
    defaultGdapRelationshipId?: string;
  },
): CustomerState {
  const domain = customer.companyProfile?.domain ?? fullDomain(inputs.domainPrefix);
  const outputs: CustomerOutputs = {
    customerId: customer.id,
    domain,
    commerceId: customer.commerceId,
    relationshipToPartner: customer.relationshipToPartner,
    companyName: actualCompanyName(customer) ?? inputs.companyName,
    billingProfile:
      extra.billingProfile ?? billingProfileFromPc(customer.billingProfile) ?? desiredProfile(inputs),
    adminUserName: extra.adminUserName,
    adminPassword: extra.adminPassword,
    adopted: extra.adopted,
    deletionBehavior: describeDeletion(deletionMode(inputs.onDelete, extra.adopted, config)),
    defaultGdapRelationshipId: extra.defaultGdapRelationshipId,
  };
  return stripUndefined({ ...inputs, ...outputs });
}

function createRequest(inputs: CustomerInputs): PcCustomerCreateRequest {
  const profile = desiredProfile(inputs);
  return stripUndefined({
    // Always sent: production grants the Default GDAP relationship when the field is omitted.
    enableGDAPByDefault: inputs.enableGdapByDefault === true,
    companyProfile: {
      domain: fullDomain(inputs.domainPrefix),
      companyName: inputs.companyName,
      organizationRegistrationNumber: inputs.organizationRegistrationNumber,
    },
    billingProfile: {
      email: profile.email,
      culture: profile.culture,
      language: profile.language,
      companyName: profile.companyName,
      defaultAddress: toPcAddress(profile.defaultAddress),
    },
    associatedPartnerId: inputs.associatedPartnerId,
  });
}

// --- create paths ------------------------------------------------------------------------------

/** Finds the customer named by `adopt`; refuses when it does not match the declared identity. */
async function findForAdopt(api: CspApi, inputs: CustomerInputs): Promise<PcCustomer> {
  const domain = fullDomain(inputs.domainPrefix);
  const pc = api.partnerCenter;
  let customer: PcCustomer | undefined;
  if (inputs.adopt?.customerId) {
    customer = await getCustomer(pc, inputs.adopt.customerId);
    if (!customer) {
      throw refusal(
        `adopt.customerId ${inputs.adopt.customerId} is not a customer of partner account "${api.account}"`,
        "check the customer id and the account input, or remove adopt to create a new customer",
      );
    }
  } else {
    const found = await findCustomersByDomain(pc, inputs.adopt?.domain ?? domain);
    if (found.length === 0) {
      throw refusal(
        `adopt: no customer with domain ${domain} exists in partner account "${api.account}"`,
        "check domainPrefix and the account input, or remove adopt to create a new customer",
      );
    }
    customer = (await getCustomer(pc, found[0]!.id)) ?? found[0]!;
  }
  const actualDomain = (customer.companyProfile?.domain ?? "").toLowerCase();
  if (actualDomain && actualDomain !== domain) {
    throw refusal(
      `adopt: customer ${customer.id} has the domain ${actualDomain}, but domainPrefix "${inputs.domainPrefix}" means ${domain}`,
      `set domainPrefix to "${actualDomain.replace(/\.onmicrosoft\.com$/, "")}" to adopt this customer`,
    );
  }
  const actualName = actualCompanyName(customer);
  if (actualName !== undefined && actualName !== inputs.companyName) {
    throw refusal(
      `adopt: customer ${customer.id} has the company name "${actualName}", but companyName is "${inputs.companyName}"`,
      `set companyName to "${actualName}": the company profile cannot be changed through Partner Center`,
    );
  }
  return customer;
}

/**
 * The `MS-RequestId` of a customer create. What Microsoft Learn documents: "Create a customer"
 * calls the API idempotent and requires a request id and a correlation id; "Partner Center REST and
 * response headers" (https://learn.microsoft.com/partner-center/developer/headers) says a retry
 * after a timeout carries the same MS-RequestId. What it leaves open [U]: how long the service
 * remembers an id, whether a later run sending it again gets the first answer, and what it answers
 * to a reused id with another body (400 / 800002 in the emulator). So the key is derived from
 * everything that identifies the operation: the account, the domain, and the request body itself
 * (canonical JSON). The same desired customer sends the same key on every run, so a re-run after a
 * crash or a lost answer can replay (and get the initial admin's credentials back), and a changed
 * body (a billing email edited between a destroy and the next up) sends a new key instead of
 * colliding. Nothing depends on the replay: before any create `createNew` looks for the domain
 * (`HEAD /v1/domains`, then the partner's customers), and a customer found there without a replay
 * is refused with the advice to adopt it, never created twice.
 *
 * A key is also remembered after its customer was deleted (integration sandbox: destroy, then
 * declare the same customer again), and answers the dead customer. The next key of the chain is
 * then derived from that customer's id (`previousId`): still deterministic, so a crash anywhere in
 * the chain replays the same sequence rather than duplicating. How long the service remembers a
 * request id is not published [U]; the emulator keeps them a day.
 */
function createKey(account: string, body: PcCustomerCreateRequest, previousId?: string): string {
  const parts = ["customer-create", account, body.companyProfile.domain.toLowerCase(), canonicalJson(body)];
  return deterministicUuid(...parts, ...(previousId ? [previousId.toLowerCase()] : []));
}

/** Creates that answer a dead customer, one after the other, before the chain is given up. */
const MAX_CREATE_CHAIN = 16;

/**
 * Sends the create under `key` and follows the chain of {@link createKey}: an answer is recorded
 * only when it names a live customer with the requested domain; an answer naming a deleted customer
 * (a replay of an earlier create) moves on to the next key. Errors of the create itself propagate.
 */
async function createLive(api: CspApi, body: PcCustomerCreateRequest, key: string): Promise<PcCustomer> {
  const domain = body.companyProfile.domain.toLowerCase();
  for (let link = 0; link < MAX_CREATE_CHAIN; link++) {
    const answered = await createCustomer(api.partnerCenter, body, key);
    const live = await getCustomer(api.partnerCenter, answered.id);
    const liveDomain = (live?.companyProfile?.domain ?? domain).toLowerCase();
    if (live && liveDomain === domain) return answered;
    key = createKey(api.account, body, answered.id);
  }
  throw new CspError({
    code: "CSP_CONFLICT",
    service: "partnerCenter",
    summary: `Partner Center answered ${MAX_CREATE_CHAIN} creates of the customer ${domain} with customers that no longer exist`,
    hint: "nothing was recorded; wait until Partner Center forgets the earlier request ids (about a day), or change the customer's billing profile so that its create is a new request",
  });
}

/**
 * The domain is held by one of our customers (`existingId`): replays the create with its key. A
 * replay (directly, or further down the chain after deleted customers) naming that customer means
 * an earlier run of this very resource created it and its result was lost. When the service does
 * not know the key (another body, or a customer this program did not create), the create fails
 * because the domain is taken: nothing is created twice, and undefined is returned.
 */
async function replayCreate(
  api: CspApi,
  body: PcCustomerCreateRequest,
  key: string,
  existingId: string,
): Promise<PcCustomer | undefined> {
  try {
    const customer = await createLive(api, body, key);
    return customer.id.toLowerCase() === existingId.toLowerCase() ? customer : undefined;
  } catch (e) {
    if (isCspError(e) && !isLostResponse(e)) return undefined;
    throw e;
  }
}

async function createNew(api: CspApi, inputs: CustomerInputs, ctx: HandlerContext): Promise<PcCustomer> {
  const pc = api.partnerCenter;
  const domain = fullDomain(inputs.domainPrefix);
  const body = createRequest(inputs);
  const key = createKey(accountName(inputs.account), body);

  if (await isDomainTaken(pc, domain)) {
    const ours = await findCustomersByDomain(pc, domain);
    if (ours.length === 0) {
      throw refusal(
        `the domain ${domain} is already taken by another organization`,
        "choose another domainPrefix (domains are unique across Microsoft)",
        "CSP_CONFLICT",
      );
    }
    // One of our customers has this domain: an earlier create of this very resource whose result
    // was lost (crash, timeout)? Replaying the same request id returns it, with its credentials.
    const replayed = await replayCreate(api, body, key, ours[0]!.id);
    if (replayed) {
      ctx.log(
        `Customer ${domain}: found the customer created by an earlier run (${replayed.id}); not created twice`,
      );
      return replayed;
    }
    throw refusal(
      `customer ${ours[0]!.id} with the domain ${domain} already exists in partner account "${api.account}"`,
      `to manage it with this resource, set adopt: { customerId: "${ours[0]!.id}" } (pulumi import does not work for dynamic resources); to create a different customer, choose another domainPrefix`,
      "CSP_CONFLICT",
    );
  }

  try {
    return await createLive(api, body, key);
  } catch (e) {
    if (!isLostResponse(e)) throw e;
    // The answer was lost even after the pipeline's retries: the customer may exist.
    const ours = await findCustomersByDomain(pc, domain);
    if (ours.length === 0) throw e;
    const replayed = await replayCreate(api, body, key, ours[0]!.id);
    if (replayed) return replayed;
    const found = await getCustomer(pc, ours[0]!.id);
    if (found) {
      ctx.log(
        `Customer ${domain}: the create response was lost; found the customer ${found.id}. Its initial admin password could not be recovered: reset it in Partner Center`,
      );
      return found;
    }
    throw e;
  }
}

/** GET for the current ETag, PUT with If-Match; one more round when the ETag went stale (2055). */
async function applyBillingProfile(
  api: CspApi,
  customerId: string,
  desired: BillingProfileState,
): Promise<BillingProfileState> {
  for (let attempt = 0; ; attempt++) {
    const current = await getBillingProfile(api.partnerCenter, customerId);
    const etag = current.attributes?.etag;
    if (!etag) {
      throw refusal(
        `Partner Center returned the billing profile of customer ${customerId} without an ETag`,
        "run the update again; if it persists, report it with the request log",
        "CSP_API_ERROR",
      );
    }
    try {
      const updated = await putBillingProfile(
        api.partnerCenter,
        customerId,
        mergeIntoPcProfile(current, desired),
        etag,
      );
      return billingProfileFromPc(updated) ?? desired;
    } catch (e) {
      if (attempt === 0 && hasServiceCode(e, "2055")) continue;
      throw e;
    }
  }
}

// --- handler ----------------------------------------------------------------------------------

export const customerHandler: ResourceHandler<CustomerInputs, CustomerOutputs> = {
  async check(olds, news, ctx) {
    const validated = validateInputs(schema, news);
    const failures: CheckFailure[] = [...(validated.failures ?? [])];
    failures.push(...crossFieldFailures(news));
    failures.push(...countryChangeFailures(olds, news));
    failures.push(...accountFailures(news.account, ctx.config));
    failures.push(...gdapByDefaultFailures(olds, news));
    if (
      typeof news.adopt?.domain === "string" &&
      typeof news.domainPrefix === "string" &&
      !isUnknown(news.adopt.domain) &&
      !isUnknown(news.domainPrefix) &&
      news.adopt.domain.toLowerCase() !== fullDomain(news.domainPrefix)
    ) {
      failures.push({
        property: "adopt.domain",
        reason: `adopt.domain: must be the customer's initial domain ${fullDomain(news.domainPrefix)} (domainPrefix + .onmicrosoft.com) (got ${JSON.stringify(news.adopt.domain)})`,
      });
    }
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

    // A new customer: is the domain free? Read-only (HEAD + filtered list), so preview already
    // says when the domain belongs to someone else. A lookup failure does not fail the check:
    // create repeats it.
    const isNew = olds.domainPrefix === undefined;
    if (
      isNew &&
      !inputs.adopt &&
      typeof inputs.domainPrefix === "string" &&
      !isUnknown(inputs.domainPrefix)
    ) {
      const domain = fullDomain(inputs.domainPrefix);
      try {
        const pc = ctx.api(inputs.account).partnerCenter;
        if ((await isDomainTaken(pc, domain)) && (await findCustomersByDomain(pc, domain)).length === 0) {
          return {
            failures: [
              {
                property: "domainPrefix",
                reason: `domainPrefix: the domain ${domain} is already taken by another organization; choose another prefix`,
              },
            ],
          };
        }
      } catch (e) {
        throw checkCannotRun(`whether the domain ${domain} is free`, e);
      }
    }
    // A customer for an indirect reseller: the reseller must be one of the account's (read-only).
    const reseller = inputs.associatedPartnerId;
    if (isNew && !inputs.adopt && typeof reseller === "string" && !isUnknown(reseller)) {
      const resellers = await resellerFailures(ctx, inputs.account, "associatedPartnerId", reseller);
      if (resellers.length > 0) return { failures: resellers };
    }
    return { inputs };
  },

  async diff(_id, olds, news, ctx) {
    // Backstop for what check refuses, compared with what Partner Center holds (olds are outputs).
    // Values not known yet (preview) are not compared.
    const domain = isUnknown(news.domainPrefix) ? undefined : fullDomain(news.domainPrefix);
    if (domain && olds.domain && olds.domain.toLowerCase() !== domain) {
      throw refusal(
        `Customer ${olds.customerId}: the domain is ${olds.domain}, the program now says ${domain}`,
        CANNOT_REPLACE,
      );
    }
    if (
      olds.companyName !== undefined &&
      !isUnknown(news.companyName) &&
      olds.companyName !== news.companyName
    ) {
      throw refusal(
        `Customer ${olds.customerId}: Partner Center holds the company name "${olds.companyName}", the program says "${news.companyName}"`,
        `the company profile cannot be changed through Partner Center: set companyName to "${olds.companyName}". ${CANNOT_REPLACE}`,
      );
    }
    for (const key of ["organizationRegistrationNumber", "associatedPartnerId", "account"] as const) {
      if (!isUnknown(news[key]) && (olds[key] ?? "") !== (news[key] ?? "")) {
        throw refusal(
          `Customer ${olds.customerId}: ${key} cannot change from ${JSON.stringify(olds[key] ?? null)} to ${JSON.stringify(news[key] ?? null)}`,
          CANNOT_REPLACE,
        );
      }
    }
    const profileChanged =
      containsUnknown(news.billingProfile) ||
      isUnknown(news.companyName) ||
      !jsonEqual(desiredProfile(news), olds.billingProfile);
    const onDeleteChanged = (olds.onDelete ?? null) !== (news.onDelete ?? null);
    const behavior = describeDeletion(deletionMode(news.onDelete, olds.adopted === true, ctx.config));
    const behaviorChanged = behavior !== olds.deletionBehavior;
    return { changes: profileChanged || onDeleteChanged || behaviorChanged };
  },

  async create(inputs, ctx) {
    const api = ctx.api(inputs.account);
    if (inputs.adopt) {
      const customer = await findForAdopt(api, inputs);
      ctx.log(
        `Customer ${customer.companyProfile?.domain ?? customer.id}: adopted existing customer ${customer.id}`,
      );
      const outs = outputsFrom(inputs, customer, ctx.config, { adopted: true });
      return { id: customer.id, outs };
    }
    if (inputs.associatedPartnerId) {
      await assertActiveReseller(api, "associatedPartnerId", inputs.associatedPartnerId);
    }
    const customer = await createNew(api, inputs, ctx);
    const domain = customer.companyProfile?.domain ?? fullDomain(inputs.domainPrefix);
    const defaultGdapRelationshipId =
      inputs.enableGdapByDefault === true
        ? await findDefaultGdapRelationship(api, customer.id, domain, true, ctx)
        : undefined;
    const outs = outputsFrom(inputs, customer, ctx.config, {
      adopted: false,
      adminUserName: adminUpn(customer.userCredentials?.userName, domain),
      adminPassword: customer.userCredentials?.password,
      defaultGdapRelationshipId,
    });
    return { id: customer.id, outs };
  },

  async read(id, props, ctx) {
    const api = ctx.api(props.account);
    // 404: deleted; 403 with 20002/900159: the reseller relationship was removed. A customer
    // leaves the state only when its absence is confirmed: a 404 is checked against the partner's
    // customers with its domain before it is dropped.
    const customer = await getCustomer(api.partnerCenter, id)
      .then(async (c) => {
        if (c || !props.domain) return c;
        const found = await findCustomersByDomain(api.partnerCenter, props.domain);
        return found.find((f) => f.id.toLowerCase() === id.toLowerCase());
      })
      .catch((e: unknown) => {
        if (hasServiceCode(e, "20002", "900159")) return undefined;
        throw e;
      });
    if (!customer) {
      ctx.log(
        `Customer ${props.domain ?? id}: no longer a customer of partner account "${api.account}" (deleted, or the reseller relationship was removed); removed from the state`,
      );
      return { id: "" };
    }
    const billing =
      billingProfileFromPc(customer.billingProfile) ??
      billingProfileFromPc(await getBillingProfile(api.partnerCenter, id));
    const defaultGdapRelationshipId =
      props.enableGdapByDefault === true
        ? ((await findDefaultGdapRelationship(api, id, props.domain ?? id, false, ctx)) ??
          props.defaultGdapRelationshipId)
        : undefined;
    const outs = outputsFrom(inputsOnly(props), customer, ctx.config, {
      adopted: props.adopted === true,
      adminUserName: props.adminUserName,
      adminPassword: props.adminPassword,
      defaultGdapRelationshipId,
      ...(billing ? { billingProfile: billing } : {}),
    });
    return { id, props: outs };
  },

  async update(id, olds, news, ctx) {
    const api = ctx.api(news.account);
    const desired = desiredProfile(news);
    let applied = olds.billingProfile;
    if (!jsonEqual(desired, olds.billingProfile)) {
      applied = await applyBillingProfile(api, id, desired);
      ctx.log(`Customer ${olds.domain}: billing profile updated`);
    }
    const adopted = olds.adopted === true;
    const outputs: CustomerOutputs = {
      customerId: olds.customerId,
      domain: olds.domain,
      commerceId: olds.commerceId,
      relationshipToPartner: olds.relationshipToPartner,
      companyName: olds.companyName,
      billingProfile: applied,
      adminUserName: olds.adminUserName,
      adminPassword: olds.adminPassword,
      adopted,
      deletionBehavior: describeDeletion(deletionMode(news.onDelete, adopted, ctx.config)),
      defaultGdapRelationshipId: olds.defaultGdapRelationshipId,
    };
    return { outs: stripUndefined({ ...inputsOnly(news), ...outputs }) };
  },

  async delete(id, props, ctx) {
    const mode = deletionMode(props.onDelete, props.adopted === true, ctx.config);
    const name = props.domain ?? id;
    const api = ctx.api(props.account);
    switch (mode) {
      case "deleteTenant": {
        const result = await deleteSandboxCustomer(api.partnerCenter, id);
        ctx.log(
          result === "deleted"
            ? `Customer ${name}: deleted the customer tenant ${id} (integration sandbox)`
            : `Customer ${name}: the customer ${id} was already gone`,
        );
        return;
      }
      case "removeRelationship":
        try {
          await removeResellerRelationship(api.partnerCenter, id);
        } catch (e) {
          if (!hasServiceCode(e, "20002", "900159")) throw e;
          ctx.log(`Customer ${name}: the reseller relationship with customer ${id} was already removed`);
          return;
        }
        ctx.log(`Customer ${name}: removed the reseller relationship with customer ${id}; the tenant stays`);
        return;
      case "leave":
        ctx.log(
          `Customer ${name}: left in Partner Center (customer ${id}): the tenant and the reseller relationship stay; this stack no longer manages it`,
        );
        return;
    }
  },
};

registerHandler(CUSTOMER_TYPE, customerHandler);
