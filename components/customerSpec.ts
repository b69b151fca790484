import { z } from "zod";
import { USER_NAME, USER_NAME_RULE } from "../provider/handlers/directory/userPrincipalName";
import { CustomerSpecError } from "./customerSpecError";
import {
  ACCOUNT,
  acknowledgePurchase,
  COUNTRY,
  DEFAULT_PARTNER_APP_GRAPH_SCOPES,
  DOMAIN_PREFIX,
  EMAIL,
  flag,
  GRAPH_APP_ID,
  guid,
  ISO_DURATION,
  itemKey,
  KEY,
  list,
  obj,
  oneOf,
  PLAN_SUBSCRIPTION_KEY,
  pattern,
  permissionNames,
  roleNames,
  text,
} from "./customerSpecFields";
import { issueLines } from "./customerSpecIssues";
import { licenseRules, licenseSubscriptionSchema, userLicenses } from "./customerSpecLicenses";

/**
 * The customer spec: everything a CSP partner declares about ONE customer, in one YAML or JSON
 * file (or one object in a program). The zod schema below is the single source of truth: its
 * inferred type is {@link CustomerSpec} (the args of `CustomerTenant`), the committed JSON
 * Schema `components/customerSpec.schema.json` is generated from it (editor completion in YAML
 * files through `# yaml-language-server: $schema=...`), and {@link validateCustomerSpec} turns
 * its issues into messages naming file, path and rule.
 *
 * The schema checks structure and the rules a reviewer should see before any API call (keys,
 * GUIDs, enums, purchase acknowledgements, references between items). The resources check the
 * rest at preview (domain availability, role names, country rules).
 */

export {
  DEFAULT_PARTNER_APP_GRAPH_SCOPES,
  GRAPH_APP_ID,
  PLAN_SUBSCRIPTION_KEY,
} from "./customerSpecFields";

// --- sections -------------------------------------------------------------------------------

const addressSchema = obj({
  firstName: text(50, "Contact first name."),
  lastName: text(50, "Contact last name."),
  addressLine1: text(200, "First address line."),
  addressLine2: text(200, "Second address line.").optional(),
  city: text(100, "City."),
  state: z
    .string({ error: "must be a string" })
    .max(2, "must be a code of at most 2 characters (e.g. WA)")
    .meta({ description: "State code, at most 2 characters (e.g. WA)." })
    .optional(),
  postalCode: text(20, "Postal code."),
  country: pattern(
    COUNTRY,
    "must be a two-letter ISO 3166-1 country code such as US",
    "Country (ISO 3166-1 alpha-2).",
  ),
  phoneNumber: text(30, "Phone number (required by Partner Center in some countries).").optional(),
}).meta({ description: "The customer's default address with a contact." });

const customerSchema = obj({
  domainPrefix: pattern(
    DOMAIN_PREFIX,
    "must be the *.onmicrosoft.com prefix: 1-27 letters or digits (e.g. contoso for contoso.onmicrosoft.com)",
    "Prefix of the new tenant's initial domain: contoso → contoso.onmicrosoft.com. Cannot change once the customer exists.",
  ),
  companyName: text(
    255,
    "Company name of the tenant. Cannot change once the customer exists (Partner Center has no API for it); the billing profile's companyName can.",
  ),
  billingProfile: obj({
    email: pattern(EMAIL, "must be an email address", "Billing contact email."),
    culture: pattern(
      /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})+$/,
      "must be a culture such as en-US",
      "Culture, e.g. en-US.",
    ),
    language: pattern(
      /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})?$/,
      "must be a language such as en",
      "Language, e.g. en.",
    ),
    companyName: text(
      255,
      "Company name on the billing profile (updatable); defaults to customer.companyName.",
    ).optional(),
    defaultAddress: addressSchema,
  }).meta({ description: "Billing profile; changes are applied in place." }),
  organizationRegistrationNumber: text(
    100,
    "Organization registration number (required in some countries, e.g. BR, IN, PL, ZA, TR).",
  ).optional(),
  associatedPartnerId: text(
    36,
    "Indirect providers: the partner id (MPN id or partner GUID) of the indirect reseller this customer is created for.",
  ).optional(),
  adopt: obj({
    customerId: guid("Customer (tenant) id to adopt.").optional(),
    domain: text(256, "Initial domain of the customer to adopt.").optional(),
  })
    .meta({
      description:
        "Adopt an existing customer instead of creating one ({} adopts the one with the declared domain).",
    })
    .optional(),
  onDelete: oneOf(
    ["leave", "removeRelationship"],
    "What removing the customer from the program does in production: leave (default) or removeRelationship.",
  ).optional(),
  enableGdapByDefault: flag(
    "Whether Partner Center grants the partner its Default GDAP relationship (privileged Entra roles, active at once) when it creates the customer. Default false: declare gdap instead. Cannot change once the customer exists; not with adopt.",
  ).optional(),
}).meta({ description: "The Partner Center customer (a new tenant with a reseller relationship)." });

const agreementSchema = obj({
  primaryContact: obj({
    firstName: text(50, "First name."),
    lastName: text(50, "Last name."),
    email: pattern(EMAIL, "must be an email address", "Email address."),
    phoneNumber: text(30, "Phone number.").optional(),
  }).meta({ description: "The customer's representative who accepted the agreement." }),
  dateAgreed: pattern(
    /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/,
    "must be an ISO 8601 date such as 2026-01-31 or 2026-01-31T09:00:00Z",
    "When the customer accepted (ISO 8601, UTC); defaults to the first create.",
  ).optional(),
  templateId: guid("Agreement template; defaults to the current Microsoft Customer Agreement.").optional(),
}).meta({
  description:
    "The customer's acceptance of the Microsoft Customer Agreement (needed before any Azure purchase).",
});

const roleAssignmentSchema = obj({
  role: text(128, "Azure role name (e.g. Contributor, Reader) or role definition GUID."),
  principal: obj({
    user: itemKey("user").meta({ description: "Key of a user declared in users." }).optional(),
    application: itemKey("application")
      .meta({ description: "Key of an application declared in applications (its service principal)." })
      .optional(),
    objectId: guid("Object id of an existing user, group or service principal.").optional(),
    type: oneOf(
      ["User", "Group", "ServicePrincipal", "ForeignGroup"],
      "Principal type of objectId (required with objectId).",
    ).optional(),
  }).meta({ description: "Exactly one of user, application or objectId (+ type)." }),
  description: text(1024, "Description of the assignment.").optional(),
}).meta({ description: "An Azure RBAC role assignment at the subscription's scope." });

const subscriptionSchema = obj({
  key: itemKey("subscription"),
  displayName: text(64, "Display name of the Azure subscription (a rename is an update)."),
  workload: oneOf(
    ["Production", "DevTest"],
    "Workload: Production (default) or DevTest; cannot change later.",
  ).optional(),
  acknowledgePurchase: acknowledgePurchase("an Azure subscription"),
  resellerId: text(36, "Indirect model: the reseller's MPN id.").optional(),
  roleAssignments: list(roleAssignmentSchema, "RBAC role assignments on this subscription.").optional(),
}).meta({ description: "An extra Azure subscription under the customer's Azure plan." });

const azurePlanSchema = obj({
  acknowledgePurchase: acknowledgePurchase("an Azure plan"),
  friendlyName: text(64, "Friendly name of the plan subscription.").optional(),
  catalogItemId: text(64, "Catalog item product:sku:availability; default the Azure plan.").optional(),
  partnerIdOnRecord: text(
    10,
    "Indirect providers: the MPN id of the indirect reseller of record for the plan (fixed once bought).",
  ).optional(),
  onDelete: oneOf(
    ["suspend", "cancelSubscriptionsAndSuspend", "leave"],
    "What removing the plan does: suspend (default), cancelSubscriptionsAndSuspend or leave.",
  ).optional(),
  roleAssignments: list(
    roleAssignmentSchema,
    `RBAC role assignments on the plan's own Azure subscription (subscription key "${PLAN_SUBSCRIPTION_KEY}").`,
  ).optional(),
}).meta({ description: "The customer's Azure plan; it comes with one Azure subscription." });

const partnerAccessSchema = obj({
  key: itemKey("partner access entry"),
  adminAgentsGroupId: guid(
    "Object id of the AdminAgents group in the partner's (or the indirect reseller's) tenant, assigned as a foreign principal.",
  ),
  role: text(
    128,
    "Azure role; default Owner (what Azure grants admin agents on CSP subscriptions).",
  ).optional(),
}).meta({
  description:
    "Keeps a partner's admin-on-behalf-of (AOBO) access on every Azure subscription of the customer: the AdminAgents group as a ForeignGroup principal.",
});

const userSchema = obj({
  key: itemKey("user"),
  userName: pattern(
    USER_NAME,
    `must be the part before @ of the user principal name: it ${USER_NAME_RULE}`,
    "Name part of the user principal name; the customer's initial domain is appended (alice → alice@contoso.onmicrosoft.com). Changing it replaces the user.",
  ),
  displayName: text(256, "Display name."),
  firstName: text(64, "First name.").optional(),
  lastName: text(64, "Last name.").optional(),
  usageLocation: pattern(
    COUNTRY,
    "must be a two-letter ISO 3166-1 country code such as US",
    "Usage location (ISO 3166-1 alpha-2).",
  ),
  roles: roleNames("Directory roles, reconciled as a set (e.g. Helpdesk Administrator).").optional(),
  licenses: userLicenses.optional(),
  forceChangePassword: z
    .boolean({ error: "must be true or false" })
    .meta({
      description: "Whether the user must change the generated password at first sign-in (default true).",
    })
    .optional(),
}).meta({ description: "A user in the customer tenant; its password is generated and is a secret output." });

const consentGrantSchema = obj({
  enterpriseApplicationId: guid(
    "App id of the resource, e.g. Microsoft Graph 00000003-0000-0000-c000-000000000000.",
  ),
  scopes: permissionNames("Permission names on that resource."),
});

const partnerAppConsentSchema = obj({
  displayName: text(256, "Display name of the consent (default pulumi-csp partner app).").optional(),
  grants: list(
    consentGrantSchema,
    `Permissions consented; default Microsoft Graph ${DEFAULT_PARTNER_APP_GRAPH_SCOPES.join(", ")}.`,
  ).optional(),
}).meta({
  description:
    "Consents the partner's multi-tenant app in the customer tenant (Secure Application Model); needed for applications and the azuread provider.",
});

const permissionGrantSchema = obj({
  resourceAppId: guid("App id of the resource; default Microsoft Graph.").optional(),
  delegatedScopes: permissionNames("Delegated permissions granted for all users (admin consent).").optional(),
  appRoles: permissionNames("Application permissions (app roles) by name.").optional(),
}).meta({ description: "Admin consent for this application on one resource, in the customer tenant." });

const applicationSchema = obj({
  key: itemKey("application"),
  displayName: text(120, "Display name (unique among the pulumi-csp applications of the tenant)."),
  signInAudience: oneOf(
    ["AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount"],
    "Sign-in audience (default AzureADMyOrg).",
  ).optional(),
  redirectUris: list(text(256, "Redirect URI."), "Web redirect URIs.").optional(),
  identifierUris: list(text(256, "Identifier URI."), "Identifier URIs, e.g. api://contoso-app.").optional(),
  requiredResourceAccess: list(
    obj({
      resourceAppId: guid("App id of the resource."),
      resourceAccess: list(
        obj({
          id: guid("Permission id."),
          type: oneOf(["Scope", "Role"], "Scope (delegated) or Role (application)."),
        }),
        "Permissions requested on the resource.",
      ),
    }),
    "Permissions the application requests.",
  ).optional(),
  clientSecret: obj({
    displayName: text(100, "Name shown next to the secret.").optional(),
    rotationKey: text(100, "Any text; changing it rotates the secret.").optional(),
  })
    .meta({ description: "Adds a client secret (a secret output of the component)." })
    .optional(),
  permissionGrants: list(
    permissionGrantSchema,
    "Admin consent for this application, one entry per resource.",
  ).optional(),
}).meta({ description: "An application registration (with its service principal) in the customer tenant." });

const gdapSchema = obj({
  displayName: text(
    50,
    "Relationship name, unique among all the partner's relationships, ended ones included (default <key>-gdap-<first 8 characters of the customer id>, so a customer destroyed and declared again gets a new name).",
  ).optional(),
  duration: pattern(
    ISO_DURATION,
    "must be an ISO 8601 duration such as P730D",
    "Duration from P1D to P2Y, e.g. P730D.",
  ),
  roles: roleNames("Directory roles the partner asks for (by name or template id)."),
  autoExtendDuration: oneOf(["PT0S", "P0D", "P180D"], "PT0S (default), P0D or P180D.").optional(),
  accessAssignments: list(
    obj({
      securityGroupId: guid("Security group in the partner tenant whose members get the roles."),
      roles: roleNames("Roles, a subset of the relationship's roles."),
    }),
    "Partner security groups and their roles; they can only be created once the customer approved the relationship. Users wait for the one giving the admin agent's group User Administrator (and Privileged Role Administrator for directory roles), the partner app consent for one giving Privileged Role Administrator (or Cloud Application Administrator): Partner Center requires these GDAP roles.",
  ).optional(),
}).meta({ description: "A GDAP relationship the customer approves at its approval link." });

// --- the spec ---------------------------------------------------------------------------------

const baseSchema = obj({
  key: pattern(
    KEY,
    "must be 1-40 lower-case letters, digits or hyphens, starting with a letter",
    "Stable identity of the customer in this program: every resource name derives from it (never from display names). Never change it.",
  ),
  account: pattern(
    ACCOUNT,
    "must be an account name (letters, digits, underscore) from the provider configuration",
    "Named partner account (CSP_ACCOUNT_<NAME>_* or csp:accounts); the default account when omitted.",
  ).optional(),
  customer: customerSchema,
  agreement: agreementSchema,
  azurePlan: azurePlanSchema.optional(),
  subscriptions: list(subscriptionSchema, "Extra Azure subscriptions under the Azure plan.").optional(),
  licenses: list(licenseSubscriptionSchema, "Seats of license-based offers (Microsoft 365).").optional(),
  partnerAccess: list(
    partnerAccessSchema,
    "Partner admin agents kept as Owner (or another role) on every subscription.",
  ).optional(),
  users: list(userSchema, "Users in the customer tenant.").optional(),
  partnerAppConsent: partnerAppConsentSchema.optional(),
  applications: list(applicationSchema, "Application registrations in the customer tenant.").optional(),
  gdap: gdapSchema.optional(),
});

/** Rules across fields: references between items, unique keys, prerequisites. */
function crossFieldRules(spec: z.infer<typeof baseSchema>, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: "custom", path, message });
  const unique = <T>(items: readonly T[] | undefined, field: string, of: (t: T) => string, prop: string) => {
    const seen = new Set<string>();
    items?.forEach((item, i) => {
      const value = of(item).toLowerCase();
      if (seen.has(value)) issue([field, i, prop], "must be unique");
      seen.add(value);
    });
  };

  if (spec.subscriptions?.length && !spec.azurePlan) {
    issue(
      ["subscriptions"],
      "needs azurePlan: Azure subscriptions are bought under the customer's Azure plan",
    );
  }
  if (spec.partnerAccess?.length && !spec.azurePlan) {
    issue(
      ["partnerAccess"],
      "needs azurePlan: partner access is granted on the customer's Azure subscriptions",
    );
  }
  if (spec.applications?.length && !spec.partnerAppConsent) {
    issue(
      ["applications"],
      "needs partnerAppConsent: the partner app creates applications in the customer tenant through its consent (partnerAppConsent: {} consents the default Graph permissions)",
    );
  }
  unique(spec.subscriptions, "subscriptions", (s) => s.key, "key");
  spec.subscriptions?.forEach((s, i) => {
    if (s.key === PLAN_SUBSCRIPTION_KEY) {
      issue(
        ["subscriptions", i, "key"],
        `must not be "${PLAN_SUBSCRIPTION_KEY}": it names the Azure plan's own subscription (use azurePlan.roleAssignments for it)`,
      );
    }
  });
  licenseRules(spec.licenses, spec.users, issue);
  unique(spec.users, "users", (u) => u.key, "key");
  unique(spec.users, "users", (u) => u.userName, "userName");
  unique(spec.applications, "applications", (a) => a.key, "key");
  unique(spec.applications, "applications", (a) => a.displayName, "displayName");
  unique(spec.partnerAccess, "partnerAccess", (p) => p.key, "key");
  unique(spec.partnerAccess, "partnerAccess", (p) => p.adminAgentsGroupId, "adminAgentsGroupId");

  const users = new Set((spec.users ?? []).map((u) => u.key));
  const apps = new Set((spec.applications ?? []).map((a) => a.key));
  const checkAssignments = (
    assignments: z.infer<typeof roleAssignmentSchema>[] | undefined,
    path: (string | number)[],
  ) => {
    const seen = new Set<string>();
    assignments?.forEach((a, j) => {
      const p = a.principal;
      const at = [...path, j, "principal"];
      const given = [p.user, p.application, p.objectId].filter((v) => v !== undefined).length;
      if (given !== 1) {
        issue(at, "must name exactly one of user, application or objectId");
        return;
      }
      if (p.user !== undefined && !users.has(p.user))
        issue([...at, "user"], "must be the key of a user in users");
      if (p.application !== undefined && !apps.has(p.application)) {
        issue([...at, "application"], "must be the key of an application in applications");
      }
      if (p.objectId !== undefined && p.type === undefined) {
        issue(
          [...at, "type"],
          'is required with objectId: "User", "Group", "ServicePrincipal" or "ForeignGroup"',
        );
      }
      if (p.objectId === undefined && p.type !== undefined) {
        issue([...at, "type"], "is only allowed with objectId (users and applications have a known type)");
      }
      const id = `${a.role.toLowerCase()}|${p.user ?? ""}|${p.application ?? ""}|${(p.objectId ?? "").toLowerCase()}`;
      if (seen.has(id))
        issue([...path, j], "must be unique: the same role for the same principal is declared twice");
      seen.add(id);
    });
  };
  checkAssignments(spec.azurePlan?.roleAssignments, ["azurePlan", "roleAssignments"]);
  spec.subscriptions?.forEach((s, i) => {
    checkAssignments(s.roleAssignments, ["subscriptions", i, "roleAssignments"]);
  });

  spec.applications?.forEach((a, i) => {
    a.permissionGrants?.forEach((g, j) => {
      if (!g.delegatedScopes?.length && !g.appRoles?.length) {
        issue(["applications", i, "permissionGrants", j], "must list delegatedScopes or appRoles");
      }
    });
    const seen = new Set<string>();
    a.permissionGrants?.forEach((g, j) => {
      const id = (g.resourceAppId ?? GRAPH_APP_ID).toLowerCase();
      if (seen.has(id))
        issue(
          ["applications", i, "permissionGrants", j, "resourceAppId"],
          "must be unique within the application",
        );
      seen.add(id);
    });
  });

  if (spec.gdap) {
    const granted = new Set(spec.gdap.roles.map((r) => r.toLowerCase()));
    const groups = new Set<string>();
    spec.gdap.accessAssignments?.forEach((a, i) => {
      const group = a.securityGroupId.toLowerCase();
      if (groups.has(group)) issue(["gdap", "accessAssignments", i, "securityGroupId"], "must be unique");
      groups.add(group);
      a.roles.forEach((r, j) => {
        if (!granted.has(r.toLowerCase())) {
          issue(
            ["gdap", "accessAssignments", i, "roles", j],
            "must be one of gdap.roles (spelled the same way)",
          );
        }
      });
    });
  }
}

/**
 * The schema of one customer spec (see the module comment). `z.toJSONSchema` of it is committed
 * as `components/customerSpec.schema.json`.
 */
export const customerSpecSchema = baseSchema.superRefine(crossFieldRules).meta({
  title: "pulumi-csp customer",
  description:
    "One Microsoft CSP customer: Partner Center customer and agreement, Azure plan and subscriptions, license seats, users, applications, RBAC and GDAP. Declared by pulumi-csp's CustomerTenant component.",
});

/** One customer as declared in a spec file; also the args of `CustomerTenant`. */
export type CustomerSpec = z.infer<typeof baseSchema>;
/** An RBAC role assignment of a customer spec (`azurePlan.roleAssignments`, `subscriptions[].roleAssignments`). */
export type CustomerSpecRoleAssignment = z.infer<typeof roleAssignmentSchema>;
/** An extra Azure subscription of a customer spec (`subscriptions[]`). */
export type CustomerSpecSubscription = z.infer<typeof subscriptionSchema>;
export type { CustomerSpecLicense } from "./customerSpecLicenses";
/** A user of a customer spec (`users[]`). */
export type CustomerSpecUser = z.infer<typeof userSchema>;
/** An application registration of a customer spec (`applications[]`). */
export type CustomerSpecApplication = z.infer<typeof applicationSchema>;

/** The JSON Schema (draft-07, for the YAML language server) generated from {@link customerSpecSchema}. */
export function customerSpecJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(customerSpecSchema, { target: "draft-7" }) as Record<string, unknown>;
}

/**
 * Validates a parsed spec. `source` names where it came from (a file name, or
 * `CustomerTenant <name>`); every problem becomes one line `source: path: rule (got value)`,
 * all thrown together in a {@link CustomerSpecError}.
 */
export function validateCustomerSpec(value: unknown, source: string): CustomerSpec {
  const parsed = customerSpecSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new CustomerSpecError(source, issueLines(baseSchema, value, parsed.error.issues));
}
