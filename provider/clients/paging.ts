import { CspError } from "../errors";
import type { ApiRequest, ServiceClient } from "../http/types";

/** Options of the list helpers. */
export interface ListOptions {
  /** Stop with an error after this many pages (default 1000): a service that loops must not hang a deployment. */
  maxPages?: number;
}

interface PartnerCenterLink {
  uri?: string;
  method?: string;
  headers?: { key?: string; value?: string }[];
}

interface PartnerCenterCollection<T> {
  items?: T[];
  continuationToken?: string;
  links?: { next?: PartnerCenterLink };
}

const CONTINUATION_HEADER = "MS-ContinuationToken";

/**
 * All items of a Partner Center collection (`{totalCount, items, links, continuationToken?}`).
 * The next page is requested from `links.next.uri` (relative, with or without `/v1`) with the
 * headers it lists (`MS-ContinuationToken`); when only a top-level `continuationToken` is given,
 * the original request is repeated with `seekOperation=Next` and that token in
 * `MS-ContinuationToken` (the .NET SDK's behaviour: `CustomerCollectionOperations.QueryAsync` in
 * microsoft/partner-center-sdk-for-dotNET; no Learn page shows a customer-list `next` link [U]).
 */
export async function listPartnerCenter<T>(
  client: ServiceClient,
  request: ApiRequest,
  options: ListOptions = {},
): Promise<T[]> {
  return collectPages<T, PartnerCenterCollection<T>>(client, request, options, (body) => {
    const items = body?.items ?? [];
    const link = body?.links?.next;
    if (link?.uri) {
      const headers: Record<string, string> = { ...(request.headers ?? {}) };
      for (const h of link.headers ?? []) if (h.key && h.value !== undefined) headers[h.key] = h.value;
      const token = headerValue(headers, CONTINUATION_HEADER) ?? body?.continuationToken;
      if (token !== undefined && headerValue(headers, CONTINUATION_HEADER) === undefined) {
        headers[CONTINUATION_HEADER] = token;
      }
      return {
        items,
        next: {
          key: `${link.uri}|${token ?? ""}`,
          request: { ...baseOf(request), method: "GET", path: partnerCenterPath(link.uri), headers },
        },
      };
    }
    if (body?.continuationToken) {
      return {
        items,
        next: {
          key: body.continuationToken,
          request: {
            ...baseOf(request),
            method: request.method,
            path: request.path,
            query: { ...(request.query ?? {}), seekOperation: "Next" },
            headers: { ...(request.headers ?? {}), [CONTINUATION_HEADER]: body.continuationToken },
          },
        },
      };
    }
    return { items };
  });
}

/** All items of a Microsoft Graph collection, following `@odata.nextLink` verbatim until absent. */
export async function listGraph<T>(
  client: ServiceClient,
  request: ApiRequest,
  options: ListOptions = {},
): Promise<T[]> {
  return listByNextLink<T>(client, request, "@odata.nextLink", options);
}

/** All items of an ARM collection (`{value, nextLink}`), following `nextLink` until absent. */
export async function listArm<T>(
  client: ServiceClient,
  request: ApiRequest,
  options: ListOptions = {},
): Promise<T[]> {
  return listByNextLink<T>(client, request, "nextLink", options);
}

async function listByNextLink<T>(
  client: ServiceClient,
  request: ApiRequest,
  linkField: string,
  options: ListOptions,
): Promise<T[]> {
  return collectPages<T, Record<string, unknown>>(client, request, options, (body) => {
    const value = body?.["value"];
    const items = Array.isArray(value) ? (value as T[]) : [];
    const link = body?.[linkField];
    if (typeof link !== "string" || link === "") return { items };
    // The link carries every query parameter (skip tokens, api-version): send it as it is.
    return {
      items,
      next: {
        key: link,
        request: {
          ...baseOf(request),
          method: "GET",
          path: link,
          ...(request.headers ? { headers: request.headers } : {}),
        },
      },
    };
  });
}

/** One page read: its items and, when there is a next page, its request and the key that names it. */
interface Page<T> {
  items: T[];
  next?: { key: string; request: ApiRequest };
}

/**
 * The pages of a collection from `request` on, each read by `pageOf`, their items in order; stops
 * with an error after `maxPages` pages or when a next page's key comes again (a service looping).
 */
async function collectPages<T, B>(
  client: ServiceClient,
  request: ApiRequest,
  options: ListOptions,
  pageOf: (body: B | undefined) => Page<T>,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let next: ApiRequest | undefined = request;
  for (let page = 0; next; page++) {
    guardPages(client, page, options);
    const response: { body: B | undefined } = await client.send<B>(next);
    const read = pageOf(response.body);
    items.push(...read.items);
    next = undefined;
    if (read.next) {
      guardLoop(client, seen, read.next.key);
      next = read.next.request;
    }
  }
  return items;
}

/** What a follow-up page request keeps from the first one: identity, cancellation, timeout. */
function baseOf(request: ApiRequest): Omit<ApiRequest, "method" | "path"> {
  const base: Omit<ApiRequest, "method" | "path"> = {};
  if (request.auth) base.auth = request.auth;
  if (request.signal) base.signal = request.signal;
  if (request.timeoutMs !== undefined) base.timeoutMs = request.timeoutMs;
  return base;
}

/**
 * Partner Center links are relative and mostly omit `/v1` (the `Link` type: "Utility resources",
 * https://learn.microsoft.com/partner-center/developer/utility-resources; relative URIs in the
 * response examples, e.g. "Get a customer by ID",
 * https://learn.microsoft.com/partner-center/developer/get-a-customer-by-id): `/customers?…` →
 * `/v1/customers?…`.
 */
function partnerCenterPath(uri: string): string {
  if (/^https?:\/\//i.test(uri)) return uri;
  const path = uri.startsWith("/") ? uri : `/${uri}`;
  return /^\/v1(\/|\?|$)/i.test(path) ? path : `/v1${path}`;
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function guardPages(client: ServiceClient, page: number, options: ListOptions): void {
  const max = options.maxPages ?? 1000;
  if (page >= max) {
    throw new CspError({
      code: "CSP_API_ERROR",
      service: client.service,
      summary: `listing stopped after ${max} pages`,
      hint: "narrow the query (filter) or raise maxPages",
    });
  }
}

function guardLoop(client: ServiceClient, seen: Set<string>, key: string): void {
  if (seen.has(key)) {
    throw new CspError({
      code: "CSP_API_ERROR",
      service: client.service,
      summary: "the service returned the same continuation twice; listing stopped to avoid a loop",
      hint: "run the operation again; report it if it persists",
    });
  }
  seen.add(key);
}
