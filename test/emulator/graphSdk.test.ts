import { Client, type PageCollection, PageIterator } from "@microsoft/microsoft-graph-client";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index";
import { ask } from "./coreTestKit";
import { EmulatorTokens } from "./graphHttpsKit";
import { GDAP_CREATE_REQUEST_19, GDAP_CREATE_RESPONSE_20 } from "./graphVectors";

/**
 * Microsoft Graph emulation driven over HTTPS by the official `@microsoft/microsoft-graph-client`
 * (no retry handler: the middleware chain is authentication + HTTP only), trusting the emulator's
 * CA through an undici dispatcher.
 */

let emu: RunningEmulator;
let tokens: EmulatorTokens;
let dispatcher: Agent;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  tokens = new EmulatorTokens(emu);
  dispatcher = new Agent({ connect: { ca: emu.caCertPem } });
});

afterAll(async () => {
  await dispatcher?.close();
  await emu?.stop();
});

function graphClient(token: string): Client {
  return Client.initWithMiddleware({
    authProvider: { getAccessToken: async () => token },
    baseUrl: `${emu.url}/graph`,
    defaultVersion: "v1.0",
    // The SDK attaches the token only for Graph hosts or custom hosts (host name without port).
    customHosts: new Set([new URL(emu.url).hostname]),
    // Node's fetch takes an undici dispatcher (not in the DOM RequestInit type).
    fetchOptions: { dispatcher } as unknown as RequestInit,
  });
}

describe("Graph through the official Graph SDK client", () => {
  it("creates an application and pages through the list with PageIterator", async () => {
    const client = graphClient(
      await tokens.user(emu.seed.partnerTenantId, "https://graph.microsoft.com/.default"),
    );
    const created = (await client.api("/applications").post({ displayName: "sdk app 0" })) as Record<
      string,
      unknown
    >;
    expect(created).toMatchObject({ displayName: "sdk app 0" });
    expect(created.appId).toMatch(/^[0-9a-f-]{36}$/);
    for (let i = 1; i < 5; i++) await client.api("/applications").post({ displayName: `sdk app ${i}` });

    const first = (await client.api("/applications").top(2).get()) as PageCollection;
    expect(first.value).toHaveLength(2);
    expect(String(first["@odata.nextLink"]).startsWith(`${emu.url}/graph/v1.0/applications?`)).toBe(true);
    const names: string[] = [];
    const iterator = new PageIterator(client, first, (app: { displayName: string }) => {
      names.push(app.displayName);
      return true;
    });
    await iterator.iterate();
    // The seeded partner app plus the five created here.
    expect(names.filter((n) => n.startsWith("sdk app "))).toEqual([0, 1, 2, 3, 4].map((i) => `sdk app ${i}`));
    expect(names.length).toBe(6);

    const filtered = (await client
      .api("/applications")
      .filter(`appId eq '${created.appId}'`)
      .get()) as PageCollection;
    expect(filtered.value.map((a: { id: string }) => a.id)).toEqual([created.id]);
  });

  it("surfaces the Graph error envelope with request ids to the SDK", async () => {
    const client = graphClient(
      await tokens.user(emu.seed.partnerTenantId, "https://graph.microsoft.com/.default"),
    );
    const error = await client
      .api("/applications/00000000-0000-0000-0000-000000000001")
      .get()
      .then(
        () => undefined,
        (e: unknown) => e as { statusCode: number; code: string; requestId: string },
      );
    expect(error?.statusCode).toBe(404);
    expect(error?.code).toBe("Request_ResourceNotFound");
    expect(error?.requestId).toMatch(/.+/);
  });

  it("creates a GDAP relationship from the published request (vector 19) and approves it through the admin API", async () => {
    const client = graphClient(
      await tokens.user(emu.seed.partnerTenantId, "https://graph.microsoft.com/.default"),
    );
    const rel = (await client
      .api("/tenantRelationships/delegatedAdminRelationships")
      .post(GDAP_CREATE_REQUEST_19)) as Record<string, unknown>;
    for (const key of Object.keys(GDAP_CREATE_RESPONSE_20)) expect(rel).toHaveProperty([key]);
    expect(rel.status).toBe("created");
    // Emulator's GDAP endpoint over raw HTTPS: lockForApproval, then approve (admin), then read.
    const token = await tokens.user(emu.seed.partnerTenantId, "https://graph.microsoft.com/.default");
    const lock = await ask(emu, {
      path: `/graph/v1.0/tenantRelationships/delegatedAdminRelationships/${rel.id}/requests`,
      headers: { authorization: `Bearer ${token}` },
      json: { action: "lockForApproval" },
    });
    expect(lock.status).toBe(201);
    await emu.admin.approveGdapRelationship(String(rel.id));
    const after = (await client
      .api(`/tenantRelationships/delegatedAdminRelationships/${rel.id}`)
      .get()) as Record<string, unknown>;
    expect(after.status).toBe("active");
    expect(typeof after.activatedDateTime).toBe("string");
  });
});
