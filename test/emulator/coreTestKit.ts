import { Agent, request } from "node:https";
import type { RunningEmulator } from "../../emulator/index";

/** An answer from the emulator, body parsed as JSON when it is JSON. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The JSON object answered (`{}` when the body is empty or not a JSON object). */
  body: Record<string, unknown>;
  text: string;
}

export interface Ask {
  method?: string;
  /** Path on the emulator's origin, e.g. `/partnercenter/v1/customers`. */
  path: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /** Send this Host header (routing by real host name). */
  host?: string;
}

const agents = new WeakMap<RunningEmulator, Agent>();

/** One HTTPS exchange with the emulator, trusting its CA. Rejects when the connection drops. */
export function ask(emu: RunningEmulator, a: Ask): Promise<Answer> {
  let agent = agents.get(emu);
  if (!agent) {
    agent = new Agent({ ca: emu.caCertPem, keepAlive: false });
    agents.set(emu, agent);
  }
  let payload: Buffer | undefined;
  const headers: Record<string, string> = { ...a.headers };
  if (a.form) {
    payload = Buffer.from(new URLSearchParams(a.form).toString());
    headers["content-type"] = "application/x-www-form-urlencoded";
  } else if (a.json !== undefined) {
    payload = Buffer.from(JSON.stringify(a.json));
    headers["content-type"] = "application/json";
  }
  if (payload) headers["content-length"] = String(payload.length);
  if (a.host) headers.host = a.host;
  return new Promise((resolve, reject) => {
    const req = request(
      `${emu.url}${a.path}`,
      { method: a.method ?? (payload ? "POST" : "GET"), headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body: Record<string, unknown> = {};
          try {
            const parsed: unknown = text ? JSON.parse(text) : undefined;
            if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
              body = parsed as Record<string, unknown>;
          } catch {
            body = {};
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** Claims of a JWT (no verification: the emulator verifies; tests read). */
export function claimsOf(jwt: unknown): Record<string, unknown> {
  return JSON.parse(Buffer.from(String(jwt).split(".")[1], "base64url").toString("utf8"));
}

/** Token request to the v2 endpoint of `tenant`. */
export function tokenRequest(
  emu: RunningEmulator,
  tenant: string,
  form: Record<string, string>,
): Promise<Answer> {
  return ask(emu, { path: `/${tenant}/oauth2/v2.0/token`, form });
}

/** The seeded partner app's client-credentials form for `scope`. */
export function appForm(emu: RunningEmulator, scope: string): Record<string, string> {
  return {
    grant_type: "client_credentials",
    client_id: emu.seed.clientId,
    client_secret: emu.seed.clientSecret,
    scope,
  };
}

/** The seeded admin agent's refresh-token form for `scope`. */
export function userForm(
  emu: RunningEmulator,
  scope: string,
  refreshToken = emu.seed.refreshToken,
): Record<string, string> {
  return {
    grant_type: "refresh_token",
    client_id: emu.seed.clientId,
    client_secret: emu.seed.clientSecret,
    refresh_token: refreshToken,
    scope: `${scope} openid profile offline_access`,
    client_info: "1",
  };
}

/** Roles {@link grantSeedAgentGdap} gives unless told otherwise: User, Privileged Role Administrator. */
export const SEED_AGENT_GDAP_ROLES = [
  "fe930be7-5e62-47db-91af-98c3a49a38b1",
  "e8611ab8-c189-46e8-94e1-60213ab1f814",
];

/**
 * Gives the seeded admin agent `roleIds` in a customer through GDAP, over HTTP as a partner and its
 * customer would: the agent creates a relationship and locks it for approval (Graph), the customer
 * approves it (admin API), the agent assigns the roles to the seeded security group it is in.
 * Returns the relationship id.
 */
export async function grantSeedAgentGdap(
  emu: RunningEmulator,
  customerId: string,
  roleIds: string[] = SEED_AGENT_GDAP_ROLES,
): Promise<string> {
  const token = await tokenRequest(
    emu,
    emu.seed.partnerTenantId,
    userForm(emu, "https://graph.microsoft.com/DelegatedAdminRelationship.ReadWrite.All"),
  );
  const headers = { authorization: `Bearer ${token.body.access_token}` };
  const base = "/graph/v1.0/tenantRelationships/delegatedAdminRelationships";
  const unifiedRoles = roleIds.map((roleDefinitionId) => ({ roleDefinitionId }));
  const created = await ask(emu, {
    path: base,
    headers,
    json: {
      displayName: `test-${customerId.slice(0, 8)}-${Date.now().toString(36)}`,
      duration: "P730D",
      customer: { tenantId: customerId },
      accessDetails: { unifiedRoles },
    },
  });
  if (created.status !== 201) throw new Error(`GDAP relationship: ${created.text}`);
  const id = String(created.body.id);
  await ask(emu, { path: `${base}/${id}/requests`, headers, json: { action: "lockForApproval" } });
  await emu.admin.approveGdapRelationship(id);
  const assigned = await ask(emu, {
    path: `${base}/${id}/accessAssignments`,
    headers,
    json: {
      accessContainer: {
        accessContainerId: emu.seed.gdapAdminsGroupId,
        accessContainerType: "securityGroup",
      },
      accessDetails: { unifiedRoles },
    },
  });
  if (assigned.status !== 201) throw new Error(`GDAP access assignment: ${assigned.text}`);
  return id;
}
