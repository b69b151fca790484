import type { CatalogOffer, LicenseSku } from "./catalog";

/**
 * The emulator's new-commerce license-based offers (product type `OnlineServicesNCE`): a few common
 * Microsoft 365 offers, each with the Entra ID SKU its seats appear under in the customer's
 * subscribed SKUs.
 *
 * Sources: the product/SKU/availability model and `OnlineServicesNCE` ("Purchase new commerce
 * license-based services", https://learn.microsoft.com/partner-center/developer/purchase-new-commerce-license-based);
 * the Business Basic catalog item `CFQ7TTC0LH18:0001:CFQ7TTC0K971` is the one of the published
 * new-commerce subscription sample ("Change the quantity of licenses in a customer subscription",
 * https://learn.microsoft.com/partner-center/developer/change-the-quantity-of-a-subscription). The
 * SKU names, part numbers and ids follow "Product names and service plan identifiers for licensing"
 * (https://learn.microsoft.com/entra/identity/users/licensing-service-plan-reference).
 * [U] The other product and SKU ids follow Microsoft's public new-commerce price list, the other
 * availability ids are made up (availability ids change over time, "Product resources"), and the
 * prices, service plans and maximum quantities are the emulator's choice.
 */

interface OfferSpec {
  productId: string;
  skuId: string;
  availabilityId: string;
  title: string;
  monthlyPrice: number;
  maximumQuantity: number;
  sku: LicenseSku;
  /** Three-year terms (P3Y, triennial billing) besides P1M and P1Y. */
  threeYears?: boolean;
}

function servicePlan(id: string, serviceName: string, displayName: string) {
  return { id, serviceName, displayName };
}

const EXCHANGE_FOUNDATION = servicePlan(
  "113feb6c-3fe4-4440-bddc-54d774bf0318",
  "EXCHANGE_S_FOUNDATION",
  "Exchange Foundation",
);

function offer(spec: OfferSpec): CatalogOffer {
  return {
    productId: spec.productId,
    skuId: spec.skuId,
    availabilityId: spec.availabilityId,
    kind: "license",
    product: {
      id: spec.productId,
      title: spec.title,
      description: `${spec.title} (emulator catalog).`,
      productType: { id: "OnlineServicesNCE", displayName: "OnlineServicesNCE" },
      isMicrosoftProduct: true,
      publisherName: "Microsoft Corporation",
    },
    skuTitle: spec.title,
    skuDescription: spec.title,
    minimumQuantity: 1,
    maximumQuantity: spec.maximumQuantity,
    billingCycles: spec.threeYears ? ["monthly", "annual", "triennial"] : ["monthly", "annual"],
    termDurations: spec.threeYears ? ["P1M", "P1Y", "P3Y"] : ["P1M", "P1Y"],
    purchasePrerequisites: ["MicrosoftCustomerAgreement"],
    actions: [],
    dynamicAttributes: { isMicrosoftProduct: true },
    monthlyPrice: spec.monthlyPrice,
    offerName: spec.title,
    unitType: "Licenses",
    licenseSku: spec.sku,
  };
}

/** Microsoft 365 offers sold by the emulator (besides the two offers of the published cart samples). */
export const MICROSOFT_365_OFFERS: CatalogOffer[] = [
  offer({
    productId: "CFQ7TTC0LH18",
    skuId: "0001",
    availabilityId: "CFQ7TTC0K971",
    title: "Microsoft 365 Business Basic",
    monthlyPrice: 6,
    maximumQuantity: 300,
    sku: {
      id: "3b555118-da6a-4418-894f-7df1e2096870",
      name: "Microsoft 365 Business Basic",
      skuPartNumber: "O365_BUSINESS_ESSENTIALS",
      servicePlans: [
        EXCHANGE_FOUNDATION,
        servicePlan(
          "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
          "EXCHANGE_S_STANDARD",
          "Exchange Online (Plan 1)",
        ),
      ],
    },
  }),
  offer({
    productId: "CFQ7TTC0LDPB",
    skuId: "0001",
    availabilityId: "CFQ7TTC0N8SS",
    title: "Microsoft 365 Business Standard",
    monthlyPrice: 12.5,
    maximumQuantity: 300,
    sku: {
      id: "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
      name: "Microsoft 365 Business Standard",
      skuPartNumber: "O365_BUSINESS_PREMIUM",
      servicePlans: [
        EXCHANGE_FOUNDATION,
        servicePlan(
          "094e7854-93fc-4d55-b2c0-3ab5369ebdc1",
          "OFFICE_BUSINESS",
          "Microsoft 365 Apps for business",
        ),
      ],
    },
  }),
  offer({
    productId: "CFQ7TTC0LCHC",
    skuId: "0002",
    availabilityId: "CFQ7TTC0N8SL",
    title: "Microsoft 365 Business Premium",
    monthlyPrice: 22,
    maximumQuantity: 300,
    sku: {
      id: "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46",
      name: "Microsoft 365 Business Premium",
      skuPartNumber: "SPB",
      servicePlans: [
        EXCHANGE_FOUNDATION,
        servicePlan("41781fb2-bc02-4b7c-bd55-b576c07bb09d", "AAD_PREMIUM", "Microsoft Entra ID P1"),
      ],
    },
  }),
  offer({
    productId: "CFQ7TTC0LF8Q",
    skuId: "0001",
    availabilityId: "CFQ7TTC0N8SD",
    title: "Office 365 E3",
    monthlyPrice: 23,
    maximumQuantity: 5000,
    threeYears: true,
    sku: {
      id: "6fd2c87f-b296-42f0-b197-1e91e994b900",
      name: "Office 365 E3",
      skuPartNumber: "ENTERPRISEPACK",
      servicePlans: [
        EXCHANGE_FOUNDATION,
        servicePlan(
          "efb87545-963c-4e0d-99df-69c6916d9eb0",
          "EXCHANGE_S_ENTERPRISE",
          "Exchange Online (Plan 2)",
        ),
      ],
    },
  }),
  offer({
    productId: "CFQ7TTC0LFLZ",
    skuId: "0001",
    availabilityId: "CFQ7TTC0N8S9",
    title: "Microsoft 365 E3",
    monthlyPrice: 36,
    maximumQuantity: 5000,
    threeYears: true,
    sku: {
      id: "05e9a617-0261-4cee-bb44-138d3ef5d965",
      name: "Microsoft 365 E3",
      skuPartNumber: "SPE_E3",
      servicePlans: [
        EXCHANGE_FOUNDATION,
        servicePlan("41781fb2-bc02-4b7c-bd55-b576c07bb09d", "AAD_PREMIUM", "Microsoft Entra ID P1"),
      ],
    },
  }),
];
