import { gdapAccessAssignmentHandler } from "../../../provider/handlers/gdap/gdapAccessAssignment";
import { gdapRelationshipHandler } from "../../../provider/handlers/gdap/gdapRelationship";
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

/** The bad-input cases of GDAP: GdapRelationship, GdapAccessAssignment. */
export function gdapBadInputs(w: World): ResourceCases[] {
  const gdapBase: Json = {
    displayName: "Bad input relationship",
    customerTenantId: w.customerId,
    duration: "P730D",
    roles: ["Helpdesk Administrator"],
  };
  const accessBase: Json = {
    relationshipId: w.relationshipId,
    securityGroupId: w.adminAgentsGroupId,
    roles: ["Helpdesk Administrator"],
  };
  return [
    resource(
      "GdapRelationship",
      erase(gdapRelationshipHandler),
      gdapBase,
      [
        [["displayName"], "", "empty", /must not be empty/],
        [["displayName"], long(51), "too long", /at most 50/],
        [["customerTenantId"], NOT_A_GUID, "not a tenant id", /must be a GUID/],
        [["customerDisplayName"], long(257), "too long", /at most 256/],
        [["duration"], "2 years", "not a duration", /ISO 8601 duration/],
        [["duration"], "P3Y", "too long", /between P1D and P2Y/],
        [["duration"], "P0D", "zero", /between P1D and P2Y/],
        [["duration"], "PT12H", "hours", /ISO 8601 duration/],
        [["roles"], [], "no role", /at least one role/],
        [["autoExtendDuration"], "P90D", "unsupported auto-extend", /must be one of PT0S, P0D, P180D/],
        UNKNOWN_ACCOUNT,
      ],
      [
        {
          label: "an unknown directory role",
          property: "roles[0]",
          rule: /is not a known directory role name/,
          news: { ...gdapBase, roles: ["Helpdesk Admin"] },
        },
        {
          label: "Global Administrator with auto-extend",
          property: "autoExtendDuration",
          rule: /must be PT0S when roles include Global Administrator/,
          news: { ...gdapBase, roles: ["Global Administrator"], autoExtendDuration: "P180D" },
        },
      ],
    ),

    resource(
      "GdapAccessAssignment",
      erase(gdapAccessAssignmentHandler),
      accessBase,
      [
        [["relationshipId"], "relationship-1", "not a relationship id", /GDAP relationship id/],
        [
          ["relationshipId"],
          `${UNKNOWN_GUID}-${UNKNOWN_GUID}`,
          "unknown relationship",
          /was not found for this partner account/,
        ],
        [["securityGroupId"], "AdminAgents", "not a group id", /must be a GUID/],
        [["roles"], [], "no role", /at least one role/],
        [
          ["roles"],
          ["Global Administrator"],
          "a role outside the relationship",
          /not among the roles of GDAP relationship/,
        ],
        UNKNOWN_ACCOUNT,
      ],
      [
        {
          label: "an unknown directory role",
          property: "roles[0]",
          rule: /is not a known directory role name/,
          news: { ...accessBase, roles: ["Helpdesk Admin"] },
        },
      ],
    ),
  ];
}
