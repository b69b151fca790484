import { describe, expect, it } from "vitest";
import { graphModule } from "../../emulator/graph/index";
import { call, userToken } from "./graphTestKit";
import { createPcKit, customerBody, type PcKit, str } from "./partnerCenterTestKit";

/**
 * The Default GDAP relationship Partner Center grants when it creates a customer ("Create a
 * customer", https://learn.microsoft.com/partner-center/developer/create-a-customer, field
 * `enableGDAPByDefault`; roles and timelines in "GDAP frequently asked questions",
 * https://learn.microsoft.com/partner-center/security/dap-faq).
 */

const GRAPH = "https://graph.microsoft.com";
const BASE = "/v1.0/tenantRelationships/delegatedAdminRelationships";

/** The eleven roles the FAQ lists for direct bill partners and indirect providers. */
const DEFAULT_ROLES = [
  "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", // Directory Readers
  "9360feb5-f418-4baa-8175-e2a00bac4301", // Directory Writers
  "4d6ac14f-3453-41d0-bef9-a3e0c569773a", // License Administrator
  "f023fd81-a637-4b56-95fd-791ac0226033", // Service Support Administrator
  "fe930be7-5e62-47db-91af-98c3a49a38b1", // User Administrator
  "e8611ab8-c189-46e8-94e1-60213ab1f814", // Privileged Role Administrator
  "729827e3-9c14-49f7-bb1b-9608f156bbb8", // Helpdesk Administrator
  "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", // Privileged Authentication Administrator
  "158c047a-c907-4556-b7ef-446551a6b5f7", // Cloud Application Administrator
  "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", // Application Administrator
  "f2ef992c-3afb-46b9-b7cf-a126ee74c451", // Global Reader
];

function createWith(kit: PcKit, enableGDAPByDefault: boolean | undefined, prefix?: string): string {
  const body = customerBody(prefix);
  if (enableGDAPByDefault === undefined) delete body.enableGDAPByDefault;
  else body.enableGDAPByDefault = enableGDAPByDefault;
  const res = kit.call("POST", "/v1/customers", { body });
  expect(res.status).toBe(201);
  expect((res.body as Record<string, unknown>).enableGDAPByDefault).toBe(enableGDAPByDefault ?? true);
  return str(res.body, "id");
}

/** The partner's relationships with this customer, as the admin agent lists them through Graph. */
async function relationshipsOf(kit: PcKit, customerId: string): Promise<Record<string, unknown>[]> {
  const token = userToken(kit.partnerTenantId, GRAPH, "DelegatedAdminRelationship.Read.All", kit.agentId);
  const filter = encodeURIComponent(`customer/tenantId eq '${customerId}'`);
  const res = await call(graphModule, kit.core, "GET", `${BASE}?$filter=${filter}`, { auth: token });
  expect(res.status).toBe(200);
  return res.json.value as Record<string, unknown>[];
}

function roleIds(r: Record<string, unknown>): string[] {
  const roles = (r.accessDetails as { unifiedRoles: { roleDefinitionId: string }[] }).unifiedRoles;
  return roles.map((x) => x.roleDefinitionId).sort();
}

describe("Default GDAP relationship of a new customer", () => {
  it("enableGDAPByDefault true: an active relationship with the documented roles, without access assignments", async () => {
    const kit = createPcKit();
    const customerId = createWith(kit, true, "woodgrove");
    const found = await relationshipsOf(kit, customerId);
    expect(found).toHaveLength(1);
    const r = found[0]!;
    expect(r.status).toBe("active");
    expect(roleIds(r)).toEqual([...DEFAULT_ROLES].sort());
    expect(r.customer).toEqual({ tenantId: customerId, displayName: "Company woodgrove" });
    expect(String(r.displayName)).toMatch(/^Default_/);
    expect(String(r.displayName).length).toBeLessThanOrEqual(50);
    expect(r.duration).toBe("P730D");
    expect(r.activatedDateTime).toBe(r.createdDateTime);
    // Active at once: no customer approval, no lockForApproval request.
    const record = kit.state.gdap[String(r.id)]!;
    expect(record.partnerTenantId).toBe(kit.partnerTenantId);
    expect(record.requests).toEqual({});
    // Partners must assign their security groups themselves (GDAP FAQ).
    expect(record.accessAssignments).toEqual({});
    expect(String(r.id).startsWith(`${customerId}-`)).toBe(true);
  });

  it("enableGDAPByDefault false: no relationship at all", async () => {
    const kit = createPcKit();
    const customerId = createWith(kit, false);
    expect(await relationshipsOf(kit, customerId)).toEqual([]);
    expect(kit.state.gdap).toEqual({});
  });

  it("field omitted: Partner Center grants the Default GDAP relationship (production behaviour since November 2023)", async () => {
    const kit = createPcKit();
    const customerId = createWith(kit, undefined);
    const found = await relationshipsOf(kit, customerId);
    expect(found).toHaveLength(1);
    expect(found[0]!.status).toBe("active");
  });

  it("refuses a value that is not a boolean instead of reading it as omitted, and creates nothing", () => {
    const kit = createPcKit();
    const body = customerBody();
    body.enableGDAPByDefault = "no";
    const res = kit.call("POST", "/v1/customers", { body });
    expect(res.status).toBe(400);
    expect((res.body as Record<string, unknown>).code).toBe(2000);
    expect(kit.state.partnerCenter.customers).toEqual({});
    expect(kit.state.gdap).toEqual({});
  });

  it("gives two customers with the same company name relationships with distinct names", async () => {
    const kit = createPcKit();
    const a = customerBody("samename1");
    const b = customerBody("samename2");
    for (const body of [a, b]) {
      body.enableGDAPByDefault = true;
      (body.BillingProfile as Record<string, unknown>).CompanyName = "Northwind Traders International";
    }
    const idA = str(kit.call("POST", "/v1/customers", { body: a }).body, "id");
    const idB = str(kit.call("POST", "/v1/customers", { body: b }).body, "id");
    const [ra] = await relationshipsOf(kit, idA);
    const [rb] = await relationshipsOf(kit, idB);
    expect(ra!.displayName).not.toBe(rb!.displayName);
  });

  it("ends the Default relationship when the sandbox customer is deleted", async () => {
    const kit = createPcKit();
    const customerId = createWith(kit, true);
    expect(kit.call("DELETE", `/v1/customers/${customerId}`).status).toBe(204);
    const [r] = await relationshipsOf(kit, customerId);
    expect(r!.status).toBe("terminated");
  });
});
