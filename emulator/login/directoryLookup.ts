import { isGuid } from "../common/json";
import type { DirectoryApplication, DirectoryTenant, DirectoryUser, EmulatorState } from "../common/state";
import { FIRST_PARTY_APPS, type FirstPartyApp } from "../graph/firstParty";

/** The `{tenant}` path segment of an Entra URL, resolved. */
export type TenantRef =
  | { kind: "tenant"; tenant: DirectoryTenant }
  /** `common`, `organizations` (and `consumers`): resolved later from the signed-in user. */
  | { kind: "multi"; name: string }
  | { kind: "unknown"; name: string };

/** Resolves a tenant GUID, a verified domain, or one of the multi-tenant aliases. */
export function resolveTenant(state: EmulatorState, segment: string): TenantRef {
  const name = segment.toLowerCase();
  if (name === "common" || name === "organizations" || name === "consumers") return { kind: "multi", name };
  if (isGuid(name)) {
    const tenant =
      state.directory[name] ?? Object.values(state.directory).find((t) => t.id.toLowerCase() === name);
    return tenant ? { kind: "tenant", tenant } : { kind: "unknown", name: segment };
  }
  const tenant = Object.values(state.directory).find((t) => t.domains.some((d) => d.toLowerCase() === name));
  return tenant ? { kind: "tenant", tenant } : { kind: "unknown", name: segment };
}

/** An application registration with the tenant that owns it. */
export interface AppWithHome {
  app: DirectoryApplication;
  home: DirectoryTenant;
}

/** The application object of a client id (searched in every tenant: the app's home tenant owns it). */
export function findApplication(state: EmulatorState, clientId: string): AppWithHome | undefined {
  const wanted = clientId.toLowerCase();
  for (const home of Object.values(state.directory)) {
    for (const app of Object.values(home.applications)) {
      if (app.appId.toLowerCase() === wanted) return { app, home };
    }
  }
  return undefined;
}

/** A user with their home tenant. */
export interface UserWithHome {
  user: DirectoryUser;
  home: DirectoryTenant;
}

/** A user by object id, searched in every tenant. */
export function findUserById(state: EmulatorState, userId: string): UserWithHome | undefined {
  for (const home of Object.values(state.directory)) {
    const user = home.users[userId];
    if (user) return { user, home };
  }
  return undefined;
}

/** A scope value split into the resource it targets and the permission it names. */
export interface ParsedScope {
  resource: FirstPartyApp;
  /** `.default`, or a delegated permission / app role value such as `User.Read`. */
  permission: string;
}

/** Resources also known by another identifier (ARM's classic audience). */
const RESOURCE_ALIASES: Record<string, string> = {
  "https://management.core.windows.net": "https://management.azure.com",
};

function trimSlashes(uri: string): string {
  return uri.replace(/\/+$/, "").toLowerCase();
}

/**
 * Parses one scope token: `https://graph.microsoft.com/User.Read`, `https://management.azure.com//.default`,
 * `{appId}/.default`, or a bare Graph permission (`User.Read`: Entra assumes Microsoft Graph).
 * `undefined` when the resource is not one the emulator serves.
 */
export function parseResourceScope(scope: string): ParsedScope | undefined {
  const slash = scope.lastIndexOf("/");
  if (slash < 0) {
    const graph = FIRST_PARTY_APPS.find((a) => a.appId === "00000003-0000-0000-c000-000000000000");
    return graph ? { resource: graph, permission: scope } : undefined;
  }
  const permission = scope.slice(slash + 1);
  let resourceId = trimSlashes(scope.slice(0, slash));
  resourceId = RESOURCE_ALIASES[resourceId] ?? resourceId;
  const resource = FIRST_PARTY_APPS.find(
    (a) => a.appId.toLowerCase() === resourceId || trimSlashes(a.resourceUri) === resourceId,
  );
  return resource && permission ? { resource, permission } : undefined;
}

/** OpenID Connect scopes, which name no resource. */
export const OIDC_SCOPES = new Set(["openid", "profile", "email", "offline_access"]);
