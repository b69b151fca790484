import { randomUUID } from "node:crypto";
import { partnerCenterUser } from "../../auth/actingIdentity";
import type { ServiceClient } from "../../http/types";
import { listPartnerCenter } from "../paging";

/**
 * A customer's licenses through Partner Center ("License resources",
 * https://learn.microsoft.com/partner-center/developer/license-resources). Every call is App+User
 * only, so every call runs as the admin agent.
 *
 * - `GET /v1/customers/{c}/subscribedskus`: the tenant's SKUs with their units ("Get a list of
 *   available licenses", https://learn.microsoft.com/partner-center/developer/get-a-list-of-available-licenses).
 * - `GET /v1/customers/{c}/users/{u}/licenses`: a user's licenses ("Check which licenses are
 *   assigned to a user", https://learn.microsoft.com/partner-center/developer/check-which-licenses-are-assigned-to-a-user).
 * - `POST /v1/customers/{c}/users/{u}/licenseupdates`: assign and remove in one request ("Assign
 *   licenses to a user", https://learn.microsoft.com/partner-center/developer/assign-licenses-to-a-user);
 *   no seat left is 400 / 60012.
 * The default license group (`group1`, licenses managed by Entra ID) is the only one used.
 */

/** `ProductSku`. */
export interface PcProductSku {
  id: string;
  name?: string;
  skuPartNumber?: string;
  targetType?: string;
  licenseGroupId?: string;
}

/** `SubscribedSku`: `availableUnits` = total - consumed. */
export interface PcSubscribedSku {
  availableUnits?: number;
  activeUnits?: number;
  consumedUnits?: number;
  suspendedUnits?: number;
  totalUnits?: number;
  warningUnits?: number;
  productSku: PcProductSku;
  capabilityStatus?: string;
}

/** `License`: a license of a user. */
export interface PcLicense {
  productSku: PcProductSku;
}

function customerBase(customerId: string): string {
  return `/v1/customers/${encodeURIComponent(customerId)}`;
}

/** The customer's subscribed SKUs (default license group). */
export async function listSubscribedSkus(pc: ServiceClient, customerId: string): Promise<PcSubscribedSku[]> {
  return listPartnerCenter<PcSubscribedSku>(pc, {
    method: "GET",
    path: `${customerBase(customerId)}/subscribedskus`,
    auth: partnerCenterUser(),
  });
}

/** The product SKU ids (lower case) of the licenses the user holds. */
export async function listUserLicenseSkuIds(
  pc: ServiceClient,
  customerId: string,
  userId: string,
): Promise<string[]> {
  const licenses = await listPartnerCenter<PcLicense>(pc, {
    method: "GET",
    path: `${customerBase(customerId)}/users/${encodeURIComponent(userId)}/licenses`,
    auth: partnerCenterUser(),
  });
  return licenses.map((l) => l.productSku.id.toLowerCase()).sort();
}

/**
 * One `LicenseUpdate`: assigns `assign` (all service plans) and removes `remove` (product SKU ids).
 * The `MS-RequestId` is new for each update and reused by the pipeline on its own retries, so a
 * lost answer replays this update instead of running a second one.
 */
export async function updateUserLicenses(
  pc: ServiceClient,
  customerId: string,
  userId: string,
  change: { assign: string[]; remove: string[] },
): Promise<void> {
  await pc.send({
    method: "POST",
    path: `${customerBase(customerId)}/users/${encodeURIComponent(userId)}/licenseupdates`,
    body: {
      licensesToAssign: change.assign.map((skuId) => ({ skuId, excludedPlans: null })),
      licensesToRemove: change.remove,
      attributes: { objectType: "LicenseUpdate" },
    },
    idempotencyKey: randomUUID(),
    auth: partnerCenterUser(),
  });
}
