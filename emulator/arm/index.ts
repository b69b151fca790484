import { errorCode } from "../common/errorCode";
import type { ServiceModule } from "../common/types";
import { aliasRoutes } from "./aliases";
import { armErrorResponse } from "./armError";
import { billingRoutes } from "./billing";
import { resourceGroupRoutes } from "./resourceGroups";
import { resourceScopeRoutes } from "./resourceScopeRoutes";
import { roleAssignmentRoutes } from "./roleAssignments";
import { roleDefinitionRoutes } from "./roleDefinitions";
import { subscriptionRoutes } from "./subscriptions";

/**
 * The Azure Resource Manager emulation: built-in role definitions, role assignments at
 * subscription, resource group and resource scope, subscriptions and their cancel/enable/rename
 * actions, resource groups (what blocks a cancel), subscription aliases under a customer's Azure
 * plan, and the partner's MPA billing account.
 * ARM paths are case-insensitive (`resourceGroups` = `resourcegroups`).
 */
export const armModule: ServiceModule = {
  service: "arm",
  caseInsensitivePaths: true,
  routes: [
    ...roleDefinitionRoutes,
    ...roleAssignmentRoutes,
    ...subscriptionRoutes,
    ...resourceGroupRoutes,
    ...aliasRoutes,
    ...billingRoutes,
    // Last: the catch-all for resource scopes below a resource group.
    ...resourceScopeRoutes,
  ],
  errorResponse(status, code, message, req) {
    // Injected faults pass HTTP reason phrases (`Too Many Requests`); ARM codes are PascalCase.
    return armErrorResponse(req, status, errorCode(code), message);
  },
};
