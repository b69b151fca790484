import { describe, expect, it } from "vitest";
import { type CustomerInputs, customerHandler } from "../../provider/handlers/commerce/customer";
import { testBillingProfile } from "../support/commerceFixtures";
import { useEmulator } from "../support/emulatorContext";
import { checkFailures, createResource } from "../support/handlerSteps";

/**
 * The Customer's `enableGdapByDefault` input: always sent as Partner Center's `enableGDAPByDefault`
 * (the emulator, like production since November 2023, grants the Default GDAP relationship when
 * the field is omitted), false unless declared, fixed once the customer exists; and the
 * `defaultGdapRelationshipId` output read through one Graph list.
 */

const t = useEmulator();
let n = 0;

function prefix(): string {
  n += 1;
  return `gdapdef${Date.now().toString(36)}${n}`;
}

function inputs(domainPrefix: string, overrides: Partial<CustomerInputs> = {}): CustomerInputs {
  return {
    domainPrefix,
    companyName: "Woodgrove Bank",
    billingProfile: testBillingProfile("billing@woodgrove.example"),
    ...overrides,
  };
}

const lastSeq = () => t.lastSeq();

/** The emulator's record of the customer and the partner's GDAP relationships with it. */
async function recorded(customerId: string) {
  const state = await t.emu.admin.state();
  const customer = state.partnerCenter.customers[customerId];
  const relationships = Object.values(state.gdap).filter(
    (r) => (r.resource.customer as { tenantId?: string } | null)?.tenantId === customerId,
  );
  return { customer, relationships };
}

describe("Customer enableGdapByDefault", () => {
  it("is false unless declared, is sent as enableGDAPByDefault: false, and no Default GDAP relationship exists, without any Graph call", async () => {
    const seq = await lastSeq();
    const created = await createResource(customerHandler, inputs(prefix()), t.ctx);
    expect(created.inputs.enableGdapByDefault).toBe(false);
    const { customer, relationships } = await recorded(created.id);
    // The emulator reads an omitted field as true: false here means the body carried it.
    expect(customer?.resource.enableGDAPByDefault).toBe(false);
    expect(relationships).toEqual([]);
    expect(created.state.defaultGdapRelationshipId).toBeUndefined();
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, service: "graph" })).toEqual([]);
  });

  it("true: Partner Center grants the Default GDAP relationship and the output names it, read with one Graph list", async () => {
    const seq = await lastSeq();
    const created = await createResource(
      customerHandler,
      inputs(prefix(), { enableGdapByDefault: true }),
      t.ctx,
    );
    const { customer, relationships } = await recorded(created.id);
    expect(customer?.resource.enableGDAPByDefault).toBe(true);
    expect(relationships).toHaveLength(1);
    expect(relationships[0]!.resource.status).toBe("active");
    expect(created.state.defaultGdapRelationshipId).toBe(relationships[0]!.resource.id);
    const graph = await t.emu.admin.requestLog({ sinceSeq: seq, service: "graph" });
    expect(graph.map((g) => `${g.method} ${g.path}`)).toEqual([
      "GET /v1.0/tenantRelationships/delegatedAdminRelationships",
    ]);
    expect(t.logs.some((l) => l.includes(`Default GDAP relationship ${relationships[0]!.resource.id}`))).toBe(
      true,
    );

    // Refresh keeps naming it (one list again), and finds it when the create could not.
    const { defaultGdapRelationshipId: _id, ...withoutId } = created.state;
    const read = await customerHandler.read(created.id, withoutId as typeof created.state, t.ctx);
    expect((read.props as typeof created.state).defaultGdapRelationshipId).toBe(
      relationships[0]!.resource.id,
    );
  });

  it("does not fail the create when the relationships cannot be listed: logs it and leaves the output empty", async () => {
    await t.emu.admin.addFault({
      method: "GET",
      pathPattern: "^/v1.0/tenantRelationships/delegatedAdminRelationships$",
      service: "graph",
      count: 1,
      action: {
        type: "status",
        status: 403,
        body: { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges." } },
      },
    });
    const domainPrefix = prefix();
    const created = await createResource(
      customerHandler,
      inputs(domainPrefix, { enableGdapByDefault: true }),
      t.ctx,
    );
    expect(created.state.defaultGdapRelationshipId).toBeUndefined();
    expect(
      t.logs.some(
        (l) =>
          l.startsWith(`Customer ${domainPrefix}.onmicrosoft.com: could not list its GDAP relationships`) &&
          l.includes("until a refresh finds it"),
      ),
    ).toBe(true);
    const { relationships } = await recorded(created.id);
    const read = await customerHandler.read(created.id, created.state, t.ctx);
    expect((read.props as typeof created.state).defaultGdapRelationshipId).toBe(
      relationships[0]!.resource.id,
    );
  });

  it("accepts any value for a customer recorded before the input existed, since it changes nothing", async () => {
    const created = await createResource(customerHandler, inputs(prefix()), t.ctx);
    const { enableGdapByDefault: _recorded, ...legacy } = created.inputs;
    for (const value of [true, false]) {
      const failures = await checkFailures(
        customerHandler,
        legacy,
        { ...legacy, enableGdapByDefault: value },
        t.ctx,
      );
      expect(failures).toEqual([]);
    }
    const omitted = await customerHandler.check(legacy, legacy, t.ctx);
    expect(omitted.inputs?.enableGdapByDefault).toBeUndefined();
  });

  it("cannot change once the customer exists: check refuses with what to do instead, before any call", async () => {
    const created = await createResource(customerHandler, inputs(prefix()), t.ctx);
    const seq = await lastSeq();
    const failures = await checkFailures(
      customerHandler,
      created.inputs,
      { ...created.inputs, enableGdapByDefault: true },
      t.ctx,
    );
    expect(failures.map((f) => f.property)).toEqual(["enableGdapByDefault"]);
    expect(failures[0]!.reason).toMatch(
      /^enableGdapByDefault: cannot change from false to true: Partner Center applies it only when it creates the customer.*GdapRelationship/,
    );
    expect(await t.emu.admin.requestLog({ sinceSeq: seq })).toEqual([]);
  });

  it("is refused together with adopt: an existing customer already has whatever relationships it has", async () => {
    const failures = await checkFailures(
      customerHandler,
      {},
      inputs(prefix(), { adopt: {}, enableGdapByDefault: true }),
      t.ctx,
    );
    expect(failures.map((f) => f.property)).toEqual(["enableGdapByDefault"]);
    expect(failures[0]!.reason).toMatch(/only applies to a customer this resource creates/);
  });

  it("must be a boolean", async () => {
    const failures = await checkFailures(
      customerHandler,
      {},
      { ...inputs(prefix()), enableGdapByDefault: "yes" },
      t.ctx,
    );
    expect(failures.map((f) => f.property)).toEqual(["enableGdapByDefault"]);
  });
});
