import type { CspApi } from "../../clients/cspApi";
import {
  findServicePrincipalByAppId,
  type GraphServicePrincipal,
} from "../../clients/graph/servicePrincipals";
import type { AuthTarget } from "../../http/types";

/**
 * A tenant's service principal of an application, read once per provider process. Several
 * resources of one tenant look up the same principal (Microsoft Graph's as the resource of the
 * consent and of every PermissionGrant; an application's own as the client of its grants), and
 * its object id does not change while it exists ("servicePrincipal resource type",
 * https://learn.microsoft.com/graph/api/resources/serviceprincipal: `id` is the read-only object
 * id; a tenant holds one service principal per `appId`, "Create servicePrincipal",
 * https://learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals).
 *
 * Only a found principal is remembered: absence can end at any moment (a consent or a create makes
 * one). A read whose answer IS the principal's existence (is the consent still there? is the
 * application's principal still there?) asks {@link freshServicePrincipal}, which reads and then
 * updates what the process remembers; a caller that learns the principal is gone (a 404 on its
 * id) calls {@link forgetServicePrincipal}.
 */

function key(auth: AuthTarget, appId: string): string {
  return `servicePrincipal:${auth.mode}:${(auth.tenantId ?? "").toLowerCase()}:${appId.toLowerCase()}`;
}

/** The principal, from what this process already read or by `GET /servicePrincipals?$filter=appId eq`. */
export async function servicePrincipal(
  api: CspApi,
  auth: AuthTarget,
  appId: string,
): Promise<GraphServicePrincipal | undefined> {
  const k = key(auth, appId);
  const found = await api.memo.get(k, () => findServicePrincipalByAppId(api.graph, auth, appId));
  if (!found) api.memo.forget(k);
  return found;
}

/** The principal as Graph answers now (one call); the answer replaces what the process remembered. */
export async function freshServicePrincipal(
  api: CspApi,
  auth: AuthTarget,
  appId: string,
): Promise<GraphServicePrincipal | undefined> {
  api.memo.forget(key(auth, appId));
  return servicePrincipal(api, auth, appId);
}

/** Records a principal learnt from a write's answer (the create of an application's principal). */
export function rememberServicePrincipal(api: CspApi, auth: AuthTarget, sp: GraphServicePrincipal): void {
  api.memo.set(key(auth, sp.appId), sp);
}

/** Drops the remembered principal (deleted, or found gone). */
export function forgetServicePrincipal(api: CspApi, auth: AuthTarget, appId: string): void {
  api.memo.forget(key(auth, appId));
}
