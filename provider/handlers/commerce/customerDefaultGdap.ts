import type { CspApi } from "../../clients/cspApi";
import {
  type GdapRelationship,
  listRelationshipsWithCustomer,
} from "../../clients/graph/delegatedAdminRelationships";
import type { CheckFailure, HandlerContext } from "../types";
import { isUnknown } from "../types";

/**
 * The Customer's `enableGdapByDefault` input and `defaultGdapRelationshipId` output.
 *
 * What Microsoft documents:
 * - "Create a customer" (https://learn.microsoft.com/partner-center/developer/create-a-customer):
 *   the create body's boolean `enableGDAPByDefault`; true makes Partner Center create GDAP by
 *   default, false does not.
 * - "GDAP frequently asked questions" (https://learn.microsoft.com/partner-center/security/dap-faq):
 *   since November 1, 2023 a production create that omits the field also gets the Default GDAP
 *   relationship. Its roles include Privileged Role Administrator, Privileged Authentication
 *   Administrator, User Administrator and (for direct bill partners and indirect providers)
 *   Application and Cloud Application Administrator; the partner must still assign its security
 *   groups to it.
 *
 * What we chose:
 * - The input defaults to false, and the field is always sent: a stack should not end up with a
 *   privileged, standing relationship that nobody declared and nobody tracks. A partner who wants
 *   it says `true`; one who wants GDAP should rather declare a GdapRelationship with the roles it
 *   needs.
 * - It only matters when Partner Center creates the customer, so it cannot change afterwards:
 *   check refuses a change with what to do instead (a replacement is out of the question for a
 *   customer tenant). Customers recorded before this input existed, and adopted ones, have no
 *   recorded value: any value is accepted for them and changes nothing.
 * - With `adopt`, `true` is refused (an existing customer has whatever relationships it has).
 * - The output is read with one Graph list of the partner's relationships with the customer, only
 *   when the input is true (at create and at refresh). Which of them is the Default one: the one
 *   named `Default_…` [U: the name shape seen in the field, not documented]; right after the
 *   create, also the only relationship the new customer has. A failed or empty lookup does not
 *   fail the create (the customer exists by then): it is logged and a refresh tries again.
 */

export const ENABLE_GDAP_BY_DEFAULT = "enableGdapByDefault";

const NAME_PREFIX = "default_";
const ENDED = new Set(["expired", "terminated", "terminating", "terminationRequested"]);

interface GdapByDefaultInputs {
  enableGdapByDefault?: boolean;
  adopt?: unknown;
  domainPrefix?: string;
}

/** Check failures of `enableGdapByDefault`: with adopt, or changed after the create. */
export function gdapByDefaultFailures(
  olds: Partial<GdapByDefaultInputs>,
  news: Partial<GdapByDefaultInputs>,
): CheckFailure[] {
  const value = news.enableGdapByDefault;
  if (value === undefined || isUnknown(value)) return [];
  // The schema names a value that is not a boolean.
  if (typeof value !== "boolean") return [];
  if (value && news.adopt !== undefined) {
    return [
      {
        property: ENABLE_GDAP_BY_DEFAULT,
        reason: `${ENABLE_GDAP_BY_DEFAULT}: only applies to a customer this resource creates; an adopted customer already exists with whatever GDAP relationships it has. Remove ${ENABLE_GDAP_BY_DEFAULT}, and declare a GdapRelationship for the access you need`,
      },
    ];
  }
  return changeFailures(olds, value);
}

function changeFailures(olds: Partial<GdapByDefaultInputs>, value: boolean): CheckFailure[] {
  const before = olds.enableGdapByDefault;
  if (olds.domainPrefix === undefined || typeof before !== "boolean" || before === value) return [];
  const remedy = before
    ? "Partner Center granted the Default GDAP relationship then (see defaultGdapRelationshipId); to end it, terminate it in Partner Center (Customers > Admin relationships)"
    : "to give the partner access now, declare a GdapRelationship with the roles it needs (the customer approves it)";
  return [
    {
      property: ENABLE_GDAP_BY_DEFAULT,
      reason: `${ENABLE_GDAP_BY_DEFAULT}: cannot change from ${before} to ${value}: Partner Center applies it only when it creates the customer, so changing it now would change nothing. Set it back to ${before}; ${remedy}`,
    },
  ];
}

/**
 * The value check records: false when a new customer is created without one; left as declared
 * for adopted customers and for customers recorded without one.
 */
export function gdapByDefaultInput(
  olds: Partial<GdapByDefaultInputs>,
  news: Partial<GdapByDefaultInputs>,
): boolean | undefined {
  if (news.enableGdapByDefault !== undefined) return news.enableGdapByDefault;
  if (news.adopt !== undefined) return undefined;
  const isNew = olds.domainPrefix === undefined;
  if (isNew || typeof olds.enableGdapByDefault === "boolean") return false;
  return undefined;
}

/** The Default relationship among the partner's relationships with the customer (see above). */
export function pickDefaultRelationship(
  relationships: GdapRelationship[],
  justCreated: boolean,
): GdapRelationship | undefined {
  const named = relationships.filter((r) => r.displayName.toLowerCase().startsWith(NAME_PREFIX));
  if (named.length > 0) return named.find((r) => !ENDED.has(r.status)) ?? named[0];
  if (justCreated && relationships.length === 1) return relationships[0];
  return undefined;
}

/**
 * Finds the Default GDAP relationship with `customerId` (one Graph list, as the admin agent).
 * Returns its id, or `undefined` after logging why (not listed yet, or the list failed).
 */
export async function findDefaultGdapRelationship(
  api: CspApi,
  customerId: string,
  name: string,
  justCreated: boolean,
  ctx: HandlerContext,
): Promise<string | undefined> {
  let relationships: GdapRelationship[];
  try {
    relationships = await listRelationshipsWithCustomer(api.graph, customerId);
  } catch (e) {
    ctx.log(
      `Customer ${name}: could not list its GDAP relationships to find the Default GDAP relationship (${e instanceof Error ? e.message : String(e)}); defaultGdapRelationshipId stays empty until a refresh finds it`,
    );
    return undefined;
  }
  const found = pickDefaultRelationship(relationships, justCreated);
  if (!found) {
    ctx.log(
      `Customer ${name}: Partner Center lists no Default GDAP relationship with customer ${customerId} yet; a refresh fills defaultGdapRelationshipId once it does`,
    );
    return undefined;
  }
  if (justCreated) {
    const roles = found.accessDetails?.unifiedRoles?.length ?? 0;
    ctx.log(
      `Customer ${name}: Partner Center granted the Default GDAP relationship ${found.id} (${found.status}, ${roles} roles); it gives nobody access until you assign security groups to it (GdapAccessAssignment)`,
    );
  }
  return found.id;
}
