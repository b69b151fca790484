import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { customerHandler } from "../../provider/handlers/commerce/customer";
import { customerInputs, uniquePrefix } from "../support/customerInputs";
import { type EmulatorContext, startEmulatorContext } from "../support/emulatorContext";
import { checked, checkFailures } from "../support/handlerSteps";

let t: EmulatorContext;

beforeAll(async () => {
  t = await startEmulatorContext({ partners: 2 });
});
afterAll(() => t?.stop());
beforeEach(async () => {
  await t.emu.admin.clearFaults();
});

describe("Customer check rejects bad input before any call", () => {
  const base = customerInputs("validprefix");
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
    const seq = await t.lastSeq();
    const failures = await checkFailures(customerHandler, {}, news, t.ctx);
    expect(failures.map((f) => f.property)).toEqual([property]);
    expect(failures[0]!.reason.startsWith(`${property}: `)).toBe(true);
    expect(await t.emu.admin.requestLog({ sinceSeq: seq })).toEqual([]);
  });

  it("accepts a country that needs a registration number and a phone when both are given", async () => {
    const news = {
      ...base,
      domainPrefix: uniquePrefix(),
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
