import { applicationConsentHandler } from "../../../provider/handlers/directory/applicationConsent";
import { applicationRegistrationHandler } from "../../../provider/handlers/directory/applicationRegistration";
import { customerUserHandler } from "../../../provider/handlers/directory/customerUser";
import { permissionGrantHandler } from "../../../provider/handlers/directory/permissionGrant";
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

/**
 * The bad-input cases of the customer's directory: CustomerUser, ApplicationRegistration,
 * ApplicationConsent, PermissionGrant.
 */
export function directoryBadInputs(w: World): ResourceCases[] {
  const userBase: Json = {
    customerId: w.customerId,
    userPrincipalName: `alice@${w.domain}`,
    displayName: "Alice",
    usageLocation: "US",
  };

  const appBase: Json = { tenantId: w.customerId, displayName: "Line of business app" };
  const graphApp = "00000003-0000-0000-c000-000000000000";
  const consentBase: Json = {
    customerId: w.customerId,
    displayName: "Partner automation",
    grants: [{ enterpriseApplicationId: graphApp, scopes: ["Directory.Read.All"] }],
  };
  const grantBase: Json = {
    tenantId: w.customerId,
    clientAppId: UNKNOWN_GUID,
    resourceAppId: graphApp,
    appRoles: ["User.Read.All"],
  };
  return [
    resource(
      "CustomerUser",
      erase(customerUserHandler),
      userBase,
      [
        [["customerId"], NOT_A_GUID, "not a tenant id", /must be a GUID/],
        [
          ["customerId"],
          UNKNOWN_GUID,
          "not a customer of the partner",
          /was not found for this partner account/,
        ],
        [["userPrincipalName"], "alice", "without a domain", /user principal name like/],
        [
          ["userPrincipalName"],
          `.alice@${w.domain}`,
          "starting with a dot",
          /a period only between two other characters/,
        ],
        [
          ["userPrincipalName"],
          `al..ice@${w.domain}`,
          "two dots in a row",
          /a period only between two other characters/,
        ],
        [["userPrincipalName"], `al/ice@${w.domain}`, "with a slash", /A-Z a-z 0-9 ' \. - _ ! # \^ ~/],
        [["userPrincipalName"], `al%ice@${w.domain}`, "with a percent sign", /Entra ID username policy/],
        [["userPrincipalName"], `al*ice=x@${w.domain}`, "with * and =", /Entra ID username policy/],
        [
          ["userPrincipalName"],
          `alice@${w.otherDomain}`,
          "domain of another customer",
          /is not a domain of customer/,
        ],
        [["firstName"], long(65), "too long", /at most 64/],
        [["lastName"], "", "empty", /must not be empty/],
        [["displayName"], "", "empty", /must not be empty/],
        [["displayName"], long(257), "too long", /at most 256/],
        [["usageLocation"], "USA", "three letters", /two-letter ISO 3166-1/],
        [["usageLocation"], "XX", "not a country", /assigned ISO 3166-1/],
        [["forceChangePassword"], "yes", "not a boolean", /expected boolean/i],
        [["roles"], [""], "empty role", /must not be empty/, "roles.0"],
        [
          ["account"],
          "no-such account",
          "not an account name",
          /name of a configured partner account \(letters, digits, _ or -\)/,
        ],
        UNKNOWN_ACCOUNT,
        [["mailNickname"], "alice", "unknown input", /unrecognized key/i, "(inputs)"],
      ],
      [
        {
          label: "a weak password (the value is not shown)",
          property: "password",
          rule: /at least three of: lower case, upper case, digits, symbols/,
          news: { ...userBase, password: "weakpassword" },
          secret: "weakpassword",
        },
        {
          label: "a too short password (the value is not shown)",
          property: "password",
          rule: /8 to 256 characters/,
          news: { ...userBase, password: "S3cr#t" },
          secret: "S3cr#t",
        },
        {
          label: "an unknown directory role",
          property: "roles[0]",
          rule: /is not a known directory role name/,
          news: { ...userBase, roles: ["Coffee Administrator"] },
        },
      ],
    ),

    resource("ApplicationRegistration", erase(applicationRegistrationHandler), appBase, [
      [["tenantId"], NOT_A_GUID, "not a tenant id", /must be a GUID/],
      [["displayName"], "", "empty", /must not be empty/],
      [["displayName"], long(257), "too long", /at most 256/],
      [["signInAudience"], "Everyone", "unknown audience", /must be one of AzureADMyOrg/],
      [
        ["requiredResourceAccess"],
        [{ resourceAppId: graphApp, resourceAccess: [] }],
        "no permission",
        /at least one permission/,
        "requiredResourceAccess.0.resourceAccess",
      ],
      [
        ["requiredResourceAccess"],
        [{ resourceAppId: graphApp, resourceAccess: [{ id: UNKNOWN_GUID, type: "Delegated" }] }],
        "unknown permission type",
        /"Scope" or "Role"/,
        "requiredResourceAccess.0.resourceAccess.0.type",
      ],
      [
        ["redirectUris"],
        ["http://app.contoso.example/callback"],
        "plain http",
        /https:\/\/ URL/,
        "redirectUris.0",
      ],
      [
        ["redirectUris"],
        ["https://*.contoso.example/callback"],
        "wildcard",
        /without a fragment or wildcard/,
        "redirectUris.0",
      ],
      [["identifierUris"], ["contoso app"], "not a URI", /must be a URI/, "identifierUris.0"],
      [["passwordCredential", "displayName"], "", "empty credential name", /must not be empty/],
      [
        ["account"],
        "no-such account",
        "not an account name",
        /name of a configured partner account \(letters, digits, _ or -\)/,
      ],
      UNKNOWN_ACCOUNT,
      [["owners"], [UNKNOWN_GUID], "unknown input", /unrecognized key/i, "(inputs)"],
    ]),

    resource(
      "ApplicationConsent",
      erase(applicationConsentHandler),
      consentBase,
      [
        [["customerId"], NOT_A_GUID, "not a tenant id", /must be a GUID/],
        [["applicationId"], "partner-app", "not an app id", /must be a GUID/],
        [["displayName"], "", "empty", /must not be empty/],
        [["grants"], [], "no grant", /at least one grant/],
        [["grants", 0, "enterpriseApplicationId"], "graph", "not an app id", /must be a GUID/],
        [["grants", 0, "scopes"], [], "no scope", /at least one scope/],
        [["grants", 0, "scopes", 0], "Directory Read All", "scope with spaces", /permission name/],
        UNKNOWN_ACCOUNT,
      ],
      [
        {
          label: "the same resource application twice",
          property: "grants.1.enterpriseApplicationId",
          rule: /must appear once/,
          news: {
            ...consentBase,
            grants: [
              { enterpriseApplicationId: graphApp, scopes: ["Directory.Read.All"] },
              { enterpriseApplicationId: graphApp, scopes: ["User.Read.All"] },
            ],
          },
        },
      ],
    ),

    resource(
      "PermissionGrant",
      erase(permissionGrantHandler),
      grantBase,
      [
        [["tenantId"], undefined, "missing", /GUID|expected string/i],
        [["clientAppId"], NOT_A_GUID, "not an app id", /must be a GUID/],
        [["resourceAppId"], "graph", "not an app id", /must be a GUID/],
        [["appRoles", 0], "User Read All", "permission with spaces", /permission name/],
        [
          ["delegatedScopes"],
          ["User.Read, openid"],
          "comma-separated list",
          /permission name/,
          "delegatedScopes.0",
        ],
        UNKNOWN_ACCOUNT,
      ],
      [
        {
          label: "no permission at all",
          property: "delegatedScopes",
          rule: /must list at least one permission/,
          news: { ...grantBase, appRoles: [], delegatedScopes: [] },
        },
      ],
    ),
  ];
}
