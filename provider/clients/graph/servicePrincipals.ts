import type { AuthTarget, ServiceClient } from "../../http/types";
import { deleteIfPresent } from "../deleteIfPresent";
import { listGraph } from "../paging";
import { odataString } from "./odata";

/**
 * Microsoft Graph service principals ("Create servicePrincipal",
 * https://learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals): the tenant-local
 * instance of an application, holding the permissions it exposes (`oauth2PermissionScopes`,
 * `appRoles`) and the grants it receives. A tenant has at most one service principal per
 * application.
 */

export interface GraphPermission {
  id: string;
  value: string;
  isEnabled?: boolean;
}

export interface GraphServicePrincipal {
  id: string;
  appId: string;
  displayName?: string;
  appOwnerOrganizationId?: string;
  appRoles?: GraphPermission[];
  oauth2PermissionScopes?: GraphPermission[];
}

const SPS = "/v1.0/servicePrincipals";

/** The service principal of an application in the token's tenant, or `undefined`. */
export async function findServicePrincipalByAppId(
  graph: ServiceClient,
  auth: AuthTarget,
  appId: string,
): Promise<GraphServicePrincipal | undefined> {
  const sps = await listGraph<GraphServicePrincipal>(graph, {
    method: "GET",
    path: SPS,
    query: { $filter: `appId eq ${odataString(appId)}` },
    auth,
  });
  return sps.find((sp) => sp.appId.toLowerCase() === appId.toLowerCase());
}

/** Creates the service principal of an application (201). */
export async function createServicePrincipal(
  graph: ServiceClient,
  auth: AuthTarget,
  appId: string,
): Promise<GraphServicePrincipal> {
  const res = await graph.send<GraphServicePrincipal>({ method: "POST", path: SPS, body: { appId }, auth });
  return res.body;
}

/** Deletes a service principal. `false` when absent. */
export async function deleteServicePrincipal(
  graph: ServiceClient,
  auth: AuthTarget,
  id: string,
): Promise<boolean> {
  return deleteIfPresent(graph, {
    path: `${SPS}/${encodeURIComponent(id)}`,
    auth,
  });
}
