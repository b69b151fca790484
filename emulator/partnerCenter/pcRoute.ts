import { isGuid } from "../common/json";
import { type ServiceShape, serviceRoute } from "../common/serviceRoute";
import type { EmulatorCore, EmuRequest, EmuResponse, Route } from "../common/types";
import { findReplay, type ReplayHooks, recordReplay, requestFingerprint } from "./idempotency";
import { prop } from "./jsonBody";
import { settleLicenseTerms } from "./licenseTerms";
import { type AuthRequirement, authorizeCaller, type PcCaller } from "./pcCaller";
import { PcError, throttledResponse } from "./pcError";
import { pcErrors } from "./pcErrors";
import { settleProvisioning } from "./provisioning";
import { type RateFamily, takeRateToken } from "./rateLimits";

/** What a Partner Center route handler gets. */
export interface PcContext {
  req: EmuRequest;
  emu: EmulatorCore;
  caller: PcCaller;
}

export interface PcRouteOptions {
  /**
   * Identities the operation accepts: each operation's page lists App-only and/or App+User under
   * its prerequisites ("Partner Center authentication",
   * https://learn.microsoft.com/partner-center/developer/partner-center-authentication).
   */
  auth: AuthRequirement;
  /**
   * Rate-limit family the route belongs to, if it is throttled ("API throttling guidance",
   * https://learn.microsoft.com/partner-center/developer/api-throttling-guidance).
   */
  rate?: RateFamily;
  /** Secret handling for `MS-RequestId` replays of this POST. */
  replay?: ReplayHooks;
}

/**
 * The Partner Center request pipeline, in order:
 * 1. caller verification (token, audience, partner, App+User-only, MFA, admin agent);
 * 2. the request ids: an `MS-RequestId` or `MS-CorrelationId` that is not a GUID is refused (see
 *    {@link checkRequestIds});
 * 3. time-based housekeeping (orders whose provisioning time has come are fulfilled; license
 *    subscription terms renew or expire and seat windows close, `licenseTerms.ts`);
 * 4. rate limits (when enforced);
 * 5. `MS-RequestId` replay of a POST already answered;
 * 6. the handler (a thrown {@link PcError}, here or in any step, becomes the Partner Center error
 *    body);
 * 7. storing the answer of a POST for replays, marking the state dirty after writes.
 *
 * The server adds the service's response headers, on errors too: `MS-RequestId` and
 * `MS-CorrelationId` echoed (generated when the caller sent none), and `MS-CV`.
 */
export function pcRoute(
  method: Route["method"],
  path: string,
  options: PcRouteOptions,
  handler: (ctx: PcContext) => EmuResponse,
): Route {
  return serviceRoute(pcShape, method, path, options.auth, (req, emu, caller) =>
    runPipeline({ req, emu, caller }, options, handler),
  );
}

/**
 * The Partner Center route shape: the declared auth (step 1), then the rest of the pipeline; a
 * thrown {@link PcError} becomes the Partner Center error body.
 */
const pcShape: ServiceShape<AuthRequirement, PcCaller> = {
  authorize: authorizeCaller,
  errorAnswer: (e) => (e instanceof PcError ? e.toResponse() : undefined),
};

/** Steps 2 to 7, for a verified caller. */
function runPipeline(
  ctx: PcContext,
  options: PcRouteOptions,
  handler: (ctx: PcContext) => EmuResponse,
): EmuResponse {
  const { req, emu, caller } = ctx;
  checkRequestIds(req);
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
  const response = handler(ctx);
  const write = req.method !== "GET" && req.method !== "HEAD";
  if (write && response.status < 400) emu.markDirty();
  if (requestId) recordReplay(emu, requestId, fingerprint, response, hooks);
  return response;
}

/**
 * Microsoft Learn "Partner Center REST and response headers"
 * (https://learn.microsoft.com/partner-center/developer/headers) gives `MS-RequestId` and
 * `MS-CorrelationId` the value type GUID; a value of another form is refused with 400 / 800002 [U]
 * (production's answer is not published). Both may be left out [U]: "Create a customer" calls them
 * required, but the REST reference ("Manage orders - Create a new cart",
 * https://learn.microsoft.com/rest/api/partner-center/manage-orders/create-a-new-cart, and its
 * siblings) says the server generates the ones a caller leaves out, and the emulator follows that.
 * `MS-Contract-Version` is listed as required (value `v1`),
 * yet the official Partner Center .NET SDK never sends it (`PartnerServiceHttpMessageHandler`
 * adds MS-RequestId, MS-CorrelationId, X-Locale and its client headers only), so production serves
 * calls without it: the emulator neither requires nor checks it [U].
 */
function checkRequestIds(req: EmuRequest): void {
  for (const header of ["MS-RequestId", "MS-CorrelationId"]) {
    const value = req.headers[header.toLowerCase()];
    // An empty header counts as left out, as the server's echo treats it.
    if (value && !isGuid(value.trim())) throw pcErrors.headerNotAGuid(header, value);
  }
}
