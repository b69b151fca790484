import type { CustomerInputs } from "../../provider/handlers/commerce/customer";
import type { EmulatorContext } from "./emulatorContext";

/** Inputs and emulator lookups shared by the Customer handler tests. */

let n = 0;

/** A unique, valid domain prefix per test. */
export function uniquePrefix(): string {
  n += 1;
  return `cust${Date.now().toString(36)}${n}`;
}

/** A valid US customer with this domain prefix. */
export function customerInputs(
  domainPrefix: string,
  overrides: Partial<CustomerInputs> = {},
): CustomerInputs {
  return {
    domainPrefix,
    companyName: "Contoso Ltd",
    billingProfile: {
      email: "billing@contoso.com",
      culture: "EN-US",
      language: "en",
      defaultAddress: {
        firstName: "Ada",
        lastName: "Lovelace",
        addressLine1: "One Microsoft Way",
        city: "Redmond",
        state: "WA",
        postalCode: "98052",
        country: "US",
      },
    },
    ...overrides,
  };
}

/** Ids of the emulator's customers with this domain. */
export async function customersWithDomain(t: EmulatorContext, domain: string): Promise<string[]> {
  const state = await t.emu.admin.state();
  return Object.values(state.partnerCenter.customers)
    .filter((c) => JSON.stringify(c.resource).toLowerCase().includes(`"domain":"${domain}"`))
    .map((c) => c.id);
}

/** The sequence number of the emulator's last logged request (0 when none). */
export async function lastSeq(t: EmulatorContext): Promise<number> {
  const log = await t.emu.admin.requestLog();
  return log.length > 0 ? log[log.length - 1]!.seq : 0;
}
