// The handler lives in commerce/azureSubscription.ts. This re-export stays until test/reliability/support/faultTable.ts
// imports it from there.
export * from "./commerce/azureSubscription";
