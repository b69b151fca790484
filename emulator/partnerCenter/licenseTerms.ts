import type { JsonObject } from "../common/json";
import type { EmulatorCore } from "../common/types";
import { boolProp, numProp, strProp } from "./jsonBody";
import { pcErrors } from "./pcErrors";
import { pcSections, type SubscriptionRecord } from "./pcState";

/**
 * Terms of new-commerce license-based subscriptions, driven by the emulator's clock.
 *
 * What Microsoft Learn documents, and the emulator enforces:
 * - A subscription can be cancelled (PATCH `status: "deleted"`) within seven days of its purchase or
 *   renewal; afterwards the API refuses ("Cancel a commercial marketplace or new commerce
 *   subscription", https://learn.microsoft.com/partner-center/developer/cancel-an-azure-marketplace-subscription;
 *   "New commerce experience cancellation policy",
 *   https://learn.microsoft.com/partner-center/customers/new-commerce-cancellation-policy). Refusal:
 *   400 / 900117. `cancellationAllowedUntilDate` is "the last date for cancellation" ("Subscription
 *   resources", https://learn.microsoft.com/partner-center/developer/subscription-resources).
 * - Seats can be added at any time; seats can be removed only within seven days of when they were
 *   added (purchase, renewal or a midterm increase), and `refundableQuantity` lists how many and until
 *   when ("Change the quantity of licenses in a customer subscription",
 *   https://learn.microsoft.com/partner-center/developer/change-the-quantity-of-a-subscription;
 *   "Manage new commerce subscriptions", https://learn.microsoft.com/partner-center/customers/create-a-new-subscription).
 *   Refusal beyond those seats: 400 / 900257.
 * - Suspending turns auto-renew off ("Manage new commerce subscriptions"); quantity changes while
 *   suspended are 400 / 2001 (error-codes.md).
 * - At the end of the term (`commitmentEndDate` is inclusive: the term ends at the end of that day,
 *   "Subscription resources") a subscription with auto-renew starts a new term of
 *   `renewalTermDuration` with a new seven-day window for all its seats; without auto-renew it
 *   becomes `expired`.
 *
 * [U] The window is counted as 7 × 24 hours from the moment of the purchase, renewal or increase
 * (the docs say "seven days" / "seven calendar days"); a decrease removes the most recently added
 * seats first; a suspended subscription at the end of its term expires; turning auto-renew on for a
 * subscription that is not active is 400 / 800093.
 */

export const CANCELLATION_WINDOW_DAYS = 7;
const WINDOW_MS = CANCELLATION_WINDOW_DAYS * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** One batch of seats that can still be removed: `refundableQuantity.details[]`. */
interface RefundableSeats {
  quantity: number;
  allowedUntilDateTime: string;
}

/** Whether the subscription is a new-commerce license subscription (not the Azure plan). */
export function isLicenseSubscription(s: SubscriptionRecord): boolean {
  return s.resource.billingType === "license";
}

/** The inclusive last day of a term of `term` (P1M, P1Y, P3Y) starting at `start`, as published (`...T00:00:00Z`). */
export function termEnd(start: Date, term: string): string {
  const d = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  if (term === "P1Y") d.setUTCFullYear(d.getUTCFullYear() + 1);
  else if (term === "P3Y") d.setUTCFullYear(d.getUTCFullYear() + 3);
  else d.setUTCMonth(d.getUTCMonth() + 1);
  d.setUTCDate(d.getUTCDate() - 1);
  return `${d.toISOString().slice(0, 10)}T00:00:00Z`;
}

/** Sets the fields of a new term: end date, cancellation window, every seat refundable within it. */
export function startLicenseTerm(resource: JsonObject, start: Date, term: string): void {
  const until = new Date(start.getTime() + WINDOW_MS).toISOString();
  const quantity = Number(resource.quantity ?? 0);
  resource.termDuration = term;
  resource.renewalTermDuration ??= term;
  resource.commitmentEndDate = termEnd(start, term);
  resource.cancellationAllowedUntilDate = until;
  resource.refundableQuantity = refundable([{ quantity, allowedUntilDateTime: until }]);
}

function refundable(details: RefundableSeats[]): JsonObject {
  return {
    totalQuantity: details.reduce((n, d) => n + d.quantity, 0),
    details: details.map((d) => ({ ...d })),
  };
}

function refundableSeats(resource: JsonObject): RefundableSeats[] {
  const r = resource.refundableQuantity as { details?: RefundableSeats[] } | undefined;
  return (r?.details ?? []).map((d) => ({ ...d }));
}

/** The first instant after the (inclusive) last day of the term. */
function termOver(resource: JsonObject): number {
  return Date.parse(String(resource.commitmentEndDate)) + DAY_MS;
}

/**
 * Brings every license subscription up to the emulator's clock: closes seat windows that passed,
 * renews terms that ended (or lets them expire). Runs before every Partner Center request.
 */
export function settleLicenseTerms(emu: EmulatorCore): void {
  const subs = emu.state.partnerCenter.subscriptions as Record<string, SubscriptionRecord> | undefined;
  if (!subs) return;
  const now = emu.now().getTime();
  for (const s of Object.values(subs)) {
    if (!isLicenseSubscription(s)) continue;
    const r = s.resource;
    let changed = false;
    while ((r.status === "active" || r.status === "suspended") && termOver(r) <= now) {
      const start = new Date(termOver(r));
      if (r.status === "active" && r.autoRenewEnabled === true) {
        startLicenseTerm(r, start, String(r.renewalTermDuration ?? r.termDuration ?? "P1M"));
      } else {
        r.status = "expired";
        r.autoRenewEnabled = false;
        r.refundableQuantity = refundable([]);
      }
      changed = true;
    }
    const open = refundableSeats(r).filter((d) => Date.parse(d.allowedUntilDateTime) > now);
    if (r.refundableQuantity !== undefined && open.length !== refundableSeats(r).length) {
      r.refundableQuantity = refundable(open);
      changed = true;
    }
    if (changed) {
      s.version += 1;
      emu.markDirty();
    }
  }
}

/**
 * The license-specific part of a subscription PATCH: quantity (window rules), status (cancel within
 * the window, suspend, reactivate) and auto-renew. `body` is the request; only what differs applies.
 */
export function patchLicenseSubscription(emu: EmulatorCore, s: SubscriptionRecord, body: JsonObject): void {
  const r = s.resource;
  const now = emu.now();
  const statusText = strProp(body, "status")?.toLowerCase();
  const status = statusText !== undefined && statusText !== r.status ? statusText : undefined;
  if (status !== undefined && !["deleted", "suspended", "active"].includes(status)) {
    throw pcErrors.statusNotUpdatable(strProp(body, "status") ?? "");
  }
  if (r.status === "expired") throw pcErrors.statusNotUpdatable(status ?? "expired");

  if (status === "deleted") {
    if (now.getTime() > Date.parse(String(r.cancellationAllowedUntilDate))) {
      throw pcErrors.cancellationWindowPassed(CANCELLATION_WINDOW_DAYS);
    }
    r.status = "deleted";
    r.autoRenewEnabled = false;
    r.refundableQuantity = refundable([]);
    return;
  }

  // A full subscription is sent: only what differs from the subscription as it was asks for a change.
  const autoRenewBefore = r.autoRenewEnabled;
  const quantity = numProp(body, "quantity");
  if (quantity !== undefined && quantity !== r.quantity) {
    if ((status ?? r.status) === "suspended") throw pcErrors.quantityWhileSuspended();
    changeSeats(r, Number(r.quantity), quantity, now);
  }

  if (status === "suspended") {
    r.status = "suspended";
    r.suspensionReasons = ["CustomerCancellation"];
    r.autoRenewEnabled = false;
  } else if (status === "active") {
    r.status = "active";
    r.suspensionReasons = [];
  }

  const autoRenew = boolProp(body, "autoRenewEnabled");
  if (autoRenew !== undefined && autoRenew !== autoRenewBefore) {
    if (autoRenew && r.status !== "active") throw pcErrors.notAutoRenewable();
    r.autoRenewEnabled = autoRenew;
  }
}

/** A quantity change: an increase opens a window for the added seats, a decrease needs refundable seats. */
function changeSeats(r: JsonObject, from: number, to: number, now: Date): void {
  const seats = refundableSeats(r).filter((d) => Date.parse(d.allowedUntilDateTime) > now.getTime());
  if (to > from) {
    seats.push({
      quantity: to - from,
      allowedUntilDateTime: new Date(now.getTime() + WINDOW_MS).toISOString(),
    });
  } else {
    let remove = from - to;
    const open = seats.reduce((n, d) => n + d.quantity, 0);
    if (open < remove) throw pcErrors.seatReductionWindowPassed(CANCELLATION_WINDOW_DAYS);
    // Most recently added seats first.
    seats.sort((a, b) => a.allowedUntilDateTime.localeCompare(b.allowedUntilDateTime));
    for (let i = seats.length - 1; i >= 0 && remove > 0; i--) {
      const taken = Math.min(seats[i]!.quantity, remove);
      seats[i]!.quantity -= taken;
      remove -= taken;
    }
  }
  r.quantity = to;
  r.refundableQuantity = refundable(seats.filter((d) => d.quantity > 0));
}

/** License subscriptions of a customer that hold seats (active or suspended). */
export function seatSubscriptions(emu: EmulatorCore, customerId: string): SubscriptionRecord[] {
  return Object.values(pcSections(emu.state).subscriptions).filter(
    (s) =>
      s.customerId === customerId &&
      isLicenseSubscription(s) &&
      (s.resource.status === "active" || s.resource.status === "suspended"),
  );
}
