import type { PcSubscription } from "../../clients/partnerCenter/commerce";
import type { LicenseOnDelete } from "./licenseInputs";

/**
 * The new-commerce windows, as the provider reads them from a subscription:
 *
 * - Seats can be added at any time and are billed for the rest of the term; seats can be removed
 *   only within seven days of when they were added (purchase, renewal or a midterm increase); the
 *   subscription's `refundableQuantity` says how many and until when ("Change the quantity of
 *   licenses in a customer subscription",
 *   https://learn.microsoft.com/partner-center/developer/change-the-quantity-of-a-subscription: "To
 *   determine if your subscription allows a decrease, refer to ... the refundableQuantity field";
 *   "Manage new commerce subscriptions", https://learn.microsoft.com/partner-center/customers/create-a-new-subscription).
 * - The subscription can be cancelled within seven days of its purchase or renewal, until
 *   `cancellationAllowedUntilDate` ("Cancel a commercial marketplace or new commerce subscription",
 *   https://learn.microsoft.com/partner-center/developer/cancel-an-azure-marketplace-subscription;
 *   "Subscription resources", https://learn.microsoft.com/partner-center/developer/subscription-resources).
 *   After that "the partner is billed for the full term"; what remains is turning auto-renew off so
 *   that it ends with its term, or changing it at renewal.
 *
 * The decision about the cancellation window is made with the service's clock (the `Date` of its
 * answer), not the local one.
 */

/** `refundableQuantity` of a subscription ("Subscription resources" sample). */
interface RefundableQuantity {
  totalQuantity?: number;
  details?: { quantity?: number; allowedUntilDateTime?: string }[];
}

/** Seats that can still be removed, and until when the last of them can. */
export function removableSeats(sub: PcSubscription): { seats: number; until?: string } {
  const r = sub.refundableQuantity as RefundableQuantity | undefined;
  const details = r?.details ?? [];
  const seats = r?.totalQuantity ?? details.reduce((n, d) => n + (d.quantity ?? 0), 0);
  const until = details
    .map((d) => d.allowedUntilDateTime)
    .filter((d): d is string => typeof d === "string")
    .sort()
    .pop();
  return until ? { seats, until } : { seats };
}

/** `YYYY-MM-DD HH:MM UTC` for messages. */
export function shownDate(iso: string | undefined): string {
  if (!iso) return "(unknown)";
  const t = Date.parse(iso);
  return Number.isFinite(t) ? `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC` : iso;
}

/** The last day of the term, as a date. */
export function termEndDay(sub: object): string {
  const value = (sub as { commitmentEndDate?: unknown }).commitmentEndDate;
  const end = typeof value === "string" ? value : undefined;
  return end ? end.slice(0, 10) : "(unknown)";
}

/**
 * Why a decrease from `from` to `to` seats is refused, or `undefined` when the seats to remove are
 * still in their window. The message names the dates and what is possible instead.
 */
export function decreaseRefusal(sub: PcSubscription, from: number, to: number): string | undefined {
  if (to >= from) return undefined;
  const { seats, until } = removableSeats(sub);
  if (seats >= from - to) return undefined;
  const closed =
    seats > 0
      ? `only ${seats} of its seats ${seats === 1 ? "is" : "are"} still in the seven-day window for removing seats (until ${shownDate(until)})`
      : `its window for removing seats has closed (the seven days after its purchase or last renewal ended ${shownDate(typeof sub.cancellationAllowedUntilDate === "string" ? sub.cancellationAllowedUntilDate : undefined)}, and no seats were added since)`;
  return `cannot decrease license subscription ${sub.id} from ${from} to ${to} seats: Partner Center removes seats only within seven days of adding them, and ${closed}. The ${from} seats stay billable until the term ends on ${termEndDay(sub)}. What is possible: keep quantity at ${from} now and lower it at renewal (the seats of a new term can be removed within its first seven days), or set autoRenew: false so the subscription ends with its term`;
}

/** Whether the subscription can still be cancelled at `serviceTime`. */
export function cancellationOpen(sub: PcSubscription, serviceTime: Date): boolean {
  const until = Date.parse(String(sub.cancellationAllowedUntilDate ?? ""));
  return Number.isFinite(until) && serviceTime.getTime() <= until;
}

/** The `deletionBehavior` output: what removing the resource does, with the dates it depends on. */
export function describeLicenseDeletion(
  mode: LicenseOnDelete,
  state: { quantity?: number; cancellationAllowedUntilDate?: string; commitmentEndDate?: string },
): string {
  if (mode === "leave") {
    return "leave: deleting this resource only stops managing the subscription; it stays active and billable, and renews as set";
  }
  const until = state.cancellationAllowedUntilDate
    ? `until ${shownDate(state.cancellationAllowedUntilDate)}`
    : "within seven days of its purchase or renewal";
  const end = state.commitmentEndDate ? ` on ${termEndDay(state)}` : "";
  return `cancel: deleting this resource cancels the subscription while Partner Center allows it (${until}, with a prorated refund); after that it turns auto-renew off instead, and the ${state.quantity ?? ""} seats stay billable until the term ends${end}`.replace(
    "the  seats",
    "the seats",
  );
}
