import { beforeAll, describe, expect, it } from "vitest";
import { addRoleMember, listUserDirectoryRoles } from "../../provider/clients/partnerCenter/directoryRoles";
import { getCustomerUser, listDeletedCustomerUsers } from "../../provider/clients/partnerCenter/users";
import { customerUserHandler as handler } from "../../provider/handlers/directory/customerUser";
import { passwordProblem } from "../../provider/handlers/directory/passwords";
import { UNKNOWN } from "../../provider/handlers/types";
import { useEmulator } from "../support/emulatorContext";
import { checkFailures, createResource, updateResource } from "../support/handlerSteps";
import {
  createTestCustomer,
  HELPDESK_ADMINISTRATOR,
  isWriteMethod,
  USER_ADMINISTRATOR,
} from "../support/identityFixtures";

const GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";

const t = useEmulator();
let customerId: string;
let domain: string;

beforeAll(async () => {
  ({ customerId, domain } = await createTestCustomer(t.ctx, "users", { emu: t.emu }));
});

function roleIdsOf(roles: { id: string }[]): string[] {
  return roles.map((r) => r.id).sort();
}

describe("CustomerUser", () => {
  it("creates a user with a generated strong password and its roles, reconciles roles as a set, and soft-deletes it", async () => {
    const pc = t.ctx.api().partnerCenter;
    const created = await createResource(
      handler,
      {
        customerId,
        userPrincipalName: `alice@${domain}`,
        firstName: "Alice",
        lastName: "Archer",
        displayName: "Alice Archer",
        usageLocation: "us",
        roles: ["Helpdesk Administrator"],
      },
      t.ctx,
    );
    const userId = created.id;
    expect(created.state.usageLocation).toBe("US");
    expect(created.state.password.length).toBeGreaterThanOrEqual(16);
    expect(passwordProblem(created.state.password)).toBeUndefined();
    expect(created.state.roleIds).toEqual([HELPDESK_ADMINISTRATOR]);
    expect(roleIdsOf(await listUserDirectoryRoles(pc, customerId, userId))).toEqual([HELPDESK_ADMINISTRATOR]);
    expect(JSON.stringify(Object.values(created.state))).not.toContain("undefined");

    // Roles are a set: Helpdesk goes, two others come (one named by template id).
    const updated = await updateResource(
      handler,
      userId,
      created,
      { ...created.inputs, roles: ["User Administrator", GLOBAL_READER], displayName: "Alice A." },
      t.ctx,
    );
    expect(updated.changed).toBe(true);
    expect(roleIdsOf(await listUserDirectoryRoles(pc, customerId, userId))).toEqual(
      [USER_ADMINISTRATOR, GLOBAL_READER].sort(),
    );
    expect((await getCustomerUser(pc, customerId, userId))?.displayName).toBe("Alice A.");
    expect(updated.state.password).toBe(created.state.password);

    // A role added outside Pulumi shows as drift on refresh.
    await addRoleMember(pc, customerId, HELPDESK_ADMINISTRATOR, { id: userId });
    const refreshed = await handler.read(userId, updated.state, t.ctx);
    // The engine stores a refresh's inputs as they are (no secrets): the password stays an output.
    expect(refreshed.inputs).not.toHaveProperty("password");
    expect(refreshed.inputs).not.toHaveProperty("forceChangePassword");
    expect(refreshed.props?.password).toBe(created.state.password);
    expect(refreshed.inputs?.roles).toEqual(
      expect.arrayContaining(["User Administrator", GLOBAL_READER, HELPDESK_ADMINISTRATOR]),
    );
    const drift = await handler.diff(
      userId,
      { ...updated.state, ...refreshed.props! },
      updated.inputs,
      t.ctx,
    );
    expect(drift.changes).toBe(true);

    t.logs.length = 0;
    await handler.delete(userId, updated.state, t.ctx);
    expect(await getCustomerUser(pc, customerId, userId)).toBeUndefined();
    const deleted = await listDeletedCustomerUsers(pc, customerId);
    expect(deleted.map((u) => u.id)).toContain(userId);
    expect(t.logs.join("\n")).toMatch(/soft-deleted.*30 days/);
    expect((await handler.read(userId, updated.state, t.ctx)).id).toBeUndefined();
  });

  it("restores a soft-deleted user with the same user principal name instead of failing", async () => {
    const inputs = {
      customerId,
      userPrincipalName: `bob@${domain}`,
      displayName: "Bob",
      usageLocation: "DE",
      password: "Initial-Passw0rd!",
    };
    const first = await createResource(handler, inputs, t.ctx);
    await handler.delete(first.id, first.state, t.ctx);

    t.logs.length = 0;
    const again = await createResource(
      handler,
      { ...inputs, displayName: "Bob again", password: "Second-Passw0rd!" },
      t.ctx,
    );
    expect(again.id).toBe(first.id);
    expect(t.logs.join("\n")).toMatch(/restoring it/);
    const user = await getCustomerUser(t.ctx.api().partnerCenter, customerId, again.id);
    expect(user?.state).toBe("active");
    expect(user?.displayName).toBe("Bob again");
    expect(again.state.password).toBe("Second-Passw0rd!");
  });

  it("finds the user by its user principal name when every create response is lost, leaving one user", async () => {
    const ctx = await t.contextWith({ CSP_MAX_RETRIES: "1" });
    await t.emu.admin.addFault({
      method: "POST",
      service: "partnerCenter",
      pathPattern: `/v1/customers/${customerId}/users$`,
      count: 5,
      action: { type: "commitThenDrop" },
    });
    try {
      t.logs.length = 0;
      const upn = `carol@${domain}`;
      const created = await createResource(
        handler,
        { customerId, userPrincipalName: upn, displayName: "Carol", usageLocation: "FR" },
        ctx,
      );
      const state = await t.emu.admin.state();
      const matching = Object.values(state.directory[customerId]!.users).filter(
        (u) => u.userPrincipalName.toLowerCase() === upn,
      );
      expect(matching.map((u) => u.id)).toEqual([created.id]);
      expect(t.logs.join("\n")).toMatch(/exists after an unanswered or conflicting create/);
    } finally {
      await t.emu.admin.clearFaults();
    }
  });

  it("rejects every invalid input in check with the field and the rule, before any write", async () => {
    await t.emu.admin.clearRequestLog();
    const base = {
      customerId,
      userPrincipalName: `dave@${domain}`,
      displayName: "Dave",
      usageLocation: "US",
    };
    const failing = async (news: Record<string, unknown>) =>
      checkFailures(handler, {}, { ...base, ...news }, t.ctx);

    expect((await failing({ userPrincipalName: "not-an-upn" }))[0]?.property).toBe("userPrincipalName");
    const otherDomain = await failing({ userPrincipalName: "dave@contoso.com" });
    expect(otherDomain[0]?.property).toBe("userPrincipalName");
    expect(otherDomain[0]?.reason).toMatch(/not a domain of customer/);
    expect((await failing({ usageLocation: "USA" }))[0]?.reason).toMatch(/two-letter ISO 3166-1/);
    expect((await failing({ usageLocation: "XX" }))[0]?.reason).toMatch(/assigned ISO 3166-1/);
    const role = await failing({ roles: ["Helpdesk Admin"] });
    expect(role[0]?.property).toBe("roles[0]");
    expect(role[0]?.reason).toMatch(/did you mean "Helpdesk Administrator"/);
    const weak = await failing({ password: "password" });
    expect(weak[0]?.property).toBe("password");
    expect(weak[0]?.reason).not.toContain('"password"');
    expect((await failing({ customerId: "not-a-guid" }))[0]?.property).toBe("customerId");
    const unknownCustomer = await failing({ customerId: "00000000-0000-4000-8000-000000000001" });
    expect(unknownCustomer[0]?.reason).toMatch(/was not found/);
    expect((await failing({ displayName: "" }))[0]?.property).toBe("displayName");
    expect((await failing({ extra: 1 }))[0]?.reason).toMatch(/extra|Unrecognized/);

    // Unknown values (preview) are accepted without a read.
    const preview = await handler.check({}, { ...base, customerId: UNKNOWN }, t.ctx);
    expect(preview.failures ?? []).toEqual([]);

    const writes = (await t.emu.admin.requestLog()).filter(isWriteMethod);
    expect(writes).toEqual([]);
  });
});
