import { isObject, type JsonObject } from "../common/json";
import type { DirectoryTenant } from "../common/state";
import type { Route } from "../common/types";
import { type LicenseSku, resolveCatalogItem } from "./catalog";
import { collection } from "./collections";
import { requireUser, userScope } from "./customerUsers";
import { arrProp, requireBody, strProp } from "./jsonBody";
import { seatSubscriptions } from "./licenseTerms";
import { pcErrors } from "./pcErrors";
import { type PcContext, pcRoute } from "./pcRoute";
import { pcSections } from "./pcState";
import { attributes } from "./resourceLinks";

/**
 * A customer's licenses: its subscribed SKUs and the licenses of its users, all App+User only.
 *
 * - `GET /v1/customers/{c}/subscribedskus` ("Get a list of available licenses",
 *   https://learn.microsoft.com/partner-center/developer/get-a-list-of-available-licenses): one
 *   `SubscribedSku` per SKU of the tenant's license subscriptions. Units per "License resources"
 *   (https://learn.microsoft.com/partner-center/developer/license-resources): active = seats of
 *   active subscriptions, suspended = seats of suspended ones, total = active + warning, available =
 *   total - consumed.
 * - `GET .../users/{u}/licenses` ("Check which licenses are assigned to a user",
 *   https://learn.microsoft.com/partner-center/developer/check-which-licenses-are-assigned-to-a-user).
 * - `POST .../users/{u}/licenseupdates` ("Assign licenses to a user",
 *   https://learn.microsoft.com/partner-center/developer/assign-licenses-to-a-user): 201 with the
 *   `LicenseUpdate`; no seat left is 400 / 60012 with the published body.
 *
 * [U] Not documented, the emulator's choices: warning units are always 0 (no grace period after
 * an expiry is modelled); soft-deleted users consume no seat; a SKU the tenant does not subscribe
 * to, removing a license the user does not hold, a user without usage location (Entra ID assigns
 * licenses only to users with one) and an empty update are 400 / 2000; assigning a license the user
 * already holds changes nothing. Every SKU is in license group `group1`.
 */

const base = "/v1/customers/:customerId";

export const userLicenseRoutes: Route[] = [
  pcRoute("GET", `${base}/subscribedskus`, { auth: "appUser" }, (ctx) => {
    const { customerId, tenant } = userScope(ctx);
    const items = subscribedSkus(ctx, customerId, tenant).map((s) => subscribedSkuView(s));
    return { status: 200, body: collection(items) };
  }),
  pcRoute("GET", `${base}/users/:userId/licenses`, { auth: "appUser" }, (ctx) => {
    const { customerId, tenant } = userScope(ctx);
    const user = requireUser(tenant, ctx.req.params.userId, false);
    const skus = skusOfTenant(ctx, customerId);
    const items = assigned(ctx, customerId, user.id)
      .map((id) => skus.get(id))
      .filter((sku): sku is LicenseSku => sku !== undefined)
      .map((sku) => ({
        servicePlans: sku.servicePlans.map((p) => ({
          ...p,
          capabilityStatus: "Assigned",
          targetType: "User",
        })),
        productSku: productSkuView(sku),
        attributes: attributes("License"),
      }));
    return { status: 200, body: collection(items) };
  }),
  pcRoute("POST", `${base}/users/:userId/licenseupdates`, { auth: "appUser" }, licenseUpdate),
];

interface SkuUnits {
  sku: LicenseSku;
  activeUnits: number;
  suspendedUnits: number;
  consumedUnits: number;
}

/** SKUs of the tenant's license subscriptions (active or suspended), by SKU id (lower case). */
function skusOfTenant(ctx: PcContext, customerId: string): Map<string, LicenseSku> {
  const skus = new Map<string, LicenseSku>();
  for (const s of seatSubscriptions(ctx.emu, customerId)) {
    const sku = resolveCatalogItem(String(s.resource.offerId)).licenseSku;
    if (sku) skus.set(sku.id.toLowerCase(), sku);
  }
  return skus;
}

function subscribedSkus(ctx: PcContext, customerId: string, tenant: DirectoryTenant): SkuUnits[] {
  const bySku = new Map<string, SkuUnits>();
  for (const s of seatSubscriptions(ctx.emu, customerId)) {
    const sku = resolveCatalogItem(String(s.resource.offerId)).licenseSku;
    if (!sku) continue;
    const key = sku.id.toLowerCase();
    const units = bySku.get(key) ?? { sku, activeUnits: 0, suspendedUnits: 0, consumedUnits: 0 };
    const seats = Number(s.resource.quantity ?? 0);
    if (s.resource.status === "active") units.activeUnits += seats;
    else units.suspendedUnits += seats;
    bySku.set(key, units);
  }
  const assignments = pcSections(ctx.emu.state).licenseAssignments;
  for (const [key, skuIds] of Object.entries(assignments)) {
    const [customer, userId] = key.split("/");
    if (customer !== customerId || tenant.users[userId!]?.state !== "active") continue;
    for (const id of skuIds) {
      const units = bySku.get(id);
      if (units) units.consumedUnits += 1;
    }
  }
  return [...bySku.values()];
}

function available(u: SkuUnits): number {
  return Math.max(0, u.activeUnits - u.consumedUnits);
}

function productSkuView(sku: LicenseSku): JsonObject {
  return {
    id: sku.id,
    name: sku.name,
    skuPartNumber: sku.skuPartNumber,
    targetType: "User",
    licenseGroupId: "group1",
  };
}

function subscribedSkuView(u: SkuUnits): JsonObject {
  return {
    availableUnits: available(u),
    activeUnits: u.activeUnits,
    consumedUnits: u.consumedUnits,
    suspendedUnits: u.suspendedUnits,
    totalUnits: u.activeUnits,
    warningUnits: 0,
    productSku: productSkuView(u.sku),
    servicePlans: u.sku.servicePlans.map((p) => ({ ...p, capabilityStatus: "Enabled", targetType: "User" })),
    capabilityStatus: "Enabled",
    attributes: attributes("SubscribedSku"),
  };
}

function assigned(ctx: PcContext, customerId: string, userId: string): string[] {
  return [...(pcSections(ctx.emu.state).licenseAssignments[`${customerId}/${userId}`] ?? [])];
}

/** The SKU ids of a `LicenseUpdate` list: `licensesToAssign[].skuId` or `licensesToRemove[]`. */
function skuIdsOf(body: JsonObject, name: "licensesToAssign" | "licensesToRemove"): string[] {
  const raw = arrProp(body, name) ?? [];
  return raw.map((entry, i) => {
    const id = name === "licensesToAssign" ? strProp(entry, "skuId") : typeof entry === "string" ? entry : "";
    if (!id || (name === "licensesToAssign" && !isObject(entry))) {
      throw pcErrors.invalidLicenseUpdate(`${name}[${i}] has no SKU id.`);
    }
    return id.toLowerCase();
  });
}

function licenseUpdate(ctx: PcContext) {
  const { customerId, tenant } = userScope(ctx);
  const user = requireUser(tenant, ctx.req.params.userId, false);
  const body = requireBody(ctx.req.body);
  const toAssign = skuIdsOf(body, "licensesToAssign");
  const toRemove = skuIdsOf(body, "licensesToRemove");
  if (toAssign.length === 0 && toRemove.length === 0) {
    throw pcErrors.invalidLicenseUpdate("licensesToAssign or licensesToRemove must name a license.");
  }
  const both = toAssign.find((id) => toRemove.includes(id));
  if (both) throw pcErrors.invalidLicenseUpdate(`the license ${both} is both assigned and removed.`);
  if (toAssign.length > 0 && !user.usageLocation) throw pcErrors.usageLocationRequired(user.id);

  const held = assigned(ctx, customerId, user.id);
  const units = new Map(subscribedSkus(ctx, customerId, tenant).map((u) => [u.sku.id.toLowerCase(), u]));
  for (const id of toRemove) if (!held.includes(id)) throw pcErrors.licenseNotAssigned(id);
  for (const id of toAssign) {
    const u = units.get(id);
    if (!u) throw pcErrors.skuNotSubscribed(id);
    if (!held.includes(id) && available(u) < 1) throw pcErrors.licenseQuotaExceeded(customerId, id);
  }
  const next = [
    ...held.filter((id) => !toRemove.includes(id)),
    ...toAssign.filter((id) => !held.includes(id)),
  ];
  pcSections(ctx.emu.state).licenseAssignments[`${customerId}/${user.id}`] = next;
  return {
    status: 201,
    body: {
      licensesToAssign: toAssign.map((skuId) => ({ skuId })),
      licenseWarnings: [],
      attributes: attributes("LicenseUpdate"),
    },
  };
}
