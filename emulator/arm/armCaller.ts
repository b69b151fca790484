import type { AzureSubscriptionRecord } from "../common/state";
import type { AccessTokenClaims, EmulatorCore, EmuRequest } from "../common/types";
import { ARM_APP_ID } from "../graph/firstParty";
import { settleCancellation } from "../partnerCenter/azurePlans";
import { armErrors } from "./armErrors";
import { findBuiltInRole, OWNER_ROLE_ID, roleAllows } from "./builtInRoles";

/** The verified caller of an ARM request. */
export interface ArmCaller {
  claims: AccessTokenClaims;
  /** Display form used in AuthorizationFailed messages (`upn`, or the object id). */
  name: string;
}

const ARM_AUDIENCES = new Set([
  "https://management.azure.com/",
  "https://management.azure.com",
  "https://management.core.windows.net/",
  "https://management.core.windows.net",
  ARM_APP_ID,
]);

/** Verifies the bearer token (401 `AuthenticationFailed` / `InvalidAuthenticationToken*` as ARM answers). */
export function requireArmCaller(req: EmuRequest): ArmCaller {
  if (!req.auth) {
    if (req.authError) {
      throw /expired/i.test(req.authError) ? armErrors.tokenExpired() : armErrors.tokenInvalid(req.authError);
    }
    throw armErrors.tokenMissing();
  }
  if (!ARM_AUDIENCES.has(req.auth.aud)) throw armErrors.wrongAudience(req.auth.aud);
  return { claims: req.auth, name: req.auth.upn ?? req.auth.oid };
}

/** The partner tenant id in an `idp` claim (`https://sts.windows.net/{tid}/`), if any. */
function idpTenant(claims: AccessTokenClaims): string | undefined {
  const m = /sts\.windows\.net\/([0-9a-f-]{36})\/?$/i.exec(claims.idp ?? "");
  return m ? m[1].toLowerCase() : undefined;
}

/**
 * The subscription addressed by a request, checked against the token: 404 `SubscriptionNotFound`
 * when unknown (or deleted); 401 `InvalidAuthenticationTokenTenant` when the token was issued for
 * another tenant than the one the subscription belongs to (the customer tenant for CSP).
 */
export function subscriptionFor(
  emu: EmulatorCore,
  caller: ArmCaller,
  subscriptionId: string,
): AzureSubscriptionRecord {
  const found = emu.state.azure.subscriptions[subscriptionId.toLowerCase()];
  const sub = found ? settleCancellation(found, emu.now()) : undefined;
  if (!sub || sub.state === "Deleted") {
    throw armErrors.subscriptionNotFound(subscriptionId);
  }
  if (caller.claims.tid.toLowerCase() !== sub.tenantId.toLowerCase()) {
    throw armErrors.wrongTenant(caller.claims.tid, sub.tenantId);
  }
  return sub;
}

/**
 * Whether the caller is one of the partner's admin agents acting admin-on-behalf-of in the
 * customer tenant of a subscription bought through that partner (they hold Owner there).
 */
export function isAdminOnBehalfOf(
  emu: EmulatorCore,
  caller: ArmCaller,
  sub: AzureSubscriptionRecord,
): boolean {
  const partnerTid = idpTenant(caller.claims);
  if (caller.claims.idtyp !== "user" || !partnerTid || partnerTid !== sub.partnerTenantId.toLowerCase())
    return false;
  const partner = emu.state.directory[partnerTid];
  const user = partner?.users[caller.claims.oid];
  if (user?.state !== "active") return false;
  if (user.adminAgent) return true;
  return Object.values(partner.groups).some(
    (g) => g.displayName === "AdminAgents" && g.memberIds.includes(user.id),
  );
}

/**
 * Refuses a write (PUT, PATCH) or an action (POST) in a disabled subscription: "Azure subscription
 * states" (https://learn.microsoft.com/azure/cost-management-billing/manage/subscription-states)
 * leaves only GET and DELETE to a `Disabled` subscription; `Warned` and `PastDue` allow everything.
 * [U] code and text: 409 `ReadOnlyDisabledSubscription`, as ARM is commonly seen to answer.
 */
export function requireWritable(sub: AzureSubscriptionRecord): void {
  if (sub.state === "Enabled" || sub.state === "Warned" || sub.state === "PastDue") return;
  throw armErrors.subscriptionReadOnly(sub.subscriptionId);
}

/** Whether `scope` equals `ancestor` or lies below it (case-insensitive, by path segment). */
export function scopeWithin(scope: string, ancestor: string): boolean {
  const s = scope.toLowerCase().replace(/\/+$/, "");
  const a = ancestor.toLowerCase().replace(/\/+$/, "");
  return s === a || s.startsWith(`${a}/`);
}

/** Role definition ids the caller holds at `scope` (assignments at or above it, directly or through groups). */
export function effectiveRoleIds(
  emu: EmulatorCore,
  caller: ArmCaller,
  sub: AzureSubscriptionRecord,
  scope: string,
): Set<string> {
  const roles = new Set<string>();
  if (isAdminOnBehalfOf(emu, caller, sub)) roles.add(OWNER_ROLE_ID);
  const tenant = emu.state.directory[sub.tenantId];
  const principals = new Set<string>([caller.claims.oid]);
  if (tenant) {
    for (const g of Object.values(tenant.groups))
      if (g.memberIds.includes(caller.claims.oid)) principals.add(g.id);
  }
  for (const a of Object.values(emu.state.azure.roleAssignments)) {
    if (principals.has(a.principalId) && scopeWithin(scope, a.scope))
      roles.add(a.roleDefinitionId.toLowerCase());
  }
  return roles;
}

/**
 * Requires that the caller may perform `action` at `scope` of `sub`; otherwise 403
 * `AuthorizationFailed` with ARM's message (shape as quoted in "Troubleshoot Azure RBAC",
 * https://learn.microsoft.com/azure/role-based-access-control/troubleshooting; [U] exact text and
 * code).
 */
export function requireAction(
  emu: EmulatorCore,
  caller: ArmCaller,
  sub: AzureSubscriptionRecord,
  scope: string,
  action: string,
): void {
  for (const id of effectiveRoleIds(emu, caller, sub, scope)) {
    const role = findBuiltInRole(id);
    if (role && roleAllows(role, action)) return;
  }
  throw armErrors.authorizationFailed(caller.name, caller.claims.oid, action, scope);
}

/**
 * Requires a partner admin agent in its own partner tenant (billing accounts, aliases): an
 * app+user token of an admin agent whose `tid` is a partner with a Partner Center account.
 */
export function requirePartnerAdminAgent(
  emu: EmulatorCore,
  caller: ArmCaller,
  action: string,
  scope: string,
): string {
  const tid = caller.claims.tid.toLowerCase();
  const partner = emu.state.partnerCenter.partners[tid];
  const user = emu.state.directory[tid]?.users[caller.claims.oid];
  if (!partner || caller.claims.idtyp !== "user" || !user?.adminAgent) {
    throw armErrors.authorizationFailed(caller.name, caller.claims.oid, action, scope);
  }
  return tid;
}
