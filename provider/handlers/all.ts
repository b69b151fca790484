// One import per resource handler module; each registers itself with the registry.
// Handler modules add their line here.
import "./customer";
import "./customerAgreement";
import "./azurePlan";
import "./azureSubscription";
import "./licenseSubscription";
import "./directory/customerUser";
import "./directory/applicationRegistration";
import "./directory/applicationConsent";
import "./directory/permissionGrant";
import "./rbac/roleAssignment";
import "./gdap/gdapRelationship";
import "./gdap/gdapAccessAssignment";
