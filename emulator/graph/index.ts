import { errorCode } from "../common/errorCode";
import type { ServiceModule } from "../common/types";
import { applicationRoutes } from "./applications";
import { appRoleAssignmentRoutes } from "./appRoleAssignments";
import { delegatedAdminAccessAssignmentRoutes } from "./delegatedAdminAccessAssignments";
import { delegatedAdminRelationshipRoutes } from "./delegatedAdminRelationships";
import { graphErrorResponse } from "./graphError";
import { groupRoutes } from "./groups";
import { oauth2PermissionGrantRoutes } from "./oauth2PermissionGrants";
import { servicePrincipalRoutes } from "./servicePrincipals";
import { userRoutes } from "./users";

export { type GdapAccess, gdapAccess, gdapRolesForUser } from "./gdapAccess";
export { approveRelationship, GdapApprovalError } from "./gdapAdmin";
export { customerApprovalLink } from "./gdapModel";

/**
 * The Microsoft Graph v1.0 emulation: directory objects of the tenant named by the token's `tid`
 * (applications, service principals, users, groups, delegated permission grants, app role
 * assignments) and GDAP relationships of a partner tenant. Anything else answers 501 from the
 * server.
 */
export const graphModule: ServiceModule = {
  service: "graph",
  routes: [
    ...applicationRoutes,
    ...appRoleAssignmentRoutes,
    ...servicePrincipalRoutes,
    ...userRoutes,
    ...groupRoutes,
    ...oauth2PermissionGrantRoutes,
    ...delegatedAdminAccessAssignmentRoutes,
    ...delegatedAdminRelationshipRoutes,
  ],
  errorResponse(status, code, message, req) {
    const compact = errorCode(code);
    const graphCode =
      status === 404 && compact.toLowerCase().includes("notfound")
        ? "Request_ResourceNotFound"
        : status === 401
          ? "InvalidAuthenticationToken"
          : compact;
    return graphErrorResponse(req, status, graphCode, message);
  },
};
