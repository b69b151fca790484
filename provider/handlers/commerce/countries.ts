/**
 * Country rules for Partner Center customer profiles.
 *
 * The country codes themselves (Partner Center `Address.country` is "(2, 2), in ISO country code
 * format": "Utility resources",
 * https://learn.microsoft.com/partner-center/developer/utility-resources) are in
 * `../countryCodes.ts`.
 *
 * `REGISTRATION_NUMBER_REQUIRED`: countries where `companyProfile.organizationRegistrationNumber`
 * is required ("Create a customer",
 * https://learn.microsoft.com/partner-center/developer/create-a-customer; 600049 when missing:
 * "Partner Center REST error codes",
 * https://learn.microsoft.com/partner-center/developer/error-codes).
 *
 * `PHONE_REQUIRED`: countries where the address `phoneNumber` is required in the customer
 * profile (Microsoft Learn "Utility resources", Address.PhoneNumber; Partner Center 600051 when
 * missing). The published list is the same set of countries.
 */
export const REGISTRATION_NUMBER_REQUIRED: ReadonlySet<string> = new Set(
  "AM AZ BY HU KZ KG MD RU TJ UZ UA BR IN ZA PL AE SA TR TH VN MM IQ SS VE".split(" "),
);

export const PHONE_REQUIRED: ReadonlySet<string> = REGISTRATION_NUMBER_REQUIRED;
