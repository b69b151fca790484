// Public component resources; one export line per component module.

export {
  type CustomerSpec,
  type CustomerSpecApplication,
  type CustomerSpecLicense,
  type CustomerSpecRoleAssignment,
  type CustomerSpecSubscription,
  type CustomerSpecUser,
  customerSpecJsonSchema,
  customerSpecSchema,
  DEFAULT_PARTNER_APP_GRAPH_SCOPES,
  GRAPH_APP_ID,
  PLAN_SUBSCRIPTION_KEY,
  validateCustomerSpec,
} from "./customerSpec";
export { CustomerSpecError } from "./customerSpecError";
export {
  CustomerTenant,
  type CustomerTenantArgs,
  type CustomerTenantGdap,
  type CustomerTenantOptions,
} from "./customerTenant";
export { loadCustomerSpecs, parseCustomerSpec } from "./loadCustomerSpecs";
export {
  type CredentialSources,
  type PartnerAppCredentials,
  partnerAppCredentials,
} from "./partnerAppCredentials";
