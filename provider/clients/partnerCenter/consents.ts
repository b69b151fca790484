import { partnerCenterUser } from "../../handlers/identity/identities";
import type { ServiceClient } from "../../http/types";

/**
 * Partner Center application consents (control-panel-vendor API, reference §5.1): the partner
 * consents a multi-tenant app into a customer tenant for a list of resource scopes. App+user only.
 *
 * Documented: `POST /v1/customers/{c}/applicationconsents` (200/201) and
 * `DELETE /v1/customers/{c}/applicationconsents/{appId}`; Microsoft's samples DELETE before POST
 * because a consent cannot be amended and re-consenting does not add scopes.
 * Assumed [U]: `GET /v1/customers/{c}/applicationconsents/{appId}` returning the same shape
 * (not in the documentation or the SDK route tables); callers treat 404/405/501 on it as
 * "cannot tell" and verify through Graph in the customer tenant instead.
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

/** What a consent read told: the consent, its absence, or that the service cannot say ([U] route). */
export type ConsentLookup =
  | { kind: "found"; consent: PcApplicationConsent }
  | { kind: "absent" }
  | { kind: "unsupported" };

/**
 * Reads the consent of `applicationId` ([U] route). 404 with a Partner Center error body means
 * absent; 405/501 (or a 404 that is not a Partner Center "not found") means the route is not
 * available.
 */
export async function getApplicationConsent(
  pc: ServiceClient,
  customerId: string,
  applicationId: string,
): Promise<ConsentLookup> {
  const res = await pc.send<unknown>({
    method: "GET",
    path: `${consentsPath(customerId)}/${encodeURIComponent(applicationId)}`,
    auth: partnerCenterUser(),
    okStatuses: [404, 405, 501],
  });
  if (res.status === 405 || res.status === 501) return { kind: "unsupported" };
  if (res.status === 404) return { kind: "absent" };
  const body = res.body;
  const consent = isConsent(body) ? body : firstItem(body);
  return consent ? { kind: "found", consent } : { kind: "absent" };
}

function isConsent(v: unknown): v is PcApplicationConsent {
  return typeof v === "object" && v !== null && "applicationId" in v && "applicationGrants" in v;
}

function firstItem(v: unknown): PcApplicationConsent | undefined {
  if (typeof v !== "object" || v === null || !("items" in v)) return undefined;
  const items = (v as { items: unknown }).items;
  if (!Array.isArray(items)) return undefined;
  return items.find(isConsent);
}

/** Removes the consent. `false` when there was none (404). */
export async function deleteApplicationConsent(
  pc: ServiceClient,
  customerId: string,
  applicationId: string,
): Promise<boolean> {
  const res = await pc.send({
    method: "DELETE",
    path: `${consentsPath(customerId)}/${encodeURIComponent(applicationId)}`,
    auth: partnerCenterUser(),
    okStatuses: [404],
  });
  return res.status !== 404;
}
