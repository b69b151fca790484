import type { CspApi } from "../../clients/cspApi";
import {
  createApplication,
  findApplicationsByTag,
  type GraphApplication,
  type GraphApplicationWrite,
} from "../../clients/graph/applications";
import { createServicePrincipal, type GraphServicePrincipal } from "../../clients/graph/servicePrincipals";
import { CspError, hasServiceCode, isLostResponse } from "../../errors";
import type { AuthTarget, ServiceClient } from "../../http/types";
import { deterministicUuid } from "../common";
import { isConflict } from "../identity/errors";
import type { HandlerContext } from "../types";
import { freshServicePrincipal, rememberServicePrincipal, servicePrincipal } from "./servicePrincipalMemo";

/**
 * How an ApplicationRegistration create finds or makes its application and service principal:
 * the marker tag that makes a retried create find the application an earlier one made, and the
 * principal created without looking first (see applicationRegistration.ts).
 */

const MARKER_PREFIX = "pulumi-csp:";

/** The marker tag of an application: stable across retries for the same partner, tenant and name. */
export function applicationMarker(partnerTenantId: string, tenantId: string, displayName: string): string {
  return `${MARKER_PREFIX}${deterministicUuid("application-registration", partnerTenantId.toLowerCase(), tenantId.toLowerCase(), displayName)}`;
}

export async function findOrCreateApplication(
  graph: ServiceClient,
  auth: AuthTarget,
  body: GraphApplicationWrite & { displayName: string },
  marker: string,
  ctx: HandlerContext,
): Promise<{ app: GraphApplication; adopted: boolean }> {
  const existing = await findByMarker(graph, auth, marker);
  if (existing) {
    ctx.log(
      `application "${body.displayName}" (${existing.appId}) already carries this resource's marker (an earlier create whose response was lost); adopting it`,
    );
    return { app: existing, adopted: true };
  }
  try {
    const app = await createApplication(graph, auth, { ...body, tags: [marker] });
    return { app, adopted: false };
  } catch (e) {
    if (!isLostResponse(e)) throw e;
    // Graph has no idempotency key: the create may have happened. Look for the marker again.
    const found = await findByMarker(graph, auth, marker);
    if (!found) throw e;
    ctx.log(
      `the create of application "${body.displayName}" was not answered but it exists (${found.appId}); continuing with it`,
    );
    return { app: found, adopted: false };
  }
}

async function findByMarker(
  graph: ServiceClient,
  auth: AuthTarget,
  marker: string,
): Promise<GraphApplication | undefined> {
  const apps = await findApplicationsByTag(graph, auth, marker);
  if (apps.length > 1) {
    throw new CspError({
      code: "CSP_CONFLICT",
      service: "graph",
      summary: `${apps.length} applications carry the marker ${marker} (${apps.map((a) => a.appId).join(", ")})`,
      hint: "delete the extra applications in the tenant (keep one), then run the operation again",
    });
  }
  return apps[0];
}

export function withMarker(tags: readonly string[] | undefined, marker: string): string[] {
  return [...(tags ?? []).filter((t) => !t.startsWith(MARKER_PREFIX)), marker];
}

/** The application's principal: the one that exists, or a new one. */
export async function ensureServicePrincipal(
  api: CspApi,
  auth: AuthTarget,
  appId: string,
): Promise<GraphServicePrincipal> {
  return (await servicePrincipal(api, auth, appId)) ?? createPrincipalOfNewApp(api, auth, appId);
}

/**
 * Creates the principal of an application without looking first: an application this create just
 * made has none. A tenant holds one principal per application ("Create servicePrincipal",
 * https://learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals), so a second
 * create is refused; [U] the page does not name the answer: a 409, or Graph's
 * `Request_MultipleObjectsWithSameKeyValue`, is taken as "it exists" (a retried create, another
 * run). That, or a lost answer, is settled by one lookup. The principal is remembered for the
 * grants of this application that follow in the same process.
 */
export async function createPrincipalOfNewApp(
  api: CspApi,
  auth: AuthTarget,
  appId: string,
): Promise<GraphServicePrincipal> {
  try {
    const sp = await createServicePrincipal(api.graph, auth, appId);
    rememberServicePrincipal(api, auth, sp.appId ? sp : { ...sp, appId });
    return sp;
  } catch (e) {
    if (!isLostResponse(e) && !isConflict(e) && !hasServiceCode(e, "Request_MultipleObjectsWithSameKeyValue"))
      throw e;
    const found = await freshServicePrincipal(api, auth, appId);
    if (!found) throw e;
    return found;
  }
}
