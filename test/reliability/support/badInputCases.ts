import { applicationConsentHandler } from "../../../provider/handlers/applicationConsent";
import { applicationRegistrationHandler } from "../../../provider/handlers/applicationRegistration";
import { azurePlanHandler } from "../../../provider/handlers/commerce/azurePlan";
import { azureSubscriptionHandler } from "../../../provider/handlers/commerce/azureSubscription";
import { customerHandler } from "../../../provider/handlers/commerce/customer";
import { customerAgreementHandler } from "../../../provider/handlers/commerce/customerAgreement";
import { customerUserHandler } from "../../../provider/handlers/customerUser";
import { gdapAccessAssignmentHandler } from "../../../provider/handlers/gdapAccessAssignment";
import { gdapRelationshipHandler } from "../../../provider/handlers/gdapRelationship";
import { permissionGrantHandler } from "../../../provider/handlers/permissionGrant";
import { roleAssignmentHandler } from "../../../provider/handlers/roleAssignment";
import { licenseBadInputs } from "./badInputLicenses";
import { type AnyHandler, erase, type Json } from "./faultKit";

/**
 * The bad-input table: for every resource, valid base inputs and, for every validated field, the
 * invalid values `check` must refuse with a failure naming the field and the rule.
 */

/** Ids of objects that exist at the emulator, for the checks that read (domains, relationships, catalog). */
export interface World {
  /** A customer of the default account (country US) and its domain. */
  customerId: string;
  domain: string;
  /** Another customer of the same partner, without an Azure plan, and its domain. */
  otherCustomerId: string;
  otherDomain: string;
  /** The partner tenant's own domain prefix: taken by another organization. */
  takenPrefix: string;
  /** The customer's Azure subscription (from its Azure plan). */
  subscriptionId: string;
  /** An active GDAP relationship with Helpdesk Administrator and User Administrator. */
  relationshipId: string;
  adminAgentsGroupId: string;
}

export interface BadCase {
  resource: string;
  handler: AnyHandler;
  /** What is wrong, for the test name. */
  label: string;
  /** Property the failure must name. */
  property: string;
  /** What the reason must mention: the field (for an unknown input, its key). */
  field: string;
  /** The rule the reason must state. */
  rule: RegExp;
  news: Json;
  /** Stored inputs+outputs for a change of an existing resource (absent: a create). */
  olds?: Json;
  /** Run with purchases disabled for the stack (`CSP_ALLOW_PURCHASES=false`). */
  purchasesDisabled?: boolean;
  /** A secret value that must not appear in any failure. */
  secret?: string;
}

export interface ResourceCases {
  resource: string;
  handler: AnyHandler;
  /** Valid inputs: `check` accepts them (so each case fails because of its one change). */
  base: Json;
  cases: BadCase[];
}

type Path = (string | number)[];

/** `base` with the value at `path` replaced (`undefined` removes it). */
function withValue(base: Json, path: Path, value: unknown): Json {
  const copy = structuredClone(base) as Json;
  let cur: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    cur[key] = structuredClone(cur[key] ?? {});
    cur = cur[key] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return copy;
}

export const long = (n: number) => "x".repeat(n);
export const NOT_A_GUID = "not-a-guid";
export const UNKNOWN_GUID = "5d9e1f4a-2b3c-4d5e-8f60-718293a4b5c6";

export type Row = [path: Path, value: unknown, label: string, rule: RegExp, property?: string];
export type Extra = Omit<BadCase, "resource" | "handler" | "field"> & { field?: string };

/**
 * The cases of one resource: rows change one value of `base` (the failure names the dotted path
 * unless `property` says otherwise); extras are whole cases (several values, or a change of an
 * existing resource).
 */
export function resource(
  name: string,
  handler: AnyHandler,
  base: Json,
  rows: Row[],
  extras: Extra[] = [],
): ResourceCases {
  return {
    resource: name,
    handler,
    base,
    cases: [
      ...rows.map(([path, value, label, rule, property]) => ({
        resource: name,
        handler,
        label,
        property: property ?? path.join("."),
        field: path.join("."),
        rule,
        news: withValue(base, path, value),
      })),
      ...extras.map((extra) => ({ resource: name, handler, field: extra.property, ...extra })),
    ],
  };
}

export function badInputTable(w: World): ResourceCases[] {
  const address = {
    firstName: "Ada",
    lastName: "Lovelace",
    addressLine1: "One Microsoft Way",
    city: "Redmond",
    state: "WA",
    postalCode: "98052",
    country: "US",
  };
  const customerBase: Json = {
    domainPrefix: "badinputcontoso",
    companyName: "Contoso Ltd",
    billingProfile: {
      email: "billing@contoso.example",
      culture: "en-US",
      language: "en",
      defaultAddress: address,
    },
  };
  const customerOlds: Json = {
    ...customerBase,
    customerId: w.customerId,
    domain: "badinputcontoso.onmicrosoft.com",
    adopted: false,
  };
  const addr = (field: string): Path => ["billingProfile", "defaultAddress", field];

  const agreementBase: Json = {
    customerId: w.customerId,
    primaryContact: { firstName: "Ada", lastName: "Lovelace", email: "ada@contoso.example" },
  };

  const planBase: Json = { customerId: w.otherCustomerId, acknowledgePurchase: true };
  const subscriptionBase: Json = {
    customerId: w.customerId,
    displayName: "Production",
    acknowledgePurchase: true,
  };
  const subscriptionOlds: Json = { ...subscriptionBase, key: "Production", workload: "Production" };

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
  const rbacBase: Json = {
    tenantId: w.customerId,
    scope: `/subscriptions/${w.subscriptionId}`,
    roleName: "Reader",
    principalId: UNKNOWN_GUID,
    principalType: "User",
  };
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
      "Customer",
      erase(customerHandler),
      customerBase,
      [
        [["domainPrefix"], "", "empty", /1-27 letters or digits/],
        [["domainPrefix"], long(28), "too long", /1-27 letters or digits/],
        [["domainPrefix"], "con-toso", "with a hyphen", /no dots or hyphens/],
        [["domainPrefix"], 42, "not a string", /must be a string/],
        [
          ["domainPrefix"],
          w.takenPrefix,
          "domain of another organization",
          /already taken by another organization/,
        ],
        [["companyName"], "", "empty", /2-255 characters/],
        [["companyName"], long(256), "too long", /2-255 characters/],
        [["billingProfile", "email"], "billing.contoso.example", "not an e-mail", /e-mail address/],
        [["billingProfile", "email"], `${long(250)}@x.io`, "too long", /at most 254/],
        [["billingProfile", "culture"], "english", "wrong format", /culture such as en-US/],
        [["billingProfile", "language"], "english", "wrong format", /language such as en/],
        [["billingProfile", "companyName"], "A", "too short", /2-255 characters/],
        [addr("firstName"), "", "empty", /is required/],
        [addr("firstName"), long(51), "too long", /at most 50/],
        [addr("lastName"), " ", "blank", /is required/],
        [addr("addressLine1"), undefined, "missing", /must be a string/],
        [addr("addressLine1"), long(201), "too long", /at most 200/],
        [addr("addressLine2"), long(201), "too long", /at most 200/],
        [addr("city"), "", "empty", /is required/],
        [addr("state"), "WAS", "too long", /at most 2 characters/],
        [addr("postalCode"), long(21), "too long", /at most 20/],
        [addr("country"), "USA", "three letters", /ISO 3166-1 alpha-2/],
        [addr("country"), "XX", "not a country", /ISO 3166-1 alpha-2/],
        [addr("phoneNumber"), "call me", "not a phone number", /phone number/],
        [["organizationRegistrationNumber"], "", "empty", /must not be empty/],
        [["associatedPartnerId"], "reseller", "not a partner id", /MPN id/],
        [
          ["associatedPartnerId"],
          "7654321",
          "not an indirect reseller of the account",
          /7654321 is not an indirect reseller of partner account "default"/,
        ],
        [["adopt", "customerId"], NOT_A_GUID, "not a tenant id", /tenant id/],
        [["onDelete"], "destroy", "unknown behaviour", /"leave" or "removeRelationship"/],
        [["account"], "nope", "unknown account", /no partner account named "nope"/],
      ],
      [
        {
          label: "a country that needs a registration number, without one",
          property: "organizationRegistrationNumber",
          rule: /is required for customers in PL/,
          news: withValue(
            withValue(customerBase, addr("country"), "PL"),
            addr("phoneNumber"),
            "+48 22 123 4567",
          ),
        },
        {
          label: "a country that needs a phone number, without one",
          property: "billingProfile.defaultAddress.phoneNumber",
          rule: /is required for customers in PL/,
          news: {
            ...withValue(customerBase, addr("country"), "PL"),
            organizationRegistrationNumber: "1234567890",
          },
        },
        {
          label: "adopt.domain that is not the domain prefix's domain",
          property: "adopt.domain",
          rule: /must be the customer's initial domain/,
          news: { ...customerBase, adopt: { domain: w.otherDomain } },
        },
        {
          label: "a changed domain prefix of an existing customer",
          property: "domainPrefix",
          rule: /cannot change.*cannot be replaced/s,
          news: { ...customerBase, domainPrefix: "othercontoso" },
          olds: customerOlds,
        },
        {
          label: "a changed company name of an existing customer",
          property: "companyName",
          rule: /cannot change.*cannot be replaced/s,
          news: { ...customerBase, companyName: "Fabrikam" },
          olds: customerOlds,
        },
      ],
    ),

    resource(
      "CustomerAgreement",
      erase(customerAgreementHandler),
      agreementBase,
      [
        [["customerId"], NOT_A_GUID, "not a tenant id", /tenant id/],
        [["primaryContact", "firstName"], "", "empty", /is required/],
        [["primaryContact", "lastName"], long(51), "too long", /at most 50/],
        [["primaryContact", "email"], "ada", "not an e-mail", /e-mail address/],
        [["primaryContact", "phoneNumber"], "call me", "not a phone number", /phone number/],
        [["dateAgreed"], "yesterday", "not a date", /ISO 8601 date/],
        [["dateAgreed"], "2024-13-45", "impossible date", /ISO 8601 date/],
        [["templateId"], "mca", "not a template id", /agreement template id/],
        [["account"], "nope", "unknown account", /no partner account named "nope"/],
      ],
      [
        {
          label: "a changed date of a recorded attestation",
          property: "dateAgreed",
          rule: /cannot change/,
          news: { ...agreementBase, dateAgreed: "2025-01-02T00:00:00Z" },
          olds: { ...agreementBase, dateAgreed: "2025-01-01T00:00:00Z" },
        },
      ],
    ),

    resource(
      "AzurePlan",
      erase(azurePlanHandler),
      planBase,
      [
        [["customerId"], NOT_A_GUID, "not a tenant id", /tenant id/],
        [
          ["customerId"],
          UNKNOWN_GUID,
          "not a customer of the partner",
          /is not a customer of partner account/,
        ],
        [
          ["acknowledgePurchase"],
          undefined,
          "missing acknowledgement",
          /billable purchase: set acknowledgePurchase: true/,
        ],
        [["acknowledgePurchase"], false, "false", /billable purchase: set acknowledgePurchase: true/],
        [["friendlyName"], "", "empty", /must not be empty/],
        [["friendlyName"], long(51), "too long", /at most 50/],
        [["status"], "paused", "unknown status", /"active" or "suspended"/],
        [["catalogItemId"], "azure-plan", "wrong format", /product:sku:availability/],
        [
          ["catalogItemId"],
          "DZH318Z0BPS6:0001:ZZZZZZZZZZZZ",
          "unknown catalog item",
          /is not available to customer/,
        ],
        [
          ["onDelete"],
          "cancel",
          "unknown behaviour",
          /"suspend", "cancelSubscriptionsAndSuspend" or "leave"/,
        ],
        [["partnerIdOnRecord"], "reseller", "not an MPN id", /MPN id/],
        [
          ["partnerIdOnRecord"],
          "7654321",
          "not an indirect reseller of the account",
          /7654321 is not an indirect reseller of partner account "default"/,
        ],
        [["account"], "nope", "unknown account", /no partner account named "nope"/],
      ],
      [
        {
          label: "a new purchase while the stack forbids purchases",
          property: "acknowledgePurchase",
          rule: /purchases are disabled for this stack/,
          news: planBase,
          purchasesDisabled: true,
        },
        {
          label: "a changed customer of an existing plan",
          property: "customerId",
          rule: /cannot change.*never replaced/s,
          news: { ...planBase, customerId: UNKNOWN_GUID },
          olds: { ...planBase, subscriptionId: UNKNOWN_GUID, status: "active" },
        },
      ],
    ),

    resource(
      "AzureSubscription",
      erase(azureSubscriptionHandler),
      subscriptionBase,
      [
        [["customerId"], NOT_A_GUID, "not a tenant id", /tenant id/],
        [["displayName"], "", "empty", /is required/],
        [["displayName"], long(65), "too long", /at most 64/],
        [["displayName"], "prod|test", "forbidden character", /must not contain < > ; or \|/],
        [["workload"], "Test", "unknown workload", /"Production" or "DevTest"/],
        [
          ["acknowledgePurchase"],
          undefined,
          "missing acknowledgement",
          /billable purchase: set acknowledgePurchase: true/,
        ],
        [["key"], " ", "blank", /must not be empty/],
        [["key"], long(201), "too long", /at most 200/],
        [["aliasName"], "my alias", "with a space", /1-64 letters, digits/],
        [["resellerId"], "reseller", "not an MPN id", /MPN id/],
        [["onDelete"], "leave", "unknown deletion", /"cancel" or "cancelAsCompromised"/],
        [["cancellationReason"], "compromise", "the former input", /no longer an input.*onDelete/],
        [["account"], "nope", "unknown account", /no partner account named "nope"/],
      ],
      [
        {
          label: "a new purchase while the stack forbids purchases",
          property: "acknowledgePurchase",
          rule: /purchases are disabled for this stack/,
          news: subscriptionBase,
          purchasesDisabled: true,
        },
        {
          label: "a changed workload of an existing subscription",
          property: "workload",
          rule: /cannot change.*never replaced implicitly/s,
          news: { ...subscriptionBase, workload: "DevTest" },
          olds: subscriptionOlds,
        },
        {
          label: "a changed key of an existing subscription",
          property: "key",
          rule: /cannot change/,
          news: { ...subscriptionBase, key: "Other" },
          olds: subscriptionOlds,
        },
      ],
    ),

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
        [["account"], "no-such account", "not an account name", /account name/],
        [["account"], "nope", "unknown account", /no partner account named "nope"/],
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
      [["account"], "no-such account", "not an account name", /account name/],
      [["account"], "nope", "unknown account", /no partner account named "nope"/],
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
        [["account"], "nope", "unknown account", /no partner account named "nope"/],
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
        [["account"], "nope", "unknown account", /no partner account named "nope"/],
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
        [["account"], "nope", "unknown account", /no partner account named "nope"/],
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
        [["account"], "nope", "unknown account", /no partner account named "nope"/],
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
        [["account"], "nope", "unknown account", /no partner account named "nope"/],
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
    ...licenseBadInputs(w),
  ];
}
