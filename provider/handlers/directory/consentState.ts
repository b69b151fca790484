import { customerTenantApp } from "../../auth/actingIdentity";
import type { CspApi } from "../../clients/cspApi";
import { listAppRoleAssignments } from "../../clients/graph/appRoleAssignments";
import { listClientGrants } from "../../clients/graph/oauth2PermissionGrants";
import { uniqueSorted } from "../identity/sets";
import { freshServicePrincipal, servicePrincipal } from "./servicePrincipalMemo";

/**
 * The state of a Partner Center application consent, read where it materialises: in the customer
 * tenant, through Microsoft Graph. Partner Center documents no read of a consent (only POST and
 * DELETE, "Get customer consent as Control Panel Vendor",
 * https://learn.microsoft.com/en-us/partner-center/developer/control-panel-vendor-apis), so this is
 * the only documented way to tell what a consent granted.
 *
 * Calls, all app-only with the customer tenant as authority (the identity every Graph call into a
 * customer tenant uses, `customerTenantApp` in `provider/auth/actingIdentity.ts`):
 * 1. `GET /servicePrincipals?$filter=appId eq '…'` for the consented application and, at the same
 *    time, for each resource the consent names ("List servicePrincipals",
 *    https://learn.microsoft.com/en-us/graph/api/serviceprincipal-list; `appId` supports `$filter`
 *    eq, "servicePrincipal resource type",
 *    https://learn.microsoft.com/en-us/graph/api/resources/serviceprincipal). The application's
 *    principal is always read (its existence is the consent's); a resource's principal (Microsoft
 *    Graph's) comes from what the process already read (`servicePrincipalMemo.ts`);
 * 2. then, at the same time: `GET /oauth2PermissionGrants?$filter=clientId eq '{spId}'`, the
 *    delegated scopes ("List oauth2PermissionGrants",
 *    https://learn.microsoft.com/en-us/graph/api/oauth2permissiongrant-list; least privileged
 *    application permission Directory.Read.All), and `GET /servicePrincipals/{spId}/appRoleAssignments`,
 *    the application permissions ("List appRoleAssignments granted to a service principal",
 *    https://learn.microsoft.com/en-us/graph/api/serviceprincipal-list-approleassignments; least
 *    privileged application permission Application.Read.All).
 *
 * What the answers mean:
 * - the filtered list answers (200) without the application's service principal: the consent is
 *   gone (`absent`);
 * - the service principal is there: the consent is `present` with, per resource the consent names,
 *   the values Graph shows: the scopes of its tenant-wide (`AllPrincipals`) delegated grant plus
 *   the `value` of each app role assigned on that resource. A resource with none of them is left
 *   out, so a partly revoked consent shows as a change of `grants`, and a service principal with no
 *   grant left shows as `grants: []`.
 * - any error (403 without read permission, 5xx, a token refused in the tenant) is thrown: it says
 *   nothing about the consent, so it never reads as "gone".
 * [U] Which objects the consent POST creates (delegated grants, app role assignments or both for a
 * value that is both) is not documented; reading their union means a value granted both ways and
 * revoked only one way still reads as granted. Resources the consent does not name are not read.
 */

/** One resource and the permission values granted on it (the consent's `applicationGrants`). */
export interface ResourceScopes {
  enterpriseApplicationId: string;
  scopes: string[];
}

export type ConsentState = { kind: "present"; grants: ResourceScopes[] } | { kind: "absent" };

/** Reads the consent of `applicationId` in the customer tenant for the resources `declared` names. */
export async function readConsentState(
  api: CspApi,
  customerId: string,
  applicationId: string,
  declared: readonly ResourceScopes[],
): Promise<ConsentState> {
  const auth = customerTenantApp(customerId);
  const graph = api.graph;
  const [client, ...resources] = await Promise.all([
    freshServicePrincipal(api, auth, applicationId),
    ...declared.map((g) => servicePrincipal(api, auth, g.enterpriseApplicationId)),
  ]);
  if (!client) return { kind: "absent" };
  const [delegatedGrants, roleAssignments] = await Promise.all([
    listClientGrants(graph, auth, client.id),
    listAppRoleAssignments(graph, auth, client.id),
  ]);
  const grants: ResourceScopes[] = [];
  declared.forEach((g, i) => {
    const resource = resources[i];
    if (!resource) return;
    const resourceId = resource.id.toLowerCase();
    const delegated = delegatedGrants
      .filter((d) => d.resourceId.toLowerCase() === resourceId && d.consentType === "AllPrincipals")
      .flatMap((d) => d.scope.split(" "))
      .filter((s) => s.length > 0);
    const roles = roleAssignments
      .filter((a) => a.resourceId.toLowerCase() === resourceId)
      .map(
        (a) => (resource.appRoles ?? []).find((r) => r.id.toLowerCase() === a.appRoleId.toLowerCase())?.value,
      )
      .filter((v): v is string => v !== undefined);
    const scopes = uniqueSorted([...delegated, ...roles]);
    if (scopes.length > 0) grants.push({ enterpriseApplicationId: g.enterpriseApplicationId, scopes });
  });
  return { kind: "present", grants };
}
