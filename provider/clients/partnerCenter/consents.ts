import { partnerCenterUser } from "../../auth/actingIdentity";
import type { ServiceClient } from "../../http/types";
import { deleteIfPresent } from "../deleteIfPresent";

/**
 * Partner Center application consents: the partner consents one of its multi-tenant apps into a
 * customer tenant for a list of resource scopes. App+user only.
 *
 * What Microsoft documents, and all this client uses:
 * - "Get customer consent as Control Panel Vendor"
 *   (https://learn.microsoft.com/en-us/partner-center/developer/control-panel-vendor-apis):
 *   `POST /v1/customers/{c}/applicationconsents` (acquire, 200/201) and
 *   `DELETE /v1/customers/{c}/applicationconsents/{appId}` (remove). Nothing reads a consent back.
 * - The Partner Center SDK reference agrees: a customer's consent collection offers `create` and
 *   `byId`, and a single consent offers only `delete` ("IApplicationConsent Interface",
 *   https://learn.microsoft.com/en-us/previous-versions/java/api/com.microsoft.store.partnercenter.applicationconsents.iapplicationconsent?view=partnercenter-java-latest).
 * A consent cannot be amended and a second POST does not add scopes, so Microsoft's samples DELETE
 * before they POST. The state of a consent is read where it materialises: the application's
 * service principal and its grants in the customer tenant, through Microsoft Graph
 * (`handlers/directory/consentState.ts`).
 */

/** One resource grant: `scope` is a comma-separated list on the wire. */
export interface PcApplicationGrant {
  enterpriseApplicationId: string;
  scope: string;
}

export interface PcApplicationConsent {
  applicationId: string;
  displayName?: string;
  applicationGrants: PcApplicationGrant[];
}

function consentsPath(customerId: string): string {
  return `/v1/customers/${encodeURIComponent(customerId)}/applicationconsents`;
}

/** Creates the consent. Not idempotent at Microsoft: a second POST answers 409 (already exists). */
export async function createApplicationConsent(
  pc: ServiceClient,
  customerId: string,
  consent: PcApplicationConsent,
  idempotencyKey: string,
): Promise<PcApplicationConsent> {
  const res = await pc.send<PcApplicationConsent>({
    method: "POST",
    path: consentsPath(customerId),
    body: consent,
    idempotencyKey,
    auth: partnerCenterUser(),
  });
  return res.body ?? consent;
}

/** Removes the consent. `false` when there was none (404). */
export async function deleteApplicationConsent(
  pc: ServiceClient,
  customerId: string,
  applicationId: string,
): Promise<boolean> {
  return deleteIfPresent(pc, {
    path: `${consentsPath(customerId)}/${encodeURIComponent(applicationId)}`,
    auth: partnerCenterUser(),
  });
}
