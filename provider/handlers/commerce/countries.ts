/**
 * Country rules for Partner Center customer profiles.
 *
 * The country codes themselves (Partner Center `Address.country` is "(2, 2), in ISO country code
 * format", reference §2.1) are in `../countryCodes.ts`.
 *
 * `REGISTRATION_NUMBER_REQUIRED`: countries where `companyProfile.organizationRegistrationNumber`
 * is required (reference §2.1; Partner Center 600049 when missing).
 *
 * `PHONE_REQUIRED`: countries where the address `phoneNumber` is required in the customer
 * profile (Microsoft Learn "Utility resources", Address.PhoneNumber; Partner Center 600051 when
 * missing). The published list is the same set of countries.
 */
export const REGISTRATION_NUMBER_REQUIRED: ReadonlySet<string> = new Set(
  "AM AZ BY HU KZ KG MD RU TJ UZ UA BR IN ZA PL AE SA TR TH VN MM IQ SS VE".split(" "),
);

export const PHONE_REQUIRED: ReadonlySet<string> = REGISTRATION_NUMBER_REQUIRED;
