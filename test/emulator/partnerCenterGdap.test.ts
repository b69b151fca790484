import { describe, expect, it } from "vitest";
import { addGroup } from "../../emulator/common/directory";
import { ENTRA_ROLES } from "../../emulator/common/entraRoles";
import { at, createCustomer, createPcKit, grantGdap, type PcKit, str } from "./partnerCenterTestKit";
import { pcErrorOf } from "./serviceErrors";

/**
 * GDAP authorisation of Partner Center operations inside a customer tenant: the admin agent needs
 * the role the operation's page names, through an access assignment of an ACTIVE relationship to
 * a security group it is a member of. Refusals are 403 / 900308 and change nothing.
 */

const R = ENTRA_ROLES;
const HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const GRAPH = "00000003-0000-0000-c000-000000000000";
const ARM = "797f4846-ba00-4fd7-ba43-dac1f8f63013";

function userBody(kit: PcKit, customerId: string, local = "jane") {
  return {
    usageLocation: "US",
    userPrincipalName: `${local}@${kit.state.directory[customerId].domains[0]}`,
    displayName: "Jane Doe",
    passwordProfile: { password: "abCD123*xy", forceChangePassword: true },
  };
}

function createUser(kit: PcKit, customerId: string, local = "jane") {
  return kit.call("POST", `/v1/customers/${customerId}/users`, {
    as: "user",
    body: userBody(kit, customerId, local),
  });
}

/** Asserts the GDAP refusal: 403 / 900308, naming the roles that would do, with nothing written. */
function expectRefused(
  kit: PcKit,
  customerId: string,
  run: () => ReturnType<PcKit["call"]>,
  roles: string[],
) {
  const users = Object.keys(kit.state.directory[customerId].users).length;
  const dirty = kit.dirty();
  const res = run();
  expect(pcErrorOf(res)).toEqual({ status: 403, code: 900308 });
  expect(at(res.body, "data")).toEqual(roles);
  expect(Object.keys(kit.state.directory[customerId].users)).toHaveLength(users);
  expect(kit.dirty()).toBe(dirty);
  return str(res.body, "description");
}

describe("Partner Center GDAP authorisation", () => {
  it("refuses a user create without any GDAP relationship with the customer", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit, undefined, { gdapRoles: [] });
    const text = expectRefused(kit, customerId, () => createUser(kit, customerId), [
      R.userAdministrator.id,
      R.directoryWriters.id,
    ]);
    expect(text).toContain("User Administrator, Directory Writers");
    expect(text).toContain(`no GDAP relationship with customer ${customerId}`);
  });

  it("refuses while the relationship awaits the customer's approval, and allows once it is active", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit, undefined, { gdapRoles: [] });
    const relationshipId = grantGdap(kit, customerId, [R.userAdministrator.id], {
      status: "approvalPending",
    });
    const text = expectRefused(kit, customerId, () => createUser(kit, customerId), [
      R.userAdministrator.id,
      R.directoryWriters.id,
    ]);
    expect(text).toContain("is approvalPending");
    kit.state.gdap[relationshipId].resource.status = "active";
    expect(createUser(kit, customerId).status).toBe(200);
  });

  it("refuses with an assignment of another role, naming what the user holds", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit, undefined, { gdapRoles: [HELPDESK] });
    const text = expectRefused(kit, customerId, () => createUser(kit, customerId), [
      R.userAdministrator.id,
      R.directoryWriters.id,
    ]);
    // Every Entra role the emulator knows is named by its display name (an unknown one by its id).
    expect(text).toContain("holds only Helpdesk Administrator in this customer");
  });

  it("refuses when the role is assigned to a security group the user is not a member of", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit, undefined, { gdapRoles: [] });
    const other = addGroup(
      kit.state.directory[kit.partnerTenantId],
      { displayName: "Other team", memberIds: [] },
      kit.core.now(),
    );
    grantGdap(kit, customerId, [R.userAdministrator.id], { groupId: other.id });
    const text = expectRefused(kit, customerId, () => createUser(kit, customerId), [
      R.userAdministrator.id,
      R.directoryWriters.id,
    ]);
    expect(text).toContain("in no security group");
  });

  it("counts only roles the relationship holds, and nothing once the relationship expired", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit, undefined, { gdapRoles: [] });
    // An assignment naming a role its relationship does not hold grants nothing of it.
    grantGdap(kit, customerId, [HELPDESK], { assignedRoleIds: [HELPDESK, R.userAdministrator.id] });
    expect(createUser(kit, customerId).status).toBe(403);

    const other = createCustomer(kit, undefined, { gdapRoles: [R.userAdministrator.id] });
    expect(createUser(kit, other, "before").status).toBe(200);
    kit.advance(731 * 24 * 3600 * 1000);
    const refused = createUser(kit, other, "after");
    expect(pcErrorOf(refused)).toEqual({ status: 403, code: 900308 });
    expect(str(refused.body, "description")).toContain("is expired");
  });

  it("follows each page's roles: Directory Writers creates and updates, but only User Administrator deletes or sets passwords", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit, undefined, { gdapRoles: [R.directoryWriters.id] });
    const created = createUser(kit, customerId);
    expect(created.status).toBe(200);
    const userPath = `/v1/customers/${customerId}/users/${str(created.body, "id")}`;
    expect(kit.call("PATCH", userPath, { as: "user", body: { displayName: "Jane D." } }).status).toBe(200);
    expect(
      kit.call("PATCH", userPath, { as: "user", body: { passwordProfile: { password: "NEWpass123*" } } })
        .status,
    ).toBe(403);
    expectRefused(kit, customerId, () => kit.call("DELETE", userPath, { as: "user" }), [
      R.userAdministrator.id,
    ]);
    expect(kit.state.directory[customerId].users[str(created.body, "id")].state).toBe("active");
  });

  it("needs Privileged Role Administrator to add or remove directory role members", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit, undefined, { gdapRoles: [R.userAdministrator.id] });
    const userId = str(createUser(kit, customerId).body, "id");
    const members = `/v1/customers/${customerId}/directoryroles/${HELPDESK}/usermembers`;
    const add = () => kit.call("POST", members, { as: "user", body: { id: userId } });
    expect(add().status).toBe(403);
    expect(at(add().body, "data")).toEqual([R.privilegedRoleAdministrator.id]);
    expect(kit.state.directory[customerId].directoryRoleMembers[HELPDESK] ?? []).toEqual([]);
    // User Administrator may read a user's roles.
    expect(
      kit.call("GET", `/v1/customers/${customerId}/users/${userId}/directoryroles`, { as: "user" }).status,
    ).toBe(200);

    grantGdap(kit, customerId, [R.privilegedRoleAdministrator.id]);
    expect(add().status).toBe(201);
    expect(kit.call("DELETE", `${members}/${userId}`, { as: "user" }).status).toBe(204);
  });

  it("lets Cloud Application Administrator consent delegated permissions, but Microsoft Graph application permissions need Privileged Role Administrator", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit, undefined, { gdapRoles: [R.cloudApplicationAdministrator.id] });
    const path = `/v1/customers/${customerId}/applicationconsents`;
    const consent = (grants: { enterpriseApplicationId: string; scope: string }[]) =>
      kit.call("POST", path, {
        as: "user",
        body: { applicationId: kit.appId, displayName: "Partner automation", applicationGrants: grants },
      });
    const graphApp = consent([{ enterpriseApplicationId: GRAPH, scope: "Application.ReadWrite.All" }]);
    expect(pcErrorOf(graphApp)).toEqual({ status: 403, code: 900308 });
    expect(at(graphApp.body, "data")).toEqual([R.privilegedRoleAdministrator.id]);
    expect(Object.keys(kit.state.directory[customerId].appRoleAssignments)).toEqual([]);

    const delegated = consent([
      { enterpriseApplicationId: GRAPH, scope: "User.Read" },
      { enterpriseApplicationId: ARM, scope: "user_impersonation" },
    ]);
    expect(delegated.status).toBe(201);

    const none = createCustomer(kit, undefined, { gdapRoles: [] });
    const refused = kit.call("DELETE", `/v1/customers/${none}/applicationconsents/${kit.appId}`, {
      as: "user",
    });
    expect(pcErrorOf(refused)).toEqual({ status: 403, code: 900308 });
  });

  it("lets a Global Administrator assignment do everything", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit, undefined, { gdapRoles: [R.globalAdministrator.id] });
    const userId = str(createUser(kit, customerId).body, "id");
    const members = `/v1/customers/${customerId}/directoryroles/${HELPDESK}/usermembers`;
    expect(kit.call("POST", members, { as: "user", body: { id: userId } }).status).toBe(201);
    expect(kit.call("DELETE", `/v1/customers/${customerId}/users/${userId}`, { as: "user" }).status).toBe(
      204,
    );
  });

  it("does not gate the partner's own operations or app-only calls", () => {
    const kit = createPcKit();
    const customerId = createCustomer(kit, undefined, { gdapRoles: [] });
    expect(kit.call("GET", `/v1/customers/${customerId}`).status).toBe(200);
    expect(kit.call("GET", `/v1/customers/${customerId}/directoryroles`, { as: "user" }).status).toBe(200);
  });
});
