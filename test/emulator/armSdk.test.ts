import { Agent } from "node:https";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { createDefaultHttpClient, type HttpClient } from "@azure/core-rest-pipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index";
import { ask } from "./coreTestKit";
import { customerWithAzurePlan, EmulatorTokens } from "./graphHttpsKit";
import { ARM_ALIAS_REQUEST_24, ARM_ROLE_ASSIGNMENT_EXAMPLE_23 } from "./graphVectors";

/**
 * ARM emulation driven over HTTPS by the official `@azure/arm-authorization` client (retries off),
 * as the partner's admin agent acting admin-on-behalf-of in a customer tenant whose Azure plan was
 * bought through Partner Center on the same emulator.
 */

const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
let emu: RunningEmulator;
let tokens: EmulatorTokens;
let customerId: string;
let subscriptionId: string;
let principalId: string;
let agent: Agent;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  tokens = new EmulatorTokens(emu);
  agent = new Agent({ ca: emu.caCertPem });
  customerId = await customerWithAzurePlan(emu, tokens);
  const state = await emu.admin.state();
  const sub = Object.values(state.azure.subscriptions).find((s) => s.customerId === customerId);
  if (!sub) throw new Error("the Azure plan brought no Azure subscription");
  subscriptionId = sub.subscriptionId;
  principalId = Object.keys(state.directory[customerId].users)[0];
});

afterAll(async () => {
  agent?.destroy();
  await emu?.stop();
});

/** A TokenCredential that asks the emulator for an app+user ARM token in the customer tenant. */
function customerCredential(): TokenCredential {
  return {
    getToken: async (): Promise<AccessToken> => ({
      token: await tokens.user(customerId, "https://management.azure.com/user_impersonation"),
      expiresOnTimestamp: Date.now() + 3_000_000,
    }),
  };
}

/** The SDK's default HTTP client, trusting the emulator's CA. */
function trustingHttpClient(): HttpClient {
  const inner = createDefaultHttpClient();
  return {
    sendRequest: (request) => {
      request.agent = agent;
      return inner.sendRequest(request);
    },
  };
}

function armClient(): AuthorizationManagementClient {
  const endpoint = `${emu.url}/arm`;
  return new AuthorizationManagementClient(customerCredential(), subscriptionId, {
    endpoint,
    $host: endpoint,
    credentialScopes: "https://management.azure.com/.default",
    retryOptions: { maxRetries: 0 },
    httpClient: trustingHttpClient(),
  });
}

describe("ARM through the official @azure/arm-authorization client", () => {
  it("finds a built-in role by name, creates a role assignment and reads it back", async () => {
    const client = armClient();
    const scope = `subscriptions/${subscriptionId}`;
    const readers = [];
    for await (const d of client.roleDefinitions.list(scope, { filter: "roleName eq 'Reader'" }))
      readers.push(d);
    expect(readers.map((d) => d.name)).toEqual([READER]);

    const v = ARM_ROLE_ASSIGNMENT_EXAMPLE_23 as {
      parameters: { roleAssignmentName: string; parameters: { properties: Record<string, string> } };
    };
    const name = v.parameters.roleAssignmentName;
    const created = await client.roleAssignments.create(scope, name, {
      roleDefinitionId: String(readers[0].id),
      principalId,
    });
    expect(created).toMatchObject({
      name,
      type: "Microsoft.Authorization/roleAssignments",
      principalId,
      principalType: "User",
      scope: `/subscriptions/${subscriptionId}`,
    });
    const read = await client.roleAssignments.get(scope, name);
    expect(read.id).toBe(created.id);
    const listed = [];
    for await (const a of client.roleAssignments.listForScope(scope, { filter: "atScope()" }))
      listed.push(a.name);
    expect(listed).toEqual([name]);
  });

  it("accepts a scope that starts with a slash, which the SDK sends as //subscriptions/... (ARM accepts it)", async () => {
    const client = armClient();
    const scope = `/subscriptions/${subscriptionId}`;
    const contributors = [];
    for await (const d of client.roleDefinitions.list(scope, { filter: "roleName eq 'Contributor'" }))
      contributors.push(d);
    expect(contributors).toHaveLength(1);
    const name = "3c1f6a1e-2f5b-4c37-9a51-7c2d1e9b4a60";
    const created = await client.roleAssignments.create(scope, name, {
      roleDefinitionId: String(contributors[0].id),
      principalId,
    });
    expect(created.scope).toBe(`/subscriptions/${subscriptionId}`);
    expect((await client.roleAssignments.get(scope, name)).id).toBe(created.id);
    await client.roleAssignments.delete(scope, name);
  });

  it("surfaces RoleAssignmentExists to the SDK for the same role and principal under another name", async () => {
    const client = armClient();
    const scope = `subscriptions/${subscriptionId}`;
    const error = await client.roleAssignments
      .create(scope, "b0f43c54-e787-4862-89b1-a653fa9cf747", {
        roleDefinitionId: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
        principalId,
      })
      .then(
        () => undefined,
        (e: unknown) => e as { statusCode: number; code: string },
      );
    expect(error?.statusCode).toBe(409);
    expect(error?.code).toBe("RoleAssignmentExists");
  });

  it("assigns a role at a resource group and at a resource scope through the SDK", async () => {
    const client = armClient();
    const rg = `subscriptions/${subscriptionId}/resourceGroups/rg-sdk`;
    const resource = `${rg}/providers/Microsoft.KeyVault/vaults/kv-sdk`;
    const roleDefinitionId = `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${READER}`;
    const onRg = await client.roleAssignments.create(rg, "c1c1c1c1-0000-4000-8000-000000000001", {
      roleDefinitionId,
      principalId,
    });
    expect(onRg.scope).toBe(`/${rg}`);
    const onResource = await client.roleAssignments.create(resource, "c1c1c1c1-0000-4000-8000-000000000002", {
      roleDefinitionId,
      principalId,
    });
    expect(onResource.scope).toBe(`/${resource}`);
    const deleted = await client.roleAssignments.delete(resource, "c1c1c1c1-0000-4000-8000-000000000002");
    expect(deleted.name).toBe("c1c1c1c1-0000-4000-8000-000000000002");
  });

  it("creates an Azure subscription from the published alias request (vector 24) as the partner's admin agent", async () => {
    const token = await tokens.user(
      emu.seed.partnerTenantId,
      "https://management.azure.com/user_impersonation",
    );
    const published = ARM_ALIAS_REQUEST_24 as { properties: Record<string, string> };
    const body = {
      properties: {
        ...published.properties,
        billingScope: `/providers/Microsoft.Billing/billingAccounts/${emu.seed.billingAccountName}/customers/${customerId}`,
      },
    };
    const path = "/arm/providers/Microsoft.Subscription/aliases/sdk-alias?api-version=2021-10-01";
    const put = await ask(emu, {
      method: "PUT",
      path,
      headers: { authorization: `Bearer ${token}` },
      json: body,
    });
    expect(put.status).toBe(201);
    expect(put.headers["x-ms-request-id"]).toBeTruthy();
    const get = await ask(emu, { path, headers: { authorization: `Bearer ${token}` } });
    expect(get.body.properties).toMatchObject({
      provisioningState: "Succeeded",
      displayName: "Dev Team subscription",
    });
    const state = await emu.admin.state();
    const created =
      state.azure.subscriptions[String((get.body.properties as Record<string, unknown>).subscriptionId)];
    expect(created).toMatchObject({ customerId, entitlementStatus: "active" });
  });
});
