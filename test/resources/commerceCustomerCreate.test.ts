import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCustomer } from "../../provider/clients/partnerCenter/customers";
import { isCspError } from "../../provider/errors";
import { customerHandler } from "../../provider/handlers/commerce/customer";
import { customerInputs, customersWithDomain, uniquePrefix } from "../support/customerInputs";
import { type EmulatorContext, startEmulatorContext } from "../support/emulatorContext";
import { checkFailures, createResource } from "../support/handlerSteps";

let t: EmulatorContext;

beforeAll(async () => {
  t = await startEmulatorContext({ partners: 2 });
});
afterAll(() => t?.stop());
beforeEach(async () => {
  await t.emu.admin.clearFaults();
});

describe("Customer create calls", () => {
  it("asks whether the domain is free once (in check), then creates and confirms the customer: three calls", async () => {
    const domainPrefix = uniquePrefix();
    const seq = await t.lastSeq();
    const created = await createResource(customerHandler, customerInputs(domainPrefix), t.ctx);
    const calls = await t.emu.admin.requestLog({ sinceSeq: seq, service: "partnerCenter" });
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `HEAD /v1/domains/${domainPrefix}.onmicrosoft.com`,
      "POST /v1/customers",
      `GET /v1/customers/${created.id}`,
    ]);
  });
});

describe("Customer create is safe to retry", () => {
  it("ends with exactly one customer when the create response is lost after commit", async () => {
    const domainPrefix = uniquePrefix();
    await t.emu.admin.addFault({
      method: "POST",
      pathPattern: "^/v1/customers$",
      service: "partnerCenter",
      count: 1,
      action: { type: "commitThenDrop" },
    });
    const created = await createResource(customerHandler, customerInputs(domainPrefix), t.ctx);
    expect(await customersWithDomain(t, `${domainPrefix}.onmicrosoft.com`)).toEqual([created.id]);
    expect(typeof created.state.adminPassword).toBe("string");
    const posts = (await t.emu.admin.requestLog({ method: "POST", pathPattern: "^/v1/customers$" })).slice(
      -2,
    );
    expect(posts.map((p) => p.status)).toEqual([0, 201]);
    expect(posts[0]!.requestId).toBe(posts[1]!.requestId);
  });

  it("finds the customer created by an interrupted run instead of creating it twice", async () => {
    const domainPrefix = uniquePrefix();
    const first = await createResource(customerHandler, customerInputs(domainPrefix), t.ctx);
    // The engine never recorded the first create (crash): the next `pulumi up` creates again.
    const again = await createResource(customerHandler, customerInputs(domainPrefix), t.ctx);
    expect(again.id).toBe(first.id);
    expect(again.state.adopted).toBe(false);
    // The replayed answer carries the admin credentials again (the emulator issues a fresh
    // password on replay, since it keeps only hashes).
    expect(typeof again.state.adminPassword).toBe("string");
    expect(await customersWithDomain(t, `${domainPrefix}.onmicrosoft.com`)).toEqual([first.id]);
  });

  it("creates a new tenant after a sandbox delete instead of replaying the deleted customer's create", async () => {
    const domainPrefix = uniquePrefix();
    const first = await createResource(customerHandler, customerInputs(domainPrefix), t.ctx);
    await customerHandler.delete(first.id, first.state, t.ctx);
    expect(await customersWithDomain(t, `${domainPrefix}.onmicrosoft.com`)).toEqual([]);
    // Declared again: the same deterministic MS-RequestId would replay the deleted customer.
    const again = await createResource(customerHandler, customerInputs(domainPrefix), t.ctx);
    expect(again.id).not.toBe(first.id);
    expect(await customersWithDomain(t, `${domainPrefix}.onmicrosoft.com`)).toEqual([again.id]);
    // A crash after that create, and the create runs again: still one customer, the same one.
    const third = await createResource(customerHandler, customerInputs(domainPrefix), t.ctx);
    expect(third.id).toBe(again.id);
    expect(await customersWithDomain(t, `${domainPrefix}.onmicrosoft.com`)).toEqual([again.id]);
  });

  it("refuses to take over a customer it did not create unless adopt says so", async () => {
    const domainPrefix = uniquePrefix();
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
    const err = await customerHandler.create(customerInputs(domainPrefix), t.ctx).catch((e: unknown) => e);
    expect(isCspError(err)).toBe(true);
    expect((err as Error).message).toContain(`adopt: { customerId: "${existing.id}" }`);
    expect(await customersWithDomain(t, domain)).toEqual([existing.id]);

    const adopted = await createResource(customerHandler, customerInputs(domainPrefix, { adopt: {} }), t.ctx);
    expect(adopted.id).toBe(existing.id);
    expect(adopted.state.adopted).toBe(true);
    expect(adopted.state.adminPassword).toBeUndefined();
    // An adopted customer is never deleted by default, even in the sandbox.
    expect(adopted.state.deletionBehavior).toMatch(/^leave:/);
  });

  it("adopts by customer id, and refuses when the adopted customer's company name differs", async () => {
    const domainPrefix = uniquePrefix();
    const original = await createResource(customerHandler, customerInputs(domainPrefix), t.ctx);
    const seq = await t.lastSeq();
    const adopted = await createResource(
      customerHandler,
      customerInputs(domainPrefix, { adopt: { customerId: original.id } }),
      t.ctx,
    );
    expect(adopted.id).toBe(original.id);
    expect(adopted.state.adopted).toBe(true);
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);

    const wrongName = customerInputs(domainPrefix, {
      companyName: "Other Name",
      adopt: { customerId: original.id },
    });
    await expect(customerHandler.create(wrongName, t.ctx)).rejects.toThrow(
      /set companyName to "Contoso Ltd"/,
    );
  });

  it("fails the check when another organization owns the domain", async () => {
    const domainPrefix = uniquePrefix();
    const eu = await t.contextWith();
    await createResource(customerHandler, customerInputs(domainPrefix, { account: "eu" }), eu);
    const failures = await checkFailures(customerHandler, {}, customerInputs(domainPrefix), t.ctx);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.property).toBe("domainPrefix");
    expect(failures[0]!.reason).toMatch(/already taken by another organization/);
  });

  it("honours Retry-After on a throttled read", async () => {
    const created = await createResource(customerHandler, customerInputs(uniquePrefix()), t.ctx);
    await t.emu.admin.addFault({
      method: "GET",
      pathPattern: `^/v1/customers/${created.id}$`,
      service: "partnerCenter",
      count: 1,
      action: { type: "status", status: 429, retryAfter: "1" },
    });
    const seq = await t.lastSeq();
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
