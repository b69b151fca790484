import { defineFaultMatrix } from "./support/faultMatrix";
import { FAULT_ROWS } from "./support/faultTable";

/**
 * Fault matrix, commerce resources: every create, update and delete write of Customer,
 * CustomerAgreement, AzurePlan, AzureSubscription and LicenseSubscription under every injected fault (see
 * `support/faultKit.ts` for the kinds and `support/faultRunner.ts` for what each cell asserts).
 * CustomerAgreement delete sends no request (an acceptance cannot be withdrawn), so it has no row.
 */
defineFaultMatrix(
  "commerce",
  FAULT_ROWS.filter((r) =>
    ["Customer", "CustomerAgreement", "AzurePlan", "AzureSubscription", "LicenseSubscription"].includes(
      r.resource,
    ),
  ),
);
