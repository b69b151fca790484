/**
 * The one request/response contract between API clients and the HTTP core.
 * Implemented by `pipeline.ts`; used by `provider/clients/*`.
 */

export type Service = "partnerCenter" | "graph" | "arm" | "identity";

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Which identity a call runs as.
 * - `app`: client credentials of the partner app in `tenantId` (the partner tenant, or a
 *   customer tenant after the app was consented there).
 * - `user`: app+user through the Secure Application Model (the admin agent's refresh token),
 *   token issued for `tenantId` (partner tenant by default; a customer tenant for
 *   admin-on-behalf-of calls to ARM/Graph).
 */
export interface AuthTarget {
  mode: "app" | "user";
  /** Tenant that issues the token; defaults to the partner tenant of the account. */
  tenantId?: string;
}

export interface ApiRequest {
  method: HttpMethod;
  /** Path relative to the service base URL (e.g. `/v1/customers`), or an absolute URL (paging links). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** JSON body (serialised by the pipeline). */
  body?: unknown;
  /** Defaults to `{ mode: "app" }`. */
  auth?: AuthTarget;
  /**
   * Idempotency key of a non-idempotent call, a GUID. For Partner Center it is sent as
   * `MS-RequestId` and reused on every retry of this logical request (the documented use, "Partner
   * Center REST and response headers"); only requests with a key (or idempotent methods) are
   * retried after a lost response.
   */
  idempotencyKey?: string;
  /** Marks a POST/PATCH as safe to repeat (e.g. a Graph action that is idempotent by design). */
  idempotent?: boolean;
  /** Statuses returned as a response instead of thrown (e.g. 404 for a lookup). */
  okStatuses?: number[];
  signal?: AbortSignal;
  /** Per-attempt timeout in ms (defaults from config). */
  timeoutMs?: number;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON body, or `undefined` for an empty body. */
  body: T;
  /** The service's request id for this exchange (MS-RequestId / request-id / x-ms-request-id). */
  requestId?: string;
}

export interface ServiceClient {
  readonly service: Service;
  /** Base URL of the service, no trailing slash. */
  readonly baseUrl: string;
  send<T = unknown>(request: ApiRequest): Promise<ApiResponse<T>>;
}
