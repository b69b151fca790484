import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashSecret } from "../../emulator/common/hashSecret";
import {
  at,
  createCustomer,
  createPcKit,
  customerBody,
  linkReseller,
  list,
  PC_AUDIENCE,
  shapeDiff,
  str,
  vector,
} from "./partnerCenterTestKit";
import { pcErrorOf } from "./serviceErrors";

describe("Partner Center customers", () => {
  it("accepts the published create request (vector 01) and answers 201 in the shape of vector 02", () => {
    const kit = createPcKit();
    const res = kit.call("POST", "/v1/customers", { body: vector("01-pc-customer-create-request.json") });
    expect(res.status).toBe(201);
    expect(shapeDiff(res.body, vector("02-pc-customer-create-response.json"))).toEqual([]);
    expect(at(res.body, "companyProfile.domain")).toBe("xyz.ccsctp.net");
    expect(at(res.body, "billingProfile.culture")).toBe("en-US");
    expect(at(res.body, "billingProfile.attributes.objectType")).toBe("CustomerBillingProfile");
    expect(at(res.body, "userCredentials.userName")).toBe("admin");
    expect(str(res.body, "userCredentials.password").length).toBeGreaterThanOrEqual(8);
  });

  it("creates the customer's directory tenant with a Global Administrator whose password is kept only as a hash", () => {
    const kit = createPcKit();
    const res = kit.call("POST", "/v1/customers", { body: customerBody("fabrikam") });
    const tenant = kit.state.directory[str(res.body, "id")];
    const password = str(res.body, "userCredentials.password");
    expect(tenant.kind).toBe("customer");
    expect(tenant.domains).toEqual(["fabrikam.onmicrosoft.com"]);
    const admin = Object.values(tenant.users).find(
      (u) => u.userPrincipalName === "admin@fabrikam.onmicrosoft.com",
    );
    expect(admin).toBeDefined();
    expect(tenant.directoryRoleMembers["62e90394-69f5-4237-9190-012177145e10"]).toEqual([admin?.id]);
    expect(admin?.passwordHash).toBe(hashSecret(password));
    expect(JSON.stringify(kit.state)).not.toContain(password);
  });

  it("appends .onmicrosoft.com to a bare domain prefix", () => {
    const kit = createPcKit();
    const res = kit.call("POST", "/v1/customers", { body: customerBody("x", { domain: "northwind42" }) });
    expect(at(res.body, "companyProfile.domain")).toBe("northwind42.onmicrosoft.com");
  });

  it("returns the customer in the shape of vector 03", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    const res = kit.call("GET", `/v1/customers/${id.toUpperCase()}`);
    expect(res.status).toBe(200);
    // `region` is an optional address field (the sample's customer gave one, this one did not).
    const diff = shapeDiff(res.body, vector("03-pc-customer-get-response.json"), {
      allowMissing: ["companyProfile.address.region"],
    });
    expect(diff).toEqual([]);
  });

  it("refuses a missing organization registration number where the country requires one (600049)", () => {
    const kit = createPcKit();
    const res = kit.call("POST", "/v1/customers", { body: customerBody("plcustomer", { country: "PL" }) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 600049, data: [], source: "PartnerFD" });
    const fixed = customerBody("plcustomer", { country: "PL", organizationRegistrationNumber: "1234567890" });
    expect(kit.call("POST", "/v1/customers", { body: fixed }).status).toBe(201);
  });

  it("refuses a missing phone number where the country requires one (600051)", () => {
    const kit = createPcKit();
    const options = { country: "UA", organizationRegistrationNumber: "12345678" };
    const res = kit.call("POST", "/v1/customers", { body: customerBody("uacustomer", options) });
    expect(pcErrorOf(res)).toEqual({ status: 400, code: 600051 });
    const withPhone = customerBody("uacustomer", { ...options, phoneNumber: "+380441234567" });
    expect(kit.call("POST", "/v1/customers", { body: withPhone }).status).toBe(201);
  });

  it("refuses a country that is not an ISO 3166 alpha-2 code, naming the property", () => {
    const kit = createPcKit();
    const res = kit.call("POST", "/v1/customers", { body: customerBody("usa", { country: "USA" }) });
    expect(pcErrorOf(res)).toEqual({ status: 400, code: 2000 });
    expect(str(res.body, "description")).toContain("billingProfile.defaultAddress.country");
  });

  it("refuses a domain another tenant uses, and HEAD /v1/domains tells taken (200) from available (404)", () => {
    const kit = createPcKit();
    createCustomer(kit, "contoso");
    expect(kit.call("HEAD", "/v1/domains/contoso.onmicrosoft.com").status).toBe(200);
    expect(kit.call("HEAD", "/v1/domains/unusedname.onmicrosoft.com").status).toBe(404);
    const res = kit.call("POST", "/v1/customers", { body: customerBody("contoso") });
    expect(pcErrorOf(res)).toEqual({ status: 400, code: 600007 });
    expect(str(res.body, "description")).toContain("contoso.onmicrosoft.com");
  });

  it("refuses a caller-supplied admin password", () => {
    const kit = createPcKit();
    const body = { ...customerBody(), userCredentials: { userName: "admin", password: "Secret!123" } };
    expect(pcErrorOf(kit.call("POST", "/v1/customers", { body }))).toEqual({ status: 400, code: 2000 });
  });
});

describe("Partner Center customer create idempotency (MS-RequestId)", () => {
  it("answers a retried create with the same id and status without creating a second customer", () => {
    const kit = createPcKit();
    const body = customerBody();
    const headers = { "MS-RequestId": "6f0b4b2c-3d0e-4b43-9f4e-5a2b1c0d9e8f" };
    const first = kit.call("POST", "/v1/customers", { body, headers });
    const second = kit.call("POST", "/v1/customers", { body, headers });
    expect(second.status).toBe(201);
    expect(str(second.body, "id")).toBe(str(first.body, "id"));
    const { userCredentials: c1, ...rest1 } = first.body as Record<string, unknown>;
    const { userCredentials: c2, ...rest2 } = second.body as Record<string, unknown>;
    expect(rest2).toEqual(rest1);
    expect(Object.keys(kit.state.partnerCenter.customers)).toHaveLength(1);
    // The first password was never stored: the replay re-issues one, and only the newest works.
    const tenant = kit.state.directory[str(first.body, "id")];
    const admin = Object.values(tenant.users)[0];
    expect(str(c2, "password")).not.toBe(str(c1, "password"));
    expect(admin.passwordHash).toBe(hashSecret(str(c2, "password")));
  });

  it("forgets a stored answer after a day of emulator time, so a late reuse runs the request again", () => {
    const kit = createPcKit();
    const body = customerBody("lateretry");
    const headers = { "MS-RequestId": "0d8f6a4e-3333-4c5d-8e9f-000000000003" };
    expect(kit.call("POST", "/v1/customers", { body, headers }).status).toBe(201);
    kit.advance(25 * 3600 * 1000);
    const late = kit.call("POST", "/v1/customers", { body, headers });
    expect(pcErrorOf(late)).toEqual({ status: 400, code: 600007 });
    expect(str(late.body, "description")).toContain("lateretry.onmicrosoft.com");
  });

  it("refuses a request id reused for a different body", () => {
    const kit = createPcKit();
    const headers = { "MS-RequestId": "0d8f6a4e-1111-4c5d-8e9f-000000000001" };
    expect(kit.call("POST", "/v1/customers", { body: customerBody(), headers }).status).toBe(201);
    const res = kit.call("POST", "/v1/customers", { body: customerBody(), headers });
    expect(pcErrorOf(res)).toEqual({ status: 400, code: 800002 });
    expect(str(res.body, "description")).toContain("MS-RequestId");
    expect(Object.keys(kit.state.partnerCenter.customers)).toHaveLength(1);
  });

  it("does not store failed answers, so a retry under the same id runs again", () => {
    const kit = createPcKit();
    const headers = { "MS-RequestId": "0d8f6a4e-2222-4c5d-8e9f-000000000002" };
    const body = customerBody("takenname");
    const other = createCustomer(kit, "takenname");
    expect(pcErrorOf(kit.call("POST", "/v1/customers", { body, headers }))).toEqual({
      status: 400,
      code: 600007,
    });
    kit.call("DELETE", `/v1/customers/${other}`);
    expect(kit.call("POST", "/v1/customers", { body, headers }).status).toBe(201);
  });
});

describe("Partner Center customer list and search", () => {
  it("lists customers in the shape of vector 04 and pages with MS-ContinuationToken", () => {
    const kit = createPcKit();
    const ids = [createCustomer(kit), createCustomer(kit), createCustomer(kit)];
    const page1 = kit.call("GET", "/v1/customers?size=2").body;
    const published = vector("04-pc-customers-list-response.json");
    expect(shapeDiff(page1, published, { allowExtra: ["links.next", "continuationToken"] })).toEqual([]);
    expect(list(page1)).toHaveLength(2);
    expect(str(page1, "links.next.uri")).toContain("seekOperation=Next");
    expect(at(page1, "links.next.headers.0.key")).toBe("MS-ContinuationToken");
    const token = str(page1, "links.next.headers.0.value");
    expect(at(page1, "continuationToken")).toBe(token);
    const page2 = kit.call("GET", "/v1/customers?size=2&seekOperation=Next", {
      headers: { "MS-ContinuationToken": token },
    }).body;
    expect(list(page2)).toHaveLength(1);
    expect(at(page2, "links.next")).toBeUndefined();
    expect([...list(page1), ...list(page2)].map((c) => str(c, "id")).sort()).toEqual(ids.sort());
  });

  it("refuses a continuation token of another query", () => {
    const kit = createPcKit();
    createCustomer(kit);
    createCustomer(kit);
    const token = str(kit.call("GET", "/v1/customers?size=1").body, "continuationToken");
    const filter = encodeURIComponent(
      JSON.stringify({ Field: "Domain", Value: "c", Operator: "starts_with" }),
    );
    const res = kit.call("GET", `/v1/customers?size=1&filter=${filter}&seekOperation=Next`, {
      headers: { "MS-ContinuationToken": token },
    });
    expect(pcErrorOf(res)).toEqual({ status: 400, code: 2000 });
  });

  it("finds customers by domain and company name with starts_with only", () => {
    const kit = createPcKit();
    createCustomer(kit, "alphaone");
    createCustomer(kit, "alphatwo");
    createCustomer(kit, "beta");
    const search = (filter: object) =>
      kit.call("GET", `/v1/customers?size=10&filter=${encodeURIComponent(JSON.stringify(filter))}`);
    const starts = search({ Field: "Domain", Value: "alpha", Operator: "starts_with" }).body;
    expect(
      list(starts)
        .map((c) => str(c, "companyProfile.domain"))
        .sort(),
    ).toEqual(["alphaone.onmicrosoft.com", "alphatwo.onmicrosoft.com"]);
    const byName = search({ Field: "CompanyName", Value: "company beta", Operator: "starts_with" }).body;
    expect(list(byName)).toHaveLength(1);
    // starts_with is the only operation the customers endpoint supports ("Get a list of customers
    // filtered by a search field").
    for (const operator of ["equals", "contains"]) {
      const bad = search({ Field: "Domain", Value: "alpha", Operator: operator });
      expect(bad.status, operator).toBe(400);
      expect(at(bad.body, "description")).toBe(
        "Customer search only allows starts with and equals operation.",
      );
    }
  });

  it("does not show or serve customers of another partner", () => {
    const kit = createPcKit();
    const other = kit.addPartner("direct");
    const id = createCustomer(other);
    expect(list(kit.call("GET", "/v1/customers").body)).toHaveLength(0);
    const res = kit.call("GET", `/v1/customers/${id}`);
    expect(pcErrorOf(res)).toEqual({ status: 403, code: 20002 });
    expect(pcErrorOf(kit.call("GET", `/v1/customers/${randomUUID()}`))).toEqual({
      status: 404,
      code: 60003,
    });
    expect(at(kit.call("GET", "/v1/customers/not-a-guid").body, "code")).toBe(800002);
  });
});

describe("Partner Center customer profiles", () => {
  it("updates the billing profile with the current etag and refuses a stale one with 2055", () => {
    const kit = createPcKit();
    const id = createCustomer(kit);
    const current = kit.call("GET", `/v1/customers/${id}/profiles/billing`).body as Record<string, unknown>;
    const etag = str(current, "attributes.etag");
    const update = { ...current, companyName: "Renamed Ltd", email: "billing@example.com" };
    const path = `/v1/customers/${id}/profiles/billing`;
    const ok = kit.call("PUT", path, { body: update, headers: { "If-Match": `"${etag}"` } });
    expect(ok.status).toBe(200);
    expect(at(ok.body, "companyName")).toBe("Renamed Ltd");
    expect(str(ok.body, "attributes.etag")).not.toBe(etag);
    const stale = kit.call("PUT", path, { body: update, headers: { "If-Match": `"${etag}"` } });
    expect(stale.status).toBe(400);
    expect(stale.body).toEqual({
      code: 2055,
      description: expect.stringContaining("Etag is no longer valid"),
      data: [],
      source: "PartnerFD",
    });
  });

  it("returns the company profile", () => {
    const kit = createPcKit();
    const id = createCustomer(kit, "profileco");
    const res = kit.call("GET", `/v1/customers/${id}/profiles/company`);
    expect(res.body).toMatchObject({
      tenantId: id,
      domain: "profileco.onmicrosoft.com",
      attributes: { objectType: "CustomerCompanyProfile" },
    });
  });
});

describe("Partner Center customer delete", () => {
  it("deletes a customer and its tenant in sandbox mode (204)", () => {
    const kit = createPcKit({ sandbox: true });
    const id = createCustomer(kit);
    expect(kit.call("DELETE", `/v1/customers/${id}`).status).toBe(204);
    expect(kit.state.directory[id]).toBeUndefined();
    expect(pcErrorOf(kit.call("GET", `/v1/customers/${id}`))).toEqual({ status: 404, code: 60003 });
  });

  it("refuses to delete outside the sandbox", () => {
    const kit = createPcKit({ sandbox: false });
    const id = createCustomer(kit);
    const res = kit.call("DELETE", `/v1/customers/${id}`);
    expect(pcErrorOf(res)).toEqual({ status: 403, code: 900127 });
    expect(kit.state.directory[id]).toBeDefined();
  });

  it("limits a sandbox partner to 75 customers", () => {
    const kit = createPcKit({ sandbox: true });
    for (let i = 0; i < 75; i++) createCustomer(kit);
    const res = kit.call("POST", "/v1/customers", { body: customerBody() });
    expect(pcErrorOf(res)).toEqual({ status: 400, code: 800018 });
  });
});

describe("Partner Center customers for indirect resellers", () => {
  it("lets an indirect provider create a customer for its reseller with App+User only", () => {
    const kit = createPcKit();
    const provider = kit.addPartner("indirectProvider");
    const reseller = kit.addPartner("indirectReseller");
    linkReseller(provider, reseller);
    const body = { ...customerBody(), AssociatedPartnerId: reseller.partnerTenantId };
    const appOnly = provider.call("POST", "/v1/customers", { body });
    expect(pcErrorOf(appOnly)).toEqual({ status: 403, code: 900329 });
    const res = provider.call("POST", "/v1/customers", { body, as: "user" });
    expect(res.status).toBe(201);
    // The reseller sees the customer too.
    expect(reseller.call("GET", `/v1/customers/${str(res.body, "id")}`).status).toBe(200);
    const fromDirect = kit.call("POST", "/v1/customers", {
      body: { ...customerBody(), AssociatedPartnerId: reseller.partnerTenantId },
      as: "user",
    });
    expect(at(fromDirect.body, "code")).toBe(800016);
  });
});

describe("Partner Center caller checks", () => {
  it("answers 401 / 800001 without a token and 401 for an invalid token or another audience", () => {
    const kit = createPcKit();
    const none = kit.call("GET", "/v1/customers", { as: "none" });
    expect(pcErrorOf(none)).toEqual({ status: 401, code: 800001 });
    expect(none.headers?.["WWW-Authenticate"]).toMatch(/^OAuth realm=/);
    const graph = kit.call("GET", "/v1/customers", {
      as: kit.appClaims({ aud: "https://graph.microsoft.com" }),
    });
    expect(pcErrorOf(graph)).toEqual({ status: 401, code: 400 });
    const expired = kit.call("GET", "/v1/customers", { as: "none", authError: "token expired" });
    expect(pcErrorOf(expired)).toEqual({ status: 401, code: 400 });
  });

  it("accepts the Azure AD Graph audience for app-only tokens but not for App+User tokens", () => {
    const kit = createPcKit();
    const aadGraph = "https://graph.windows.net";
    expect(kit.call("GET", "/v1/customers", { as: kit.appClaims({ aud: aadGraph }) }).status).toBe(200);
    expect(pcErrorOf(kit.call("GET", "/v1/customers", { as: kit.userClaims({ aud: aadGraph }) }))).toEqual({
      status: 401,
      code: 400,
    });
    expect(kit.call("GET", "/v1/customers", { as: kit.userClaims({ aud: PC_AUDIENCE }) }).status).toBe(200);
  });

  it("refuses App+User tokens without MFA and users who are not admin agents", () => {
    const kit = createPcKit();
    expect(pcErrorOf(kit.call("GET", "/v1/customers", { as: kit.userClaims({ amr: ["pwd"] }) }))).toEqual({
      status: 401,
      code: 400,
    });
    const res = kit.call("GET", "/v1/customers", { as: kit.userClaims({ oid: randomUUID() }) });
    expect(pcErrorOf(res)).toEqual({ status: 403, code: 900308 });
  });

  it("refuses tokens of tenants that are not partners", () => {
    const kit = createPcKit();
    const res = kit.call("GET", "/v1/customers", { as: kit.appClaims({ tid: randomUUID() }) });
    expect(pcErrorOf(res)).toEqual({ status: 403, code: 2032 });
  });
});

describe("Partner Center reseller relationship removal", () => {
  it("removes the relationship once nothing is active (App+User), after which the partner no longer manages the customer", () => {
    const kit = createPcKit({ sandbox: false });
    const id = createCustomer(kit, "goodbye");
    const body = { relationshipToPartner: "none", attributes: { objectType: "Customer" } };
    expect(at(kit.call("PATCH", `/v1/customers/${id}`, { body }).body, "code")).toBe(900329);
    const res = kit.call("PATCH", `/v1/customers/${id}`, { as: "user", body });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      Id: null,
      RelationshipToPartner: "none",
      Attributes: { ObjectType: "Customer" },
    });
    expect(at(kit.call("GET", `/v1/customers/${id}`).body, "code")).toBe(20002);
    expect(list(kit.call("GET", "/v1/customers").body)).toHaveLength(0);
    // The tenant stays (a production tenant is never deleted), so its domain stays taken.
    expect(kit.state.directory[id]).toBeDefined();
    expect(kit.call("HEAD", "/v1/domains/goodbye.onmicrosoft.com").status).toBe(200);
  });
});
