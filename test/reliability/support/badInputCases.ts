import { commerceBadInputs } from "./badInputCommerce";
import { directoryBadInputs } from "./badInputDirectory";
import { gdapBadInputs } from "./badInputGdap";
import type { ResourceCases, World } from "./badInputKit";
import { licenseBadInputs } from "./badInputLicenses";
import { rbacBadInputs } from "./badInputRbac";

/**
 * The bad-input table: for every resource, valid base inputs and, for every validated field, the
 * invalid values `check` must refuse with a failure naming the field and the rule. The case's
 * shape is in badInputKit.ts; each family's cases in its own badInput*.ts.
 */
export function badInputTable(w: World): ResourceCases[] {
  return [
    ...commerceBadInputs(w),
    ...directoryBadInputs(w),
    ...rbacBadInputs(w),
    ...gdapBadInputs(w),
    ...licenseBadInputs(w),
  ];
}
