import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashSecret } from "../../emulator/common/hashSecret";
import {
  at,
  createCustomer,
  createPcKit,
  list,
  type PcKit,
  shapeDiff,
  str,
  vector,
} from "./partnerCenterTestKit";
import { pcErrorOf } from "./serviceErrors";

const DAY = 24 * 3600 * 1000;
const HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8";

function newUser(kit: PcKit, customerId: string, local = "jane", extra: Record<string, unknown> = {}) {
  const domain = kit.state.directory[customerId].domains[0];
  return kit.call("POST", `/v1/customers/${customerId}/users`, {
    as: "user",
    body: {
      usageLocation: "US",
      userPrincipalName: `${local}@${domain}`,
      firstName: "Jane",
      lastName: "Doe",
      displayName: "Jane Doe",
      passwordProfile: { password: "abCD123*xy", forceChangePassword: true },
      attributes: { objectType: "CustomerUser" },
      ...extra,
    },
  });
}

describe("Partner Center customer users", () => {
  it("creates a user in the customer's directory and answers in the shape of vector 15", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    const res = newUser(kit, customerId, "jane", { immutableId: "Some unique ID" });
    expect(res.status).toBe(200);
    expect(shapeDiff(res.body, vector("15-pc-customer-user-create-response.json"))).toEqual([]);
    expect(res.body).toMatchObject({
      state: "active",
      softDeletionTime: null,
      passwordProfile: { password: "abCD123*xy" },
    });
    const user = kit.state.directory[customerId].users[str(res.body, "id")];
    expect(user).toMatchObject({
      displayName: "Jane Doe",
      givenName: "Jane",
      surname: "Doe",
      usageLocation: "US",
    });
    expect(user.passwordHash).toBe(hashSecret("abCD123*xy"));
    expect(JSON.stringify(kit.state)).not.toContain("abCD123*xy");
  });

  it("refuses every customer-user operation with an app-only token (900329)", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    const res = kit.call("GET", `/v1/customers/${customerId}/users`);
    expect(pcErrorOf(res)).toEqual({ status: 403, code: 900329 });
  });

  it("requires a user principal name in one of the customer tenant's domains and a complex password", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    const foreign = kit.call("POST", `/v1/customers/${customerId}/users`, {
      as: "user",
      body: {
        userPrincipalName: "jane@example.com",
        displayName: "Jane",
        passwordProfile: { password: "abCD123*xy" },
      },
    });
    expect(pcErrorOf(foreign)).toEqual({ status: 400, code: 2000 });
    expect(str(foreign.body, "description")).toContain(kit.state.directory[customerId].domains[0]);
    const weak = newUser(kit, customerId, "weak", { passwordProfile: { password: "password" } });
    expect(pcErrorOf(weak)).toEqual({ status: 400, code: 2000 });
    expect(str(weak.body, "description")).toContain("complexity");
  });

  it("refuses names Entra ID's username policy refuses, naming the user principal name, not the domain", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    for (const local of ["al/ice", "al%ice", "a*b=c", "al..ice", ".alice", "alice.", "x".repeat(65)]) {
      const res = newUser(kit, customerId, local);
      expect(res.status, local).toBe(400);
      expect(str(res.body, "description"), local).toMatch(/^The user principal name .* is not valid/);
    }
    for (const local of ["o'neil", "a.b-c_d", "x#y^z~w!v"])
      expect(newUser(kit, customerId, local).status, local).toBe(200);
  });

  it("refuses a second active user with the same user principal name", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    const first = newUser(kit, customerId);
    const second = newUser(kit, customerId);
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 60010, data: [str(first.body, "id")] });
  });

  it("replays a create with the same MS-RequestId, password included, without a second user", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    const domain = kit.state.directory[customerId].domains[0];
    const body = {
      userPrincipalName: `sam@${domain}`,
      displayName: "Sam",
      passwordProfile: { password: "Xy7!abcdef" },
    };
    const headers = { "MS-RequestId": randomUUID() };
    const path = `/v1/customers/${customerId}/users`;
    const first = kit.call("POST", path, { as: "user", body, headers });
    const second = kit.call("POST", path, { as: "user", body, headers });
    expect(second.body).toEqual(first.body);
    expect(
      Object.values(kit.state.directory[customerId].users).filter((u) => u.displayName === "Sam"),
    ).toHaveLength(1);
    expect(JSON.stringify(kit.state.partnerCenter.idempotency)).not.toContain("Xy7!abcdef");
  });

  it("lists active users with links and gets one by id", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    const id = str(newUser(kit, customerId).body, "id");
    const listed = kit.call("GET", `/v1/customers/${customerId}/users?size=500`, { as: "user" });
    // The customer's admin plus the new user.
    expect(list(listed.body)).toHaveLength(2);
    const one = kit.call("GET", `/v1/customers/${customerId}/users/${id}`, { as: "user" });
    expect(at(one.body, "links.self.uri")).toBe(`/customers/${customerId}/users/${id}`);
    expect(at(one.body, "passwordProfile")).toBeUndefined();
  });

  it("updates names and resets the password with PATCH", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    const id = str(newUser(kit, customerId).body, "id");
    const path = `/v1/customers/${customerId}/users/${id}`;
    const res = kit.call("PATCH", path, {
      as: "user",
      body: {
        displayName: "Jane Q. Doe",
        passwordProfile: { password: "New!Passw0rd", forceChangePassword: false },
      },
    });
    expect(res.status).toBe(200);
    expect(at(res.body, "displayName")).toBe("Jane Q. Doe");
    const user = kit.state.directory[customerId].users[id];
    expect(user.passwordHash).toBe(hashSecret("New!Passw0rd"));
    expect(user.forceChangePasswordNextSignIn).toBe(false);
  });
});

describe("Partner Center customer user soft delete", () => {
  it("soft-deletes, lists deleted users through the UserState filter and restores with State active", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    const id = str(newUser(kit, customerId).body, "id");
    const path = `/v1/customers/${customerId}/users/${id}`;
    expect(kit.call("DELETE", path, { as: "user" }).status).toBe(204);
    expect(kit.state.directory[customerId].users[id]).toMatchObject({ state: "inactive" });
    expect(pcErrorOf(kit.call("GET", path, { as: "user" }))).toEqual({ status: 404, code: 60002 });
    const active = kit.call("GET", `/v1/customers/${customerId}/users`, { as: "user" });
    expect(list(active.body).map((u) => str(u, "id"))).not.toContain(id);
    const filter = encodeURIComponent(
      JSON.stringify({ Field: "UserState", Value: "Inactive", Operator: "equals" }),
    );
    const deleted = kit.call("GET", `/v1/customers/${customerId}/users?size=500&filter=${filter}`, {
      as: "user",
    });
    expect(list(deleted.body).map((u) => str(u, "id"))).toEqual([id]);
    expect(at(deleted.body, "items.0.softDeletionTime")).toEqual(expect.any(String));

    const restored = kit.call("PATCH", path, {
      as: "user",
      body: { State: "active", Attributes: { ObjectType: "CustomerUser" } },
    });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ state: "active", softDeletionTime: null });
    expect(kit.call("GET", path, { as: "user" }).status).toBe(200);
  });

  it("tells a create for the user principal name of a deleted user to restore it (409 / 60011 with its id)", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    const id = str(newUser(kit, customerId).body, "id");
    kit.call("DELETE", `/v1/customers/${customerId}/users/${id}`, { as: "user" });
    const res = newUser(kit, customerId);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 60011, data: [id] });
    expect(str(res.body, "description")).toContain("Restore");
  });

  it("purges deleted users after 30 days of emulator time, with their role memberships", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    const id = str(newUser(kit, customerId).body, "id");
    kit.call("POST", `/v1/customers/${customerId}/directoryroles/${HELPDESK}/usermembers`, {
      as: "user",
      body: { Id: id },
    });
    kit.call("DELETE", `/v1/customers/${customerId}/users/${id}`, { as: "user" });
    kit.advance(29 * DAY);
    const path = `/v1/customers/${customerId}/users/${id}`;
    expect(kit.call("GET", `/v1/customers/${customerId}/users`, { as: "user" }).status).toBe(200);
    expect(kit.state.directory[customerId].users[id]).toBeDefined();
    kit.advance(2 * DAY);
    const restore = kit.call("PATCH", path, { as: "user", body: { State: "active" } });
    expect(pcErrorOf(restore)).toEqual({ status: 404, code: 60002 });
    expect(kit.state.directory[customerId].users[id]).toBeUndefined();
    expect(kit.state.directory[customerId].directoryRoleMembers[HELPDESK]).toEqual([]);
    // The name is free again.
    expect(newUser(kit, customerId).status).toBe(200);
  });
});

describe("Partner Center directory roles", () => {
  it("lists the directory roles by role template id", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    const res = kit.call("GET", `/v1/customers/${customerId}/directoryroles`, { as: "user" });
    const roles = list(res.body);
    expect(roles).toContainEqual({
      name: "Global Administrator",
      id: "62e90394-69f5-4237-9190-012177145e10",
      attributes: { objectType: "DirectoryRole" },
    });
    expect(roles.map((r) => str(r, "id"))).toContain("e8611ab8-c189-46e8-94e1-60213ab1f814");
  });

  it("adds a member from the published request (vector 16), answering like vector 17, and removes it", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    const id = str(newUser(kit, customerId).body, "id");
    const body = { ...vector("16-pc-directoryrole-usermember-add-request.json"), Id: id };
    const base = `/v1/customers/${customerId}/directoryroles/${HELPDESK}/usermembers`;
    const added = kit.call("POST", base, { as: "user", body });
    expect(added.status).toBe(201);
    expect(shapeDiff(added.body, vector("17-pc-directoryrole-usermember-add-response.json"))).toEqual([]);
    expect(added.body).toMatchObject({ id, roleId: HELPDESK, displayName: "Jane Doe" });
    expect(list(kit.call("GET", base, { as: "user" }).body).map((m) => str(m, "id"))).toEqual([id]);
    const roles = kit.call("GET", `/v1/customers/${customerId}/users/${id}/directoryroles`, { as: "user" });
    expect(list(roles.body).map((r) => str(r, "name"))).toEqual(["Helpdesk Administrator"]);
    expect(at(kit.call("POST", base, { as: "user", body }).body, "code")).toBe(60013);
    expect(kit.call("DELETE", `${base}/${id}`, { as: "user" }).status).toBe(204);
    expect(kit.state.directory[customerId].directoryRoleMembers[HELPDESK]).toEqual([]);
    expect(pcErrorOf(kit.call("DELETE", `${base}/${id}`, { as: "user" }))).toEqual({
      status: 404,
      code: 60002,
    });
  });

  it("answers 404 for an unknown role or user", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit);
    const unknownRole = kit.call(
      "GET",
      `/v1/customers/${customerId}/directoryroles/${randomUUID()}/usermembers`,
      {
        as: "user",
      },
    );
    expect(pcErrorOf(unknownRole)).toEqual({ status: 404, code: 1000 });
    const unknownUser = kit.call(
      "POST",
      `/v1/customers/${customerId}/directoryroles/${HELPDESK}/usermembers`,
      {
        as: "user",
        body: { Id: randomUUID() },
      },
    );
    expect(at(unknownUser.body, "code")).toBe(60002);
  });
});
