/** Which identity acts where: the table lives in provider/auth/actingIdentity.ts. */
export {
  armOnBehalfOf,
  customerTenantApp,
  gdapUser,
  graphDirectoryAuth,
  partnerCenterApp,
  partnerCenterUser,
} from "../../auth/actingIdentity";
