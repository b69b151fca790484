import { describe, expect, it } from "vitest";
import { getCustomer } from "../../provider/clients/partnerCenter/customers";
import { type CustomerInputs, customerHandler } from "../../provider/handlers/commerce/customer";
import { testBillingProfile } from "../support/commerceFixtures";
import { useEmulator } from "../support/emulatorContext";
import { createResource } from "../support/handlerSteps";

/**
 * A customer declared, destroyed and declared again (integration sandbox), as a partner does when
 * iterating on a program: every create must end with exactly one live customer for the domain,
 * recorded by its live id, whether the body changed in between or not, and whatever the create
 * write's answer did (lost after commit, or the run crashed after it: the engine never recorded it).
 */

const t = useEmulator();
let n = 0;

function prefix(): string {
  n += 1;
  return `recr${Date.now().toString(36)}${n}`;
}

function inputs(domainPrefix: string, email: string): CustomerInputs {
  return {
    domainPrefix,
    companyName: "Fabrikam Ltd",
    billingProfile: testBillingProfile(email),
  };
}

async function liveCustomersWithDomain(domain: string): Promise<string[]> {
  const state = await t.emu.admin.state();
  return Object.values(state.partnerCenter.customers)
    .filter((c) => JSON.stringify(c.resource).toLowerCase().includes(`"domain":"${domain}"`))
    .map((c) => c.id);
}

type Fault = "none" | "lostAfterCommit" | "crashAfterCreate";

/** One `pulumi up` of the customer, with the given fault at its create write. */
async function up(domainPrefix: string, email: string, fault: Fault): Promise<string> {
  if (fault === "lostAfterCommit") {
    await t.emu.admin.addFault({
      method: "POST",
      pathPattern: "^/v1/customers$",
      service: "partnerCenter",
      count: 1,
      action: { type: "commitThenDrop" },
    });
  }
  const created = await createResource(customerHandler, inputs(domainPrefix, email), t.ctx);
  if (fault !== "crashAfterCreate") return created.id;
  // The engine never recorded that create: the next run creates again.
  return (await createResource(customerHandler, inputs(domainPrefix, email), t.ctx)).id;
}

describe("a customer re-created after destroy", () => {
  for (const changeBody of [false, true]) {
    for (const fault of ["none", "lostAfterCommit", "crashAfterCreate"] as Fault[]) {
      it(`${changeBody ? "with a changed billing email" : "with the same body"}, ${fault} at each create: three cycles, each one live customer`, async () => {
        const domainPrefix = prefix();
        const domain = `${domainPrefix}.onmicrosoft.com`;
        const seen: string[] = [];
        for (let cycle = 0; cycle < 3; cycle++) {
          const email = changeBody ? `billing${cycle}@fabrikam.com` : "billing@fabrikam.com";
          const id = await up(domainPrefix, email, fault);
          expect(seen, `cycle ${cycle}: a new tenant, not one deleted before`).not.toContain(id);
          expect(
            await getCustomer(t.ctx.api().partnerCenter, id),
            `cycle ${cycle}: recorded id is live`,
          ).toBeDefined();
          expect(await liveCustomersWithDomain(domain), `cycle ${cycle}: exactly one customer`).toEqual([id]);
          seen.push(id);
          await customerHandler.delete(
            id,
            { ...inputs(domainPrefix, email), customerId: id } as never,
            t.ctx,
          );
          expect(await liveCustomersWithDomain(domain)).toEqual([]);
        }
      });
    }
  }
});
