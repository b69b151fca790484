import type * as pulumi from "@pulumi/pulumi";
import type { ApplicationRegistration, CustomerUser } from "../provider/resources";
import { type CustomerSpecRoleAssignment, GRAPH_APP_ID } from "./customerSpec";
import { GUID } from "./customerSpecFields";

/**
 * How CustomerTenant (customerTenant.ts) turns spec entries into its children's inputs and
 * resource names: a role assignment's principal, role and name parts.
 */

/** The principal a role assignment names: a user or application of the spec, or an object id. */
export function principalOf(
  a: CustomerSpecRoleAssignment,
  users: Record<string, CustomerUser>,
  applications: Record<string, ApplicationRegistration>,
): {
  id: pulumi.Input<string>;
  type: "User" | "Group" | "ServicePrincipal" | "ForeignGroup";
  slug: string;
  resources: pulumi.Resource[];
} {
  const p = a.principal;
  if (p.user !== undefined) {
    const user = users[p.user]!;
    return { id: user.id, type: "User", slug: `user-${p.user}`, resources: [user] };
  }
  if (p.application !== undefined) {
    const app = applications[p.application]!;
    return {
      id: app.servicePrincipalId,
      type: "ServicePrincipal",
      slug: `app-${p.application}`,
      resources: [app],
    };
  }
  const objectId = p.objectId!.toLowerCase();
  return { id: objectId, type: p.type!, slug: objectId, resources: [] };
}

/** `roleName` for a name, `roleDefinitionId` for a GUID. */
export function roleInput(role: string): { roleName: string } | { roleDefinitionId: string } {
  return GUID.test(role) ? { roleDefinitionId: role.toLowerCase() } : { roleName: role };
}

/** A URN-friendly form of a role name: `Storage Blob Data Reader` → `storage-blob-data-reader`. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export function resourceSlug(resourceAppId: string): string {
  return resourceAppId.toLowerCase() === GRAPH_APP_ID ? "graph" : resourceAppId.toLowerCase();
}

/** Drops keys whose value is undefined (optional spec fields that were not given). */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
