/**
 * Built-in Azure RBAC role definitions the emulator knows, with their real ids and permission sets
 * ("Azure built-in roles",
 * https://learn.microsoft.com/azure/role-based-access-control/built-in-roles, which lists the ids
 * of Owner, Contributor, Reader, User Access Administrator and Role Based Access Control
 * Administrator). Action lists are abbreviated to what decides the emulated operations.
 */

export interface BuiltInRole {
  id: string;
  roleName: string;
  description: string;
  actions: string[];
  notActions: string[];
}

export const OWNER_ROLE_ID = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
export const CONTRIBUTOR_ROLE_ID = "b24988ac-6180-42a0-ab88-20f7382dd24c";
export const READER_ROLE_ID = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
export const USER_ACCESS_ADMINISTRATOR_ROLE_ID = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
export const RBAC_ADMINISTRATOR_ROLE_ID = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";

export const BUILT_IN_ROLES: BuiltInRole[] = [
  {
    id: OWNER_ROLE_ID,
    roleName: "Owner",
    description:
      "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
    actions: ["*"],
    notActions: [],
  },
  {
    id: CONTRIBUTOR_ROLE_ID,
    roleName: "Contributor",
    description:
      "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.",
    actions: ["*"],
    notActions: [
      "Microsoft.Authorization/*/Delete",
      "Microsoft.Authorization/*/Write",
      "Microsoft.Authorization/elevateAccess/Action",
      "Microsoft.Blueprint/blueprintAssignments/write",
      "Microsoft.Blueprint/blueprintAssignments/delete",
      "Microsoft.Compute/galleries/share/action",
      "Microsoft.Purview/consents/write",
      "Microsoft.Purview/consents/delete",
      "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
      "Microsoft.Subscription/cancel/action",
      "Microsoft.Subscription/enable/action",
    ],
  },
  {
    id: READER_ROLE_ID,
    roleName: "Reader",
    description: "View all resources, but does not allow you to make any changes.",
    actions: ["*/read"],
    notActions: [],
  },
  {
    id: USER_ACCESS_ADMINISTRATOR_ROLE_ID,
    roleName: "User Access Administrator",
    description: "Lets you manage user access to Azure resources.",
    actions: ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"],
    notActions: [],
  },
  {
    id: RBAC_ADMINISTRATOR_ROLE_ID,
    roleName: "Role Based Access Control Administrator",
    description:
      "Manage access to Azure resources by assigning roles using Azure RBAC. This role does not allow you to manage access using other ways, such as Azure Policy.",
    actions: [
      "Microsoft.Authorization/roleAssignments/write",
      "Microsoft.Authorization/roleAssignments/delete",
      "*/read",
      "Microsoft.Support/*",
    ],
    notActions: [],
  },
];

/** Built-in role by id (case-insensitive). */
export function findBuiltInRole(id: string): BuiltInRole | undefined {
  const wanted = id.toLowerCase();
  return BUILT_IN_ROLES.find((r) => r.id === wanted);
}

function matches(pattern: string, action: string): boolean {
  const source = pattern
    .split("*")
    .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`, "i").test(action);
}

/** Whether a role's permissions allow an action (`actions` match and no `notActions` match). */
export function roleAllows(role: BuiltInRole, action: string): boolean {
  return role.actions.some((a) => matches(a, action)) && !role.notActions.some((n) => matches(n, action));
}
