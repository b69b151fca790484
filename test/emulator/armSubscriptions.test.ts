import { describe, expect, it } from "vitest";
import { armModule } from "../../emulator/arm/index";
import { ARM_AUD, addCustomerWithAzurePlan, PLAN_ID, SUB_ID } from "./armTestKit";
import { appToken, CUSTOMER_TID, call, PARTNER_TID, seededWorld, testCore, userToken } from "./graphTestKit";
import { ARM_ALIAS_REQUEST_24 } from "./graphVectors";
import { graphErrorOf } from "./serviceErrors";

const ALIAS_V = "api-version=2021-10-01";
const BILLING_V = "api-version=2020-05-01";

function setup() {
  const world = seededWorld();
  const first = addCustomerWithAzurePlan(world.state);
  const core = testCore(world.state);
  const partnerAgent = userToken(PARTNER_TID, ARM_AUD, "user_impersonation", world.agent.id, {
    upn: "agent@partner.onmicrosoft.com",
  });
  const aobo = userToken(CUSTOMER_TID, ARM_AUD, "user_impersonation", world.agent.id, {
    idp: `https://sts.windows.net/${PARTNER_TID}/`,
  });
  const ba = world.state.partnerCenter.partners[PARTNER_TID].billingAccountName;
  return { ...world, core, partnerAgent, aobo, ba, first };
}

const err = (r: { json: Record<string, unknown> }) => r.json.error as { code: string; message: string };

describe("ARM billing accounts", () => {
  it("lists the partner's MPA billing account and its customers with an Azure plan", async () => {
    const { core, partnerAgent, ba } = setup();
    const accounts = await call(
      armModule,
      core,
      "GET",
      `/providers/Microsoft.Billing/billingAccounts?${BILLING_V}`,
      { auth: partnerAgent },
    );
    expect(accounts.json.value).toEqual([
      expect.objectContaining({
        name: ba,
        properties: expect.objectContaining({
          agreementType: "MicrosoftPartnerAgreement",
          accountType: "Partner",
        }),
      }),
    ]);
    const customers = await call(
      armModule,
      core,
      "GET",
      `/providers/Microsoft.Billing/billingAccounts/${ba}/customers?${BILLING_V}`,
      {
        auth: partnerAgent,
      },
    );
    expect(customers.json.value).toEqual([
      {
        id: `/providers/Microsoft.Billing/billingAccounts/${ba}/customers/${CUSTOMER_TID}`,
        name: CUSTOMER_TID,
        type: "Microsoft.Billing/billingAccounts/customers",
        properties: expect.objectContaining({ displayName: "Contoso" }),
      },
    ]);
  });

  it("refuses app-only callers and unknown billing accounts", async () => {
    const { core, ba, partnerAgent } = setup();
    const app = await call(
      armModule,
      core,
      "GET",
      `/providers/Microsoft.Billing/billingAccounts?${BILLING_V}`,
      {
        auth: appToken(PARTNER_TID, ARM_AUD, []),
      },
    );
    expect(graphErrorOf(app)).toEqual({ status: 403, code: "AuthorizationFailed" });
    const other = await call(
      armModule,
      core,
      "GET",
      `/providers/Microsoft.Billing/billingAccounts/${ba}x/customers?${BILLING_V}`,
      { auth: partnerAgent },
    );
    expect(graphErrorOf(other)).toEqual({ status: 404, code: "BillingAccountNotFound" });
  });
});

describe("ARM subscription aliases", () => {
  it("accepts the published MPA request (vector 24), is idempotent by alias name and provisions on a later read", async () => {
    const { core, partnerAgent, ba, state } = setup();
    const published = ARM_ALIAS_REQUEST_24 as { properties: Record<string, string> };
    const body = {
      properties: {
        ...published.properties,
        billingScope: `/providers/Microsoft.Billing/billingAccounts/${ba}/customers/${CUSTOMER_TID}`,
      },
    };
    const url = `/providers/Microsoft.Subscription/aliases/dev-team?${ALIAS_V}`;
    const first = await call(armModule, core, "PUT", url, { auth: partnerAgent, body });
    expect(first.status).toBe(201);
    const props = first.json.properties as Record<string, string>;
    expect(props).toMatchObject({
      provisioningState: "Accepted",
      displayName: "Dev Team subscription",
      workload: "Production",
    });
    const subscriptionId = props.subscriptionId;
    expect(state.azure.subscriptions[subscriptionId]).toMatchObject({
      planSubscriptionId: PLAN_ID,
      customerId: CUSTOMER_TID,
      entitlementStatus: "active",
      tenantId: CUSTOMER_TID,
    });
    const get = await call(armModule, core, "GET", url, { auth: partnerAgent });
    expect((get.json.properties as Record<string, string>).provisioningState).toBe("Succeeded");
    const again = await call(armModule, core, "PUT", url, { auth: partnerAgent, body });
    expect(again.status).toBe(200);
    expect((again.json.properties as Record<string, string>).subscriptionId).toBe(subscriptionId);
    expect(Object.keys(state.azure.subscriptions)).toHaveLength(2);
    const list = await call(armModule, core, "GET", `/providers/Microsoft.Subscription/aliases?${ALIAS_V}`, {
      auth: partnerAgent,
    });
    expect((list.json.value as { name: string }[]).map((a) => a.name)).toEqual(["dev-team"]);
    expect((await call(armModule, core, "DELETE", url, { auth: partnerAgent })).status).toBe(200);
    expect((await call(armModule, core, "DELETE", url, { auth: partnerAgent })).status).toBe(204);
    expect(state.azure.subscriptions[subscriptionId]).toBeDefined();
  });

  it("enforces the sandbox limit of 3 Azure subscriptions per plan", async () => {
    const { core, partnerAgent, ba } = setup();
    const put = (alias: string) =>
      call(armModule, core, "PUT", `/providers/Microsoft.Subscription/aliases/${alias}?${ALIAS_V}`, {
        auth: partnerAgent,
        body: {
          properties: {
            displayName: alias,
            workload: "DevTest",
            billingScope: `/billingAccounts/${ba}/customers/${CUSTOMER_TID}`,
          },
        },
      });
    expect((await put("a2")).status).toBe(201);
    expect((await put("a3")).status).toBe(201);
    const fourth = await put("a4");
    expect(graphErrorOf(fourth)).toEqual({ status: 400, code: "SubscriptionQuotaExceeded" });
    expect(err(fourth).message).toContain("3");
  });

  it("refuses a billing scope of a customer without an Azure plan or of another billing account", async () => {
    const { core, partnerAgent, ba, state } = setup();
    state.partnerCenter.customers["dddddddd-0000-4000-8000-000000000009"] = {
      id: "dddddddd-0000-4000-8000-000000000009",
      partnerTenantId: PARTNER_TID,
      commerceId: "x",
      resource: {},
      createdDateTime: "2025-01-01T00:00:00Z",
    };
    const noPlan = await call(
      armModule,
      core,
      "PUT",
      `/providers/Microsoft.Subscription/aliases/np?${ALIAS_V}`,
      {
        auth: partnerAgent,
        body: {
          properties: {
            displayName: "x",
            billingScope: `/providers/Microsoft.Billing/billingAccounts/${ba}/customers/dddddddd-0000-4000-8000-000000000009`,
          },
        },
      },
    );
    expect(graphErrorOf(noPlan)).toEqual({ status: 400, code: "InvalidBillingScope" });
    expect(err(noPlan).message).toContain("Azure plan");
    const otherBa = await call(
      armModule,
      core,
      "PUT",
      `/providers/Microsoft.Subscription/aliases/ob?${ALIAS_V}`,
      {
        auth: partnerAgent,
        body: {
          properties: {
            displayName: "x",
            billingScope: `/providers/Microsoft.Billing/billingAccounts/other/customers/${CUSTOMER_TID}`,
          },
        },
      },
    );
    expect(graphErrorOf(otherBa)).toEqual({ status: 403, code: "AuthorizationFailed" });
  });
});

describe("ARM subscriptions", () => {
  it("gets and lists the customer's subscriptions as admin-on-behalf-of", async () => {
    const { core, aobo } = setup();
    const one = await call(armModule, core, "GET", `/subscriptions/${SUB_ID}?api-version=2022-12-01`, {
      auth: aobo,
    });
    expect(one.json).toMatchObject({
      subscriptionId: SUB_ID,
      tenantId: CUSTOMER_TID,
      state: "Enabled",
      displayName: "Microsoft Azure",
    });
    const list = await call(armModule, core, "GET", "/subscriptions?api-version=2022-12-01", { auth: aobo });
    expect((list.json.value as { subscriptionId: string }[]).map((s) => s.subscriptionId)).toEqual([SUB_ID]);
    const missing = await call(
      armModule,
      core,
      "GET",
      "/subscriptions/eeeeeeee-0000-4000-8000-000000000000?api-version=2022-12-01",
      { auth: aobo },
    );
    expect(missing.status).toBe(404);
    expect(err(missing).code).toBe("SubscriptionNotFound");
  });

  it("keeps the Partner Center entitlement in sync on cancel, enable and rename", async () => {
    const { core, aobo, state } = setup();
    const base = `/subscriptions/${SUB_ID}/providers/Microsoft.Subscription`;
    const cancel = await call(armModule, core, "POST", `${base}/cancel?${ALIAS_V}`, { auth: aobo });
    expect(cancel.status).toBe(200);
    expect(cancel.json).toEqual({ subscriptionId: SUB_ID });
    expect(state.azure.subscriptions[SUB_ID]).toMatchObject({
      state: "Disabled",
      entitlementStatus: "inactive",
    });
    await call(armModule, core, "POST", `${base}/enable?${ALIAS_V}`, { auth: aobo });
    expect(state.azure.subscriptions[SUB_ID]).toMatchObject({
      state: "Enabled",
      entitlementStatus: "active",
    });
    const rename = await call(armModule, core, "POST", `${base}/rename?${ALIAS_V}`, {
      auth: aobo,
      body: { subscriptionName: "Prod" },
    });
    expect(rename.status).toBe(200);
    expect(state.azure.subscriptions[SUB_ID].displayName).toBe("Prod");
  });

  it("refuses cancel to a Contributor (Owner only)", async () => {
    const { core, aobo, customer, state } = setup();
    const sp = customer.servicePrincipals[Object.keys(customer.servicePrincipals)[0]];
    await call(
      armModule,
      core,
      "PUT",
      `/subscriptions/${SUB_ID}/providers/Microsoft.Authorization/roleAssignments/05c5a614-a7d6-4502-b150-c2fb455033ff?api-version=2022-04-01`,
      {
        auth: aobo,
        body: {
          properties: {
            roleDefinitionId:
              "/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c",
            principalId: sp.id,
          },
        },
      },
    );
    const spToken = appToken(CUSTOMER_TID, ARM_AUD, [], sp.id);
    const res = await call(
      armModule,
      core,
      "POST",
      `/subscriptions/${SUB_ID}/providers/Microsoft.Subscription/cancel?${ALIAS_V}`,
      { auth: spToken },
    );
    expect(graphErrorOf(res)).toEqual({ status: 403, code: "AuthorizationFailed" });
    expect(state.azure.subscriptions[SUB_ID].state).toBe("Enabled");
    const rename = await call(
      armModule,
      core,
      "POST",
      `/subscriptions/${SUB_ID}/providers/Microsoft.Subscription/rename?${ALIAS_V}`,
      {
        auth: spToken,
        body: { subscriptionName: "by contributor" },
      },
    );
    expect(rename.status).toBe(200);
  });
});
