import { findPartnerBillingAccount } from "../../clients/arm/subscriptions";
import type { CspApi } from "../../clients/cspApi";
import { currentMcaTemplate } from "../../clients/partnerCenter/agreements";
import { getCustomer, isDomainTaken, type PcCustomer } from "../../clients/partnerCenter/customers";

/**
 * What a provider process learns once and the commerce handlers share, through the account's
 * memo (`CspApi.memo`, processMemo.ts). During `pulumi up` the engine calls `check` and then
 * `create` of a resource in the same provider-host process, and creates a tenant's resources one
 * after the other there, so:
 *
 * - per-process facts are read once: the current Microsoft Customer Agreement template and the
 *   partner's billing account (neither changes during one command);
 * - what `check` just read is handed to `create` (the domain's availability, the customer record),
 *   trusted for {@link CHECK_TO_CREATE_TTL_MS} only;
 * - a customer this process created itself is known to be new: it has no attestation, plan or
 *   order yet, so the first agreement and plan of it need not look for one before writing.
 */

/** How long an answer read by `check` is trusted by the `create` that follows it. */
export const CHECK_TO_CREATE_TTL_MS = 60_000;

const CREATED = "customer-created:";

/** `HEAD /v1/domains/{domain}` once per check-then-create. */
export function domainTaken(api: CspApi, domain: string): Promise<boolean> {
  return api.memo.get(
    `domain-taken:${domain.toLowerCase()}`,
    () => isDomainTaken(api.partnerCenter, domain),
    {
      ttlMs: CHECK_TO_CREATE_TTL_MS,
    },
  );
}

/** Drops the answer of {@link domainTaken}: the create uses it once, and then the domain changes hands. */
export function forgetDomain(api: CspApi, domain: string): void {
  api.memo.forget(`domain-taken:${domain.toLowerCase()}`);
}

/** `GET /v1/customers/{id}`, shared by the reads of one customer that follow each other closely. */
export function readCustomer(api: CspApi, customerId: string): Promise<PcCustomer | undefined> {
  return api.memo.get(
    `customer:${customerId.toLowerCase()}`,
    () => getCustomer(api.partnerCenter, customerId),
    {
      ttlMs: CHECK_TO_CREATE_TTL_MS,
    },
  );
}

/** Stores a customer record just read or created, for {@link readCustomer}. */
export function rememberCustomer(api: CspApi, customer: PcCustomer): void {
  api.memo.set(`customer:${customer.id.toLowerCase()}`, customer, { ttlMs: CHECK_TO_CREATE_TTL_MS });
}

/** Records that this process created the customer (a fresh `POST /v1/customers` for a free domain). */
export function markCreatedHere(api: CspApi, customerId: string): void {
  api.memo.set(`${CREATED}${customerId.toLowerCase()}`, true);
}

/** Whether this process created the customer. */
export function createdHere(api: CspApi, customerId: string): boolean {
  return api.memo.has(`${CREATED}${customerId.toLowerCase()}`);
}

/**
 * True once per `kind` for a customer this process created: the first agreement (or plan) of a
 * new customer has nothing to find, so it writes without looking. A second one of the same kind
 * in the same process (a duplicate declaration, a test creating twice) looks first as usual. The
 * claim is taken synchronously, before any await, so concurrent creates cannot both take it.
 */
export function firstOfNewCustomer(api: CspApi, customerId: string, kind: string): boolean {
  return createdHere(api, customerId) && api.memo.claim(`${CREATED}${customerId.toLowerCase()}:${kind}`);
}

/** Records the customer's Azure plan (its Partner Center subscription id), bought or found here. */
export function rememberPlan(api: CspApi, customerId: string, planSubscriptionId: string): void {
  api.memo.set(`azure-plan:${customerId.toLowerCase()}`, planSubscriptionId);
}

/** The customer's Azure plan when this process recorded it; never read for it. */
export async function knownPlan(api: CspApi, customerId: string): Promise<string | undefined> {
  const key = `azure-plan:${customerId.toLowerCase()}`;
  return api.memo.has(key) ? api.memo.get<string | undefined>(key, async () => undefined) : undefined;
}

/** The current MCA template, read once per process (`GET /v1/agreements`). */
export function mcaTemplate(api: CspApi) {
  return api.memo.get("mca-template", () => currentMcaTemplate(api.partnerCenter));
}

/** The partner's MPA billing account, read once per process (ARM `GET billingAccounts`). */
export function billingAccount(api: CspApi) {
  return api.memo.get("mpa-billing-account", () => findPartnerBillingAccount(api.arm));
}
