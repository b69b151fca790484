import type { EmulatorState } from "./state";

/**
 * Contract between the emulator's server (common/) and its API modules
 * (login/, partnerCenter/, graph/, arm/). A module is a list of routes; the server parses the
 * request, verifies the bearer token, applies faults and latency, dispatches, logs, and persists
 * the state after any request that changed it.
 */

export type EmulatedService = "identity" | "partnerCenter" | "graph" | "arm" | "admin";

/** Claims of a verified access token (JWT signed by the emulator's key). */
export interface AccessTokenClaims {
  iss: string;
  /** Audience: `https://api.partnercenter.microsoft.com`, `https://graph.microsoft.com`, `https://management.azure.com/`, ... */
  aud: string;
  /** Tenant the token was issued for. */
  tid: string;
  /** Client (application) id that got the token. */
  appid: string;
  /** `app` for client credentials, `user` for delegated (app+user) tokens. */
  idtyp: "app" | "user";
  /** Object id of the user (delegated) or of the app's service principal in `tid` (app-only). */
  oid: string;
  /** Delegated scopes, space separated (user tokens). */
  scp?: string;
  /** Application permissions (app tokens). */
  roles?: string[];
  /** Authentication methods; contains `mfa` when the sign-in carried MFA (user tokens). */
  amr?: string[];
  upn?: string;
  /** For a partner user acting in a customer tenant (admin-on-behalf-of): `https://sts.windows.net/{partnerTenantId}/`. */
  idp?: string;
  iat: number;
  nbf: number;
  exp: number;
}

export interface EmuRequest {
  service: EmulatedService;
  method: string;
  /** Path within the service, without the routing prefix and query (e.g. `/v1/customers/abc`), percent-decoded per segment. */
  path: string;
  /** Route parameters from the matched pattern. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON body, or the form fields (`application/x-www-form-urlencoded`) as a record; `undefined` when empty. */
  body: unknown;
  rawBody: Buffer;
  /** Verified bearer token, when one was sent and is valid. */
  auth?: AccessTokenClaims;
  /** Why a bearer token that was sent is not valid (expired, bad signature, malformed). */
  authError?: string;
  /** Id of this exchange (echoed in the service's request-id response header). */
  requestId: string;
  /** External base URL of this service as the client addressed it (for `@odata.nextLink`, `Location`, links). */
  baseUrl: string;
}

export interface EmuResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON body (serialised by the server), unless `rawBody` is given. */
  body?: unknown;
  rawBody?: string | Buffer;
}

export interface Route {
  method: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Pattern like `/v1/customers/:customerId/users/:userId`; `*rest` as the last segment captures the remainder. */
  path: string;
  handler: (req: EmuRequest, emu: EmulatorCore) => EmuResponse | Promise<EmuResponse>;
}

export interface ServiceModule {
  service: EmulatedService;
  /** Partner Center treats path segments case-insensitively. */
  caseInsensitivePaths?: boolean;
  routes: Route[];
  /** Error body in this service's wire format for a status the server produces (404 no route, 501, 401). */
  errorResponse(status: number, code: string, message: string, req: EmuRequest): EmuResponse;
}

/** What a route handler can use. */
export interface EmulatorCore {
  state: EmulatorState;
  /** Current time (tests may move it forward through the admin API). */
  now(): Date;
  newId(): string;
  /** Marks the state as changed: the server persists it (atomically, when file-backed) before responding. */
  markDirty(): void;
  /** Signs an access token (identity module; also used by the admin API and tests). */
  signToken(claims: Omit<AccessTokenClaims, "iss" | "iat" | "nbf" | "exp">, lifetimeSeconds?: number): string;
  /** Base URL of a service as reachable by clients of this emulator instance (path-prefix form). */
  serviceUrl(service: EmulatedService): string;
}
