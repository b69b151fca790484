import type { AuthTarget, ServiceClient } from "../../http/types";
import { deleteIfPresent } from "../deleteIfPresent";
import { listGraph } from "../paging";
import { odataString } from "./odata";

/**
 * Microsoft Graph delegated permission grants ("oAuth2PermissionGrant resource type",
 * https://learn.microsoft.com/en-us/graph/api/resources/oauth2permissiongrant): a client
 * service principal's delegated scopes on a resource service principal; `AllPrincipals` is the
 * tenant-wide admin consent. Grant ids are opaque strings, not GUIDs.
 */

export interface GraphOAuth2PermissionGrant {
  id: string;
  clientId: string;
  consentType: "AllPrincipals" | "Principal";
  principalId: string | null;
  resourceId: string;
  /** Space-separated scope values. */
  scope: string;
}

const GRANTS = "/v1.0/oauth2PermissionGrants";

/**
 * Every delegated grant of a client service principal, on any resource (`$filter=clientId eq`,
 * the filter Graph documents for this property; it also shortens the replication delay of the list:
 * https://learn.microsoft.com/en-us/graph/api/oauth2permissiongrant-list).
 */
export async function listClientGrants(
  graph: ServiceClient,
  auth: AuthTarget,
  clientSpId: string,
): Promise<GraphOAuth2PermissionGrant[]> {
  const grants = await listGraph<GraphOAuth2PermissionGrant>(graph, {
    method: "GET",
    path: GRANTS,
    query: { $filter: `clientId eq ${odataString(clientSpId)}` },
    auth,
  });
  return grants.filter((g) => g.clientId.toLowerCase() === clientSpId.toLowerCase());
}

/** The tenant-wide (`AllPrincipals`) grant of `clientId` on `resourceId`, if any. */
export async function findAllPrincipalsGrant(
  graph: ServiceClient,
  auth: AuthTarget,
  clientSpId: string,
  resourceSpId: string,
): Promise<GraphOAuth2PermissionGrant | undefined> {
  const grants = await listClientGrants(graph, auth, clientSpId);
  return grants.find(
    (g) => g.resourceId.toLowerCase() === resourceSpId.toLowerCase() && g.consentType === "AllPrincipals",
  );
}

/** Creates a tenant-wide grant (201). */
export async function createAllPrincipalsGrant(
  graph: ServiceClient,
  auth: AuthTarget,
  clientSpId: string,
  resourceSpId: string,
  scopes: string[],
): Promise<GraphOAuth2PermissionGrant> {
  const res = await graph.send<GraphOAuth2PermissionGrant>({
    method: "POST",
    path: GRANTS,
    body: {
      clientId: clientSpId,
      consentType: "AllPrincipals",
      resourceId: resourceSpId,
      scope: scopes.join(" "),
    },
    auth,
  });
  return res.body;
}

/** Replaces the scopes of a grant (PATCH is idempotent). */
export async function updateGrantScopes(
  graph: ServiceClient,
  auth: AuthTarget,
  id: string,
  scopes: string[],
): Promise<void> {
  await graph.send({
    method: "PATCH",
    path: `${GRANTS}/${encodeURIComponent(id)}`,
    body: { scope: scopes.join(" ") },
    auth,
    idempotent: true,
  });
}

/** Deletes a grant. `false` when absent. */
export async function deleteGrant(graph: ServiceClient, auth: AuthTarget, id: string): Promise<boolean> {
  return deleteIfPresent(graph, {
    path: `${GRANTS}/${encodeURIComponent(id)}`,
    auth,
  });
}

/** Scope values of a grant's space-separated `scope`. */
export function grantScopes(grant: GraphOAuth2PermissionGrant | undefined): string[] {
  return (grant?.scope ?? "").split(" ").filter((s) => s.length > 0);
}
