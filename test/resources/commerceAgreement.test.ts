import { describe, expect, it } from "vitest";
import { createCustomerAgreement } from "../../provider/clients/partnerCenter/agreements";
import { customerHandler } from "../../provider/handlers/commerce/customer";
import {
  type CustomerAgreementInputs,
  customerAgreementHandler,
} from "../../provider/handlers/commerce/customerAgreement";
import { newCustomer } from "../support/commerceFixtures";
import { customerInputs, uniquePrefix } from "../support/customerInputs";
import { useEmulator } from "../support/emulatorContext";
import { checkFailures, createResource, updateResource } from "../support/handlerSteps";

const MCA_TEMPLATE = "117a77b0-9360-443b-8795-c6dedc750cf9";

const t = useEmulator();

function agreement(
  customerId: string,
  overrides: Partial<CustomerAgreementInputs> = {},
): CustomerAgreementInputs {
  return {
    customerId,
    primaryContact: {
      firstName: "Tania",
      lastName: "Carr",
      email: "tania@contoso.com",
      phoneNumber: "1234567890",
    },
    ...overrides,
  };
}

const lastSeq = () => t.lastSeq();

describe("CustomerAgreement", () => {
  it("confirms the MCA with the template from the metadata, then reports no change", async () => {
    const customerId = await newCustomer(t.ctx);
    const seq = await lastSeq();
    const created = await createResource(customerAgreementHandler, agreement(customerId), t.ctx);
    expect(created.id).toBe(`${customerId}/MicrosoftCustomerAgreement`);
    expect(created.state.templateId).toBe(MCA_TEMPLATE);
    expect(created.state.adopted).toBe(false);
    expect(created.state.attestation.primaryContact.email).toBe("tania@contoso.com");
    expect(Number.isNaN(Date.parse(created.state.dateAgreed))).toBe(false);
    const calls = await t.emu.admin.requestLog({ sinceSeq: seq, service: "partnerCenter" });
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "GET /v1/agreements",
      `GET /v1/customers/${customerId}/agreements`,
      `POST /v1/customers/${customerId}/agreements`,
    ]);

    const same = await updateResource(
      customerAgreementHandler,
      created.id,
      created,
      agreement(customerId),
      t.ctx,
    );
    expect(same.changed).toBe(false);
  });

  it("confirms without looking for a customer this process created, and reads the template once per process", async () => {
    const ctx = await t.contextWith();
    const calls: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const customer = await createResource(customerHandler, customerInputs(uniquePrefix()), ctx);
      const seq = await lastSeq();
      const created = await createResource(customerAgreementHandler, agreement(customer.id), ctx);
      expect(created.state.adopted).toBe(false);
      const log = await t.emu.admin.requestLog({ sinceSeq: seq, service: "partnerCenter" });
      calls.push(log.map((c) => `${c.method} ${c.path.replace(customer.id, "{id}")}`));
    }
    expect(calls).toEqual([
      ["GET /v1/agreements", "POST /v1/customers/{id}/agreements"],
      ["POST /v1/customers/{id}/agreements"],
    ]);
  });

  it("looks first, and adopts what it finds, when the same process creates a second agreement of its new customer", async () => {
    const ctx = await t.contextWith();
    const customer = await createResource(customerHandler, customerInputs(uniquePrefix()), ctx);
    await createResource(customerAgreementHandler, agreement(customer.id), ctx);
    const seq = await lastSeq();
    const other = agreement(customer.id, {
      primaryContact: { firstName: "Jane", lastName: "Doe", email: "jane@contoso.com" },
    });
    const second = await createResource(customerAgreementHandler, other, ctx);
    expect(second.state.adopted).toBe(true);
    expect(second.state.attestation.primaryContact.email).toBe("tania@contoso.com");
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);
  });

  it("adopts an existing attestation instead of confirming twice", async () => {
    const customerId = await newCustomer(t.ctx);
    await createCustomerAgreement(
      t.ctx.api().partnerCenter,
      customerId,
      {
        primaryContact: { firstName: "Jane", lastName: "Doe", email: "jane@contoso.com" },
        templateId: MCA_TEMPLATE,
        dateAgreed: "2024-01-02T00:00:00.000Z",
      },
      crypto.randomUUID(),
    );
    const seq = await lastSeq();
    const created = await createResource(customerAgreementHandler, agreement(customerId), t.ctx);
    expect(created.state.adopted).toBe(true);
    expect(created.state.attestation.primaryContact.email).toBe("jane@contoso.com");
    expect(created.state.dateAgreed).toBe("2024-01-02T00:00:00.000Z");
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);
  });

  it("adopts the attestation when Partner Center answers that it already exists (600061)", async () => {
    const customerId = await newCustomer(t.ctx);
    await createResource(customerAgreementHandler, agreement(customerId), t.ctx);
    // The list does not show it yet (e.g. replication): the POST is a duplicate.
    await t.emu.admin.addFault({
      method: "GET",
      pathPattern: `^/v1/customers/${customerId}/agreements$`,
      service: "partnerCenter",
      count: 1,
      action: {
        type: "status",
        status: 200,
        body: { totalCount: 0, items: [], attributes: { objectType: "Collection" } },
      },
    });
    const again = await createResource(customerAgreementHandler, agreement(customerId), t.ctx);
    expect(again.state.adopted).toBe(true);
    expect(again.state.attestation.primaryContact.email).toBe("tania@contoso.com");
    const posts = await t.emu.admin.requestLog({
      method: "POST",
      pathPattern: `^/v1/customers/${customerId}/agreements$`,
    });
    expect(posts.map((p) => p.status)).toEqual([201, 409]);
  });

  it("records a new attestation when the primary contact changes, and refuses a date change alone", async () => {
    const customerId = await newCustomer(t.ctx);
    const created = await createResource(customerAgreementHandler, agreement(customerId), t.ctx);
    const newContact = agreement(customerId, {
      primaryContact: { firstName: "Omar", lastName: "Ali", email: "omar@contoso.com" },
    });
    const updated = await updateResource(customerAgreementHandler, created.id, created, newContact, t.ctx);
    expect(updated.changed).toBe(true);
    expect(updated.state.attestation.primaryContact.email).toBe("omar@contoso.com");

    const dateOnly = { ...updated.inputs, dateAgreed: "2020-01-01T00:00:00Z" };
    const failures = await checkFailures(customerAgreementHandler, updated.inputs, dateOnly, t.ctx);
    expect(failures.map((f) => f.property)).toEqual(["dateAgreed"]);
  });

  it("refreshes the recorded attestation and deletes from the stack only, saying so", async () => {
    const customerId = await newCustomer(t.ctx);
    const created = await createResource(customerAgreementHandler, agreement(customerId), t.ctx);
    const stale = {
      ...created.state,
      attestation: {
        ...created.state.attestation,
        primaryContact: { firstName: "X", lastName: "Y", email: "x@y.com" },
      },
    };
    const read = await customerAgreementHandler.read(created.id, stale, t.ctx);
    expect(read.id).toBe(created.id);
    expect((read.props as typeof created.state).attestation.primaryContact.email).toBe("tania@contoso.com");

    const seq = await lastSeq();
    await customerAgreementHandler.delete(created.id, created.state, t.ctx);
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);
    expect(t.logs.some((l) => l.includes("removed from the stack only"))).toBe(true);
    expect(created.state.deletionBehavior).toMatch(/^removeFromStack:/);
  });

  it("rejects bad input naming the field, before any call", async () => {
    const seq = await lastSeq();
    const cases: [unknown, string][] = [
      [agreement("not-a-guid"), "customerId"],
      [
        agreement("0f3c4d1e-1111-2222-3333-444455556666", {
          primaryContact: { firstName: "A", lastName: "B", email: "nope" },
        }),
        "primaryContact.email",
      ],
      [agreement("0f3c4d1e-1111-2222-3333-444455556666", { dateAgreed: "yesterday" }), "dateAgreed"],
      [agreement("0f3c4d1e-1111-2222-3333-444455556666", { templateId: "mca" }), "templateId"],
    ];
    for (const [news, property] of cases) {
      const failures = await checkFailures(customerAgreementHandler, {}, news, t.ctx);
      expect(failures.map((f) => f.property)).toEqual([property]);
    }
    expect(await t.emu.admin.requestLog({ sinceSeq: seq })).toEqual([]);
  });
});
