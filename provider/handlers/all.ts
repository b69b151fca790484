// One import per resource handler module; each registers itself with the registry.
// Handler modules add their line here.
import "./commerce/customer";
import "./commerce/customerAgreement";
import "./commerce/azurePlan";
import "./commerce/azureSubscription";
import "./commerce/licenseSubscription";
import "./customerUser";
import "./applicationRegistration";
import "./applicationConsent";
import "./permissionGrant";
import "./roleAssignment";
import "./gdapRelationship";
import "./gdapAccessAssignment";
