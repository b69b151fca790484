import type { CspApi } from "../../clients/cspApi";
import { listIndirectResellers, type PcPartnerRelationship } from "../../clients/partnerCenter/relationships";
import { checkCannotRun } from "../common";
import type { CheckFailure, HandlerContext } from "../types";
import { providerRefusal } from "./errors";
import { accountName } from "./fields";

/**
 * The indirect model's rule, checked before anything is written: a reseller named on a customer
 * (`associatedPartnerId`) or on a purchase (`partnerIdOnRecord`) must be an active indirect
 * reseller of the account.
 *
 * Partner Center refuses anything else with 400 / 800016 "PartnerID isn't a valid Indirect
 * Reseller" (404 / 800015 for an id no partner has; "Partner Center REST error codes",
 * https://learn.microsoft.com/partner-center/developer/error-codes): "Create a customer for an
 * indirect reseller" requires that "the indirect reseller must have a partnership with the
 * indirect provider" (https://learn.microsoft.com/partner-center/developer/create-a-customer-for-an-indirect-reseller),
 * and "Create an order for a customer of an indirect reseller" picks the reseller's MPN id from the
 * provider's list of indirect resellers
 * (https://learn.microsoft.com/partner-center/developer/create-an-order-for-a-customer-of-an-indirect-reseller).
 * The list is `GET /v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf`
 * (App+User). A reseller matches by tenant id or MPN id; [U] "active" is `state` Active (the
 * docs show only that value).
 */

type Verdict = { ok: true } | { ok: false; reason: string };

function describe(r: PcPartnerRelationship): string {
  return `${r.name || "(no name)"} (PartnerID ${r.mpnId || "?"}, tenant ${r.id}, ${r.state || "state unknown"})`;
}

/** Whether `value` names an active indirect reseller among `resellers`, and if not, why. */
export function resellerVerdict(
  resellers: PcPartnerRelationship[],
  field: string,
  value: string,
  account: string,
): Verdict {
  const wanted = value.trim().toLowerCase();
  const match = resellers.find(
    (r) => r.id.toLowerCase() === wanted || (r.mpnId ?? "").toLowerCase() === wanted,
  );
  if (match && (match.state ?? "").toLowerCase() === "active") return { ok: true };
  const listed =
    resellers.length > 0
      ? `its indirect resellers: ${resellers.map(describe).join("; ")}`
      : "Partner Center lists no indirect resellers for it (a direct-bill partner, or an indirect provider without resellers)";
  const why = match
    ? `${value} is an indirect reseller of partner account "${account}" whose relationship is ${match.state || "not active"}, not Active`
    : `${value} is not an indirect reseller of partner account "${account}"`;
  return {
    ok: false,
    reason: `${field}: ${why}; Partner Center would refuse it (800016 "PartnerID isn't a valid Indirect Reseller"). ${listed}`,
  };
}

/**
 * A check failure when `value` is not an active indirect reseller of the account (one read).
 * When the list cannot be read (no App+User credentials, service down), the preview fails naming
 * the cause: a preview that cannot run its checks fails.
 */
export async function resellerFailures(
  ctx: HandlerContext,
  account: string | undefined,
  field: string,
  value: string,
): Promise<CheckFailure[]> {
  let resellers: PcPartnerRelationship[];
  try {
    resellers = await listIndirectResellers(ctx.api(account).partnerCenter);
  } catch (e) {
    throw checkCannotRun(
      `whether ${field} ${value} is an indirect reseller of partner account "${accountName(account)}"`,
      e,
    );
  }
  const verdict = resellerVerdict(resellers, field, value, accountName(account));
  return verdict.ok ? [] : [{ property: field, reason: verdict.reason }];
}

/** The same rule before a write in `create` (check may have run with the value not known yet). */
export async function assertActiveReseller(api: CspApi, field: string, value: string): Promise<void> {
  const verdict = resellerVerdict(await listIndirectResellers(api.partnerCenter), field, value, api.account);
  if (!verdict.ok) {
    throw providerRefusal(verdict.reason, `set ${field} to one of the account's active indirect resellers`);
  }
}
