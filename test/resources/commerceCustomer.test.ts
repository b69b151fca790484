import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  getBillingProfile,
  getCustomer,
  putBillingProfile,
} from "../../provider/clients/partnerCenter/customers";
import { type CustomerInputs, customerHandler } from "../../provider/handlers/commerce/customer";
import { UNKNOWN } from "../../provider/handlers/types";
import { customerInputs, uniquePrefix } from "../support/customerInputs";
import { type EmulatorContext, startEmulatorContext } from "../support/emulatorContext";
import { checkFailures, createResource, updateResource } from "../support/handlerSteps";

let t: EmulatorContext;

beforeAll(async () => {
  t = await startEmulatorContext({ partners: 2 });
});
afterAll(() => t?.stop());
beforeEach(async () => {
  await t.emu.admin.clearFaults();
});

describe("Customer lifecycle", () => {
  it("creates, reports no change, updates the billing profile, reports drift on refresh and deletes in the sandbox", async () => {
    const domainPrefix = uniquePrefix();
    const created = await createResource(customerHandler, customerInputs(domainPrefix), t.ctx);
    const s = created.state;
    expect(created.id).toBe(s.customerId);
    expect(s.domain).toBe(`${domainPrefix}.onmicrosoft.com`);
    expect(s.relationshipToPartner).toBe("reseller");
    expect(s.adminUserName).toBe(`admin@${domainPrefix}.onmicrosoft.com`);
    expect(typeof s.adminPassword).toBe("string");
    expect(s.adopted).toBe(false);
    expect(s.billingProfile.culture).toBe("en-US");
    expect(s.billingProfile.companyName).toBe("Contoso Ltd");
    expect(s.deletionBehavior).toMatch(/^deleteTenant:/);
    expect(JSON.stringify(s)).not.toContain("undefined");

    // No change: same inputs (culture only differs in case, which Partner Center normalises).
    const same = await updateResource(
      customerHandler,
      created.id,
      created,
      customerInputs(domainPrefix),
      t.ctx,
    );
    expect(same.changed).toBe(false);

    // Billing profile change: an update through GET (ETag) + PUT If-Match.
    const changedInputs = customerInputs(domainPrefix, {
      billingProfile: { ...customerInputs(domainPrefix).billingProfile, email: "ap@contoso.com" },
    });
    const seq = await t.lastSeq();
    const updated = await updateResource(customerHandler, created.id, created, changedInputs, t.ctx);
    expect(updated.changed).toBe(true);
    expect(updated.state.billingProfile.email).toBe("ap@contoso.com");
    expect(updated.state.adminPassword).toBe(s.adminPassword);
    const writes = await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true });
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([
      `PUT /v1/customers/${created.id}/profiles/billing`,
    ]);

    // Drift: someone changes the billing profile in Partner Center.
    const pc = t.ctx.api().partnerCenter;
    const current = await pc.send<Record<string, unknown> & { attributes: { etag: string } }>({
      method: "GET",
      path: `/v1/customers/${created.id}/profiles/billing`,
    });
    await putBillingProfile(
      pc,
      created.id,
      { ...current.body, email: "someone-else@contoso.com" },
      current.body.attributes.etag,
    );
    const refreshed = await customerHandler.read(created.id, updated.state, t.ctx);
    expect(refreshed.id).toBe(created.id);
    const refreshedState = refreshed.props as typeof updated.state;
    expect(refreshedState.billingProfile.email).toBe("someone-else@contoso.com");
    expect(refreshedState.adminPassword).toBe(s.adminPassword);
    const afterDrift = await customerHandler.diff(created.id, refreshedState, updated.inputs, t.ctx);
    expect(afterDrift.changes).toBe(true);

    // Delete (sandbox): a real DELETE, and it says so.
    await customerHandler.delete(created.id, refreshedState, t.ctx);
    expect(await getCustomer(pc, created.id)).toBeUndefined();
    expect(t.logs.some((l) => l.includes(`deleted the customer tenant ${created.id}`))).toBe(true);
    const gone = await customerHandler.read(created.id, refreshedState, t.ctx);
    expect(gone.id).toBe("");
  });

  it("reads the billing profile again and retries once when the ETag went stale (2055)", async () => {
    const domainPrefix = uniquePrefix();
    const created = await createResource(customerHandler, customerInputs(domainPrefix), t.ctx);
    await t.emu.admin.addFault({
      method: "PUT",
      pathPattern: `^/v1/customers/${created.id}/profiles/billing$`,
      service: "partnerCenter",
      count: 1,
      action: {
        type: "status",
        status: 400,
        body: { code: 2055, description: "The ETag is no longer valid.", data: [], source: "PartnerFD" },
      },
    });
    const seq = await t.lastSeq();
    const news = customerInputs(domainPrefix, {
      billingProfile: { ...customerInputs(domainPrefix).billingProfile, language: "fr" },
    });
    const updated = await updateResource(customerHandler, created.id, created, news, t.ctx);
    expect(updated.state.billingProfile.language).toBe("fr");
    const calls = await t.emu.admin.requestLog({ sinceSeq: seq, pathPattern: "/profiles/billing$" });
    expect(calls.map((c) => `${c.method} ${c.status}`)).toEqual(["GET 200", "PUT 400", "GET 200", "PUT 200"]);
  });

  it("in production leaves the tenant on delete by default and says so, without any write", async () => {
    const production = await t.contextWith({ CSP_SANDBOX: "false" });
    const created = await createResource(customerHandler, customerInputs(uniquePrefix()), production);
    expect(created.state.deletionBehavior).toMatch(/^leave:/);
    const seq = await t.lastSeq();
    await customerHandler.delete(created.id, created.state, production);
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);
    expect(t.logs.some((l) => l.includes(`left in Partner Center (customer ${created.id})`))).toBe(true);
    expect(await getCustomer(t.ctx.api().partnerCenter, created.id)).toBeDefined();
  });

  it("removes the reseller relationship on delete when onDelete says so, after which a refresh drops it", async () => {
    const production = await t.contextWith({ CSP_SANDBOX: "false" });
    const created = await createResource(
      customerHandler,
      customerInputs(uniquePrefix(), { onDelete: "removeRelationship" }),
      production,
    );
    expect(created.state.deletionBehavior).toMatch(/^removeRelationship:/);
    const seq = await t.lastSeq();
    await customerHandler.delete(created.id, created.state, production);
    // App+User: the admin agent's token is redeemed first (identity), then the PATCH.
    const writes = await t.emu.admin.requestLog({
      sinceSeq: seq,
      writesOnly: true,
      service: "partnerCenter",
    });
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([`PATCH /v1/customers/${created.id}`]);
    expect(
      t.logs.some((l) => l.includes(`removed the reseller relationship with customer ${created.id}`)),
    ).toBe(true);
    // Without the relationship Partner Center no longer shows the customer to this partner.
    const read = await customerHandler.read(created.id, created.state, production);
    expect(read.id).toBe("");
  });

  it("changes what a delete will do when onDelete changes, without any call", async () => {
    const production = await t.contextWith({ CSP_SANDBOX: "false" });
    const domainPrefix = uniquePrefix();
    const created = await createResource(customerHandler, customerInputs(domainPrefix), production);
    const seq = await t.lastSeq();
    const updated = await updateResource(
      customerHandler,
      created.id,
      created,
      customerInputs(domainPrefix, { onDelete: "removeRelationship" }),
      production,
    );
    expect(updated.changed).toBe(true);
    expect(updated.state.deletionBehavior).toMatch(/^removeRelationship:/);
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);
  });

  it("plans no replacement when the domain or company name changes: check and diff refuse with what to do", async () => {
    const domainPrefix = uniquePrefix();
    const created = await createResource(customerHandler, customerInputs(domainPrefix), t.ctx);
    const renamed = customerInputs(`${domainPrefix}x`);
    const failures = await checkFailures(customerHandler, created.inputs, renamed, t.ctx);
    expect(failures.map((f) => f.property)).toEqual(["domainPrefix"]);
    expect(failures[0]!.reason).toMatch(
      /cannot be replaced.*add a new Customer resource.*remove it from the program/,
    );

    const company = customerInputs(domainPrefix, { companyName: "Fabrikam Inc" });
    const companyFailures = await checkFailures(customerHandler, created.inputs, company, t.ctx);
    expect(companyFailures.map((f) => f.property)).toEqual(["companyName"]);
    // One readable sentence, saying what can change instead.
    expect(companyFailures[0]!.reason).toMatch(
      /^companyName: cannot change from "Contoso Ltd" to "Fabrikam Inc" on a Customer: The company name on the customer's invoices is billingProfile\.companyName, which can change .* a customer tenant cannot be replaced/,
    );
    await expect(customerHandler.diff(created.id, created.state, company, t.ctx)).rejects.toThrow(
      /company profile cannot be changed/,
    );
    await expect(customerHandler.diff(created.id, created.state, renamed, t.ctx)).rejects.toThrow(
      /cannot be replaced/,
    );
  });

  it("refuses to move a customer's billing address to another country, at check and at Partner Center", async () => {
    const domainPrefix = uniquePrefix();
    const created = await createResource(customerHandler, customerInputs(domainPrefix), t.ctx);
    const moved = customerInputs(domainPrefix);
    moved.billingProfile = {
      ...moved.billingProfile,
      defaultAddress: {
        ...moved.billingProfile.defaultAddress,
        country: "CA",
        state: "ON",
        postalCode: "M5V 2T6",
      },
    };
    const failures = await checkFailures(customerHandler, created.inputs, moved, t.ctx);
    expect(failures.map((f) => f.reason)).toEqual([
      'billingProfile.defaultAddress.country: cannot change from US: a customer\'s country is set when it is created. To serve the organization in CA, declare a new Customer; otherwise set the country back (got "CA")',
    ]);
    const pc = t.ctx.api().partnerCenter;
    const current = await getBillingProfile(pc, created.id);
    const err = await putBillingProfile(
      pc,
      created.id,
      { ...current, defaultAddress: { ...current.defaultAddress, country: "CA" } } as never,
      String(current.attributes?.etag),
    ).catch((e: unknown) => e);
    expect(String(err)).toMatch(/country of a customer's billing address cannot be changed/);
  });

  it("does not compare values that are not known yet during preview", async () => {
    const domainPrefix = uniquePrefix();
    const created = await createResource(customerHandler, customerInputs(domainPrefix), t.ctx);
    const preview = customerInputs(domainPrefix, {
      billingProfile: UNKNOWN as unknown as CustomerInputs["billingProfile"],
    });
    const diff = await customerHandler.diff(created.id, created.state, preview, t.ctx);
    expect(diff.changes).toBe(true);
  });
});
