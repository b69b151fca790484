import type { CspApi } from "../../clients/cspApi";
import {
  type GraphApplication,
  type GraphApplicationWrite,
  getApplicationByUniqueName,
  upsertApplication,
} from "../../clients/graph/applications";
import { createServicePrincipal, type GraphServicePrincipal } from "../../clients/graph/servicePrincipals";
import { CspError, hasServiceCode, isLostResponse } from "../../errors";
import type { AuthTarget, ServiceClient } from "../../http/types";
import { deterministicUuid } from "../common";
import { isConflict } from "../identity/errors";
import type { HandlerContext } from "../types";
import { freshServicePrincipal, rememberServicePrincipal, servicePrincipal } from "./servicePrincipalMemo";

/**
 * How an ApplicationRegistration create makes its application and service principal: one upsert
 * under an alternate key derived from the partner, the tenant and the name (a retried create
 * updates the application an earlier one made instead of making a second), and the principal
 * created without looking first (see applicationRegistration.ts).
 */

const MARKER_PREFIX = "pulumi-csp:";

/** The marker tag of an application: stable across retries for the same partner, tenant and name. */
export function applicationMarker(partnerTenantId: string, tenantId: string, displayName: string): string {
  return `${MARKER_PREFIX}${deterministicUuid("application-registration", partnerTenantId.toLowerCase(), tenantId.toLowerCase(), displayName)}`;
}

/**
 * The application's `uniqueName` (Graph's client-chosen alternate key, unique in the tenant and
 * immutable): the marker's id with a hyphen. [U] "Upsert application" names no character rules
 * for the key; letters, digits and hyphens are chosen so the key needs no escaping in the address.
 */
export function applicationUniqueName(marker: string): string {
  return `pulumi-csp-${marker.slice(MARKER_PREFIX.length)}`;
}

/**
 * Creates the application, or finds the one an earlier run of this create made (a crash or a lost
 * answer before the state was saved), in one call: the upsert by `uniqueName` ("Upsert
 * application", https://learn.microsoft.com/graph/api/application-upsert). Graph keeps one
 * application per key, so no retry makes a second. `adopted`: it existed, and the upsert has just
 * brought it back to the declared body (its id is then read by the same key).
 */
export async function findOrCreateApplication(
  graph: ServiceClient,
  auth: AuthTarget,
  body: GraphApplicationWrite & { displayName: string },
  marker: string,
  ctx: HandlerContext,
): Promise<{ app: GraphApplication; adopted: boolean }> {
  const uniqueName = applicationUniqueName(marker);
  const created = await upsertApplication(graph, auth, uniqueName, { ...body, tags: [marker] });
  if (created) return { app: created, adopted: false };
  const existing = await getApplicationByUniqueName(graph, auth, uniqueName);
  if (!existing) {
    throw new CspError({
      code: "CSP_CONFLICT",
      service: "graph",
      summary: `Graph updated the application ${uniqueName} but does not find it by that key`,
      hint: "it was probably deleted at that moment: run the operation again",
    });
  }
  ctx.log(
    `application "${body.displayName}" (${existing.appId}) already holds this resource's key ${uniqueName} (an earlier create whose response was lost); adopting it`,
  );
  return { app: existing, adopted: true };
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
