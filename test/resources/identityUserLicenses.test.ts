import { describe, expect, it } from "vitest";
import { listUserLicenseSkuIds, updateUserLicenses } from "../../provider/clients/partnerCenter/licenses";
import { isCspError } from "../../provider/errors";
import {
  type CustomerUserInputs,
  customerUserHandler as handler,
} from "../../provider/handlers/directory/customerUser";
import { BUSINESS_PREMIUM_SKU, buySeats, confirmAgreement } from "../support/commerceFixtures";
import { useEmulator } from "../support/emulatorContext";
import { checkFailures, createResource, updateResource } from "../support/handlerSteps";
import { createTestCustomer } from "../support/identityFixtures";

/**
 * A CustomerUser's licenses against the emulator: assigned and removed as a set by SKU name, part
 * number or id, refused before any write when a seat is missing (naming the SKU and its counts) or
 * the customer does not subscribe to the SKU, and drift shown by refresh.
 */

const OFFICE_E3 = "CFQ7TTC0LF8Q:0001:CFQ7TTC0N8SD";
const OFFICE_E3_SKU = "6fd2c87f-b296-42f0-b197-1e91e994b900";

const t = useEmulator();

async function licensedCustomer(
  seats: number,
): Promise<{ customerId: string; domain: string; subscriptionId: string }> {
  const c = await createTestCustomer(t.ctx, "licenses", { emu: t.emu });
  await confirmAgreement(t.ctx, c.customerId);
  return { ...c, subscriptionId: await buySeats(t.ctx, c.customerId, seats) };
}

function user(customerId: string, domain: string, name: string, licenses?: string[]): CustomerUserInputs {
  return {
    customerId,
    userPrincipalName: `${name}@${domain}`,
    displayName: name,
    usageLocation: "US",
    ...(licenses ? { licenses } : {}),
  };
}

/** The Partner Center writes the emulator logged after `seq`. */
async function partnerCenterWritesSince(seq: number): Promise<string[]> {
  return (await t.writesSince(seq)).filter((w) => w.startsWith("partnerCenter "));
}

describe("CustomerUser licenses", () => {
  it("assigns a license by name, swaps it for another by part number, removes all, and leaves licenses alone without the input", async () => {
    const { customerId, domain } = await licensedCustomer(2);
    await buySeats(t.ctx, customerId, 1, OFFICE_E3);
    const pc = t.ctx.api().partnerCenter;
    const created = await createResource(
      handler,
      user(customerId, domain, "alice", ["Microsoft 365 Business Premium"]),
      t.ctx,
    );
    expect(created.state.licenseSkuIds).toEqual([BUSINESS_PREMIUM_SKU]);
    expect(await listUserLicenseSkuIds(pc, customerId, created.id)).toEqual([BUSINESS_PREMIUM_SKU]);

    const same = await updateResource(
      handler,
      created.id,
      created,
      user(customerId, domain, "alice", ["microsoft 365 business premium"]),
      t.ctx,
    );
    expect(same.changed).toBe(false);

    const swapped = await updateResource(
      handler,
      created.id,
      created,
      user(customerId, domain, "alice", ["ENTERPRISEPACK"]),
      t.ctx,
    );
    expect(swapped.state.licenseSkuIds).toEqual([OFFICE_E3_SKU]);
    expect(await listUserLicenseSkuIds(pc, customerId, created.id)).toEqual([OFFICE_E3_SKU]);

    // A license added outside Pulumi shows as drift on refresh.
    await updateUserLicenses(pc, customerId, created.id, { assign: [BUSINESS_PREMIUM_SKU], remove: [] });
    const read = await handler.read(created.id, swapped.state, t.ctx);
    expect(read.inputs?.licenses).toEqual(["ENTERPRISEPACK", BUSINESS_PREMIUM_SKU]);
    const refreshed = { ...swapped.state, ...read.props! };
    expect((await handler.diff(created.id, refreshed, swapped.inputs, t.ctx)).changes).toBe(true);

    const none = await updateResource(
      handler,
      created.id,
      { inputs: swapped.inputs, state: refreshed },
      user(customerId, domain, "alice", []),
      t.ctx,
    );
    expect(none.state.licenseSkuIds).toEqual([]);
    expect(await listUserLicenseSkuIds(pc, customerId, created.id)).toEqual([]);

    // Without the input the user's licenses are not managed: an outside assignment stays.
    await updateUserLicenses(pc, customerId, created.id, { assign: [BUSINESS_PREMIUM_SKU], remove: [] });
    const unmanaged = await updateResource(
      handler,
      created.id,
      none,
      user(customerId, domain, "alice"),
      t.ctx,
    );
    expect(unmanaged.changed).toBe(true);
    expect(await listUserLicenseSkuIds(pc, customerId, created.id)).toEqual([BUSINESS_PREMIUM_SKU]);
  });

  it("refuses a license without a free seat before any write, naming the SKU and the counts", async () => {
    const { customerId, domain } = await licensedCustomer(1);
    await createResource(handler, user(customerId, domain, "first", ["SPB"]), t.ctx);
    const seq = await t.lastSeq();
    const err = await createResource(
      handler,
      user(customerId, domain, "second", [BUSINESS_PREMIUM_SKU]),
      t.ctx,
    ).catch((e: unknown) => e);
    expect(isCspError(err) && err.code).toBe("CSP_VALIDATION");
    expect((err as Error).message).toContain(
      `licenses: no seat left to give user second@${domain} Microsoft 365 Business Premium (SPB) (Microsoft 365 Business Premium (SPB): 1 seats, 1 assigned, 0 available)`,
    );
    expect((err as Error).message).toMatch(/add seats \(the LicenseSubscription's quantity\)/);
    // No user was created, no license assigned.
    expect(await partnerCenterWritesSince(seq)).toEqual([]);
  });

  it("refuses a license the customer does not subscribe to before any write", async () => {
    const { customerId, domain } = await licensedCustomer(1);
    const seq = await t.lastSeq();
    const err = await createResource(
      handler,
      user(customerId, domain, "carol", ["Office 365 E3"]),
      t.ctx,
    ).catch((e: unknown) => e);
    expect((err as Error).message).toContain(
      `licenses[0]: "Office 365 E3" is not a license customer ${customerId} subscribes to (its subscribed SKUs: Microsoft 365 Business Premium (SPB))`,
    );
    expect(await partnerCenterWritesSince(seq)).toEqual([]);
  });

  it("refuses at check a license list without usage location or with a license twice", async () => {
    const customerId = "0f3c4d1e-1111-2222-3333-444455556666";
    const domain = "contoso.onmicrosoft.com";
    const { usageLocation: _u, ...noLocation } = user(customerId, domain, "dave", ["SPB"]);
    const seq = await t.lastSeq();
    const failures = await checkFailures(handler, {}, noLocation, t.ctx);
    expect(failures.find((f) => f.property === "usageLocation")?.reason).toMatch(
      /is required to assign licenses/,
    );
    const twice = await checkFailures(handler, {}, user(customerId, domain, "dave", ["SPB", "spb"]), t.ctx);
    expect(twice.map((f) => f.property)).toEqual(["licenses.1"]);
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);
  });
});
