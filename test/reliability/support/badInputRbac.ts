import { roleAssignmentHandler } from "../../../provider/handlers/rbac/roleAssignment";
import {
  long,
  NOT_A_GUID,
  type ResourceCases,
  resource,
  UNKNOWN_ACCOUNT,
  UNKNOWN_GUID,
  type World,
} from "./badInputKit";
import { erase, type Json } from "./faultKit";

/** The bad-input cases of Azure RBAC: RoleAssignment. */
export function rbacBadInputs(w: World): ResourceCases[] {
  const rbacBase: Json = {
    tenantId: w.customerId,
    scope: `/subscriptions/${w.subscriptionId}`,
    roleName: "Reader",
    principalId: UNKNOWN_GUID,
    principalType: "User",
  };
  return [
    resource(
      "RoleAssignment",
      erase(roleAssignmentHandler),
      rbacBase,
      [
        [["tenantId"], NOT_A_GUID, "not a tenant id", /must be a GUID/],
        [
          ["scope"],
          "/resourceGroups/rg1",
          "not under a subscription",
          /must be \/subscriptions\/\{subscriptionId\}/,
        ],
        [
          ["scope"],
          "/subscriptions/prod",
          "not a subscription id",
          /must be \/subscriptions\/\{subscriptionId\}/,
        ],
        [["roleName"], undefined, "neither role name nor id", /exactly one of roleName/],
        [["roleDefinitionId"], "Reader", "both role name and id", /role definition GUID/],
        [["principalId"], "alice@contoso.example", "not an object id", /must be a GUID/],
        [
          ["principalType"],
          undefined,
          "missing principal type",
          /must be one of User, Group, ServicePrincipal, ForeignGroup/,
        ],
        [
          ["principalType"],
          "Robot",
          "unknown principal type",
          /must be one of User, Group, ServicePrincipal, ForeignGroup/,
        ],
        [["description"], long(2049), "too long", /at most 2048/],
        UNKNOWN_ACCOUNT,
      ],
      [
        {
          label: "a role name and a role id together",
          property: "roleName",
          rule: /exactly one of roleName/,
          news: { ...rbacBase, roleDefinitionId: "acdd72a7-3385-48ef-bd42-f606fba81ae7" },
        },
      ],
    ),
  ];
}
