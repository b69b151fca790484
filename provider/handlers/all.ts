// One import per resource handler module; each registers itself with the registry.
// Handler modules add their line here.
import "./commerce/customer";
import "./commerce/customerAgreement";
import "./commerce/azurePlan";
import "./commerce/azureSubscription";
import "./commerce/licenseSubscription";
import "./directory/customerUser";
import "./directory/applicationRegistration";
import "./directory/applicationConsent";
import "./directory/permissionGrant";
import "./rbac/roleAssignment";
import "./gdap/gdapRelationship";
import "./gdap/gdapAccessAssignment";
