import { beforeAll, describe, expect, it } from "vitest";
import { customerUserHandler as handler } from "../../provider/handlers/directory/customerUser";
import { useEmulator } from "../support/emulatorContext";
import { checkFailures } from "../support/handlerSteps";
import { createTestCustomer } from "../support/identityFixtures";

const t = useEmulator();
let customerId: string;
let domain: string;

beforeAll(async () => {
  ({ customerId, domain } = await createTestCustomer(t.ctx, "usercheck"));
});

/** Partner Center calls (token requests excluded) made by `run`. */
async function partnerCenterCalls(run: () => Promise<unknown>): Promise<string[]> {
  await t.emu.admin.clearRequestLog();
  await run();
  return (await t.emu.admin.requestLog({ service: "partnerCenter" })).map((e) => `${e.method} ${e.path}`);
}

describe("CustomerUser check", () => {
  const inputs = () => ({
    customerId,
    userPrincipalName: `erin@${domain}`,
    displayName: "Erin",
    usageLocation: "US",
    roles: ["Helpdesk Administrator"],
  });

  it("reads the customer's domains for a new user", async () => {
    const calls = await partnerCenterCalls(() => handler.check({}, inputs(), t.ctx));
    expect(calls).toEqual([`GET /v1/customers/${customerId}`]);
  });

  it("makes no call for a user whose customer, UPN and account stay (a no-op preview costs nothing)", async () => {
    const olds = inputs();
    const calls = await partnerCenterCalls(async () => {
      const result = await handler.check(olds, { ...olds, displayName: "Erin E." }, t.ctx);
      expect(result.failures ?? []).toEqual([]);
    });
    expect(calls).toEqual([]);
  });

  it("still checks the domain when the UPN changes", async () => {
    const failures = await checkFailures(
      handler,
      inputs(),
      { ...inputs(), userPrincipalName: "erin@contoso.com" },
      t.ctx,
    );
    expect(failures[0]?.property).toBe("userPrincipalName");
    expect(failures[0]?.reason).toMatch(/not a domain of customer/);
  });
});
