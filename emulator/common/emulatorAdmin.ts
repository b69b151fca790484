import { Agent, request } from "node:https";
import type {
  ActiveFault,
  EmulatorSettingsPatch,
  Fault,
  RequestLogEntry,
  RequestLogFilter,
} from "./adminTypes";
import type { EmulatorSettings, EmulatorState } from "./state";

/**
 * Typed client of the emulator's admin API (`/_emulator`), for an emulator in this process or
 * one started with `npm run emulator` (give its `url` and CA PEM).
 */
export class EmulatorAdmin {
  private readonly agent: Agent;

  constructor(
    /** Origin of the emulator, e.g. `https://127.0.0.1:PORT`. */
    readonly url: string,
    caCertPem: string,
  ) {
    this.agent = new Agent({ ca: caCertPem, keepAlive: true, maxSockets: 4 });
  }

  /** Request log entries (oldest first) matching `filter`. */
  async requestLog(filter: RequestLogFilter = {}): Promise<RequestLogEntry[]> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v !== undefined) q.set(k, String(v));
    const query = q.toString();
    const body = await this.call<{ value: RequestLogEntry[] }>("GET", `/requests${query ? `?${query}` : ""}`);
    return body.value;
  }

  async clearRequestLog(): Promise<void> {
    await this.call("DELETE", "/requests");
  }

  /** Adds a fault; the next `fault.count` matching requests get `fault.action`. */
  async addFault(fault: Fault): Promise<ActiveFault> {
    return this.call<ActiveFault>("POST", "/faults", fault);
  }

  async faults(): Promise<ActiveFault[]> {
    return (await this.call<{ value: ActiveFault[] }>("GET", "/faults")).value;
  }

  async clearFaults(): Promise<void> {
    await this.call("DELETE", "/faults");
  }

  async settings(): Promise<EmulatorSettings> {
    return this.call<EmulatorSettings>("GET", "/settings");
  }

  /**
   * Changes some settings (sandbox, replicationDelayMs, enforceRateLimits, latencyMs,
   * partnerCenterProvisioningDelayMs, autoApproveGdap); returns all.
   */
  async updateSettings(patch: EmulatorSettingsPatch): Promise<EmulatorSettings> {
    return this.call<EmulatorSettings>("PATCH", "/settings", patch);
  }

  /** The customer approves a GDAP relationship (Graph moves it towards `active`). */
  async approveGdapRelationship(id: string): Promise<Record<string, unknown>> {
    return this.call<Record<string, unknown>>("POST", `/gdap/${encodeURIComponent(id)}/approve`);
  }

  /**
   * A new organization accepts a reseller relationship request link (from
   * `GET /v1/customers/relationshiprequests`): it becomes a customer of the partner that sent it
   * (for an indirect reseller's link, of its indirect provider, associated with the reseller).
   */
  async acceptRelationshipRequest(
    url: string,
    organization: { companyName: string; domainPrefix: string; country?: string },
  ): Promise<{ customerId: string; partnerTenantId: string; associatedPartnerId: string | null }> {
    return this.call("POST", "/partnerCenter/relationshipRequests/accept", { url, ...organization });
  }

  /** Revokes the refresh tokens of a user (all users when omitted); returns how many were revoked. */
  async revokeRefreshTokens(userId?: string): Promise<number> {
    const body = await this.call<{ revoked: number }>(
      "POST",
      "/identity/revokeRefreshTokens",
      userId ? { userId } : {},
    );
    return body.revoked;
  }

  /** Moves the emulator's clock forward by `ms` (token, refresh-token and secret expiry, delays). */
  async advanceTime(ms: number): Promise<{ now: string; clockOffsetMs: number }> {
    return this.call("POST", "/time/advance", { ms });
  }

  /** Back to the seeded world and start settings; clears faults and the request log. */
  async reset(): Promise<void> {
    await this.call("POST", "/reset");
  }

  /** Read-only snapshot of the whole state, for assertions in tests. */
  async state(): Promise<EmulatorState> {
    return this.call<EmulatorState>("GET", "/state");
  }

  /** `url`, `caCert`, `env` and the seeded accounts, as printed by `npm run emulator`. */
  async info<T = Record<string, unknown>>(): Promise<T> {
    return this.call<T>("GET", "/info");
  }

  /** Releases the client's keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise<T>((resolve, reject) => {
      const req = request(
        `${this.url}/_emulator${path}`,
        {
          method,
          agent: this.agent,
          headers: {
            accept: "application/json",
            ...(payload
              ? { "content-type": "application/json", "content-length": String(payload.length) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const status = res.statusCode ?? 0;
            if (status >= 400) {
              reject(new Error(`emulator admin ${method} ${path} failed with ${status}: ${text}`));
              return;
            }
            try {
              resolve((text ? JSON.parse(text) : undefined) as T);
            } catch (e) {
              reject(e);
            }
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }
}
