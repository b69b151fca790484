import { randomUUID } from "node:crypto";
import { addGroup, addUser, createTenant } from "../../emulator/common/directory";
import { createEmptyState, DEFAULT_SETTINGS } from "../../emulator/common/initialState";
import type { EmulatorState } from "../../emulator/common/state";
import type {
  AccessTokenClaims,
  EmulatedService,
  EmulatorCore,
  EmuRequest,
  EmuResponse,
  ServiceModule,
} from "../../emulator/common/types";

/**
 * Test kit for the Graph and ARM modules as pure functions: a hand-built state and core, a
 * small router over a module's routes, and token claims. No server involved.
 */

export const PARTNER_TID = "11111111-1111-4111-8111-111111111111";
export const CUSTOMER_TID = "22222222-2222-4222-8222-222222222222";
export const PARTNER_APP_ID = "33333333-3333-4333-8333-333333333333";

/** An empty world with the start settings (the emulator's own). */
export function emptyState(): EmulatorState {
  return createEmptyState(DEFAULT_SETTINGS);
}

export interface TestCore extends EmulatorCore {
  dirty: number;
  advance(ms: number): void;
}

export function testCore(state: EmulatorState, start = new Date("2025-03-01T10:00:00.000Z")): TestCore {
  let t = start.getTime();
  const core: TestCore = {
    state,
    dirty: 0,
    now: () => new Date(t),
    newId: () => randomUUID(),
    markDirty: () => {
      core.dirty++;
    },
    signToken: () => {
      throw new Error("not used");
    },
    serviceUrl: (s: EmulatedService) => `https://emu.test/${s}`,
    advance: (ms: number) => {
      t += ms;
    },
  };
  return core;
}

/** A seeded world: partner tenant (admin agent in AdminAgents), customer tenant. */
export function seededWorld() {
  const state = emptyState();
  const now = new Date("2025-01-01T00:00:00.000Z");
  const partner = createTenant(
    state,
    { id: PARTNER_TID, displayName: "Partner", domain: "partner.onmicrosoft.com", kind: "partner" },
    now,
  );
  const agent = addUser(
    partner,
    { userPrincipalName: "agent@partner.onmicrosoft.com", displayName: "Agent", adminAgent: true, mfa: true },
    now,
  );
  const plain = addUser(
    partner,
    { userPrincipalName: "plain@partner.onmicrosoft.com", displayName: "Plain" },
    now,
  );
  const adminAgents = addGroup(partner, { displayName: "AdminAgents", memberIds: [agent.id] }, now);
  const helpdesk = addGroup(partner, { displayName: "Helpdesk agents", memberIds: [agent.id] }, now);
  state.partnerCenter.partners[PARTNER_TID] = {
    tenantId: PARTNER_TID,
    mpnId: "1234567",
    companyName: "Partner",
    kind: "direct",
    mpaAccepted: true,
    billingAccountName: `${PARTNER_TID}:${PARTNER_TID}_2019-05-31`,
  };
  const customer = createTenant(
    state,
    { id: CUSTOMER_TID, displayName: "Contoso", domain: "contoso.onmicrosoft.com", kind: "customer" },
    now,
  );
  return { state, partner, customer, agent, plain, adminAgents, helpdesk };
}

const BASE: Record<string, string> = { graph: "https://emu.test/graph", arm: "https://emu.test/arm" };

export function appToken(
  tid: string,
  aud: string,
  roles: string[],
  oid: string = randomUUID(),
): AccessTokenClaims {
  return { iss: "x", aud, tid, appid: PARTNER_APP_ID, idtyp: "app", oid, roles, iat: 0, nbf: 0, exp: 0 };
}

export function userToken(
  tid: string,
  aud: string,
  scp: string,
  oid: string,
  extra: Partial<AccessTokenClaims> = {},
): AccessTokenClaims {
  return {
    iss: "x",
    aud,
    tid,
    appid: PARTNER_APP_ID,
    idtyp: "user",
    oid,
    scp,
    amr: ["pwd", "mfa"],
    iat: 0,
    nbf: 0,
    exp: 0,
    ...extra,
  };
}

export interface CallOptions {
  auth?: AccessTokenClaims;
  body?: unknown;
  headers?: Record<string, string>;
}

function matchPattern(
  pattern: string,
  path: string,
  caseInsensitive: boolean,
): Record<string, string> | undefined {
  const ps = pattern.split("/").filter((s) => s !== "");
  const xs = path.split("/").filter((s) => s !== "");
  const rest = ps.length > 0 && ps[ps.length - 1].startsWith("*") ? ps.pop()!.slice(1) : undefined;
  if (rest === undefined ? ps.length !== xs.length : xs.length <= ps.length) return undefined;
  const same = (a: string, b: string) => (caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b);
  const params: Record<string, string> = {};
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    if (/^:\w+$/.test(p)) {
      params[p.slice(1)] = xs[i];
      continue;
    }
    if (!p.includes(":")) {
      if (!same(p, xs[i])) return undefined;
      continue;
    }
    const names: string[] = [];
    const src = p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:(\w+)/g, (_m, n: string) => {
      names.push(n);
      return "(.+?)";
    });
    const m = new RegExp(`^${src}$`, caseInsensitive ? "i" : "").exec(xs[i]);
    if (!m) return undefined;
    names.forEach((n, j) => {
      params[n] = m[j + 1];
    });
  }
  if (rest !== undefined) params[rest] = xs.slice(ps.length).join("/");
  return params;
}

/** Dispatches a request to a module the way the server would (first matching route). */
export async function call(
  module: ServiceModule,
  core: EmulatorCore,
  method: string,
  url: string,
  options: CallOptions = {},
): Promise<EmuResponse & { json: Record<string, unknown> }> {
  const [path, query = ""] = url.split("?");
  const req: EmuRequest = {
    service: module.service,
    method,
    path,
    params: {},
    query: new URLSearchParams(query),
    headers: Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    body: options.body,
    rawBody: Buffer.from(options.body === undefined ? "" : JSON.stringify(options.body)),
    auth: options.auth,
    requestId: randomUUID(),
    baseUrl: BASE[module.service] ?? `https://emu.test/${module.service}`,
  };
  let known = false;
  for (const route of module.routes) {
    const params = matchPattern(route.path, path, module.caseInsensitivePaths === true);
    if (!params) continue;
    known = true;
    if (route.method !== method) continue;
    req.params = params;
    const res = await route.handler(req, core);
    return { ...res, json: (res.body ?? {}) as Record<string, unknown> };
  }
  const res = module.errorResponse(known ? 501 : 404, known ? "NotImplemented" : "NotFound", "no route", req);
  return { ...res, json: (res.body ?? {}) as Record<string, unknown> };
}
