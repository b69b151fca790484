import type { TokenSigner } from "../common/tokenSigner";
import type { EmulatorCore, EmuRequest, EmuResponse } from "../common/types";
import type { FirstPartyApp } from "../graph/firstParty";
import { aadError } from "./aadError";
import { OIDC_SCOPES, parseResourceScope, type TenantRef } from "./directoryLookup";

/** The token endpoint's request parsing: form and scope parsing, and the AADSTS errors for bad requests. */
export type Form = Record<string, string | undefined>;

export interface TokenContext {
  req: EmuRequest;
  emu: EmulatorCore;
  signer: TokenSigner;
  form: Form;
  now: Date;
  clientId: string;
  tenantRef: TenantRef;
}

/** Parsed `scope` parameter: OIDC scopes, the one resource, and the permissions asked of it. */
export interface ScopeRequest {
  oidc: string[];
  resource?: FirstPartyApp;
  permissions: string[];
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: EmuResponse };

export function isForm(body: unknown): body is Form {
  return typeof body === "object" && body !== null && !Array.isArray(body);
}

export function missing(ctx: Pick<TokenContext, "req" | "now">, parameter: string): EmuResponse {
  return aadError(
    ctx.req,
    ctx.now,
    "invalid_request",
    900144,
    `The request body must contain the following parameter: '${parameter}'.`,
  );
}

export function invalidScope(ctx: TokenContext, scope: string): EmuResponse {
  return aadError(
    ctx.req,
    ctx.now,
    "invalid_scope",
    70011,
    `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
  );
}

export function parseScopes(ctx: TokenContext, scope: string): Parsed<ScopeRequest> {
  const result: ScopeRequest = { oidc: [], permissions: [] };
  for (const token of scope.split(/\s+/).filter((s) => s.length > 0)) {
    if (OIDC_SCOPES.has(token.toLowerCase())) {
      result.oidc.push(token.toLowerCase());
      continue;
    }
    const parsed = parseResourceScope(token);
    if (!parsed) return { ok: false, response: invalidScope(ctx, scope) };
    if (result.resource && result.resource !== parsed.resource) {
      return {
        ok: false,
        response: aadError(
          ctx.req,
          ctx.now,
          "invalid_scope",
          28000,
          `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
        ),
      };
    }
    result.resource = parsed.resource;
    result.permissions.push(parsed.permission);
  }
  return { ok: true, value: result };
}

export function appNotFound(ctx: TokenContext, tenantName: string): EmuResponse {
  return aadError(
    ctx.req,
    ctx.now,
    "unauthorized_client",
    700016,
    `Application with identifier '${ctx.clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  );
}

export function unknownTenant(req: EmuRequest, now: Date, name: string): EmuResponse {
  return aadError(
    req,
    now,
    "invalid_request",
    90002,
    `Tenant '${name}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  );
}
