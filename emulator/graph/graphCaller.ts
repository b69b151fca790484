import type { DirectoryTenant } from "../common/state";
import type { AccessTokenClaims, EmulatorCore, EmuRequest } from "../common/types";
import { GRAPH_APP_ID } from "./firstParty";
import { graphErrors } from "./graphErrors";

/** The verified caller of a Graph request and the tenant it acts in (the token's `tid`). */
export interface GraphCaller {
  claims: AccessTokenClaims;
  tenant: DirectoryTenant;
  appOnly: boolean;
  /** Application permissions (app-only) or delegated scopes (app+user) of the token. */
  permissions: Set<string>;
}

/** A permission requirement: any one of the listed application permissions or delegated scopes. */
interface PermissionRule {
  appRoles: string[];
  scopes: string[];
}

const GRAPH_AUDIENCES = new Set([
  "https://graph.microsoft.com",
  "https://graph.microsoft.com/",
  GRAPH_APP_ID,
  "https://graph.microsoft.us",
]);

/**
 * Verifies that the request carries a valid Graph token for an existing tenant. Graph answers
 * 401 `InvalidAuthenticationToken` for a missing, expired, malformed or wrong-audience token.
 */
function requireCaller(req: EmuRequest, emu: EmulatorCore): GraphCaller {
  if (!req.auth) {
    if (req.authError) throw graphErrors.tokenInvalid(req.authError);
    throw graphErrors.tokenInvalid("Access token is empty.");
  }
  const claims = req.auth;
  if (!GRAPH_AUDIENCES.has(claims.aud)) {
    throw graphErrors.tokenInvalid("Access token validation failure. Invalid audience.");
  }
  const tenant = emu.state.directory[claims.tid];
  if (!tenant) {
    throw graphErrors.tokenInvalid(`Access token tenant '${claims.tid}' is unknown.`);
  }
  const appOnly = claims.idtyp === "app";
  const permissions = new Set<string>(
    appOnly ? (claims.roles ?? []) : (claims.scp ?? "").split(" ").filter((s) => s.length > 0),
  );
  return { claims, tenant, appOnly, permissions };
}

/**
 * Enforces a permission rule: app-only tokens need one of `appRoles` in `roles`, app+user tokens
 * one of `scopes` in `scp` (a `.default` request yields the consented scopes in `scp`). Otherwise
 * 403 `Authorization_RequestDenied`
 * "Insufficient privileges to complete the operation." (code observed on live directory calls; [U]
 * not listed in "Microsoft Graph error responses and resource types",
 * https://learn.microsoft.com/graph/errors).
 */
function requirePermission(caller: GraphCaller, rule: PermissionRule): void {
  const wanted = caller.appOnly ? rule.appRoles : rule.scopes;
  for (const p of wanted) if (caller.permissions.has(p)) return;
  throw graphErrors.insufficientPrivileges();
}

/** Shorthand: verify the token and the permission in one step. */
export function authorize(req: EmuRequest, emu: EmulatorCore, rule: PermissionRule): GraphCaller {
  const caller = requireCaller(req, emu);
  requirePermission(caller, rule);
  return caller;
}

/**
 * A directory rule: the application permissions `appRoles`, and as delegated scopes the same
 * permissions plus `Directory.AccessAsUser.All` (delegated only: "Microsoft Graph permissions
 * reference", https://learn.microsoft.com/graph/permissions-reference).
 */
function directoryRule(...appRoles: string[]): PermissionRule {
  return { appRoles, scopes: [...appRoles, "Directory.AccessAsUser.All"] };
}

/** Permission rules per directory object family (Graph permissions reference, least → most privileged). */
const PERMISSIONS = {
  applicationsRead: directoryRule(
    "Application.Read.All",
    "Application.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
  ),
  // Application.ReadWrite.OwnedBy is not accepted: the emulator does not track application owners.
  applicationsWrite: directoryRule("Application.ReadWrite.All"),
  servicePrincipalsWrite: directoryRule("Application.ReadWrite.All", "Directory.ReadWrite.All"),
  usersRead: directoryRule(
    "User.Read.All",
    "User.ReadBasic.All",
    "User.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
  ),
  usersWrite: directoryRule("User.ReadWrite.All", "Directory.ReadWrite.All"),
  groupsRead: directoryRule(
    "Group.Read.All",
    "Group.ReadWrite.All",
    "GroupMember.Read.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
  ),
  groupsWrite: directoryRule("Group.ReadWrite.All", "GroupMember.ReadWrite.All", "Directory.ReadWrite.All"),
  grantsRead: directoryRule(
    "DelegatedPermissionGrant.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
  ),
  grantsWrite: directoryRule("DelegatedPermissionGrant.ReadWrite.All", "Directory.ReadWrite.All"),
  appRoleAssignmentsRead: directoryRule(
    "AppRoleAssignment.ReadWrite.All",
    "Application.Read.All",
    "Application.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
  ),
  appRoleAssignmentsWrite: directoryRule("AppRoleAssignment.ReadWrite.All", "Directory.ReadWrite.All"),
  gdapRead: {
    appRoles: ["DelegatedAdminRelationship.Read.All", "DelegatedAdminRelationship.ReadWrite.All"],
    scopes: ["DelegatedAdminRelationship.Read.All", "DelegatedAdminRelationship.ReadWrite.All"],
  },
  // Writes: delegated only. [U] The current "Create delegatedAdminRelationship" page also lists the
  // application permission (given the Partner Customer Delegated Administration service principal);
  // earlier text did not. Chosen (team contract): app-only writes are refused.
  gdapWrite: {
    appRoles: [],
    scopes: ["DelegatedAdminRelationship.ReadWrite.All"],
  },
} satisfies Record<string, PermissionRule>;

/**
 * Verifies a GDAP caller: a Graph token of a partner tenant with a GDAP permission. Writes need an
 * app+user token with `DelegatedAdminRelationship.ReadWrite.All` of an admin agent. [U] Earlier
 * text of "Create delegatedAdminRelationship"
 * (https://learn.microsoft.com/graph/api/tenantrelationship-post-delegatedadminrelationships) did
 * not support the application permission; the current page lists it, given the Partner Customer
 * Delegated Administration service principal. Chosen (team contract): app-only writes are refused.
 */
function gdapCaller(req: EmuRequest, emu: EmulatorCore, write: boolean): GraphCaller {
  const caller = requireCaller(req, emu);
  requirePermission(caller, write ? PERMISSIONS.gdapWrite : PERMISSIONS.gdapRead);
  const tid = caller.tenant.id;
  const isPartner = caller.tenant.kind === "partner" || emu.state.partnerCenter.partners[tid] !== undefined;
  if (!isPartner) {
    throw graphErrors.notAPartnerTenant();
  }
  if (write) {
    const user = caller.tenant.users[caller.claims.oid];
    if (!user?.adminAgent) {
      throw graphErrors.notAnAdminAgent();
    }
  }
  return caller;
}

/**
 * What a Graph route declares it needs: a permission rule of {@link PERMISSIONS} (the token and
 * one of its permissions), where the GDAP rules also need a partner tenant, and for writes one of
 * its admin agents.
 */
export type GraphAuth = keyof typeof PERMISSIONS;

/** Verifies the caller a route declares. */
export function callerFor(req: EmuRequest, emu: EmulatorCore, auth: GraphAuth): GraphCaller {
  if (auth === "gdapRead" || auth === "gdapWrite") return gdapCaller(req, emu, auth === "gdapWrite");
  return authorize(req, emu, PERMISSIONS[auth]);
}
