import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { addGroup, addUser, createTenant } from "../../emulator/common/directory";
import { ENTRA_ROLES } from "../../emulator/common/entraRoles";
import type { DirectoryApplication, EmulatorState, PartnerRecord } from "../../emulator/common/state";
import type {
  AccessTokenClaims,
  EmulatorCore,
  EmuRequest,
  EmuResponse,
  Route,
} from "../../emulator/common/types";
import { accessDetailsOf } from "../../emulator/graph/gdapCommon";
import { gdapTime, newGdapEtag } from "../../emulator/graph/gdapModel";
import { partnerCenterModule } from "../../emulator/partnerCenter/index";

/**
 * A Partner Center world for calling the module's route handlers directly (no server, no TLS):
 * a hand-built state with one partner tenant (partner app, admin agent), an EmulatorCore with a
 * movable clock, and `call()` which matches the module's routes like the server does
 * (case-insensitive segments) and passes verified claims as the server would.
 */
export interface PcKit {
  state: EmulatorState;
  core: EmulatorCore;
  partnerTenantId: string;
  appId: string;
  agentId: string;
  /** A security group of the partner tenant with the admin agent as its member. */
  agentGroupId: string;
  dirty: () => number;
  advance(ms: number): void;
  call(method: string, pathAndQuery: string, options?: CallOptions): EmuResponse;
  /** Claims of an app-only / app+user token of this kit's partner. */
  appClaims(overrides?: Partial<AccessTokenClaims>): AccessTokenClaims;
  userClaims(overrides?: Partial<AccessTokenClaims>): AccessTokenClaims;
  addPartner(kind: PartnerRecord["kind"], options?: { mpaAccepted?: boolean }): PcKit;
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** `app` (default), `user`, explicit claims, or `none` (no token). */
  as?: "app" | "user" | "none" | AccessTokenClaims;
  authError?: string;
}

export const PC_AUDIENCE = "https://api.partnercenter.microsoft.com";

/** A fresh world; `settings` overrides the defaults (sandbox on, no rate limits). */
export function createPcKit(settings: Partial<EmulatorState["settings"]> = {}): PcKit {
  const state: EmulatorState = {
    version: 1,
    settings: {
      sandbox: true,
      replicationDelayMs: 0,
      enforceRateLimits: false,
      clockOffsetMs: 0,
      ...settings,
    },
    directory: {},
    identity: { refreshTokens: {}, authorizationCodes: {} },
    partnerCenter: { partners: {}, customers: {}, idempotency: {} },
    gdap: {},
    azure: { subscriptions: {}, aliases: {}, roleAssignments: {} },
  };
  let clock = Date.parse("2026-11-20T12:00:00.000Z");
  let dirtyCount = 0;
  const core: EmulatorCore = {
    state,
    now: () => new Date(clock + state.settings.clockOffsetMs),
    newId: () => randomUUID(),
    markDirty: () => {
      dirtyCount += 1;
    },
    signToken: () => {
      throw new Error("not used by Partner Center handlers");
    },
    serviceUrl: (service) => `https://127.0.0.1:1/${service}`,
  };
  return kitFor(
    state,
    core,
    "direct",
    {},
    {
      advance: (ms) => {
        clock += ms;
      },
      dirty: () => dirtyCount,
    },
  );
}

function kitFor(
  state: EmulatorState,
  core: EmulatorCore,
  kind: PartnerRecord["kind"],
  options: { mpaAccepted?: boolean },
  shared: { advance(ms: number): void; dirty(): number },
): PcKit {
  const partnerTenantId = randomUUID();
  const now = core.now();
  const label = `partner${Object.keys(state.partnerCenter.partners).length + 1}`;
  const tenant = createTenant(
    state,
    {
      id: partnerTenantId,
      displayName: `${label} Ltd`,
      domain: `${label}${partnerTenantId.slice(0, 6)}.onmicrosoft.com`,
      kind: "partner",
    },
    now,
  );
  const appId = randomUUID();
  const app: DirectoryApplication = {
    id: randomUUID(),
    appId,
    displayName: `${label} CSP app`,
    signInAudience: "AzureADMultipleOrgs",
    createdDateTime: now.toISOString(),
    properties: {},
    passwordCredentials: [],
  };
  tenant.applications[app.id] = app;
  const agent = addUser(
    tenant,
    {
      userPrincipalName: `agent@${tenant.domains[0]}`,
      displayName: "Admin Agent",
      adminAgent: true,
      mfa: true,
    },
    now,
  );
  const agentGroup = addGroup(tenant, { displayName: "GDAP admins", memberIds: [agent.id] }, now);
  state.partnerCenter.partners[partnerTenantId] = {
    tenantId: partnerTenantId,
    mpnId: String(1000000 + Object.keys(state.partnerCenter.partners).length),
    companyName: `${label} Ltd`,
    kind,
    mpaAccepted: options.mpaAccepted ?? true,
    billingAccountName: `${randomUUID()}:${randomUUID()}_2019-05-31`,
  };

  const claimsBase = (): Omit<AccessTokenClaims, "idtyp" | "oid"> => {
    const t = Math.floor(core.now().getTime() / 1000);
    return {
      iss: `https://sts.windows.net/${partnerTenantId}/`,
      aud: PC_AUDIENCE,
      tid: partnerTenantId,
      appid: appId,
      iat: t,
      nbf: t,
      exp: t + 3600,
    };
  };
  const kit: PcKit = {
    state,
    core,
    partnerTenantId,
    appId,
    agentId: agent.id,
    agentGroupId: agentGroup.id,
    dirty: shared.dirty,
    advance: shared.advance,
    appClaims: (o = {}) => ({ ...claimsBase(), idtyp: "app", oid: randomUUID(), roles: [], ...o }),
    userClaims: (o = {}) => ({
      ...claimsBase(),
      idtyp: "user",
      oid: agent.id,
      scp: "user_impersonation",
      amr: ["pwd", "mfa"],
      upn: agent.userPrincipalName,
      ...o,
    }),
    call: (method, pathAndQuery, opts = {}) => {
      const q = pathAndQuery.indexOf("?");
      const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
      const query = new URLSearchParams(q < 0 ? "" : pathAndQuery.slice(q + 1));
      const found = matchRoute(method, path);
      if (!found) throw new Error(`no Partner Center route for ${method} ${path}`);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v;
      const as = opts.as ?? "app";
      const auth =
        as === "none" ? undefined : as === "app" ? kit.appClaims() : as === "user" ? kit.userClaims() : as;
      const raw = opts.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(opts.body));
      const req: EmuRequest = {
        service: "partnerCenter",
        method,
        path,
        params: found.params,
        query,
        headers,
        // Like the server: the body as parsed JSON.
        body: opts.body === undefined ? undefined : JSON.parse(raw.toString("utf8")),
        rawBody: raw,
        auth,
        authError: opts.authError,
        requestId: headers["ms-requestid"] ?? randomUUID(),
        baseUrl: "https://127.0.0.1:1/partnercenter",
      };
      const res = found.route.handler(req, core) as EmuResponse;
      // Like the server, answers go over the wire as JSON.
      return res.body === undefined ? res : { ...res, body: JSON.parse(JSON.stringify(res.body)) };
    },
    addPartner: (k, o = {}) => kitFor(state, core, k, o, shared),
  };
  return kit;
}

/** Route matching as the server does it for a case-insensitive module. */
export function matchRoute(
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  const segments = path
    .split("/")
    .filter((s) => s !== "")
    .map(decodeURIComponent);
  for (const route of partnerCenterModule.routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split("/").filter((s) => s !== "");
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      if (pattern[i].startsWith(":")) params[pattern[i].slice(1)] = segments[i];
      else ok = pattern[i].toLowerCase() === segments[i].toLowerCase();
    }
    if (ok) return { route, params };
  }
  return undefined;
}

/** A published example payload (test/fixtures/vectors, sources in its INDEX.md). */
export function vector<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "vectors", name), "utf8")) as T;
}

/**
 * Differences in shape between a response and a published payload: every key of the published
 * payload must exist with the same JSON type (arrays compared through their first elements), and
 * the response may not add keys other than the `allowExtra` paths (dotted, `[]` for array items).
 * Values are not compared.
 */
export function shapeDiff(
  actual: unknown,
  published: unknown,
  options: { allowExtra?: string[]; allowMissing?: string[] } = {},
  path = "",
): string[] {
  const out: string[] = [];
  const type = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
  if (type(actual) !== type(published)) {
    // A published null stands for "absent value"; the emulator may send null too, nothing else.
    return [`${path || "(root)"}: ${type(actual)} instead of ${type(published)}`];
  }
  if (Array.isArray(published) && Array.isArray(actual)) {
    if (published.length > 0 && actual.length > 0)
      out.push(...shapeDiff(actual[0], published[0], options, `${path}[]`));
    return out;
  }
  if (type(published) === "object") {
    const a = actual as Record<string, unknown>;
    const p = published as Record<string, unknown>;
    for (const key of Object.keys(p)) {
      const child = path ? `${path}.${key}` : key;
      if (!(key in a)) {
        if (!(options.allowMissing ?? []).includes(child)) out.push(`${child}: missing`);
        continue;
      }
      out.push(...shapeDiff(a[key], p[key], options, child));
    }
    for (const key of Object.keys(a)) {
      const child = path ? `${path}.${key}` : key;
      if (!(key in p) && !(options.allowExtra ?? []).includes(child))
        out.push(`${child}: not in the published payload`);
    }
  }
  return out;
}

/** A valid create-customer body (PascalCase, as published) with a fresh domain prefix. */
export function customerBody(
  prefix = `c${randomUUID().replace(/-/g, "").slice(0, 12)}`,
  options: {
    domain?: string;
    country?: string;
    organizationRegistrationNumber?: string;
    phoneNumber?: string;
  } = {},
): Record<string, unknown> {
  const address: Record<string, unknown> = {
    FirstName: "Test",
    LastName: "Customer",
    AddressLine1: "One Microsoft Way",
    City: "Redmond",
    State: "WA",
    PostalCode: "98052",
    Country: options.country ?? "US",
  };
  if (options.phoneNumber !== undefined) address.PhoneNumber = options.phoneNumber;
  const company: Record<string, unknown> = { Domain: options.domain ?? `${prefix}.onmicrosoft.com` };
  if (options.organizationRegistrationNumber !== undefined) {
    company.OrganizationRegistrationNumber = options.organizationRegistrationNumber;
  }
  return {
    enableGDAPByDefault: false,
    CompanyProfile: company,
    BillingProfile: {
      Culture: "EN-US",
      Email: "admin@example.com",
      Language: "en",
      CompanyName: `Company ${prefix}`,
      DefaultAddress: address,
    },
  };
}

/** The value at a dotted path (`a.b.0.c`) of a JSON value, or `undefined`. */
export function at(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const key of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** The string at a dotted path; fails the test when it is not a string. */
export function str(value: unknown, path: string): string {
  const v = at(value, path);
  if (typeof v !== "string") throw new Error(`expected a string at ${path}, got ${JSON.stringify(v)}`);
  return v;
}

/** The array at a dotted path (default `items`); fails the test when it is not an array. */
export function list(value: unknown, path = "items"): unknown[] {
  const v = at(value, path);
  if (!Array.isArray(v)) throw new Error(`expected an array at ${path}, got ${JSON.stringify(v)}`);
  return v;
}

/** GDAP roles the kit's customers grant its admin agent unless told otherwise. */
export const KIT_GDAP_ROLES = [
  ENTRA_ROLES.userAdministrator.id,
  ENTRA_ROLES.privilegedRoleAdministrator.id,
  ENTRA_ROLES.cloudApplicationAdministrator.id,
];

/**
 * Creates a customer (app-only) and returns its id. Like a customer that approved a GDAP
 * relationship, it grants the kit's admin agent `gdapRoles` (default {@link KIT_GDAP_ROLES}; `[]`
 * for none) through an access assignment to the agent's security group (see {@link grantGdap}).
 */
export function createCustomer(kit: PcKit, prefix?: string, options: { gdapRoles?: string[] } = {}): string {
  const res = kit.call("POST", "/v1/customers", { body: customerBody(prefix) });
  if (res.status !== 201) throw new Error(`customer create failed: ${JSON.stringify(res.body)}`);
  const id = str(res.body, "id");
  const roles = options.gdapRoles ?? KIT_GDAP_ROLES;
  if (roles.length > 0) grantGdap(kit, id, roles);
  return id;
}

/**
 * Writes a GDAP relationship between the kit's partner and `customerId` into the state (as the
 * Graph routes and the customer's approval would leave it), with `roleIds`, and one access
 * assignment of those roles (or `assignedRoleIds`) to `groupId` (default the agent's group).
 * `status` is the relationship's (default `active`). Returns the relationship id.
 */
export function grantGdap(
  kit: PcKit,
  customerId: string,
  roleIds: string[],
  options: { status?: string; groupId?: string; assignedRoleIds?: string[] } = {},
): string {
  const now = kit.core.now();
  const stamp = gdapTime(now);
  const id = `${customerId}-${randomUUID()}`;
  const assignmentId = randomUUID();
  kit.state.gdap[id] = {
    partnerTenantId: kit.partnerTenantId,
    etag: newGdapEtag(),
    resource: {
      id,
      displayName: `kit-${id.slice(-8)}`,
      duration: "P730D",
      customer: { tenantId: customerId, displayName: null },
      accessDetails: accessDetailsOf(roleIds),
      status: options.status ?? "active",
      autoExtendDuration: "PT0S",
      createdDateTime: stamp,
      lastModifiedDateTime: stamp,
      activatedDateTime: stamp,
      endDateTime: gdapTime(new Date(now.getTime() + 730 * 24 * 3600 * 1000)),
    },
    accessAssignments: {
      [assignmentId]: {
        etag: newGdapEtag(),
        resource: {
          id: assignmentId,
          status: "active",
          createdDateTime: stamp,
          lastModifiedDateTime: stamp,
          accessContainer: {
            accessContainerId: options.groupId ?? kit.agentGroupId,
            accessContainerType: "securityGroup",
          },
          accessDetails: accessDetailsOf(options.assignedRoleIds ?? roleIds),
        },
      },
    },
    requests: {},
  };
  return id;
}

/** Confirms the MCA for a customer (app+user). */
export function confirmMca(kit: PcKit, customerId: string): void {
  const res = kit.call("POST", `/v1/customers/${customerId}/agreements`, {
    as: "user",
    body: vector("07-pc-agreement-create-request.json"),
  });
  if (res.status !== 201) throw new Error(`agreement failed: ${JSON.stringify(res.body)}`);
}

export const AZURE_PLAN = "DZH318Z0BPS6:0001:DZH318Z0BML6";

/**
 * A cart (or order) request body: the line items plus the partner attestation that Microsoft Learn
 * "Create a cart" marks required (`PartnerOnRecordAttestationAccepted`).
 */
export function cartBody(lineItems: object[]): Record<string, unknown> {
  return { PartnerOnRecordAttestationAccepted: true, lineItems };
}

/** Buys the Azure plan through a cart; returns the checkout answer. */
export function buyAzurePlan(
  kit: PcKit,
  customerId: string,
  headers: Record<string, string> = {},
): EmuResponse {
  const cart = kit.call("POST", `/v1/customers/${customerId}/carts`, {
    body: cartBody([
      { id: 0, catalogItemId: AZURE_PLAN, quantity: 1, billingCycle: "one_time", friendlyName: "Azure plan" },
    ]),
  });
  if (cart.status !== 201) throw new Error(`cart failed: ${JSON.stringify(cart.body)}`);
  return kit.call("POST", `/v1/customers/${customerId}/carts/${(cart.body as { id: string }).id}/checkout`, {
    headers,
  });
}

/** Links an indirect reseller to an indirect provider ("Active" unless said otherwise). */
export function linkReseller(
  provider: PcKit,
  reseller: PcKit,
  state: "Active" | "Inactive" = "Active",
): void {
  provider.state.partnerCenter.indirectRelationships ??= [];
  provider.state.partnerCenter.indirectRelationships.push({
    providerTenantId: provider.partnerTenantId,
    resellerTenantId: reseller.partnerTenantId,
    state,
    createdDateTime: provider.core.now().toISOString(),
  });
}

/** The partner record (MPN id, kind...) of a kit's partner. */
export function partnerOf(kit: PcKit): PartnerRecord {
  const partner = kit.state.partnerCenter.partners[kit.partnerTenantId];
  if (!partner) throw new Error(`no partner ${kit.partnerTenantId}`);
  return partner;
}
