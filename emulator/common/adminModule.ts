import { approveRelationship } from "../graph/gdapAdmin";
import { acceptRelationshipRequest } from "../partnerCenter/relationshipRequests";
import { AdminRefusal } from "./adminRefusal";
import type { EmulatorSettingsPatch, Fault, RequestLogFilter } from "./adminTypes";
import type { EmulatorRuntime } from "./emulatorRuntime";
import { validateFault } from "./faultList";
import { isObject } from "./json";
import type { EmuRequest, EmuResponse, ServiceModule } from "./types";

function adminError(status: number, code: string, message: string): EmuResponse {
  return { status, body: { error: { code, message } } };
}

/**
 * The answer of an admin action that may refuse: what `run` answers, or the {@link AdminRefusal}
 * it throws as `{error:{code,message}}` with the refusal's status (anything else thrown: 400).
 */
function refusable(code: string, run: () => EmuResponse): EmuResponse {
  try {
    return run();
  } catch (e) {
    const status = e instanceof AdminRefusal ? e.status : 400;
    return adminError(status, code, e instanceof Error ? e.message : String(e));
  }
}

function logFilter(req: EmuRequest): RequestLogFilter {
  const q = req.query;
  const filter: RequestLogFilter = {};
  const service = q.get("service");
  if (service === "identity" || service === "partnerCenter" || service === "graph" || service === "arm") {
    filter.service = service;
  }
  const method = q.get("method");
  if (method) filter.method = method;
  const pathPattern = q.get("pathPattern");
  if (pathPattern) filter.pathPattern = pathPattern;
  const since = q.get("sinceSeq");
  if (since) filter.sinceSeq = Number(since);
  if (q.get("writesOnly") === "true") filter.writesOnly = true;
  return filter;
}

const SETTING_TYPES: Record<keyof EmulatorSettingsPatch, "boolean" | "number"> = {
  sandbox: "boolean",
  replicationDelayMs: "number",
  enforceRateLimits: "boolean",
  latencyMs: "number",
  partnerCenterProvisioningDelayMs: "number",
  autoApproveGdap: "boolean",
};

/**
 * The emulator's admin API under `/_emulator` (JSON in, JSON out). It is the only back door
 * tests, benchmarks and demos use: they never reach into the store.
 *
 * | route | effect |
 * | --- | --- |
 * | `GET /info` | url, caCert, env and seeded accounts |
 * | `POST /reset` | back to the seeded world and start settings; faults and request log cleared |
 * | `GET /requests?service&method&pathPattern&sinceSeq&writesOnly` / `DELETE /requests` | request log |
 * | `GET /faults` / `POST /faults` (a {@link Fault}) / `DELETE /faults` | fault injection |
 * | `GET /settings` / `PATCH /settings` | sandbox, replicationDelayMs, enforceRateLimits, latencyMs, partnerCenterProvisioningDelayMs, autoApproveGdap |
 * | `POST /time/advance` `{ "ms": n }` | moves the emulator clock forward |
 * | `POST /gdap/{id}/approve` | the customer approves a GDAP relationship |
 * | `POST /partnerCenter/relationshipRequests/accept` `{ url, companyName, domainPrefix, country? }` | a new organization accepts a reseller relationship request link |
 * | `POST /identity/revokeRefreshTokens` `{ "userId"? }` | revokes refresh tokens (one user's, or all) |
 * | `GET /state` | read-only snapshot of the whole state (tests only) |
 */
export function createAdminModule(runtime: EmulatorRuntime, info: () => unknown): ServiceModule {
  return {
    service: "admin",
    errorResponse: (status, code, message) => adminError(status, code, message),
    routes: [
      { method: "GET", path: "/info", handler: () => ({ status: 200, body: info() }) },
      {
        method: "POST",
        path: "/reset",
        handler: () => {
          runtime.reset();
          return { status: 204 };
        },
      },
      {
        method: "GET",
        path: "/requests",
        handler: (req) => {
          const filter = logFilter(req);
          if (filter.pathPattern) {
            try {
              new RegExp(filter.pathPattern);
            } catch {
              return adminError(400, "InvalidFilter", "pathPattern is not a valid regular expression");
            }
          }
          return { status: 200, body: { value: runtime.log.read(filter) } };
        },
      },
      {
        method: "DELETE",
        path: "/requests",
        handler: () => {
          runtime.log.clear();
          return { status: 204 };
        },
      },
      {
        method: "GET",
        path: "/faults",
        handler: () => ({ status: 200, body: { value: runtime.faults.list() } }),
      },
      {
        method: "POST",
        path: "/faults",
        handler: (req) => {
          const problem = validateFault(req.body);
          if (problem) return adminError(400, "InvalidFault", problem);
          return { status: 201, body: runtime.faults.add(req.body as Fault) };
        },
      },
      {
        method: "DELETE",
        path: "/faults",
        handler: () => {
          runtime.faults.clear();
          return { status: 204 };
        },
      },
      { method: "GET", path: "/settings", handler: () => ({ status: 200, body: runtime.state.settings }) },
      {
        method: "PATCH",
        path: "/settings",
        handler: (req, emu) => {
          if (!isObject(req.body)) return adminError(400, "InvalidSettings", "body must be a JSON object");
          for (const [key, value] of Object.entries(req.body)) {
            const type = SETTING_TYPES[key as keyof EmulatorSettingsPatch];
            if (!type) return adminError(400, "InvalidSettings", `unknown setting ${key}`);
            if (typeof value !== type || (type === "number" && (value as number) < 0)) {
              return adminError(
                400,
                "InvalidSettings",
                `${key} must be a ${type === "number" ? "non-negative number" : type}`,
              );
            }
          }
          Object.assign(runtime.state.settings, req.body);
          emu.markDirty();
          return { status: 200, body: runtime.state.settings };
        },
      },
      {
        method: "POST",
        path: "/time/advance",
        handler: (req, emu) => {
          const ms = isObject(req.body) ? req.body.ms : undefined;
          if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
            return adminError(400, "InvalidTime", "ms must be a non-negative number");
          }
          runtime.state.settings.clockOffsetMs += ms;
          emu.markDirty();
          return {
            status: 200,
            body: { now: emu.now().toISOString(), clockOffsetMs: runtime.state.settings.clockOffsetMs },
          };
        },
      },
      {
        method: "POST",
        path: "/gdap/:id/approve",
        handler: (req, emu) =>
          refusable("ApprovalFailed", () => {
            const relationship = approveRelationship(emu.state, req.params.id, emu.now());
            emu.markDirty();
            return { status: 200, body: relationship ?? {} };
          }),
      },
      {
        method: "POST",
        path: "/partnerCenter/relationshipRequests/accept",
        handler: (req, emu) => {
          const body = isObject(req.body) ? req.body : {};
          const { url, companyName, domainPrefix, country } = body;
          if (
            typeof url !== "string" ||
            typeof companyName !== "string" ||
            typeof domainPrefix !== "string"
          ) {
            return adminError(400, "AcceptFailed", "url, companyName and domainPrefix are required strings");
          }
          return refusable("AcceptFailed", () => {
            const customer = acceptRelationshipRequest(
              emu.state,
              url,
              { companyName, domainPrefix, ...(typeof country === "string" ? { country } : {}) },
              emu.now(),
            );
            emu.markDirty();
            return {
              status: 201,
              body: {
                customerId: customer.id,
                partnerTenantId: customer.partnerTenantId,
                associatedPartnerId: customer.resource.associatedPartnerId ?? null,
              },
            };
          });
        },
      },
      {
        method: "POST",
        path: "/identity/revokeRefreshTokens",
        handler: (req, emu) => {
          // Like Graph `revokeSignInSessions` or a password reset: every refresh token of the user
          // (of everyone when no userId is given) answers invalid_grant from now on.
          const userId =
            isObject(req.body) && typeof req.body.userId === "string" ? req.body.userId : undefined;
          let revoked = 0;
          for (const record of Object.values(runtime.state.identity.refreshTokens)) {
            if (userId !== undefined && record.userId !== userId) continue;
            if (!record.revoked) revoked++;
            record.revoked = true;
          }
          emu.markDirty();
          return { status: 200, body: { revoked } };
        },
      },
      { method: "GET", path: "/state", handler: () => ({ status: 200, body: runtime.state }) },
    ],
  };
}
