import { beforeAll, describe, expect, it } from "vitest";
import type { SeedAccount } from "../../emulator/index";
import { getCustomer } from "../../provider/clients/partnerCenter/customers";
import { isCspError } from "../../provider/errors";
import { type AzurePlanInputs, azurePlanHandler } from "../../provider/handlers/commerce/azurePlan";
import { type CustomerInputs, customerHandler } from "../../provider/handlers/commerce/customer";
import { UNKNOWN } from "../../provider/handlers/types";
import { newCustomerWithAgreement } from "../support/commerceFixtures";
import { useBuyerEmulator } from "../support/emulatorContext";
import { checkFailures, createResource, updateResource } from "../support/handlerSteps";

/**
 * The indirect model through the handlers, against an emulator seeded with an indirect provider
 * (account `indirect`) and its active indirect reseller (account `reseller`): a reseller named on
 * a Customer or an AzurePlan that is not one of the account's is refused at check, before any
 * write.
 */

const { t, buyer } = useBuyerEmulator({ indirect: true });
let reseller: SeedAccount;
let n = 0;

beforeAll(() => {
  reseller = t.emu.accounts.find((a) => a.name === "reseller")!;
});

function customer(associatedPartnerId: string, account = "indirect"): CustomerInputs {
  n += 1;
  return {
    domainPrefix: `ind${Date.now().toString(36)}${n}`,
    companyName: "Tailspin Toys",
    billingProfile: {
      email: "it@tailspin.example",
      culture: "en-US",
      language: "en",
      defaultAddress: {
        firstName: "Mary",
        lastName: "Baker",
        addressLine1: "10 Runway Road",
        city: "Denver",
        state: "CO",
        postalCode: "80202",
        country: "US",
      },
    },
    associatedPartnerId,
    account,
  };
}

function plan(customerId: string, partnerIdOnRecord: string): AzurePlanInputs {
  return { customerId, acknowledgePurchase: true, partnerIdOnRecord, account: "indirect" };
}

async function lastSeq(): Promise<number> {
  return (await t.emu.admin.requestLog()).at(-1)?.seq ?? 0;
}

/** Writes to Partner Center, Graph or ARM since `seq` (token requests are not writes to them). */
async function writesSince(seq: number): Promise<string[]> {
  return (await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true }))
    .filter((e) => e.service !== "identity")
    .map((e) => `${e.method} ${e.path}`);
}

describe("Customer for an indirect reseller", () => {
  it("refuses at check a reseller that is not the account's, naming the field, the value and the account's resellers, with no write", async () => {
    const seq = await lastSeq();
    const failures = await checkFailures(customerHandler, {}, customer("7654321"), t.ctx);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.property).toBe("associatedPartnerId");
    expect(failures[0]!.reason).toContain(
      'associatedPartnerId: 7654321 is not an indirect reseller of partner account "indirect"',
    );
    expect(failures[0]!.reason).toContain(
      `its indirect resellers: ${reseller.partnerCompanyName} (PartnerID ${reseller.partnerMpnId}, tenant ${reseller.partnerTenantId}, Active)`,
    );
    const reads = await t.emu.admin.requestLog({ sinceSeq: seq, pathPattern: "/v1/relationships" });
    expect(reads.map((e) => e.method)).toEqual(["GET"]);
    expect(await writesSince(seq)).toEqual([]);
  });

  it("says a direct-bill account has no indirect resellers at all", async () => {
    const failures = await checkFailures(
      customerHandler,
      {},
      customer(reseller.partnerMpnId, "default"),
      t.ctx,
    );
    expect(failures.map((f) => f.property)).toEqual(["associatedPartnerId"]);
    expect(failures[0]!.reason).toContain("Partner Center lists no indirect resellers for it");
  });

  it("fails the preview, naming the cause, when the resellers cannot be looked up (no App+User credentials)", async () => {
    const noUser = await t.contextWith({ CSP_ACCOUNT_INDIRECT_REFRESH_TOKEN: "" });
    const seq = await lastSeq();
    const error = await customerHandler
      .check({}, customer(reseller.partnerMpnId), noUser)
      .catch((e: unknown) => e);
    expect(isCspError(error)).toBe(true);
    expect(String((error as Error).message)).toContain(
      `the preview cannot check whether associatedPartnerId ${reseller.partnerMpnId} is an indirect reseller of partner account "indirect"`,
    );
    expect(await writesSince(seq)).toEqual([]);
  });

  it("creates the customer for the account's active reseller, which then sees it", async () => {
    const created = await createResource(customerHandler, customer(reseller.partnerMpnId), t.ctx);
    expect(created.state.relationshipToPartner).toBe("reseller");
    const seen = await getCustomer(t.ctx.api("reseller").partnerCenter, created.id);
    expect(seen?.associatedPartnerId).toBe(reseller.partnerMpnId);
  });
});

describe("AzurePlan with an indirect reseller of record", () => {
  it("refuses at check a partnerIdOnRecord that is not the account's reseller, even before the customer exists, with no write", async () => {
    const seq = await lastSeq();
    const unknownCustomer = { ...plan("x", "7654321"), customerId: UNKNOWN as unknown as string };
    const failures = await checkFailures(azurePlanHandler, {}, unknownCustomer, buyer);
    expect(failures.map((f) => f.property)).toEqual(["partnerIdOnRecord"]);
    expect(failures[0]!.reason).toContain(
      'partnerIdOnRecord: 7654321 is not an indirect reseller of partner account "indirect"',
    );
    expect(failures[0]!.reason).toContain(`PartnerID ${reseller.partnerMpnId}`);
    expect(await writesSince(seq)).toEqual([]);
  });

  it("buys the plan with the reseller of record on the order, and keeps it fixed afterwards", async () => {
    const customerId = await newCustomerWithAgreement(buyer, "indirect");
    const created = await createResource(azurePlanHandler, plan(customerId, reseller.partnerMpnId), buyer);
    const state = await t.emu.admin.state();
    const orders = Object.values(
      state.partnerCenter.orders as Record<string, { customerId: string; resource: { lineItems: object[] } }>,
    ).filter((o) => o.customerId === customerId);
    expect(orders.map((o) => o.resource.lineItems[0])).toEqual([
      expect.objectContaining({ partnerIdOnRecord: reseller.partnerMpnId }),
    ]);
    const change = updateResource(azurePlanHandler, created.id, created, plan(customerId, "1111111"), buyer);
    await expect(change).rejects.toThrow(/partnerIdOnRecord: cannot change from "\d+" to "1111111"/);
  });
});

describe("a reseller's customers arriving through its relationship request", () => {
  it("becomes a customer of the provider associated with the reseller once the organization accepts the link", async () => {
    const provider = t.emu.accounts.find((a) => a.name === "indirect")!;
    const link = await t.ctx.api("reseller").partnerCenter.send<{ url: string }>({
      method: "GET",
      path: "/v1/customers/relationshiprequests",
      query: { indirectCloudSolutionProviderId: provider.partnerTenantId },
      auth: { mode: "user" },
    });
    const accepted = await t.emu.admin.acceptRelationshipRequest(link.body.url, {
      companyName: "Adventure Works",
      domainPrefix: `aw${Date.now().toString(36)}`,
    });
    expect(accepted).toMatchObject({
      partnerTenantId: provider.partnerTenantId,
      associatedPartnerId: reseller.partnerTenantId,
    });
    const seen = await getCustomer(t.ctx.api("reseller").partnerCenter, accepted.customerId);
    expect(seen?.companyProfile?.companyName).toBe("Adventure Works");
  });
});
