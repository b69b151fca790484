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
