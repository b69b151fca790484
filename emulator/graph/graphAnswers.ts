import type { ServiceHandler } from "../common/serviceRoute";
import type { EmuRequest, EmuResponse, Route } from "../common/types";
import type { GraphAuth, GraphCaller } from "./graphCaller";
import { graphErrors } from "./graphErrors";
import { graphOk, graphRoute } from "./graphRoute";
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

// ---- entities addressed by object id or by client id ---------------------------------------------

/**
 * The application or service principal a route addresses: by object id (`/{set}/{id}`) or by
 * client id (`/{set}(appId='{appId}')`, "Get application",
 * https://learn.microsoft.com/graph/api/application-get, and "Get servicePrincipal",
 * https://learn.microsoft.com/graph/api/serviceprincipal-get); 404 `Request_ResourceNotFound`
 * naming the id otherwise.
 */
export function addressedByIdOrAppId<T extends { appId: string }>(
  req: EmuRequest,
  items: Record<string, T>,
): T {
  const { id, appId } = req.params;
  const found =
    id !== undefined
      ? items[id]
      : Object.values(items).find((x) => x.appId.toLowerCase() === appId.toLowerCase());
  if (!found) throw graphErrors.resourceNotFound(id ?? appId);
  return found;
}

/** The routes of each `[method, suffix, auth, handler]` under both addresses of {@link addressedByIdOrAppId}. */
export function idOrAppIdRoutes(
  entitySet: string,
  routes: [Route["method"], string, GraphAuth, ServiceHandler<GraphCaller>][],
): Route[] {
  const byId = routes.map(([method, suffix, auth, handler]) =>
    graphRoute(method, `/v1.0/${entitySet}/:id${suffix}`, auth, handler),
  );
  const byAppId = routes.map(([method, suffix, auth, handler]) =>
    graphRoute(method, `/v1.0/${entitySet}(appId=':appId')${suffix}`, auth, handler),
  );
  return [...byId, ...byAppId];
}
