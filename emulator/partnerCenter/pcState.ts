import type { EmulatorState, PartnerCenterState } from "../common/state";

/**
 * Module-private sections of `state.partnerCenter` (the contract leaves `[section: string]` for
 * them). They are created on first use, so a state seeded without them (or loaded from an older
 * data directory) works unchanged. Everything is JSON-serialisable and holds no secrets.
 */
export interface PcSections {
  /** Carts by cart id. */
  carts: Record<string, CartRecord>;
  /** Orders by order id. */
  orders: Record<string, OrderRecord>;
  /** Partner Center subscriptions by subscription id (lower case). */
  subscriptions: Record<string, SubscriptionRecord>;
  /** Confirmed customer agreements by customer id. */
  agreements: Record<string, AgreementRecord[]>;
  /** Application consents by customer id, then application id (lower case). */
  applicationConsents: Record<string, Record<string, ApplicationConsentRecord>>;
  /** Partner Center-only customer-user properties by `${customerId}/${userId}`. */
  customerUserExtras: Record<string, CustomerUserExtras>;
  /** When each stored idempotent answer was recorded (MS-RequestId -> ISO time), for expiry. */
  idempotencyTimes: Record<string, string>;
  /** Licenses assigned to customer users: `${customerId}/${userId}` -> SKU ids (lower case). */
  licenseAssignments: Record<string, string[]>;
}

export interface CartRecord {
  id: string;
  customerId: string;
  partnerTenantId: string;
  /** The `Cart` JSON as returned (without `links`/`attributes`, added by the view). */
  resource: Record<string, unknown>;
  /** The checkout answer once the cart was ordered. */
  checkoutResult?: Record<string, unknown>;
}

export interface OrderLineItemSpec {
  lineItemNumber: number;
  offerId: string;
  quantity: number;
  billingCycle: string;
  termDuration?: string;
  friendlyName?: string;
  /** The indirect reseller of record (its MPN id), shown as the order line item's `partnerIdOnRecord`. */
  partnerIdOnRecord?: string;
}

export interface OrderRecord {
  id: string;
  customerId: string;
  partnerTenantId: string;
  /** The `Order` JSON as returned (without `links`/`attributes`). */
  resource: Record<string, unknown>;
  /** What to provision; kept until the order is fulfilled. */
  items: OrderLineItemSpec[];
  /** When set, the order is still provisioning: subscriptions appear at this emulator time. */
  provisionAt?: string;
}

export interface SubscriptionRecord {
  id: string;
  customerId: string;
  partnerTenantId: string;
  /** Bumped on every write; the etag encodes it (like the published etag `{"id":…,"version":2}`). */
  version: number;
  /** The `Subscription` JSON as returned (without `links`/`attributes`). */
  resource: Record<string, unknown>;
}

export interface AgreementRecord {
  userId: string;
  primaryContact: Record<string, unknown>;
  templateId: string;
  dateAgreed: string;
  type: string;
}

export interface ApplicationConsentRecord {
  applicationId: string;
  displayName: string;
  applicationGrants: { enterpriseApplicationId: string; scope: string }[];
  createdDateTime: string;
  /** Directory objects the consent materialised in the customer tenant. */
  servicePrincipalId: string;
  oauth2PermissionGrantIds: string[];
  appRoleAssignmentIds: string[];
}

export interface CustomerUserExtras {
  immutableId?: string;
  phoneNumber?: string;
}

/** The module's sections of `state.partnerCenter`, created on first use. */
export function pcSections(state: EmulatorState): PcSections & PartnerCenterState {
  const pc = state.partnerCenter as PartnerCenterState & Partial<PcSections>;
  pc.carts ??= {};
  pc.orders ??= {};
  pc.subscriptions ??= {};
  pc.agreements ??= {};
  pc.applicationConsents ??= {};
  pc.customerUserExtras ??= {};
  pc.idempotencyTimes ??= {};
  pc.licenseAssignments ??= {};
  return pc as PcSections & PartnerCenterState;
}
