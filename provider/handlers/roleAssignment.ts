/**
 * Moved to rbac/roleAssignment.ts. This re-export stays only while test/reliability/support/faultTable.ts
 * (split by another change) imports the old path; delete it once that file imports the new one.
 */
export * from "./rbac/roleAssignment";
