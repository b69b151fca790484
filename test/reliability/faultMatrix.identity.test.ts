import { defineFaultMatrix } from "./support/faultMatrix";
import { FAULT_ROWS } from "./support/faultTable";

/**
 * Fault matrix, identity resources: every create, update and delete write of CustomerUser,
 * ApplicationRegistration, ApplicationConsent, PermissionGrant, RoleAssignment, GdapRelationship
 * and GdapAccessAssignment under every injected fault (see `support/faultKit.ts` for the kinds and
 * `support/faultRunner.ts` for what each cell asserts).
 */
defineFaultMatrix(
  "identity",
  FAULT_ROWS.filter(
    (r) =>
      !["Customer", "CustomerAgreement", "AzurePlan", "AzureSubscription", "LicenseSubscription"].includes(
        r.resource,
      ),
  ),
);
