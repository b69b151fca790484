import type { PartnerRecord } from "../common/state";
import type { AccessTokenClaims, EmulatorCore, EmuRequest } from "../common/types";
import { pcErrors } from "./pcErrors";

/**
 * Which identities an operation accepts (each article's Prerequisites, see "Partner Center
 * authentication",
 * https://learn.microsoft.com/partner-center/developer/partner-center-authentication).
 */
export type AuthRequirement = "appOrUser" | "appUser";

/** The verified caller of a Partner Center request. */
export interface PcCaller {
  partner: PartnerRecord;
  partnerTenantId: string;
  /** Client id of the calling application. */
  appId: string;
  kind: "app" | "user";
  /** Object id of the signed-in user (App+User) or of the app's service principal (App-only). */
  objectId: string;
  claims: AccessTokenClaims;
}

/** Audiences of Partner Center tokens: the resource URI (with or without slash) or its app id. */
const PC_AUDIENCES = new Set([
  "https://api.partnercenter.microsoft.com",
  "https://api.partnercenter.microsoft.com/",
  "fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd",
]);

/**
 * App-only tokens may also carry the Azure AD Graph audience: the Partner Center docs still show
 * app-only sign-in with `resource=https://graph.windows.net` ("Partner Center authentication",
 * https://learn.microsoft.com/partner-center/developer/partner-center-authentication), so both are
 * accepted.
 */
const AAD_GRAPH_AUDIENCES = new Set([
  "https://graph.windows.net",
  "https://graph.windows.net/",
  "00000002-0000-0000-c000-000000000000",
]);

/**
 * Verifies who calls: a valid token for Partner Center, issued in (or, for a partner user acting
 * elsewhere, by `idp`) a partner tenant; App+User-only operations refuse App-only tokens with
 * 403 / 900329 (documented code); App+User tokens must carry MFA (enforced from 2026-04-01) and
 * belong to an admin agent of the partner.
 */
export function authorizeCaller(req: EmuRequest, emu: EmulatorCore, requirement: AuthRequirement): PcCaller {
  if (!req.auth) {
    if (req.authError) throw pcErrors.accessDenied(req.authError);
    throw pcErrors.tokenMissing();
  }
  const claims = req.auth;
  const kind = claims.idtyp === "user" ? "user" : "app";
  const audienceOk = PC_AUDIENCES.has(claims.aud) || (kind === "app" && AAD_GRAPH_AUDIENCES.has(claims.aud));
  if (!audienceOk) {
    throw pcErrors.accessDenied(
      `the token audience ${claims.aud} is not Partner Center (expected https://api.partnercenter.microsoft.com).`,
    );
  }
  const partners = emu.state.partnerCenter.partners;
  let partnerTenantId = claims.tid.toLowerCase();
  let partner = partners[partnerTenantId];
  if (!partner && claims.idp) {
    const m = /^https:\/\/sts\.windows\.net\/([0-9a-f-]{36})\/?$/i.exec(claims.idp);
    if (m) {
      partnerTenantId = m[1].toLowerCase();
      partner = partners[partnerTenantId];
    }
  }
  if (!partner) throw pcErrors.notAPartner(claims.tid);
  if (kind === "app") {
    if (requirement === "appUser") throw pcErrors.appOnlyNotSupported();
  } else {
    if (!(claims.amr ?? []).includes("mfa")) throw pcErrors.mfaRequired();
    if (!isAdminAgent(emu, partnerTenantId, claims.oid)) throw pcErrors.insufficientPrivileges();
  }
  return { partner, partnerTenantId, appId: claims.appid, kind, objectId: claims.oid, claims };
}

/** Admin agents: users flagged `adminAgent`, or members of the partner's `AdminAgents` group. */
function isAdminAgent(emu: EmulatorCore, partnerTenantId: string, userId: string): boolean {
  const tenant = emu.state.directory[partnerTenantId];
  if (!tenant) return false;
  const user = tenant.users[userId];
  if (user?.state !== "active") return false;
  if (user.adminAgent) return true;
  return Object.values(tenant.groups).some(
    (g) => g.displayName.toLowerCase() === "adminagents" && g.memberIds.includes(userId),
  );
}
