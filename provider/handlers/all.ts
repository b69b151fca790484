// One import per resource handler module; each registers itself with the registry.
// Handler modules add their line here.
import "./customer";
import "./customerAgreement";
import "./azurePlan";
import "./azureSubscription";
import "./licenseSubscription";
import "./customerUser";
import "./applicationRegistration";
import "./applicationConsent";
import "./permissionGrant";
import "./roleAssignment";
import "./gdap/gdapRelationship";
import "./gdap/gdapAccessAssignment";
