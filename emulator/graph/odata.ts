import type { EmuRequest } from "../common/types";
import type { GraphError } from "./graphError";
import { graphErrors } from "./graphErrors";

/**
 * The OData query subset the emulator understands on Graph collections: `$filter` with `eq`
 * comparisons (strings, booleans, null), `startswith(prop,'x')`, `tags/any(t:t eq 'x')`, joined by
 * `and`; `$top` with `@odata.nextLink` paging (`$skiptoken`); `$select`; `$count=true`.
 * Anything else in `$filter` answers 400 `Request_UnsupportedQuery`, as Graph does for filters a
 * property does not support.
 */

type Literal = string | boolean | null | number;

export type FilterClause =
  | { kind: "eq"; path: string[]; value: Literal }
  | { kind: "startswith"; path: string[]; value: string }
  | { kind: "any"; path: string[]; value: Literal };

function unsupported(filter: string): GraphError {
  return graphErrors.unsupportedQuery(filter);
}

function parseLiteral(text: string, whole: string): Literal {
  const t = text.trim();
  if (t.startsWith("'") && t.endsWith("'") && t.length >= 2) return t.slice(1, -1).replace(/''/g, "'");
  if (t === "true") return true;
  if (t === "false") return false;
  if (t === "null") return null;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  // Unquoted GUIDs are accepted by some endpoints (e.g. oauth2PermissionGrants clientId).
  if (/^[0-9a-fA-F-]{36}$/.test(t)) return t;
  throw unsupported(whole);
}

/** Splits on ` and ` outside quotes. */
function splitAnd(filter: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i];
    if (c === "'") inQuote = !inQuote;
    else if (!inQuote && c === "(") depth++;
    else if (!inQuote && c === ")") depth--;
    else if (!inQuote && depth === 0 && filter.slice(i, i + 5).toLowerCase() === " and ") {
      parts.push(filter.slice(start, i));
      start = i + 5;
      i += 4;
    }
  }
  parts.push(filter.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** Parses a `$filter` expression into clauses (all must hold). */
export function parseFilter(filter: string): FilterClause[] {
  return splitAnd(filter).map((clause) => {
    let m = /^startswith\(\s*([\w/]+)\s*,\s*('(?:[^']|'')*')\s*\)$/i.exec(clause);
    if (m) return { kind: "startswith", path: m[1].split("/"), value: String(parseLiteral(m[2], filter)) };
    m = /^([\w/]+)\/any\(\s*(\w+)\s*:\s*(\w+)\s+eq\s+(.+)\)$/i.exec(clause);
    if (m && m[2] === m[3]) return { kind: "any", path: m[1].split("/"), value: parseLiteral(m[4], filter) };
    m = /^([\w/]+)\s+eq\s+(.+)$/i.exec(clause);
    if (m) return { kind: "eq", path: m[1].split("/"), value: parseLiteral(m[2], filter) };
    throw unsupported(filter);
  });
}

function getPath(obj: unknown, path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    const record = cur as Record<string, unknown>;
    // Property names are case-insensitive in OData filters on Graph.
    const actual = Object.keys(record).find((k) => k.toLowerCase() === key.toLowerCase());
    cur = actual === undefined ? undefined : record[actual];
  }
  return cur;
}

function equals(a: unknown, b: Literal): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if (b === null) return a === null || a === undefined;
  return a === b;
}

/** Whether a resource satisfies all clauses. String comparison is case-insensitive (directory semantics). */
export function matchesFilter(resource: unknown, clauses: FilterClause[]): boolean {
  return clauses.every((c) => {
    const v = getPath(resource, c.path);
    if (c.kind === "eq") return equals(v, c.value);
    if (c.kind === "startswith")
      return typeof v === "string" && v.toLowerCase().startsWith(c.value.toLowerCase());
    return Array.isArray(v) && v.some((item) => equals(item, c.value));
  });
}

/**
 * Validates the filter's properties against an allow-list (Graph supports `$filter` only on some
 * properties of each type) and returns the clauses.
 */
export function filterFor(req: EmuRequest, allowed: string[]): FilterClause[] {
  const filter = req.query.get("$filter");
  if (filter === null || filter.trim() === "") return [];
  const clauses = parseFilter(filter);
  const allow = new Set(allowed.map((a) => a.toLowerCase()));
  for (const c of clauses) {
    if (!allow.has(c.path.join("/").toLowerCase())) throw unsupported(filter);
  }
  return clauses;
}

function encodeSkipToken(offset: number): string {
  return `X${Buffer.from(JSON.stringify({ o: offset })).toString("base64url")}`;
}

function decodeSkipToken(token: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token.slice(1), "base64url").toString("utf8"));
    if (
      parsed &&
      typeof parsed === "object" &&
      "o" in parsed &&
      typeof parsed.o === "number" &&
      parsed.o >= 0
    ) {
      return parsed.o;
    }
  } catch {
    // fall through
  }
  throw graphErrors.badRequest("The specified page token value has expired or is invalid.");
}

function selectFields(item: Record<string, unknown>, select: string[] | undefined): Record<string, unknown> {
  if (!select) return item;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) {
    if (k.startsWith("@odata") || k === "id" || select.includes(k.toLowerCase())) out[k] = v;
  }
  return out;
}

/** The `$select` list (lower-cased), or `undefined` when absent. */
export function selectList(req: EmuRequest): string[] | undefined {
  const s = req.query.get("$select");
  if (s === null || s.trim() === "") return undefined;
  return s.split(",").map((p) => p.trim().toLowerCase());
}

/** Applies `$select` to a single entity. */
export function selectOne(req: EmuRequest, item: Record<string, unknown>): Record<string, unknown> {
  return selectFields(item, selectList(req));
}

/** Paging limits of a collection. */
export interface PageOptions {
  defaultTop?: number;
  maxTop?: number;
}

/**
 * One page of a collection (items in creation order, the emulator's stable order) as Graph answers it: `@odata.context`, `value`, and an absolute
 * `@odata.nextLink` (same path and query, plus `$skiptoken`) while more items remain. `@odata.count`
 * on the first page when `$count=true`.
 */
export function pageOf(
  req: EmuRequest,
  context: string,
  items: Record<string, unknown>[],
  options: PageOptions = {},
): Record<string, unknown> {
  const maxTop = options.maxTop ?? 999;
  const defaultTop = options.defaultTop ?? 100;
  const topText = req.query.get("$top");
  let top = defaultTop;
  if (topText !== null) {
    const n = Number(topText);
    if (!Number.isInteger(n) || n < 1 || n > maxTop) {
      throw graphErrors.badRequest(
        `Invalid page size specified: '${topText}'. Must be between 1 and ${maxTop} inclusive.`,
      );
    }
    top = n;
  }
  const token = req.query.get("$skiptoken");
  const offset = token === null ? 0 : decodeSkipToken(token);
  const select = selectList(req);
  const slice = items.slice(offset, offset + top).map((i) => selectFields(i, select));
  const body: Record<string, unknown> = { "@odata.context": context };
  if (offset === 0 && req.query.get("$count") === "true") body["@odata.count"] = items.length;
  body.value = slice;
  if (offset + top < items.length) {
    const q = new URLSearchParams(req.query);
    q.set("$skiptoken", encodeSkipToken(offset + top));
    // Graph writes OData system query options with a literal `$` in its links.
    const query = q.toString().replace(/%24/g, "$");
    body["@odata.nextLink"] = `${req.baseUrl}${req.path}?${query}`;
  }
  return body;
}

/** `@odata.context` URL of a Graph v1.0 resource path (`applications`, `users/$entity`...). */
export function contextUrl(req: EmuRequest, fragment: string): string {
  return `${req.baseUrl}/v1.0/$metadata#${fragment}`;
}
