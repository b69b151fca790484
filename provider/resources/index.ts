// Public resource classes; one export line per resource module.

export { AzurePlan, type AzurePlanArgs } from "./azurePlan";
export { AzureSubscription, type AzureSubscriptionArgs } from "./azureSubscription";
export { CspResource } from "./cspResource";
export { Customer, type CustomerArgs } from "./customer";
export { CustomerAgreement, type CustomerAgreementArgs } from "./customerAgreement";
