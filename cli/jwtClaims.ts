/** The claims of a JWT access or id token that the CLI looks at. */
export interface TokenClaims {
  /** Authentication methods of the sign-in; contains `mfa` when multi-factor authentication was done. */
  amr?: string[];
  exp?: number;
  tid?: string;
  oid?: string;
  upn?: string;
  preferred_username?: string;
  unique_name?: string;
  aud?: string;
  scp?: string;
  roles?: string[];
  idtyp?: string;
}

/**
 * Decodes the payload of a JWT without verifying it. Only for diagnostics about a token this
 * process just received from the token endpoint over TLS (is MFA in `amr`, when does it expire),
 * never for authorisation decisions. `undefined` for an opaque (non-JWT) token.
 */
export function decodeJwtClaims(token: string | undefined): TokenClaims | undefined {
  if (!token) return undefined;
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const json: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return typeof json === "object" && json !== null && !Array.isArray(json)
      ? (json as TokenClaims)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the sign-in behind the claims carried multi-factor authentication. */
export function hasMfa(...claimSets: (TokenClaims | undefined)[]): boolean {
  return claimSets.some((c) => Array.isArray(c?.amr) && c.amr.includes("mfa"));
}

/** A display name for the signed-in user (UPN), if the claims carry one. */
export function userName(...claimSets: (TokenClaims | undefined)[]): string | undefined {
  for (const c of claimSets) {
    const name = c?.upn ?? c?.preferred_username ?? c?.unique_name;
    if (name) return name;
  }
  return undefined;
}
