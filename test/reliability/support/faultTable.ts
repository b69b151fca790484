import { agreementRows, customerRows, planRows, subscriptionRows } from "./faultTableCommerce";
import { applicationRows, userRows } from "./faultTableDirectory";
import { accessRows, gdapRows } from "./faultTableGdap";
import { consentRows, grantRows } from "./faultTableGrants";
import type { FaultRow } from "./faultTableKit";
import { licenseRows } from "./faultTableLicenses";
import { rbacRows } from "./faultTableRbac";

/**
 * The fault matrix table: one row per write of every create, update and delete of every
 * resource type: which request to fault (method + service path pattern), how to get there
 * (setup, inputs) and which objects must exist at the emulator afterwards. The row's shape and
 * what rows share are in faultTableKit.ts; each family's rows in its own faultTable*.ts.
 */

/** Every row of the fault matrix. */
export const FAULT_ROWS: readonly FaultRow[] = [
  ...customerRows,
  ...agreementRows,
  ...planRows,
  ...subscriptionRows,
  ...licenseRows(),
  ...userRows,
  ...applicationRows,
  ...consentRows,
  ...grantRows,
  ...rbacRows,
  ...gdapRows,
  ...accessRows,
];

/** `Resource operation (step)`, as test names use it. */
export function rowName(row: FaultRow): string {
  return `${row.resource} ${row.operation}${row.step ? ` (${row.step})` : ""}`;
}
