// The handler lives in commerce/azurePlan.ts. This re-export stays until test/reliability/support/faultTable.ts
// imports it from there.
export * from "./commerce/azurePlan";
