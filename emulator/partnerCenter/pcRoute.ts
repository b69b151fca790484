import type { EmulatorCore, EmuRequest, EmuResponse, Route } from "../common/types";
import { findReplay, type ReplayHooks, recordReplay, requestFingerprint } from "./idempotency";
import { prop } from "./jsonBody";
import { settleLicenseTerms } from "./licenseTerms";
import { type AuthRequirement, authorizeCaller, type PcCaller } from "./pcCaller";
import { PcError, throttledResponse } from "./pcError";
import { settleProvisioning } from "./provisioning";
import { type RateFamily, takeRateToken } from "./rateLimits";

/** What a Partner Center route handler gets. */
export interface PcContext {
  req: EmuRequest;
  emu: EmulatorCore;
  caller: PcCaller;
}

export interface PcRouteOptions {
  /** Identities the operation accepts (reference 1.2). */
  auth: AuthRequirement;
  /** Rate-limit family the route belongs to (reference 1.6), if it is throttled. */
  rate?: RateFamily;
  /** Secret handling for `MS-RequestId` replays of this POST. */
  replay?: ReplayHooks;
}

/**
 * The Partner Center request pipeline, in order:
 * 1. caller verification (token, audience, partner, App+User-only, MFA, admin agent);
 * 2. time-based housekeeping (orders whose provisioning time has come are fulfilled; license
 *    subscription terms renew or expire and seat windows close, `licenseTerms.ts`);
 * 3. rate limits (when enforced);
 * 4. `MS-RequestId` replay of a POST already answered;
 * 5. the handler; a thrown {@link PcError} becomes the Partner Center error body;
 * 6. storing the answer of a POST for replays, marking the state dirty after writes.
 *
 * The server adds the service's response headers (`MS-RequestId` / `MS-CorrelationId` echoed, `MS-CV`).
 */
export function pcRoute(
  method: Route["method"],
  path: string,
  options: PcRouteOptions,
  handler: (ctx: PcContext) => EmuResponse,
): Route {
  return {
    method,
    path,
    handler: (req, emu) => runPipeline(req, emu, options, handler),
  };
}

function runPipeline(
  req: EmuRequest,
  emu: EmulatorCore,
  options: PcRouteOptions,
  handler: (ctx: PcContext) => EmuResponse,
): EmuResponse {
  try {
    const caller = authorizeCaller(req, emu, options.auth);
    settleProvisioning(emu);
    settleLicenseTerms(emu);
    if (options.rate) {
      const key =
        options.rate === "consent"
          ? String(req.params.applicationId ?? prop(req.body, "applicationId") ?? "-").toLowerCase()
          : `${caller.partnerTenantId}|${(req.params.customerId ?? "-").toLowerCase()}`;
      const wait = takeRateToken(emu, options.rate, key);
      if (wait !== undefined) return throttledResponse(wait);
    }
    const requestId = req.method === "POST" ? req.headers["ms-requestid"] : undefined;
    const hooks = options.replay ?? {};
    let fingerprint = "";
    if (requestId) {
      fingerprint = requestFingerprint(req, caller.partnerTenantId);
      const replay = findReplay(emu, requestId, fingerprint, hooks, req);
      if (replay) return replay;
    }
    const response = handler({ req, emu, caller });
    const write = req.method !== "GET" && req.method !== "HEAD";
    if (write && response.status < 400) emu.markDirty();
    if (requestId) recordReplay(emu, requestId, fingerprint, response, hooks);
    return response;
  } catch (e) {
    if (e instanceof PcError) return e.toResponse();
    throw e;
  }
}
