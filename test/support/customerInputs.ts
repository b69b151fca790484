import type { CustomerInputs } from "../../provider/handlers/commerce/customer";
import { sampleBillingProfile } from "../../testing/index";
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
    billingProfile: sampleBillingProfile("billing@contoso.com"),
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
