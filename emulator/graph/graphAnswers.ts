import type { EmuRequest, EmuResponse } from "../common/types";
import { graphOk } from "./graphRoute";
import { filterFor, matchesFilter, type PageOptions, pageOf } from "./odata";

/**
 * The answers every Graph entity set gives alike ("Use query parameters to customize responses",
 * https://learn.microsoft.com/graph/query-parameters): one entity with its `@odata.context`, and a
 * collection filtered by `$filter` and paged by `$top` / `@odata.nextLink`.
 */

/** One entity (`view`, with `$select` already applied where the route supports it) and its `@odata.context`. */
export function entityAnswer(
  req: EmuRequest,
  context: string,
  view: Record<string, unknown>,
  status = 200,
  headers?: Record<string, string>,
): EmuResponse {
  return graphOk(req, status, { "@odata.context": context, ...view }, headers);
}

/** A page of a collection. */
export function pageAnswer(
  req: EmuRequest,
  context: string,
  items: Record<string, unknown>[],
  options?: PageOptions,
): EmuResponse {
  return graphOk(req, 200, pageOf(req, context, items, options));
}

/**
 * A page of the views `$filter` keeps; the filter may name only the `filterable` properties (400
 * otherwise, before `views` is read).
 */
export function filteredPage(
  req: EmuRequest,
  context: string,
  filterable: string[],
  views: () => Record<string, unknown>[],
  options?: PageOptions,
): EmuResponse {
  const clauses = filterFor(req, filterable);
  return pageAnswer(
    req,
    context,
    views().filter((v) => matchesFilter(v, clauses)),
    options,
  );
}
