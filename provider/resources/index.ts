// Public resource classes; one export line per resource module.

export { ApplicationConsent, type ApplicationConsentArgs, type ConsentGrantArgs } from "./applicationConsent";
export {
  ApplicationRegistration,
  type ApplicationRegistrationArgs,
  type PasswordCredentialArgs,
  type RequiredResourceAccessArgs,
} from "./applicationRegistration";
export { AzurePlan, type AzurePlanArgs } from "./azurePlan";
export { AzureSubscription, type AzureSubscriptionArgs } from "./azureSubscription";
export { CspResource } from "./cspResource";
export { Customer, type CustomerArgs } from "./customer";
export { CustomerAgreement, type CustomerAgreementArgs } from "./customerAgreement";
export { CustomerUser, type CustomerUserArgs } from "./customerUser";
export { GdapAccessAssignment, type GdapAccessAssignmentArgs } from "./gdapAccessAssignment";
export { GdapRelationship, type GdapRelationshipArgs } from "./gdapRelationship";
export { LicenseSubscription, type LicenseSubscriptionArgs } from "./licenseSubscription";
export { PermissionGrant, type PermissionGrantArgs } from "./permissionGrant";
export { RoleAssignment, type RoleAssignmentArgs } from "./roleAssignment";
