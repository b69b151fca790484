import type { JsonObject } from "../common/json";
import type { Route } from "../common/types";
import { availabilityView, CATALOG, type CatalogOffer, findProduct, productView, skuView } from "./catalog";
import { collection, queryParam } from "./collections";
import { requireCustomer } from "./customerAccess";
import { pcErrors } from "./pcErrors";
import { type PcContext, pcRoute } from "./pcRoute";

/**
 * Catalog reads ("Get a list of products (by country/region)",
 * https://learn.microsoft.com/partner-center/developer/get-a-list-of-products, and the SKU and
 * availability pages): products, SKUs and availabilities, country-scoped
 * (`/v1/products...?country=US`) and customer-scoped (`/v1/customers/{c}/products...`, the
 * customer's country). Unknown ids answer 404 / 400013, 400018, 400019.
 */

interface Scope {
  country: string;
  /** Link prefix: empty, or `/customers/{id}`. */
  prefix: string;
}

function countryScope(ctx: PcContext): Scope {
  return { country: (queryParam(ctx.req, "country") ?? "US").toUpperCase(), prefix: "" };
}

function customerScope(ctx: PcContext): Scope {
  const customer = requireCustomer(ctx);
  const billing = customer.resource.billingProfile as JsonObject;
  const country = String((billing.defaultAddress as JsonObject).country ?? "US");
  return {
    country: (queryParam(ctx.req, "country") ?? country).toUpperCase(),
    prefix: `/customers/${customer.id}`,
  };
}

/** `targetView` values: `MicrosoftAzure` lists the Azure plan, `OnlineServices*` the license offers. */
function inTargetView(offer: CatalogOffer, targetView: string | undefined): boolean {
  if (targetView === undefined) return true;
  const v = targetView.toLowerCase();
  if (v === "microsoftazure" || v === "azure") return offer.kind === "azurePlan";
  if (v.startsWith("onlineservices")) return offer.kind === "license";
  return false;
}

function productOffers(ctx: PcContext): CatalogOffer[] {
  const offers = findProduct(ctx.req.params.productId ?? "");
  if (offers.length === 0) throw pcErrors.productNotFound(ctx.req.params.productId ?? "");
  return offers;
}

function skuOffers(ctx: PcContext): CatalogOffer[] {
  const wanted = (ctx.req.params.skuId ?? "").toUpperCase();
  const offers = productOffers(ctx).filter((o) => o.skuId === wanted);
  if (offers.length === 0) throw pcErrors.skuNotFound(wanted);
  return offers;
}

function catalogRoutes(base: string, scopeOf: (ctx: PcContext) => Scope): Route[] {
  return [
    pcRoute("GET", `${base}/products`, { auth: "appOrUser" }, (ctx) => {
      const scope = scopeOf(ctx);
      const view = queryParam(ctx.req, "targetView");
      const seen = new Set<string>();
      const items = CATALOG.filter(
        (o) => inTargetView(o, view) && !seen.has(o.productId) && seen.add(o.productId),
      ).map((o) => productView(o, scope.country, scope.prefix));
      return { status: 200, body: collection(items) };
    }),
    pcRoute("GET", `${base}/products/:productId`, { auth: "appOrUser" }, (ctx) => {
      const scope = scopeOf(ctx);
      return { status: 200, body: productView(productOffers(ctx)[0], scope.country, scope.prefix) };
    }),
    pcRoute("GET", `${base}/products/:productId/skus`, { auth: "appOrUser" }, (ctx) => {
      const scope = scopeOf(ctx);
      const seen = new Set<string>();
      const items = productOffers(ctx)
        .filter((o) => !seen.has(o.skuId) && seen.add(o.skuId))
        .map((o) => skuView(o, scope.country, scope.prefix));
      return { status: 200, body: collection(items) };
    }),
    pcRoute("GET", `${base}/products/:productId/skus/:skuId`, { auth: "appOrUser" }, (ctx) => {
      const scope = scopeOf(ctx);
      return { status: 200, body: skuView(skuOffers(ctx)[0], scope.country, scope.prefix) };
    }),
    pcRoute("GET", `${base}/products/:productId/skus/:skuId/availabilities`, { auth: "appOrUser" }, (ctx) => {
      const scope = scopeOf(ctx);
      const items = skuOffers(ctx).map((o) => availabilityView(o, scope.country, scope.prefix));
      return { status: 200, body: collection(items) };
    }),
    pcRoute(
      "GET",
      `${base}/products/:productId/skus/:skuId/availabilities/:availabilityId`,
      { auth: "appOrUser" },
      (ctx) => {
        const scope = scopeOf(ctx);
        const wanted = (ctx.req.params.availabilityId ?? "").toUpperCase();
        const offer = skuOffers(ctx).find((o) => o.availabilityId === wanted);
        if (!offer) throw pcErrors.availabilityNotFound(wanted);
        return { status: 200, body: availabilityView(offer, scope.country, scope.prefix) };
      },
    ),
  ];
}

export const productRoutes: Route[] = [
  ...catalogRoutes("/v1", countryScope),
  ...catalogRoutes("/v1/customers/:customerId", customerScope),
];
