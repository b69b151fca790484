import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index";
import { appForm, ask, tokenRequest, userForm } from "./coreTestKit";

const PC = "https://api.partnercenter.microsoft.com";
let emu: RunningEmulator;
let pcToken: string;

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(async () => {
  await emu.reset();
  pcToken = String(
    (await tokenRequest(emu, emu.seed.partnerTenantId, appForm(emu, `${PC}/.default`))).body.access_token,
  );
  await emu.admin.clearRequestLog();
});

const listCustomers = () =>
  ask(emu, { path: "/partnercenter/v1/customers?size=10", headers: { authorization: `Bearer ${pcToken}` } });
const redeemSeedToken = () =>
  tokenRequest(emu, emu.seed.partnerTenantId, userForm(emu, `${PC}/user_impersonation`));
const refreshTokenCount = async () => Object.keys((await emu.admin.state()).identity.refreshTokens).length;

describe("emulator routing", () => {
  it("answers 501 in each service's own error format for anything not modelled, by path prefix or by real host name", async () => {
    const pc = await ask(emu, { path: "/partnercenter/v1/notModelled" });
    expect(pc.status).toBe(501);
    expect(pc.body).toMatchObject({ source: expect.any(String) });
    expect(String(pc.body.description)).toContain("not implemented by the emulator");

    const graph = await ask(emu, { path: "/v1.0/notModelled", host: "graph.microsoft.com" });
    expect(graph.status).toBe(501);
    expect(graph.body).toMatchObject({
      error: { message: expect.stringContaining("not implemented by the emulator") },
    });

    const arm = await ask(emu, { method: "DELETE", path: "/arm/providers/Microsoft.Nothing/x" });
    expect(arm.status).toBe(501);
    expect(arm.body).toMatchObject({ error: { code: expect.any(String) } });

    const log = await emu.admin.requestLog();
    expect(log.map((e) => [e.service, e.path, e.status])).toEqual([
      ["partnerCenter", "/v1/notModelled", 501],
      ["graph", "/v1.0/notModelled", 501],
      ["arm", "/providers/Microsoft.Nothing/x", 501],
    ]);
  });

  it("echoes each service's request and correlation id headers", async () => {
    const pc = await ask(emu, {
      path: "/partnercenter/v1/customers",
      headers: {
        authorization: `Bearer ${pcToken}`,
        "ms-requestid": "0c6f4a1e-8b2d-4f3a-9e5c-1d7b2a4c6e80",
        "ms-correlationid": "5e1a9c3b-2d4f-4a6b-8c0e-7f9a1b3c5d2e",
      },
    });
    expect([pc.headers["ms-requestid"], pc.headers["ms-correlationid"]]).toEqual([
      "0c6f4a1e-8b2d-4f3a-9e5c-1d7b2a4c6e80",
      "5e1a9c3b-2d4f-4a6b-8c0e-7f9a1b3c5d2e",
    ]);
    const graph = await ask(emu, { path: "/graph/v1.0/users", headers: { "client-request-id": "crid-1" } });
    expect(graph.headers["client-request-id"]).toBe("crid-1");
    expect(graph.headers["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const arm = await ask(emu, {
      path: "/arm/subscriptions",
      headers: { "x-ms-correlation-request-id": "corr-1" },
    });
    expect(arm.headers["x-ms-correlation-request-id"]).toBe("corr-1");
    expect(arm.headers["x-ms-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("fault injection", () => {
  it("answers the next N matching requests with the injected status and Retry-After, then serves normally", async () => {
    await emu.admin.addFault({
      method: "GET",
      pathPattern: "^/v1/customers$",
      service: "partnerCenter",
      count: 2,
      action: { type: "status", status: 429, retryAfter: "7" },
    });
    for (let i = 0; i < 2; i++) {
      const throttled = await listCustomers();
      expect(throttled.status).toBe(429);
      expect(throttled.headers["retry-after"]).toBe("7");
      expect(throttled.body).toEqual({
        statusCode: 429,
        message: "Rate limit is exceeded. Try again in 7 seconds.",
      });
    }
    expect((await listCustomers()).status).toBe(200);
    expect(await emu.admin.faults()).toEqual([]);
    const log = await emu.admin.requestLog({ service: "partnerCenter" });
    expect(log.map((e) => [e.status, e.fault])).toEqual([
      [429, "status"],
      [429, "status"],
      [200, undefined],
    ]);
  });

  it("drops the connection before the handler runs on a reset fault: nothing changes", async () => {
    const before = await refreshTokenCount();
    await emu.admin.addFault({ pathPattern: "/oauth2/v2.0/token$", count: 1, action: { type: "reset" } });
    await expect(redeemSeedToken()).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(await refreshTokenCount()).toBe(before);
    const [entry] = await emu.admin.requestLog();
    expect(entry).toMatchObject({ service: "identity", status: 0, write: false, fault: "reset" });
  });

  it("commits then drops the connection on a commitThenDrop fault: the change is persisted, the answer lost", async () => {
    const before = await refreshTokenCount();
    await emu.admin.addFault({
      method: "POST",
      pathPattern: "/oauth2/v2.0/token$",
      count: 1,
      action: { type: "commitThenDrop" },
    });
    await expect(redeemSeedToken()).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(await refreshTokenCount()).toBe(before + 1);
    const [entry] = await emu.admin.requestLog();
    expect(entry).toMatchObject({ status: 0, write: true, fault: "commitThenDrop" });
    expect((await redeemSeedToken()).status).toBe(200);
  });

  it("rejects a fault without a usable path pattern", async () => {
    await expect(
      emu.admin.addFault({ pathPattern: "(", count: 1, action: { type: "reset" } }),
    ).rejects.toThrow(/400/);
  });
});

describe("admin API", () => {
  it("reset returns to the seeded world with the same credentials and clears faults and the request log", async () => {
    const rotated = String((await redeemSeedToken()).body.refresh_token);
    await emu.admin.addFault({ pathPattern: ".", count: 5, action: { type: "latency", ms: 1 } });
    await emu.reset();
    expect(await emu.admin.faults()).toEqual([]);
    expect(await emu.admin.requestLog()).toEqual([]);
    const stale = await tokenRequest(
      emu,
      emu.seed.partnerTenantId,
      userForm(emu, `${PC}/user_impersonation`, rotated),
    );
    expect(stale.body.error_codes).toEqual([9002313]);
    expect((await redeemSeedToken()).status).toBe(200);
  });

  it("filters the request log by service, method, path pattern and writes", async () => {
    await listCustomers();
    await redeemSeedToken();
    await ask(emu, { path: "/graph/v1.0/users" });
    expect((await emu.admin.requestLog({ service: "identity" })).map((e) => e.write)).toEqual([true]);
    expect(
      (await emu.admin.requestLog({ method: "get", pathPattern: "^/v1" })).map((e) => e.service),
    ).toEqual(["partnerCenter", "graph"]);
    expect(await emu.admin.requestLog({ writesOnly: true })).toHaveLength(1);
    const all = await emu.admin.requestLog();
    expect(await emu.admin.requestLog({ sinceSeq: all[1].seq })).toEqual([all[2]]);
  });

  it("logs a read that settles a time-driven change as a read: a GDAP relationship past its end is read, not written", async () => {
    const gdapToken = async () =>
      tokenRequest(
        emu,
        emu.seed.partnerTenantId,
        userForm(emu, "https://graph.microsoft.com/DelegatedAdminRelationship.ReadWrite.All"),
      );
    const headers = { authorization: `Bearer ${(await gdapToken()).body.access_token}` };
    const base = "/graph/v1.0/tenantRelationships/delegatedAdminRelationships";
    const created = await ask(emu, {
      path: base,
      headers,
      json: {
        displayName: "log-read",
        duration: "P1D",
        customer: { tenantId: "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b" },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: "fe930be7-5e62-47db-91af-98c3a49a38b1" }] },
      },
    });
    const id = String(created.body.id);
    await ask(emu, { path: `${base}/${id}/requests`, headers, json: { action: "lockForApproval" } });
    await emu.admin.approveGdapRelationship(id);
    await emu.admin.advanceTime(2 * 24 * 3600 * 1000);
    headers.authorization = `Bearer ${(await gdapToken()).body.access_token}`;
    const seq = (await emu.admin.requestLog()).at(-1)?.seq ?? 0;

    const read = await ask(emu, { path: `${base}/${id}`, headers });
    expect([read.status, read.body.status]).toEqual([200, "expired"]);
    expect((await emu.admin.requestLog({ sinceSeq: seq })).map((e) => [e.method, e.write])).toEqual([
      ["GET", false],
    ]);
    expect(await emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);
    expect((await emu.admin.state()).gdap[id].resource.status).toBe("expired");
  });

  it("changes settings, refuses unknown ones, and moves the clock forward", async () => {
    expect(await emu.admin.updateSettings({ sandbox: false, replicationDelayMs: 5000 })).toMatchObject({
      sandbox: false,
      replicationDelayMs: 5000,
    });
    await expect(emu.admin.updateSettings({ nope: true } as never)).rejects.toThrow(/400/);
    const { clockOffsetMs } = await emu.admin.advanceTime(3_600_000);
    expect(clockOffsetMs).toBe(3_600_000);
    // The app token issued an hour ago (emulator time) has expired.
    const expired = await listCustomers();
    expect({ status: expired.status, code: expired.body["code"] }).toEqual({ status: 401, code: 400 });
  });

  it("seeds two GDAP security groups with stable ids, the admin agent in the first, and lists them in /info", async () => {
    const groups = (await emu.admin.state()).directory[emu.seed.partnerTenantId].groups;
    expect(groups[emu.seed.gdapAdminsGroupId]).toMatchObject({
      displayName: "GDAP Customer Administrators",
      memberIds: [emu.seed.adminAgentUserId],
    });
    expect(groups[emu.seed.gdapHelpdeskGroupId]).toMatchObject({
      displayName: "GDAP Helpdesk Agents",
      memberIds: [],
    });
    await emu.reset();
    expect(Object.keys((await emu.admin.state()).directory[emu.seed.partnerTenantId].groups)).toContain(
      emu.seed.gdapAdminsGroupId,
    );
    const info = (await ask(emu, { path: "/_emulator/info" })).body as {
      accounts: Record<string, unknown>[];
    };
    expect(info.accounts[0]).toMatchObject({
      gdapAdminsGroupId: emu.seed.gdapAdminsGroupId,
      gdapHelpdeskGroupId: emu.seed.gdapHelpdeskGroupId,
    });
    expect(await emu.admin.updateSettings({ autoApproveGdap: true })).toMatchObject({
      autoApproveGdap: true,
    });
  });

  it("reports an unknown GDAP relationship when asked to approve it", async () => {
    await expect(emu.admin.approveGdapRelationship("nope")).rejects.toThrow(/404/);
  });

  it("refuses a relationship request link it cannot accept with the refusal's own status", async () => {
    const organization = { companyName: "Fabrikam", domainPrefix: "fabrikamadmin" };
    await expect(emu.admin.acceptRelationshipRequest("not a link", organization)).rejects.toThrow(
      /failed with 400: .*"code":"AcceptFailed","message":"url is not a relationship request link\."/,
    );
    const unknownPartner =
      "https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=00000000-0000-0000-0000-000000000001";
    await expect(emu.admin.acceptRelationshipRequest(unknownPartner, organization)).rejects.toThrow(
      /failed with 404: .*"code":"AcceptFailed"/,
    );
  });
});
