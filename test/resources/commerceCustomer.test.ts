import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createCustomer,
  getBillingProfile,
  getCustomer,
  putBillingProfile,
} from "../../provider/clients/partnerCenter/customers";
import { isCspError } from "../../provider/errors";
import { type CustomerInputs, customerHandler } from "../../provider/handlers/commerce/customer";
import { UNKNOWN } from "../../provider/handlers/types";
import { type EmulatorContext, startEmulatorContext } from "../support/emulatorContext";
import { checked, checkFailures, createResource, updateResource } from "../support/handlerSteps";

let t: EmulatorContext;
let n = 0;

beforeAll(async () => {
  t = await startEmulatorContext({ partners: 2 });
});
afterAll(() => t?.stop());
beforeEach(async () => {
  await t.emu.admin.clearFaults();
});

/** A unique, valid domain prefix per test. */
function prefix(): string {
  n += 1;
  return `cust${Date.now().toString(36)}${n}`;
}

function inputs(domainPrefix: string, overrides: Partial<CustomerInputs> = {}): CustomerInputs {
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

async function customersWithDomain(domain: string): Promise<string[]> {
  const state = await t.emu.admin.state();
  return Object.values(state.partnerCenter.customers)
    .filter((c) => JSON.stringify(c.resource).toLowerCase().includes(`"domain":"${domain}"`))
    .map((c) => c.id);
}

async function lastSeq(): Promise<number> {
  const log = await t.emu.admin.requestLog();
  return log.length > 0 ? log[log.length - 1]!.seq : 0;
}

describe("Customer lifecycle", () => {
  it("creates, reports no change, updates the billing profile, reports drift on refresh and deletes in the sandbox", async () => {
    const domainPrefix = prefix();
    const created = await createResource(customerHandler, inputs(domainPrefix), t.ctx);
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
    const same = await updateResource(customerHandler, created.id, created, inputs(domainPrefix), t.ctx);
    expect(same.changed).toBe(false);

    // Billing profile change: an update through GET (ETag) + PUT If-Match.
    const changedInputs = inputs(domainPrefix, {
      billingProfile: { ...inputs(domainPrefix).billingProfile, email: "ap@contoso.com" },
    });
    const seq = await lastSeq();
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
    const domainPrefix = prefix();
    const created = await createResource(customerHandler, inputs(domainPrefix), t.ctx);
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
    const seq = await lastSeq();
    const news = inputs(domainPrefix, {
      billingProfile: { ...inputs(domainPrefix).billingProfile, language: "fr" },
    });
    const updated = await updateResource(customerHandler, created.id, created, news, t.ctx);
    expect(updated.state.billingProfile.language).toBe("fr");
    const calls = await t.emu.admin.requestLog({ sinceSeq: seq, pathPattern: "/profiles/billing$" });
    expect(calls.map((c) => `${c.method} ${c.status}`)).toEqual(["GET 200", "PUT 400", "GET 200", "PUT 200"]);
  });

  it("in production leaves the tenant on delete by default and says so, without any write", async () => {
    const production = await t.contextWith({ CSP_SANDBOX: "false" });
    const created = await createResource(customerHandler, inputs(prefix()), production);
    expect(created.state.deletionBehavior).toMatch(/^leave:/);
    const seq = await lastSeq();
    await customerHandler.delete(created.id, created.state, production);
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);
    expect(t.logs.some((l) => l.includes(`left in Partner Center (customer ${created.id})`))).toBe(true);
    expect(await getCustomer(t.ctx.api().partnerCenter, created.id)).toBeDefined();
  });

  it("removes the reseller relationship on delete when onDelete says so, after which a refresh drops it", async () => {
    const production = await t.contextWith({ CSP_SANDBOX: "false" });
    const created = await createResource(
      customerHandler,
      inputs(prefix(), { onDelete: "removeRelationship" }),
      production,
    );
    expect(created.state.deletionBehavior).toMatch(/^removeRelationship:/);
    const seq = await lastSeq();
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
    const domainPrefix = prefix();
    const created = await createResource(customerHandler, inputs(domainPrefix), production);
    const seq = await lastSeq();
    const updated = await updateResource(
      customerHandler,
      created.id,
      created,
      inputs(domainPrefix, { onDelete: "removeRelationship" }),
      production,
    );
    expect(updated.changed).toBe(true);
    expect(updated.state.deletionBehavior).toMatch(/^removeRelationship:/);
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);
  });

  it("plans no replacement when the domain or company name changes: check and diff refuse with what to do", async () => {
    const domainPrefix = prefix();
    const created = await createResource(customerHandler, inputs(domainPrefix), t.ctx);
    const renamed = inputs(`${domainPrefix}x`);
    const failures = await checkFailures(customerHandler, created.inputs, renamed, t.ctx);
    expect(failures.map((f) => f.property)).toEqual(["domainPrefix"]);
    expect(failures[0]!.reason).toMatch(
      /cannot be replaced.*add a new Customer resource.*remove it from the program/,
    );

    const company = inputs(domainPrefix, { companyName: "Fabrikam Inc" });
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
    const domainPrefix = prefix();
    const created = await createResource(customerHandler, inputs(domainPrefix), t.ctx);
    const moved = inputs(domainPrefix);
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
      "billingProfile.defaultAddress.country: cannot change from US to CA: a customer's country is set when it is created. To serve the organization in CA, declare a new Customer; otherwise set the country back",
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
    const domainPrefix = prefix();
    const created = await createResource(customerHandler, inputs(domainPrefix), t.ctx);
    const preview = inputs(domainPrefix, {
      billingProfile: UNKNOWN as unknown as CustomerInputs["billingProfile"],
    });
    const diff = await customerHandler.diff(created.id, created.state, preview, t.ctx);
    expect(diff.changes).toBe(true);
  });
});

describe("Customer create is safe to retry", () => {
  it("ends with exactly one customer when the create response is lost after commit", async () => {
    const domainPrefix = prefix();
    await t.emu.admin.addFault({
      method: "POST",
      pathPattern: "^/v1/customers$",
      service: "partnerCenter",
      count: 1,
      action: { type: "commitThenDrop" },
    });
    const created = await createResource(customerHandler, inputs(domainPrefix), t.ctx);
    expect(await customersWithDomain(`${domainPrefix}.onmicrosoft.com`)).toEqual([created.id]);
    expect(typeof created.state.adminPassword).toBe("string");
    const posts = (await t.emu.admin.requestLog({ method: "POST", pathPattern: "^/v1/customers$" })).slice(
      -2,
    );
    expect(posts.map((p) => p.status)).toEqual([0, 201]);
    expect(posts[0]!.requestId).toBe(posts[1]!.requestId);
  });

  it("finds the customer created by an interrupted run instead of creating it twice", async () => {
    const domainPrefix = prefix();
    const first = await createResource(customerHandler, inputs(domainPrefix), t.ctx);
    // The engine never recorded the first create (crash): the next `pulumi up` creates again.
    const again = await createResource(customerHandler, inputs(domainPrefix), t.ctx);
    expect(again.id).toBe(first.id);
    expect(again.state.adopted).toBe(false);
    // The replayed answer carries the admin credentials again (the emulator issues a fresh
    // password on replay, since it keeps only hashes).
    expect(typeof again.state.adminPassword).toBe("string");
    expect(await customersWithDomain(`${domainPrefix}.onmicrosoft.com`)).toEqual([first.id]);
  });

  it("creates a new tenant after a sandbox delete instead of replaying the deleted customer's create", async () => {
    const domainPrefix = prefix();
    const first = await createResource(customerHandler, inputs(domainPrefix), t.ctx);
    await customerHandler.delete(first.id, first.state, t.ctx);
    expect(await customersWithDomain(`${domainPrefix}.onmicrosoft.com`)).toEqual([]);
    // Declared again: the same deterministic MS-RequestId would replay the deleted customer.
    const again = await createResource(customerHandler, inputs(domainPrefix), t.ctx);
    expect(again.id).not.toBe(first.id);
    expect(await customersWithDomain(`${domainPrefix}.onmicrosoft.com`)).toEqual([again.id]);
    // A crash after that create, and the create runs again: still one customer, the same one.
    const third = await createResource(customerHandler, inputs(domainPrefix), t.ctx);
    expect(third.id).toBe(again.id);
    expect(await customersWithDomain(`${domainPrefix}.onmicrosoft.com`)).toEqual([again.id]);
  });

  it("refuses to take over a customer it did not create unless adopt says so", async () => {
    const domainPrefix = prefix();
    const domain = `${domainPrefix}.onmicrosoft.com`;
    const body = {
      enableGDAPByDefault: false,
      companyProfile: { domain, companyName: "Contoso Ltd" },
      billingProfile: {
        email: "billing@contoso.com",
        culture: "en-US",
        language: "en",
        companyName: "Contoso Ltd",
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
    };
    const existing = await createCustomer(t.ctx.api().partnerCenter, body, crypto.randomUUID());
    const err = await customerHandler.create(inputs(domainPrefix), t.ctx).catch((e: unknown) => e);
    expect(isCspError(err)).toBe(true);
    expect((err as Error).message).toContain(`adopt: { customerId: "${existing.id}" }`);
    expect(await customersWithDomain(domain)).toEqual([existing.id]);

    const adopted = await createResource(customerHandler, inputs(domainPrefix, { adopt: {} }), t.ctx);
    expect(adopted.id).toBe(existing.id);
    expect(adopted.state.adopted).toBe(true);
    expect(adopted.state.adminPassword).toBeUndefined();
    // An adopted customer is never deleted by default, even in the sandbox.
    expect(adopted.state.deletionBehavior).toMatch(/^leave:/);
  });

  it("adopts by customer id, and refuses when the adopted customer's company name differs", async () => {
    const domainPrefix = prefix();
    const original = await createResource(customerHandler, inputs(domainPrefix), t.ctx);
    const seq = await lastSeq();
    const adopted = await createResource(
      customerHandler,
      inputs(domainPrefix, { adopt: { customerId: original.id } }),
      t.ctx,
    );
    expect(adopted.id).toBe(original.id);
    expect(adopted.state.adopted).toBe(true);
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);

    const wrongName = inputs(domainPrefix, { companyName: "Other Name", adopt: { customerId: original.id } });
    await expect(customerHandler.create(wrongName, t.ctx)).rejects.toThrow(
      /set companyName to "Contoso Ltd"/,
    );
  });

  it("fails the check when another organization owns the domain", async () => {
    const domainPrefix = prefix();
    const eu = await t.contextWith();
    await createResource(customerHandler, inputs(domainPrefix, { account: "eu" }), eu);
    const failures = await checkFailures(customerHandler, {}, inputs(domainPrefix), t.ctx);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.property).toBe("domainPrefix");
    expect(failures[0]!.reason).toMatch(/already taken by another organization/);
  });

  it("honours Retry-After on a throttled read", async () => {
    const created = await createResource(customerHandler, inputs(prefix()), t.ctx);
    await t.emu.admin.addFault({
      method: "GET",
      pathPattern: `^/v1/customers/${created.id}$`,
      service: "partnerCenter",
      count: 1,
      action: { type: "status", status: 429, retryAfter: "1" },
    });
    const seq = await lastSeq();
    const read = await customerHandler.read(created.id, created.state, t.ctx);
    expect(read.id).toBe(created.id);
    const gets = await t.emu.admin.requestLog({
      sinceSeq: seq,
      method: "GET",
      pathPattern: `^/v1/customers/${created.id}$`,
    });
    expect(gets.map((g) => g.status)).toEqual([429, 200]);
    // The retry waited at least the second Partner Center asked for.
    expect(Date.parse(gets[1]!.time) - Date.parse(gets[0]!.time)).toBeGreaterThanOrEqual(950);
  });
});

describe("Customer check rejects bad input before any call", () => {
  const base = inputs("validprefix");
  const address = base.billingProfile.defaultAddress;
  const cases: [string, unknown, string][] = [
    ["a domain prefix with a dot", { ...base, domainPrefix: "contoso.com" }, "domainPrefix"],
    ["a domain prefix with a hyphen", { ...base, domainPrefix: "con-toso" }, "domainPrefix"],
    ["a domain prefix of 28 characters", { ...base, domainPrefix: "a".repeat(28) }, "domainPrefix"],
    ["an empty domain prefix", { ...base, domainPrefix: "" }, "domainPrefix"],
    ["a one-letter company name", { ...base, companyName: "C" }, "companyName"],
    [
      "a three-letter country code",
      { ...base, billingProfile: { ...base.billingProfile, defaultAddress: { ...address, country: "USA" } } },
      "billingProfile.defaultAddress.country",
    ],
    [
      "an unknown country code",
      { ...base, billingProfile: { ...base.billingProfile, defaultAddress: { ...address, country: "XX" } } },
      "billingProfile.defaultAddress.country",
    ],
    [
      "an invalid e-mail",
      { ...base, billingProfile: { ...base.billingProfile, email: "not-an-email" } },
      "billingProfile.email",
    ],
    [
      "a culture without region",
      { ...base, billingProfile: { ...base.billingProfile, culture: "english" } },
      "billingProfile.culture",
    ],
    [
      "an address line of 201 characters",
      {
        ...base,
        billingProfile: {
          ...base.billingProfile,
          defaultAddress: { ...address, addressLine1: "x".repeat(201) },
        },
      },
      "billingProfile.defaultAddress.addressLine1",
    ],
    [
      "a first name of 51 characters",
      {
        ...base,
        billingProfile: { ...base.billingProfile, defaultAddress: { ...address, firstName: "x".repeat(51) } },
      },
      "billingProfile.defaultAddress.firstName",
    ],
    [
      "a state longer than 2 characters",
      {
        ...base,
        billingProfile: { ...base.billingProfile, defaultAddress: { ...address, state: "Washington" } },
      },
      "billingProfile.defaultAddress.state",
    ],
    [
      "a missing city",
      {
        ...base,
        billingProfile: { ...base.billingProfile, defaultAddress: { ...address, city: undefined } },
      },
      "billingProfile.defaultAddress.city",
    ],
    [
      "a missing registration number in Brazil",
      {
        ...base,
        billingProfile: {
          ...base.billingProfile,
          defaultAddress: { ...address, country: "BR", state: "SP", phoneNumber: "+55 11 5555 0100" },
        },
      },
      "organizationRegistrationNumber",
    ],
    [
      "a missing phone number in Poland",
      {
        ...base,
        organizationRegistrationNumber: "1234567890",
        billingProfile: {
          ...base.billingProfile,
          defaultAddress: { ...address, country: "PL", state: undefined },
        },
      },
      "billingProfile.defaultAddress.phoneNumber",
    ],
    ["an unknown onDelete", { ...base, onDelete: "destroy" }, "onDelete"],
    [
      "an adopt customer id that is not a GUID",
      { ...base, adopt: { customerId: "abc" } },
      "adopt.customerId",
    ],
    [
      "an adopt domain that is not the declared one",
      { ...base, adopt: { domain: "other.onmicrosoft.com" } },
      "adopt.domain",
    ],
    ["an account that is not configured", { ...base, account: "nowhere" }, "account"],
  ];

  it.each(cases)("rejects %s, naming the field and the rule", async (_name, news, property) => {
    const seq = await lastSeq();
    const failures = await checkFailures(customerHandler, {}, news, t.ctx);
    expect(failures.map((f) => f.property)).toEqual([property]);
    expect(failures[0]!.reason.startsWith(`${property}: `)).toBe(true);
    expect(await t.emu.admin.requestLog({ sinceSeq: seq })).toEqual([]);
  });

  it("accepts a country that needs a registration number and a phone when both are given", async () => {
    const news = {
      ...base,
      domainPrefix: prefix(),
      organizationRegistrationNumber: "12.345.678/0001-90",
      billingProfile: {
        ...base.billingProfile,
        defaultAddress: { ...address, country: "BR", state: "SP", phoneNumber: "+55 11 5555 0100" },
      },
    };
    const ok = await checked(customerHandler, {}, news, t.ctx);
    expect(ok.domainPrefix).toBe(news.domainPrefix);
  });
});
