/**
 * Sample values for a partner's own tests of their programs against the emulator
 * (`pulumi-csp/emulator`), and for this package's tests, benchmarks and load runs: a customer's
 * billing profile with a real US address (Microsoft's, in Redmond), the one part of a customer
 * every test must write and none varies. A customer's billing profile and its default address are
 * required on create ("Create a customer",
 * https://learn.microsoft.com/en-us/partner-center/developer/create-a-customer).
 */

/** A billing address with its contact, in the shape of the Customer's `billingProfile.defaultAddress`. */
export interface SampleAddress {
  firstName: string;
  lastName: string;
  addressLine1: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
}

/** A billing profile in the shape of the Customer's `billingProfile`. */
export interface SampleBillingProfile {
  email: string;
  culture: string;
  language: string;
  defaultAddress: SampleAddress;
}

/** The sample billing address: Ada Lovelace at One Microsoft Way, Redmond, WA 98052, US (a new object each call). */
export function sampleAddress(): SampleAddress {
  return {
    firstName: "Ada",
    lastName: "Lovelace",
    addressLine1: "One Microsoft Way",
    city: "Redmond",
    state: "WA",
    postalCode: "98052",
    country: "US",
  };
}

/** A billing profile (`en-US`, `en`) with the billing e-mail `email` at {@link sampleAddress}. */
export function sampleBillingProfile(email: string): SampleBillingProfile {
  return { email, culture: "en-US", language: "en", defaultAddress: sampleAddress() };
}
