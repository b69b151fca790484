import type { EmuRequest, EmuResponse, ServiceModule } from "../common/types";
import { agreementRoutes } from "./agreements";
import { applicationConsentRoutes } from "./applicationConsents";
import { azureEntitlementRoutes } from "./azureEntitlements";
import { cartRoutes } from "./carts";
import { customerRoutes } from "./customers";
import { customerUserRoutes } from "./customerUsers";
import { directoryRoleRoutes } from "./directoryRoles";
import { orderRoutes } from "./orders";
import { partnerRelationshipRoutes } from "./partnerRelationships";
import { pcErrorBody } from "./pcError";
import { productRoutes } from "./products";
import { relationshipRequestRoutes } from "./relationshipRequests";
import { subscriptionRoutes } from "./subscriptions";
import { userLicenseRoutes } from "./userLicenses";

/**
 * The emulated Partner Center REST API (`/v1/...`, "Partner Center REST APIs",
 * https://learn.microsoft.com/partner-center/developer/partner-center-rest-api-reference). Paths
 * are matched case-insensitively ([U] the docs spell the same path several ways, e.g.
 * `/azureEntitlements` and `/azureentitlements`; case-insensitive matching is our reading).
 */
export const partnerCenterModule: ServiceModule = {
  service: "partnerCenter",
  caseInsensitivePaths: true,
  routes: [
    // Before the customer routes: `/v1/customers/relationshiprequests` is not a customer id.
    ...relationshipRequestRoutes,
    ...partnerRelationshipRoutes,
    ...customerRoutes,
    ...agreementRoutes,
    ...productRoutes,
    ...cartRoutes,
    ...orderRoutes,
    ...subscriptionRoutes,
    ...azureEntitlementRoutes,
    ...customerUserRoutes,
    ...userLicenseRoutes,
    ...directoryRoleRoutes,
    ...applicationConsentRoutes,
  ],
  errorResponse,
};

/**
 * Error bodies for answers the server produces itself (no route: 404, not modelled: 501, bad or
 * missing token: 401), in the Partner Center error format.
 */
function errorResponse(status: number, code: string, message: string, _req: EmuRequest): EmuResponse {
  const numeric = /^\d+$/.test(code) ? Number(code) : defaultCode(status);
  const headers: Record<string, string> = {};
  if (status === 401) headers["WWW-Authenticate"] = "OAuth realm=urn:cpsvc:cpid:emulator";
  return { status, headers, body: pcErrorBody(numeric, message) };
}

/** Documented codes per status where there is one: 401 / 400 access denied, 404 / 1000 not found, 501 / 0. */
function defaultCode(status: number): number {
  if (status === 401) return 400;
  if (status === 404) return 1000;
  if (status === 501) return 0;
  if (status >= 500) return 800003;
  return 3000;
}

export { addAzureEntitlement, findActiveAzurePlan } from "./azurePlans";
export { settleProvisioning } from "./provisioning";
