import { z } from "zod";
import {
  listSubscribedSkus,
  listUserLicenseSkuIds,
  type PcSubscribedSku,
  updateUserLicenses,
} from "../../clients/partnerCenter/licenses";
import type { ServiceClient } from "../../http/types";
import { providerRefusal } from "../commerce/errors";
import { setChanges } from "../identity/sets";

/**
 * The licenses of a CustomerUser, reconciled as a set (licenses not listed are removed; without the
 * `licenses` input the user's licenses are not managed at all). Each entry names a SKU the customer
 * subscribes to by its name ("Microsoft 365 Business Premium"), its part number (`SPB`) or its id,
 * matched against the customer's subscribed SKUs ("Get a list of available licenses",
 * https://learn.microsoft.com/partner-center/developer/get-a-list-of-available-licenses; "License
 * resources", ProductSku: name, skuPartNumber, id).
 *
 * Before any write, every SKU the user does not hold yet needs a free seat (`availableUnits`, "total
 * units - consumed units"); otherwise the change is refused naming the SKU and its counts, where
 * Partner Center would answer 400 / 60012 ("Assign licenses to a user",
 * https://learn.microsoft.com/partner-center/developer/assign-licenses-to-a-user). All changes of a
 * user go in one `LicenseUpdate`.
 *
 * [U] The SKUs are resolved at `up`, not at preview: a program may buy them in the same update
 * (a LicenseSubscription the user depends on), and the subscribed SKUs are App+User only.
 */

export const licensesField = z
  .array(z.string({ error: "must be a string" }).trim().min(1, "must not be empty"), {
    error: "must be a list of license names or SKU ids",
  })
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((l, i) => {
      if (seen.has(l.toLowerCase())) ctx.addIssue({ code: "custom", path: [i], message: "is listed twice" });
      seen.add(l.toLowerCase());
    });
  })
  .optional();

function matches(sku: PcSubscribedSku, declared: string): boolean {
  const d = declared.trim().toLowerCase();
  const p = sku.productSku;
  return [p.id, p.name, p.skuPartNumber].some((v) => typeof v === "string" && v.toLowerCase() === d);
}

function label(sku: PcSubscribedSku): string {
  const p = sku.productSku;
  return `${p.name ?? p.id}${p.skuPartNumber ? ` (${p.skuPartNumber})` : ""}`;
}

/** The declared licenses as SKU ids (lower case, sorted); refuses a name the customer does not subscribe to. */
export function resolveLicenses(
  skus: PcSubscribedSku[],
  declared: readonly string[],
  customerId: string,
): string[] {
  const ids = declared.map((d, i) => {
    const sku = skus.find((s) => matches(s, d));
    if (!sku) {
      const known = skus.map(label).join(", ") || "none";
      throw providerRefusal(
        `licenses[${i}]: "${d}" is not a license customer ${customerId} subscribes to (its subscribed SKUs: ${known})`,
        "buy it first (a LicenseSubscription the user depends on) or name a subscribed SKU by name, part number or id",
      );
    }
    return sku.productSku.id.toLowerCase();
  });
  return [...new Set(ids)].sort();
}

/** Refuses adding licenses without a free seat, naming the SKU and its counts. */
export function assertSeats(skus: PcSubscribedSku[], toAdd: readonly string[], user: string): void {
  const short = toAdd
    .map((id) => skus.find((s) => s.productSku.id.toLowerCase() === id)!)
    .filter((s) => (s.availableUnits ?? 0) < 1);
  if (short.length === 0) return;
  const counts = short
    .map(
      (s) =>
        `${label(s)}: ${s.totalUnits ?? s.activeUnits ?? 0} seats, ${s.consumedUnits ?? 0} assigned, ${s.availableUnits ?? 0} available`,
    )
    .join("; ");
  throw providerRefusal(
    `licenses: no seat left to give user ${user} ${short.map(label).join(" and ")} (${counts})`,
    "add seats (the LicenseSubscription's quantity) or remove the license from another user first; nothing was changed",
  );
}

/** Declared licenses as the user holds them: declared spellings first, then SKU ids held but not declared. */
export function licensesAsDeclared(
  skus: PcSubscribedSku[],
  declared: readonly string[],
  heldIds: readonly string[],
): string[] {
  const held = new Set(heldIds);
  const covered = new Set<string>();
  const out: string[] = [];
  for (const d of declared) {
    const id = skus.find((s) => matches(s, d))?.productSku.id.toLowerCase();
    if (id && held.has(id) && !covered.has(id)) {
      out.push(d);
      covered.add(id);
    }
  }
  for (const id of heldIds) if (!covered.has(id)) out.push(id);
  return out;
}

/**
 * The check before any write of a create: the user's current licenses (an existing user with the
 * UPN is taken over, so it may hold some) and a free seat for each license to add. Returns the
 * subscribed SKUs for the assignment that follows.
 */
export async function verifyLicenses(
  pc: ServiceClient,
  customerId: string,
  declared: readonly string[],
  user: { id?: string; upn: string },
): Promise<PcSubscribedSku[]> {
  const skus = await listSubscribedSkus(pc, customerId);
  const desired = resolveLicenses(skus, declared, customerId);
  const held = user.id ? await listUserLicenseSkuIds(pc, customerId, user.id) : [];
  assertSeats(skus, setChanges(desired, held).toAdd, user.upn);
  return skus;
}

/** Assigns and removes licenses so that the user holds exactly the declared ones; returns their SKU ids. */
export async function reconcileLicenses(
  pc: ServiceClient,
  customerId: string,
  user: { id: string; upn: string },
  declared: readonly string[],
  known?: PcSubscribedSku[],
): Promise<string[]> {
  const skus = known ?? (await listSubscribedSkus(pc, customerId));
  const desired = resolveLicenses(skus, declared, customerId);
  const held = await listUserLicenseSkuIds(pc, customerId, user.id);
  const { toAdd, toRemove } = setChanges(desired, held);
  if (toAdd.length === 0 && toRemove.length === 0) return desired;
  assertSeats(skus, toAdd, user.upn);
  await updateUserLicenses(pc, customerId, user.id, { assign: toAdd, remove: toRemove });
  return desired;
}
