import { describe, expect, it } from "vitest";
import { armModule } from "../../emulator/arm/index";
import { pcSections } from "../../emulator/partnerCenter/pcState";
import { ARM_AUD, addCustomerWithAzurePlan, PLAN_ID, SUB_ID } from "./armTestKit";
import { appToken, CUSTOMER_TID, call, PARTNER_TID, seededWorld, testCore, userToken } from "./graphTestKit";
import { graphErrorOf } from "./serviceErrors";

/**
 * ARM cancel and enable of an Azure plan subscription ("Subscription - Cancel" / "Subscription -
 * Enable", 2021-10-01), the states they lead to ("Azure subscription states": a disabled
 * subscription allows only GET and DELETE; deleted 90 days after the cancel) and what blocks a
 * cancel (resource groups, a caller that is not an Owner).
 */

const V = "api-version=2021-10-01";
const RG_V = "api-version=2021-04-01";
const DAY = 24 * 3600 * 1000;
const ACTIONS = `/subscriptions/${SUB_ID}/providers/Microsoft.Subscription`;
const RESOURCE_GROUPS = `/subscriptions/${SUB_ID}/resourcegroups`;

function setup() {
  const world = seededWorld();
  addCustomerWithAzurePlan(world.state);
  const core = testCore(world.state);
  // The partner's admin agent in the customer tenant (admin-on-behalf-of: Owner of the subscription).
  const aobo = userToken(CUSTOMER_TID, ARM_AUD, "user_impersonation", world.agent.id, {
    idp: `https://sts.windows.net/${PARTNER_TID}/`,
  });
  const arm = (method: string, url: string, body?: unknown, auth = aobo) =>
    call(armModule, core, method, url, { auth, ...(body === undefined ? {} : { body }) });
  return { ...world, core, aobo, arm, sub: () => world.state.azure.subscriptions[SUB_ID]! };
}

const code = (r: { json: Record<string, unknown> }) => (r.json.error as { code: string }).code;

describe("ARM cancel and enable of an Azure plan subscription", () => {
  it("cancels as the admin agent: 200 {subscriptionId}, Disabled, entitlement inactive; enable brings it back", async () => {
    const { arm, sub } = setup();
    const cancel = await arm("POST", `${ACTIONS}/cancel?${V}`);
    expect(cancel.status).toBe(200);
    expect(cancel.json).toEqual({ subscriptionId: SUB_ID });
    expect(sub()).toMatchObject({ state: "Disabled", entitlementStatus: "inactive" });
    expect(sub().cancelledDateTime).toEqual(expect.any(String));
    // GET still answers (a disabled subscription allows reads).
    const read = await arm("GET", `/subscriptions/${SUB_ID}?api-version=2022-12-01`);
    expect(read.json).toMatchObject({ state: "Disabled" });
    const enable = await arm("POST", `${ACTIONS}/enable?${V}`);
    expect(enable.status).toBe(200);
    expect(enable.json).toEqual({ subscriptionId: SUB_ID });
    expect(sub()).toMatchObject({ state: "Enabled", entitlementStatus: "active" });
    expect(sub().cancelledDateTime).toBeUndefined();
  });

  it("a cancelled subscription refuses a second cancel and a rename (409 ReadOnlyDisabledSubscription), changing nothing", async () => {
    const { arm, sub, core } = setup();
    await arm("POST", `${ACTIONS}/cancel?${V}`);
    const cancelledAt = sub().cancelledDateTime;
    core.advance(DAY);
    const again = await arm("POST", `${ACTIONS}/cancel?${V}`);
    expect(again.status).toBe(409);
    expect(code(again)).toBe("ReadOnlyDisabledSubscription");
    expect(sub().cancelledDateTime).toBe(cancelledAt);
    const rename = await arm("POST", `${ACTIONS}/rename?${V}`, { subscriptionName: "Renamed" });
    expect(rename.status).toBe(409);
    expect(code(rename)).toBe("ReadOnlyDisabledSubscription");
    expect(sub().displayName).toBe("Microsoft Azure");
  });

  it("refuses to cancel while the subscription holds a resource group (400 ResourcesExistingOnSubscription), then cancels once it is deleted", async () => {
    const { arm, sub } = setup();
    const created = await arm("PUT", `${RESOURCE_GROUPS}/workload-rg?${RG_V}`, { location: "westeurope" });
    expect(created.status).toBe(201);
    const refused = await arm("POST", `${ACTIONS}/cancel?${V}`);
    expect(refused.status).toBe(400);
    expect(code(refused)).toBe("ResourcesExistingOnSubscription");
    expect(sub()).toMatchObject({ state: "Enabled", entitlementStatus: "active" });
    expect(sub().cancelledDateTime).toBeUndefined();
    expect((await arm("DELETE", `${RESOURCE_GROUPS}/workload-rg?${RG_V}`)).status).toBe(200);
    expect((await arm("POST", `${ACTIONS}/cancel?${V}`)).status).toBe(200);
    expect(sub().state).toBe("Disabled");
  });

  it("cancels despite resource groups with IgnoreResourceCheck=true", async () => {
    const { arm, sub } = setup();
    await arm("PUT", `${RESOURCE_GROUPS}/kept?${RG_V}`, { location: "westeurope" });
    const cancel = await arm("POST", `${ACTIONS}/cancel?IgnoreResourceCheck=true&${V}`);
    expect(cancel.status).toBe(200);
    expect(sub().state).toBe("Disabled");
    // The resource group is still there, readable and deletable, but nothing can be created.
    expect((await arm("GET", `${RESOURCE_GROUPS}/kept?${RG_V}`)).status).toBe(200);
    const put = await arm("PUT", `${RESOURCE_GROUPS}/new?${RG_V}`, { location: "westeurope" });
    expect(put.status).toBe(409);
    expect(code(put)).toBe("ReadOnlyDisabledSubscription");
    expect((await arm("DELETE", `${RESOURCE_GROUPS}/kept?${RG_V}`)).status).toBe(200);
  });

  it("lets only an Owner cancel: a Contributor service principal is refused (403), an Owner one may", async () => {
    const { arm, customer, sub } = setup();
    const [contributor, owner] = Object.values(customer.servicePrincipals);
    const assign = (name: string, role: string, principalId: string) =>
      arm(
        "PUT",
        `/subscriptions/${SUB_ID}/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=2022-04-01`,
        {
          properties: {
            roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${role}`,
            principalId,
          },
        },
      );
    expect(
      (
        await assign(
          "05c5a614-a7d6-4502-b150-c2fb455033ff",
          "b24988ac-6180-42a0-ab88-20f7382dd24c",
          contributor!.id,
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await assign(
          "15c5a614-a7d6-4502-b150-c2fb455033ff",
          "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
          owner!.id,
        )
      ).status,
    ).toBe(201);
    const asContributor = appToken(CUSTOMER_TID, ARM_AUD, [], contributor!.id);
    const refused = await arm("POST", `${ACTIONS}/cancel?${V}`, undefined, asContributor);
    expect(refused.status).toBe(403);
    expect(code(refused)).toBe("AuthorizationFailed");
    expect(sub().state).toBe("Enabled");
    const asOwner = appToken(CUSTOMER_TID, ARM_AUD, [], owner!.id);
    expect((await arm("POST", `${ACTIONS}/cancel?${V}`, undefined, asOwner)).status).toBe(200);
  });

  it("refuses to enable a subscription whose Azure plan is suspended (400 InvalidBillingScope)", async () => {
    const { arm, sub, state } = setup();
    await arm("POST", `${ACTIONS}/cancel?${V}`);
    pcSections(state).subscriptions[PLAN_ID]!.resource.status = "suspended";
    const refused = await arm("POST", `${ACTIONS}/enable?${V}`);
    expect(refused.status).toBe(400);
    expect(code(refused)).toBe("InvalidBillingScope");
    expect(sub()).toMatchObject({ state: "Disabled", entitlementStatus: "inactive" });
  });

  it("deletes a cancelled subscription 90 days after the cancel: then 404 SubscriptionNotFound, no enable", async () => {
    const { arm, sub, core } = setup();
    await arm("POST", `${ACTIONS}/cancel?${V}`);
    core.advance(89 * DAY);
    expect((await arm("GET", `/subscriptions/${SUB_ID}?api-version=2022-12-01`)).status).toBe(200);
    core.advance(DAY);
    const gone = await arm("GET", `/subscriptions/${SUB_ID}?api-version=2022-12-01`);
    expect(gone.status).toBe(404);
    expect(code(gone)).toBe("SubscriptionNotFound");
    const enable = await arm("POST", `${ACTIONS}/enable?${V}`);
    expect(graphErrorOf(enable)).toEqual({ status: 404, code: "SubscriptionNotFound" });
    expect(sub()).toMatchObject({ state: "Deleted", entitlementStatus: "inactive" });
    const list = await arm("GET", "/subscriptions?api-version=2022-12-01");
    expect(list.json.value).toEqual([]);
  });
});

describe("ARM resource groups", () => {
  it("creates (201), updates (200), gets, lists and deletes a resource group; refuses a missing location and an unknown group", async () => {
    const { arm } = setup();
    const missing = await arm("PUT", `${RESOURCE_GROUPS}/rg1?${RG_V}`, {});
    expect(graphErrorOf(missing)).toEqual({ status: 400, code: "LocationRequired" });
    const created = await arm("PUT", `${RESOURCE_GROUPS}/rg1?${RG_V}`, { location: "westeurope" });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      id: `/subscriptions/${SUB_ID}/resourceGroups/rg1`,
      name: "rg1",
      type: "Microsoft.Resources/resourceGroups",
      location: "westeurope",
      properties: { provisioningState: "Succeeded" },
    });
    const updated = await arm("PUT", `${RESOURCE_GROUPS}/RG1?${RG_V}`, {
      location: "westeurope",
      tags: { env: "dev" },
    });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ name: "rg1", tags: { env: "dev" } });
    expect((await arm("GET", `${RESOURCE_GROUPS}?${RG_V}`)).json.value).toHaveLength(1);
    expect((await arm("DELETE", `${RESOURCE_GROUPS}/rg1?${RG_V}`)).status).toBe(200);
    const gone = await arm("GET", `${RESOURCE_GROUPS}/rg1?${RG_V}`);
    expect(gone.status).toBe(404);
    expect(code(gone)).toBe("ResourceGroupNotFound");
    expect(graphErrorOf(await arm("DELETE", `${RESOURCE_GROUPS}/rg1?${RG_V}`))).toEqual({
      status: 404,
      code: "ResourceGroupNotFound",
    });
  });
});
