import { isObject } from "../common/json";
import type { TokenSigner } from "../common/tokenSigner";
import type { EmulatorCore, EmuRequest } from "../common/types";
import type { FirstPartyApp } from "../graph/firstParty";
import { OIDC_SCOPES, parseResourceScope, type TenantRef } from "./directoryLookup";
import { loginErrors } from "./loginErrors";

/** The token endpoint's request parsing: the form and the `scope` parameter. */
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

export function isForm(body: unknown): body is Form {
  return isObject(body);
}

/** The `scope` parameter parsed; AADSTS70011 or 28000 when it names no served resource or several. */
export function parseScopes(scope: string): ScopeRequest {
  const result: ScopeRequest = { oidc: [], permissions: [] };
  for (const token of scope.split(/\s+/).filter((s) => s.length > 0)) {
    if (OIDC_SCOPES.has(token.toLowerCase())) {
      result.oidc.push(token.toLowerCase());
      continue;
    }
    const parsed = parseResourceScope(token);
    if (!parsed) throw loginErrors.invalidScope(scope);
    if (result.resource && result.resource !== parsed.resource) {
      throw loginErrors.scopeOfSeveralResources(scope);
    }
    result.resource = parsed.resource;
    result.permissions.push(parsed.permission);
  }
  return result;
}
