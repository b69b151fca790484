/**
 * pulumi-csp: Microsoft Cloud Solution Provider (Partner Center, Graph, ARM) as Pulumi resources.
 */
export * from "./components";
export * from "./provider/resources";
