import type { EmuRequest } from "../common/types";
import { pcErrors } from "./pcErrors";
import { type Link, link } from "./resourceLinks";

/**
 * Partner Center collections (`ResourceLinks`: "Utility resources",
 * https://learn.microsoft.com/partner-center/developer/utility-resources; continuation as the .NET
 * SDK's `CustomerCollectionOperations` does it, no Learn page shows a customer-list `next` link
 * [U]):
 * `{ totalCount, items, links: { self, next? }, continuationToken?, attributes: { objectType: "Collection" } }`.
 *
 * Paging is seek based: the next page is the same path with `seekOperation=Next` and the token in
 * the `MS-ContinuationToken` header; the token is given both in `links.next.headers` and as the
 * top-level `continuationToken` (what the .NET SDK reads). The exact payload for customers and
 * users is [U]: it follows the published invoice line-item example.
 */
export interface Collection<T> {
  totalCount: number;
  items: T[];
  links?: { self: Link; next?: Link };
  continuationToken?: string;
  attributes: { objectType: "Collection" };
}

/** A one-page collection (no paging). */
export function collection<T>(items: T[], self?: string): Collection<T> {
  if (self === undefined)
    return { totalCount: items.length, items, attributes: { objectType: "Collection" } };
  // The published key order: totalCount, items, links, attributes.
  return {
    totalCount: items.length,
    items,
    links: { self: link(self) },
    attributes: { objectType: "Collection" },
  };
}

/** A query parameter, name matched case-insensitively (the service binds them that way). */
export function queryParam(req: EmuRequest, name: string): string | undefined {
  const direct = req.query.get(name);
  if (direct !== null) return direct;
  const wanted = name.toLowerCase();
  for (const [k, v] of req.query) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

interface PageToken {
  /** Offset of the next item. */
  o: number;
  /** The query the token belongs to. */
  q: string;
}

/**
 * One page of `all` for a request with `size` and, for the following pages, `seekOperation=Next`
 * plus the `MS-ContinuationToken` header.
 *
 * @param path the `/v1/...` path of the collection, for `links.self` / `links.next`
 * @param queryKey identifies the query (e.g. the filter), so a token is not replayed on another query
 */
export function pageOf<T>(
  req: EmuRequest,
  all: T[],
  path: string,
  queryKey: string,
  options: { defaultSize: number; maxSize: number; extraQuery?: string },
): Collection<T> {
  const sizeText = queryParam(req, "size");
  let size = options.defaultSize;
  if (sizeText !== undefined) {
    const n = Number(sizeText);
    if (!Number.isInteger(n) || n < 1)
      throw pcErrors.invalidProperty(`size must be a positive integer (got ${sizeText}).`);
    size = Math.min(n, options.maxSize);
  }
  let offset = 0;
  const token = req.headers["ms-continuationtoken"];
  const seek = queryParam(req, "seekOperation");
  if (token !== undefined && token !== "" && (seek === undefined || seek.toLowerCase() === "next")) {
    offset = decodeToken(token, queryKey);
  } else if (seek !== undefined && seek.toLowerCase() === "next") {
    throw pcErrors.invalidInput("seekOperation=Next requires the MS-ContinuationToken header.");
  }
  const items = all.slice(offset, offset + size);
  const base = `${path}?size=${size}${options.extraQuery ? `&${options.extraQuery}` : ""}`;
  const out: Collection<T> = {
    totalCount: items.length,
    items,
    links: { self: link(base) },
    attributes: { objectType: "Collection" },
  };
  if (offset + size < all.length) {
    const next = encodeToken({ o: offset + size, q: queryKey });
    out.links = {
      self: link(base),
      next: link(`${base}&seekOperation=Next`, "GET", [{ key: "MS-ContinuationToken", value: next }]),
    };
    // Rebuild to keep `attributes` last, like the published collections.
    return {
      totalCount: out.totalCount,
      items,
      links: out.links,
      continuationToken: next,
      attributes: { objectType: "Collection" },
    };
  }
  return out;
}

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token), "utf8").toString("base64");
}

function decodeToken(text: string, queryKey: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(text, "base64").toString("utf8")) as Partial<PageToken>;
    if (
      typeof parsed.o === "number" &&
      Number.isInteger(parsed.o) &&
      parsed.o >= 0 &&
      parsed.q === queryKey
    ) {
      return parsed.o;
    }
  } catch {
    // fall through
  }
  throw pcErrors.badContinuationToken();
}
