import { MICROSOFT_365_OFFERS } from "./licenseOffers";
import { pcErrors } from "./pcErrors";
import { link } from "./resourceLinks";

/**
 * The emulator's Partner Center catalog ("Product resources",
 * https://learn.microsoft.com/partner-center/developer/product-resources): the Azure plan (vector 10), two
 * new-commerce license offers taken from the published cart samples (vectors 11, 12), so that
 * those payloads are accepted, and a few Microsoft 365 offers (`licenseOffers.ts`). Prices and
 * titles of the two sample offers are [U] (the samples only show ids and one price).
 */

/** A service plan of a license SKU ("License resources": ServicePlan). */
export interface LicenseServicePlan {
  id: string;
  serviceName: string;
  displayName: string;
}

/**
 * The Entra ID SKU a license offer's seats appear under in the customer's subscribed SKUs
 * ("License resources": ProductSku, https://learn.microsoft.com/partner-center/developer/license-resources).
 */
export interface LicenseSku {
  id: string;
  name: string;
  skuPartNumber: string;
  servicePlans: LicenseServicePlan[];
}
export interface CatalogOffer {
  productId: string;
  skuId: string;
  availabilityId: string;
  /** `azurePlan`: usage-billed plan; `license`: seat-based subscription. */
  kind: "azurePlan" | "license";
  product: Record<string, unknown>;
  skuTitle: string;
  skuDescription: string;
  minimumQuantity: number;
  maximumQuantity: number;
  /** Wire values of the billing cycles the offer supports (`one_time`, `monthly`, `annual`). */
  billingCycles: string[];
  termDurations: string[];
  purchasePrerequisites: string[];
  actions: string[];
  dynamicAttributes: Record<string, unknown>;
  /** Monthly list price per seat (license offers). */
  monthlyPrice?: number;
  offerName: string;
  unitType: string;
  /** License offers: the SKU their seats count for. */
  licenseSku?: LicenseSku;
}

/** The Azure plan catalog item id (`product:sku:availability`). */
export const AZURE_PLAN_PRODUCT_ID = "DZH318Z0BPS6";
export const AZURE_PLAN_SKU_ID = "0001";
export const AZURE_PLAN_AVAILABILITY_ID = "DZH318Z0BML6";
export const AZURE_PLAN_CATALOG_ITEM_ID = `${AZURE_PLAN_PRODUCT_ID}:${AZURE_PLAN_SKU_ID}:${AZURE_PLAN_AVAILABILITY_ID}`;

const AZURE_PLAN: CatalogOffer = {
  productId: AZURE_PLAN_PRODUCT_ID,
  skuId: AZURE_PLAN_SKU_ID,
  availabilityId: AZURE_PLAN_AVAILABILITY_ID,
  kind: "azurePlan",
  // Vector 10, as published.
  product: {
    id: AZURE_PLAN_PRODUCT_ID,
    title: "Microsoft Azure plan",
    description: "Gain access to Azure Services.",
    productType: { id: "Azure", displayName: "Azure", subType: { id: "Azure", displayName: "Azure" } },
    isMicrosoftProduct: true,
    publisherName: "Microsoft Corporation",
    localizedAttributes: [
      { key: "OfferType", value: "OfferType" },
      { key: "Standard", value: "Standard" },
      { key: "DevTest", value: "Dev/Test" },
    ],
  },
  skuTitle: "Microsoft Azure plan",
  skuDescription: "Microsoft Azure plan (MS-AZR-0017G)",
  minimumQuantity: 1,
  maximumQuantity: 1,
  billingCycles: ["one_time"],
  termDurations: [],
  purchasePrerequisites: ["MicrosoftCustomerAgreement"],
  actions: ["Refund"],
  dynamicAttributes: { isMicrosoftProduct: true, pilotProgram: "modernazurepilot" },
  // [U] no published Azure plan subscription: offerName follows usage records ("Azure plan").
  offerName: "Azure plan",
  unitType: "Usage-based",
};

function licenseOffer(
  productId: string,
  skuId: string,
  availabilityId: string,
  title: string,
  monthlyPrice: number,
  licenseSkuId: string,
): CatalogOffer {
  return {
    productId,
    skuId,
    availabilityId,
    kind: "license",
    product: {
      id: productId,
      title,
      description: `${title} (emulator catalog sample).`,
      productType: { id: "OnlineServicesNCE", displayName: "OnlineServicesNCE" },
      isMicrosoftProduct: true,
      publisherName: "Microsoft Corporation",
    },
    skuTitle: title,
    skuDescription: title,
    minimumQuantity: 1,
    maximumQuantity: 300,
    billingCycles: ["monthly", "annual"],
    termDurations: ["P1M", "P1Y"],
    purchasePrerequisites: ["MicrosoftCustomerAgreement"],
    actions: [],
    dynamicAttributes: { isMicrosoftProduct: true },
    monthlyPrice,
    offerName: title,
    unitType: "Licenses",
    // [U] the samples name no SKU: an emulator SKU id and part number.
    licenseSku: {
      id: licenseSkuId,
      name: title,
      skuPartNumber: `NCE_${productId}_${skuId}`,
      servicePlans: [],
    },
  };
}

/** Every offer the emulator sells. */
export const CATALOG: CatalogOffer[] = [
  AZURE_PLAN,
  // Vector 11 (cart request) and vector 12 (cart response, 30.4 per month on a P1Y term).
  licenseOffer(
    "CFQ7TTC0LFLZ",
    "0002",
    "CFQ7TTC0K4TS",
    "New-commerce license offer CFQ7TTC0LFLZ",
    22,
    "7c3c5b1e-4f0a-4a39-9a1e-2b51c7f0a002",
  ),
  licenseOffer(
    "CFQ7TTC0LF8S",
    "0001",
    "CFQ7TTC0VZW5",
    "New-commerce license offer CFQ7TTC0LF8S",
    30.4,
    "7c3c5b1e-4f0a-4a39-9a1e-2b51c7f0a001",
  ),
  ...MICROSOFT_365_OFFERS,
];

export function findProduct(productId: string): CatalogOffer[] {
  const id = productId.toUpperCase();
  return CATALOG.filter((o) => o.productId === id);
}

/** The offer of a `product:sku:availability` catalog item id; 400 / 404 errors as the service answers. */
export function resolveCatalogItem(catalogItemId: string): CatalogOffer {
  const parts = catalogItemId.split(":");
  if (parts.length !== 3 || parts.some((p) => p.trim() === "")) throw pcErrors.invalidOfferId(catalogItemId);
  const [p, s, a] = parts.map((x) => x.toUpperCase());
  const byProduct = CATALOG.filter((o) => o.productId === p);
  if (byProduct.length === 0) throw pcErrors.productNotFound(p);
  const bySku = byProduct.filter((o) => o.skuId === s);
  if (bySku.length === 0) throw pcErrors.skuNotFound(s);
  const offer = bySku.find((o) => o.availabilityId === a);
  if (!offer) throw pcErrors.availabilityNotFound(a);
  return offer;
}

export function catalogItemId(offer: CatalogOffer): string {
  return `${offer.productId}:${offer.skuId}:${offer.availabilityId}`;
}

/**
 * Billing cycle as it goes on the wire (`monthly`, `annual`, `one_time`, ...): requests use
 * `"Monthly"`, `"OneTime"`, `"one_time"` (`BillingCycleType`: "Products resources",
 * https://learn.microsoft.com/partner-center/developer/product-resources; request examples of
 * "Create a cart", https://learn.microsoft.com/partner-center/developer/create-a-cart); unknown
 * values are 400 / 900269 ("Partner Center REST error codes",
 * https://learn.microsoft.com/partner-center/developer/error-codes).
 */
export function normalizeBillingCycle(value: string): string {
  const key = value.toLowerCase().replace(/[^a-z]/g, "");
  const known: Record<string, string> = {
    monthly: "monthly",
    annual: "annual",
    onetime: "one_time",
    triennial: "triennial",
    none: "none",
  };
  const out = known[key];
  if (!out) throw pcErrors.billingCycleInvalid(value);
  return out;
}

/** `GET /products/{id}` view; `prefix` is `/customers/{c}` for the customer-scoped routes. */
export function productView(offer: CatalogOffer, country: string, prefix = ""): Record<string, unknown> {
  const { localizedAttributes, ...rest } = offer.product;
  const out: Record<string, unknown> = {
    ...rest,
    links: {
      skus: link(`${prefix}/products/${offer.productId}/skus?country=${country}`),
      self: link(`${prefix}/products/${offer.productId}?country=${country}`),
    },
  };
  if (localizedAttributes !== undefined) out.localizedAttributes = localizedAttributes;
  return out;
}

export function skuView(offer: CatalogOffer, country: string, prefix = ""): Record<string, unknown> {
  const base = `${prefix}/products/${offer.productId}/skus/${offer.skuId}`;
  return {
    id: offer.skuId,
    productId: offer.productId,
    title: offer.skuTitle,
    description: offer.skuDescription,
    minimumQuantity: offer.minimumQuantity,
    maximumQuantity: offer.maximumQuantity,
    isTrial: false,
    supportedBillingCycles: [...offer.billingCycles],
    purchasePrerequisites: [...offer.purchasePrerequisites],
    inventoryVariables: [],
    provisioningVariables: [],
    actions: [...offer.actions],
    dynamicAttributes: { ...offer.dynamicAttributes },
    links: {
      availabilities: link(`${base}/availabilities?country=${country}`),
      self: link(`${base}?country=${country}`),
    },
    attributes: { objectType: "Sku" },
  };
}

export function availabilityView(offer: CatalogOffer, country: string, prefix = ""): Record<string, unknown> {
  const base = `${prefix}/products/${offer.productId}/skus/${offer.skuId}/availabilities/${offer.availabilityId}`;
  const view: Record<string, unknown> = {
    id: offer.availabilityId,
    productId: offer.productId,
    skuId: offer.skuId,
    catalogItemId: catalogItemId(offer),
    defaultCurrency: { code: "USD", symbol: "$" },
    segment: "commercial",
    country,
    isPurchasable: true,
    isRenewable: offer.kind === "license",
  };
  if (offer.kind === "license") {
    view.terms = offer.termDurations.map((d) => ({
      duration: d,
      description: d === "P1M" ? "One-Month" : d === "P3Y" ? "Three-Year" : "One-Year",
    }));
  }
  view.links = { self: link(`${base}?country=${country}`) };
  view.attributes = { objectType: "Availability" };
  return view;
}
