import { PcError } from "./pcError";

/**
 * Every Partner Center error the emulator produces, in one place.
 *
 * Codes marked [C] are documented ("Partner Center REST error codes",
 * https://learn.microsoft.com/partner-center/developer/error-codes, or the article named); [U]
 * marks a code or status the emulator chose because no published source shows the real one.
 * Descriptions follow the documented text where there is one.
 */
export const pcErrors = {
  // ---- authentication / authorization -------------------------------------------------------
  /** [C] 401 / 800001 "Partner Token missing in request context". */
  tokenMissing: () =>
    new PcError(401, 800001, "Partner Token missing in request context", [], wwwAuthenticate()),
  /** [C] 401 / 400 "Access denied" (the token is expired, badly signed, or for another audience). */
  accessDenied: (why: string) => new PcError(401, 400, `Access denied: ${why}`, [], wwwAuthenticate()),
  /**
   * [C code, U usage] 401 / 400 for an App+User token without MFA. Partner Center enforces MFA on
   * App+User calls from 2026-04-01 ("Partner Center authentication",
   * https://learn.microsoft.com/partner-center/developer/partner-center-authentication); the exact
   * rejection is not published.
   */
  mfaRequired: () =>
    new PcError(
      401,
      400,
      "Access denied: App+User requests must come from a sign-in that used multi-factor authentication (the token's amr claim has no 'mfa').",
      [],
      wwwAuthenticate(),
    ),
  /** [C] 403 / 900329 "This resource does not support application-only authentication." */
  appOnlyNotSupported: () =>
    new PcError(403, 900329, "This resource does not support application-only authentication."),
  /** [C code; U usage] 403 / 900308 for a user who is not an admin agent of the partner. */
  insufficientPrivileges: () =>
    new PcError(403, 900308, "Insufficient privileges to complete the operation."),
  /**
   * [C code; U usage and text] 403 / 900308 for an admin agent without the GDAP role an operation
   * in a customer tenant needs (gdapAuthorization.ts); `data` lists the template ids of the roles
   * that would do.
   */
  gdapRoleMissing: (description: string, roleIds: string[]) => new PcError(403, 900308, description, roleIds),
  /** [C code 2032 "Access denied"; U usage] 403 when the token's tenant is not a Partner Center partner. */
  notAPartner: (tenantId: string) =>
    new PcError(403, 2032, `Access denied: tenant ${tenantId} is not a Partner Center partner account.`),

  // ---- input -------------------------------------------------------------------------------
  /** [C] 400 / 800002 "Invalid request input" (e.g. ids that are not GUIDs, missing body). */
  invalidInput: (description: string) => new PcError(400, 800002, description),
  /** [C] 400 / 800002, text from `cancel-an-azure-subscription.md`. */
  notAGuid: (what: string, value: string) =>
    new PcError(
      400,
      800002,
      `${what} ${value} should have GUID format (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).`,
    ),
  /**
   * [U] 400 / 2000 for a missing or malformed property. Code 2000 is what the service answers for
   * validation failures in published samples ("Tenant Id must be a GUID.", "Customer search only
   * allows starts with and equals operation.").
   */
  invalidProperty: (description: string) => new PcError(400, 2000, description),
  /**
   * [C] 400 / 2000, text from the .NET SDK unit tests (microsoft/partner-center-sdk-for-dotNET,
   * `DefaultPartnerServiceErrorHandlerTests.cs`; not a Learn page).
   */
  badSearchOperator: () =>
    new PcError(400, 2000, "Customer search only allows starts with and equals operation."),
  /** [U] 400 / 2000 for an unreadable `MS-ContinuationToken`. */
  badContinuationToken: () =>
    new PcError(400, 2000, "The continuation token is invalid or belongs to another query."),
  /**
   * [U] 400 / 800002 "Invalid request input" for an `MS-RequestId` or `MS-CorrelationId` that is
   * not a GUID. Microsoft Learn "Partner Center REST and response headers"
   * (https://learn.microsoft.com/partner-center/developer/headers) gives both the value type GUID;
   * what production answers for another value is not published.
   */
  headerNotAGuid: (header: string, value: string) =>
    new PcError(
      400,
      800002,
      `Invalid request input: the ${header} header must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), got '${value.slice(0, 64)}'.`,
    ),
  /** [U] 400 / 800002 when an `MS-RequestId` is reused for a different request. */
  requestIdReused: (requestId: string) =>
    new PcError(
      400,
      800002,
      `MS-RequestId ${requestId} was already used for a different request. Use a new MS-RequestId for every new operation and reuse it only to retry the same request.`,
    ),

  // ---- customers -----------------------------------------------------------------------------
  /** [C] 400 / 600049 "Organization registration ID information is missing". */
  orgRegistrationMissing: (country: string) =>
    new PcError(
      400,
      600049,
      `Organization registration ID information is missing. Customers located in ${country} must pass companyProfile.organizationRegistrationNumber.`,
    ),
  /** [C] 400 / 600051 "Customer phone number is missing". */
  phoneMissing: (country: string) =>
    new PcError(
      400,
      600051,
      `Customer phone number is missing. Customers located in ${country} must pass billingProfile.defaultAddress.phoneNumber.`,
    ),
  /** [U] 400 / 600007: the requested `*.onmicrosoft.com` domain belongs to another tenant. */
  domainTaken: (domain: string) =>
    new PcError(
      400,
      600007,
      `The domain ${domain} is not available: it is already used by another tenant. Choose a different domain prefix (HEAD /v1/domains/{domain} answers 404 for an available one).`,
    ),
  /** [C code; U usage] 403 / 20002: the customer belongs to another partner. */
  noRelationship: (partnerId: string, customerId: string) =>
    new PcError(
      403,
      20002,
      `The partner ID ${partnerId} has no commerce relationship with the customer ID ${customerId}.`,
    ),
  /** [C code 60003 "Tenant not found"; U usage] 404 for an unknown customer. */
  customerNotFound: (customerId: string) =>
    new PcError(404, 60003, `Tenant not found: no customer with ID ${customerId} exists for this partner.`),
  /** [C] 400 / 2055 "Etag is no longer valid". */
  staleEtag: () =>
    new PcError(
      400,
      2055,
      "Etag is no longer valid. Get the resource again and retry with its current etag.",
    ),
  /** [U] 400 / 800002 when the billing profile PUT carries no etag at all. */
  etagRequired: () =>
    new PcError(
      400,
      800002,
      "An etag is required: send the profile's current etag in If-Match (or Attributes.Etag).",
    ),
  /**
   * [U] 403 / 900127: customers can only be deleted in an integration sandbox. Code 900127 is
   * documented (as 400) "This operation isn't supported in this environment".
   */
  deleteOnlyInSandbox: () =>
    new PcError(
      403,
      900127,
      "This operation isn't supported in this environment: customers can only be deleted from an integration sandbox (TiP) account. A production customer tenant cannot be deleted.",
    ),
  /** [C code; U usage] 400 / 800018 "The sandbox limit has been met". */
  sandboxLimit: (what: string) => new PcError(400, 800018, `The sandbox limit has been met: ${what}`),
  /** [U] 400 / 2000: the reseller relationship is removed only once every subscription is suspended. */
  activeSubscriptionsBlockRemoval: (ids: string[]) =>
    new PcError(
      400,
      2000,
      "The reseller relationship can't be removed while the customer has active subscriptions. Suspend them first (PATCH .../subscriptions/{id} with status suspended).",
      ids,
    ),
  /** [C] 400 / 800016 "PartnerID isn't a valid Indirect Reseller". */
  notIndirectReseller: (id: string) =>
    new PcError(400, 800016, `PartnerID ${id} isn't a valid Indirect Reseller`),
  /** [C] 404 / 800015 "PartnerID isn't found". */
  partnerIdNotFound: (id: string) => new PcError(404, 800015, `PartnerID ${id} isn't found`),

  // ---- agreements ----------------------------------------------------------------------------
  /**
   * [C body and code, U status] duplicate MCA confirmation. The article
   * `confirm-customer-consent-customer-agreement.md` publishes this body (a different shape from the
   * usual error body); the HTTP status is not shown, 409 is the emulator's choice.
   */
  agreementExists: () =>
    new PcError(
      409,
      600061,
      "A partner confirmed agreement already exists for the customer.",
      [],
      {},
      {
        code: 600061,
        message: "A partner confirmed agreement already exists for the customer.",
        description: "A partner confirmed agreement already exists for the customer.",
        errorName: "PartnerConfirmedAgreementAlreadyExists",
        isRetryable: false,
        parameters: {},
        errorMessageExtended: "InternalErrorCode=600061",
      },
    ),
  /** [C] 403 / 13605, the documented MCA purchase gate. */
  mcaNotAccepted: () =>
    new PcError(
      403,
      13605,
      "Either a partner confirmation of the customer acceptance of the Microsoft Customer Agreement must be provided or the customer must accept the Microsoft Customer Agreement in the Microsoft Admin Center before you can complete this purchase",
    ),
  /** [C] 403 / 900124, partner has not accepted the MPA. */
  mpaNotAccepted: () =>
    new PcError(
      403,
      900124,
      "Your company hasn't accepted the Microsoft Partner Agreement (MPA). The global admin of the CSP account must accept the MPA to resume the full transactional capabilities.",
    ),

  // ---- catalog ------------------------------------------------------------------------------
  /** [C] 404 / 400013 "Product wasn't found". */
  productNotFound: (id: string) => new PcError(404, 400013, `Product wasn't found: ${id}`),
  /** [C] 404 / 400018 "SKU wasn't found". */
  skuNotFound: (id: string) => new PcError(404, 400018, `SKU wasn't found: ${id}`),
  /** [C] 404 / 400019 "Availability not found". */
  availabilityNotFound: (id: string) =>
    new PcError(
      404,
      400019,
      `Availability not found: ${id}. Issue a new GET to get the current availability ID and retry the cart check out.`,
    ),
  /** [C] 400 / 800004 "Invalid offer ID". */
  invalidOfferId: (id: string) =>
    new PcError(400, 800004, `Invalid offer ID ${id}: expected productId:skuId:availabilityId`),
  /** [C] 400 / 900275 quantity outside the allowed range. */
  quantityNotAllowed: (lineItem: number) =>
    new PcError(
      400,
      900275,
      `The requested quantity for line item ${lineItem} is not within the allowed quantity for this offer.`,
    ),
  /** [C] 400 / 900269 "The billing cycle is invalid." */
  billingCycleInvalid: (value: string) => new PcError(400, 900269, `The billing cycle is invalid: ${value}`),

  // ---- carts / orders -------------------------------------------------------------------------
  /**
   * [C] 400 / 900206 "Partner Attestation is missing" (Microsoft Learn "Partner Center REST error
   * codes", https://learn.microsoft.com/partner-center/developer/error-codes): a cart or order
   * without `PartnerOnRecordAttestationAccepted: true`.
   */
  partnerAttestationMissing: () =>
    new PcError(
      400,
      900206,
      "Partner Attestation is missing: send PartnerOnRecordAttestationAccepted: true in the cart or order body.",
    ),
  /** [C] 404 / 800008 "Unable to retrieve cart ID". */
  cartNotFound: (id: string) => new PcError(404, 800008, `Unable to retrieve cart ID ${id}`),
  /** [C] 400 / 800065 "can't check out an already submitted cart". */
  cartSubmitted: (id: string) => new PcError(400, 800065, `Can't check out an already submitted cart ${id}.`),
  /** [C code 800009 "Error in Cart item(s)"; U usage] for an expired cart or a cart without items. */
  cartItemError: (why: string) => new PcError(400, 800009, `Error in Cart item(s): ${why}`),
  /** [C] 404 / 20000 "Order ID not found". */
  orderNotFound: (id: string) => new PcError(404, 20000, `Order ID not found: ${id}`),
  /** [C] 403 / 800066 max subscriptions per customer (sandbox: 5). */
  tooManySubscriptions: (limit: number) =>
    new PcError(
      403,
      800066,
      `The desired number of subscriptions exceeded the maximum number of subscriptions allowed per customer (${limit} in the integration sandbox).`,
    ),
  /** [C] 403 / 800067 max seats per subscription (sandbox: 25 licenses). */
  tooManySeats: (limit: number) =>
    new PcError(
      403,
      800067,
      `The desired seat count exceeded the maximum seat count allowed per subscription (${limit}).`,
    ),
  /** [C] 400 / 900116 sandbox Azure plan limits. */
  azurePlanSandboxLimit: (why: string) =>
    new PcError(
      400,
      900116,
      `Unable to create order. There's a limit to how many Azure plans can be created under sandbox accounts: ${why}`,
    ),
  /**
   * [U] 403 / 800020 "The catalog item isn't eligible for purchase." for a second Azure plan of
   * the same customer bought by the same partner (a customer has at most one Azure plan per partner).
   */
  azurePlanExists: (subscriptionId: string) =>
    new PcError(
      403,
      800020,
      `The catalog item isn't eligible for purchase: the customer already has the Azure plan ${subscriptionId} from this partner.`,
      [subscriptionId],
    ),

  // ---- subscriptions / entitlements -----------------------------------------------------------
  /** [C] 404 / 20003 "Subscription with ID {0} not found." */
  subscriptionNotFound: (id: string) => new PcError(404, 20003, `Subscription with ID ${id} not found.`),
  /** [C] 400 / 2011 deleted subscriptions can't be updated. */
  subscriptionDeleted: (id: string) =>
    new PcError(400, 2011, `Subscription with ID ${id} and deleted status can't be updated.`),
  /** [C] 400 / 2054 billing cycle can't change through update-subscription. */
  billingCycleChange: () =>
    new PcError(
      400,
      2054,
      "The billing cycle for an existing subscription can't be updated using update-subscription operation. Use update-Order operation",
    ),
  /** [C] 400 / 800095 "Can't update the seat quantity for this subscription". */
  quantityNotUpdatable: () =>
    new PcError(400, 800095, "Can't update the seat quantity for this subscription"),
  /** [C] 400 / 800096 "Can't update the status for this subscription". */
  statusNotUpdatable: (value: string) =>
    new PcError(400, 800096, `Can't update the status for this subscription to '${value}'.`),
  /**
   * [C] 403 / 900115: "Azure plan can't be moved to suspended state since you have one or more
   * Azure Subscriptions in the active state" (error-codes.md).
   */
  planHasActiveSubscriptions: (ids: string[]) =>
    new PcError(
      403,
      900115,
      "Azure plan can't be moved to suspended state since you have one or more Azure Subscriptions in the active state. Cancel them first (POST .../azureEntitlements/{id}/cancel).",
      ids,
    ),
  /** [C] 404 / 800111 "Azure entitlement with ID {0} isn't found." */
  entitlementNotFound: (id: string) =>
    new PcError(404, 800111, `Azure entitlement with ID ${id} isn't found.`),
  /** [C] 400 / 800002 "The Azure entitlement cancellation request content is required." */
  cancellationContentRequired: () =>
    new PcError(400, 800002, "The Azure entitlement cancellation request content is required."),
  /** [C] 400 / 900307 "Cancellation reason '{0} is invalid." */
  cancellationReasonInvalid: (reason: string) =>
    new PcError(400, 900307, `Cancellation reason '${reason}' is invalid.`),
  /** [C code; U text] 400 / 900337 cannot reactivate the Azure entitlement. */
  cannotReactivate: (why: string) =>
    new PcError(400, 900337, `The Azure entitlement cannot be reactivated: ${why}`),

  // ---- new-commerce license subscriptions ----------------------------------------------------
  /** [C] 400 / 900117 (error-codes.md), a cancellation after the window closed. */
  cancellationWindowPassed: (days: number) =>
    new PcError(
      400,
      900117,
      `You have passed your ${days}-day cancellation window. We are unable to cancel your purchase`,
    ),
  /** [C] 400 / 900257 (error-codes.md), a seat decrease beyond the seats still in their window. */
  seatReductionWindowPassed: (days: number) =>
    new PcError(
      400,
      900257,
      `You have passed your ${days}-day window for reducing seats for this subscription.`,
    ),
  /** [C] 400 / 2001 (error-codes.md). */
  quantityWhileSuspended: () =>
    new PcError(
      400,
      2001,
      "Subscription quantity can't be increased or decreased while subscription is being suspended",
    ),
  /** [C] 400 / 800093 (error-codes.md), auto-renew turned on for a subscription that is not active. */
  notAutoRenewable: () => new PcError(400, 800093, "The subscription isn't eligible to be auto-renewed"),
  /** [C] 400 / 900270 (error-codes.md), e.g. annual billing on a one-month term. */
  billingCycleLongerThanTerm: () =>
    new PcError(400, 900270, "The billing cycle cannot be longer than the term."),
  /** [C] 404 / 2072 (error-codes.md), the indirect provider's own id given as the reseller on record. */
  providerAsPartnerOnRecord: () =>
    new PcError(404, 2072, "PartnerID of Indirect Provider isn't valid as Partner On Record"),

  // ---- licenses ----------------------------------------------------------------------------
  /** [C] 400 / 60012 with the published body ("Assign licenses to a user", vector 05). */
  licenseQuotaExceeded: (customerId: string, skuId: string) =>
    new PcError(
      400,
      60012,
      "We are sorry, it looks like you have run out of licenses. Buy more licenses, and then try again.",
      [
        `LicenseQuotaExceededException : Subscription with Account ${customerId} and SKU ${skuId} does not have any available licenses left.`,
      ],
    ),
  /** [U] 400 / 2000: Entra ID assigns licenses only to users with a usage location. */
  usageLocationRequired: (userId: string) =>
    new PcError(
      400,
      2000,
      `License assignment cannot be done for user ${userId} with invalid usage location. Set the user's usageLocation first.`,
    ),
  /** [U] 400 / 2000: a SKU the customer's tenant does not subscribe to. */
  skuNotSubscribed: (skuId: string) =>
    new PcError(400, 2000, `The license ${skuId} does not correspond to a SKU the customer subscribes to.`),
  /** [U] 400 / 2000: removing a license the user does not hold. */
  licenseNotAssigned: (skuId: string) =>
    new PcError(400, 2000, `The user does not have the license ${skuId}, so it cannot be removed.`),
  /** [U] 400 / 2000: an empty or contradictory LicenseUpdate. */
  invalidLicenseUpdate: (why: string) => new PcError(400, 2000, `Invalid license update: ${why}`),

  // ---- users / roles -------------------------------------------------------------------------
  /** [C] 404 / 60002 "User object ID isn't found". */
  userNotFound: (id: string) => new PcError(404, 60002, `User object ID isn't found: ${id}`),
  /** [U] 409 / 60010 an active user already has this user principal name. */
  upnTaken: (upn: string, userId: string) =>
    new PcError(
      409,
      60010,
      `Another user with the user principal name ${upn} already exists in the customer tenant.`,
      [userId],
    ),
  /**
   * [U] 409 / 60011 a soft-deleted user has this user principal name. `data[0]` carries the deleted
   * user's id so that a caller restores it (PATCH `{"State":"active"}`) instead of creating a new one.
   */
  upnSoftDeleted: (upn: string, userId: string) =>
    new PcError(
      409,
      60011,
      `A deleted user with the user principal name ${upn} exists in the customer tenant (id ${userId}). Restore it with PATCH /v1/customers/{customer}/users/${userId} {"State":"active"} within 30 days of its deletion, or choose another user principal name.`,
      [userId],
    ),
  /** [U] 400 / 2000 the UPN's domain is not a domain of the customer tenant. */
  /** [U] 400 / 2000: a billing profile PUT that changes the country of the customer's address. */
  countryFixed: (from: string, to: string) =>
    new PcError(
      400,
      2000,
      `The country of a customer's billing address cannot be changed (from ${from} to ${to}): it is set when the customer is created.`,
    ),
  /** [U] 400 / 2000 (code not published) for a name Entra ID's username policy refuses. */
  upnInvalid: (upn: string) =>
    new PcError(
      400,
      2000,
      `The user principal name ${upn} is not valid: before the @ only letters, digits and ' . - _ ! # ^ ~ are allowed (at most 64, a period only between two other characters), at most 48 characters after it.`,
    ),
  upnDomainInvalid: (upn: string, domains: string[]) =>
    new PcError(
      400,
      2000,
      `The domain of the user principal name ${upn} is not a verified domain of the customer tenant (${domains.join(", ")}).`,
    ),
  /** [U] 400 / 2000 password does not satisfy the Entra ID password policy. */
  passwordPolicy: () =>
    new PcError(
      400,
      2000,
      "The password does not comply with the password complexity policy: 8 to 256 characters with at least three of upper-case letters, lower-case letters, digits and symbols.",
    ),
  /** [U] 404 / 1000 "Not found" for an unknown directory role. */
  roleNotFound: (id: string) => new PcError(404, 1000, `Not found: directory role ${id} doesn't exist.`),
  /** [U] 409 / 60013 the user already holds the role. */
  alreadyRoleMember: (userId: string, roleId: string) =>
    new PcError(409, 60013, `The user ${userId} is already a member of the directory role ${roleId}.`, [
      userId,
    ]),
  /** [U] 404 / 60002 the user is not a member of the role. */
  notRoleMember: (userId: string, roleId: string) =>
    new PcError(
      404,
      60002,
      `User object ID isn't found among the members of directory role ${roleId}: ${userId}`,
    ),

  // ---- application consents ------------------------------------------------------------------
  /**
   * [U] 409 / 60015 a consent for this application already exists for the customer. The samples
   * always DELETE before POST, which suggests the service refuses a second POST; callers should
   * read it back (GET) and compare instead of failing.
   */
  consentExists: (applicationId: string) =>
    new PcError(
      409,
      60015,
      `An application consent for application ${applicationId} already exists for this customer. DELETE it first to change its grants.`,
      [applicationId],
    ),
  /** [U] 404 / 1000 unknown consent. */
  consentNotFound: (applicationId: string) =>
    new PcError(404, 1000, `Not found: no application consent for application ${applicationId}.`),
  /** [U] 400 / 2000 application not registered in the partner tenant. */
  applicationUnknown: (applicationId: string) =>
    new PcError(
      400,
      2000,
      `Application ${applicationId} is not registered in the partner tenant. Application consents are for the partner's own multi-tenant applications.`,
    ),
  /** [U] 400 / 2000 the application is single-tenant (`signInAudience` AzureADMyOrg). */
  applicationSingleTenant: (applicationId: string) =>
    new PcError(
      400,
      2000,
      `Application ${applicationId} is a single-tenant application (signInAudience AzureADMyOrg); only multi-tenant applications can be consented in customer tenants.`,
    ),
  /** [U] 400 / 2000 unknown resource application or scope in a grant. */
  grantInvalid: (description: string) => new PcError(400, 2000, description),
} as const;

function wwwAuthenticate(): Record<string, string> {
  // Documented header on 401 answers ("Partner Center REST error codes",
  // https://learn.microsoft.com/partner-center/developer/error-codes).
  return { "WWW-Authenticate": "OAuth realm=urn:cpsvc:cpid:emulator" };
}
