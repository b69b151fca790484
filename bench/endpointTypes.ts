import type { BenchResourceType } from "./minimums";

/**
 * Which resource type's handler makes each API call of the benchmark, by endpoint (the request
 * log's method and path with ids replaced, `requestStats.endpointKey`). The emulator sees method
 * and path only, not the resource that asked, so the attribution is by path: each endpoint goes
 * to the type whose handler sends it in the benchmark's tenant. An endpoint that several types'
 * handlers send (a read of the customer, of a service principal...) is counted under `type` and
 * names the others in `sharedWith`: per type, the figures of those types are then approximate.
 * The one place to edit when a handler starts calling a new endpoint (the bench test fails on an
 * endpoint of the N = 1 run that maps to no type).
 */
export interface EndpointType {
  /** Matched against the endpoint key, e.g. `partnerCenter GET /v1/customers/{id}`. */
  endpoint: RegExp;
  type: BenchResourceType;
  /** Other types whose handlers send the same request (their calls count under `type`). */
  sharedWith?: readonly BenchResourceType[];
  why: string;
}

export const ENDPOINT_TYPES: readonly EndpointType[] = [
  // Partner Center: customers, agreements
  {
    endpoint: /^partnerCenter HEAD \/v1\/domains\/\{domain\}$/,
    type: "Customer",
    why: "the domain's availability",
  },
  { endpoint: /^partnerCenter POST \/v1\/customers$/, type: "Customer", why: "create the customer" },
  {
    endpoint: /^partnerCenter GET \/v1\/customers\/\{id\}$/,
    type: "Customer",
    sharedWith: ["AzurePlan", "CustomerUser"],
    why: "the customer; the plan's purchase and the users' UPN domain check read it too",
  },
  {
    endpoint: /^partnerCenter PATCH \/v1\/customers\/\{id\}$/,
    type: "Customer",
    why: "onDelete removeRelationship",
  },
  {
    endpoint: /^partnerCenter GET \/v1\/agreements\?agreementType$/,
    type: "CustomerAgreement",
    why: "the current Microsoft Customer Agreement template",
  },
  {
    endpoint: /^partnerCenter (GET|POST) \/v1\/customers\/\{id\}\/agreements(\?agreementType)?$/,
    type: "CustomerAgreement",
    why: "the customer's agreements",
  },
  // Partner Center: the Azure plan
  {
    endpoint:
      /^partnerCenter GET \/v1\/customers\/\{id\}\/products\/[^/]+\/skus\/[^/]+\/availabilities\?country$/,
    type: "AzurePlan",
    why: "the plan's catalog item",
  },
  {
    endpoint: /^partnerCenter POST \/v1\/customers\/\{id\}\/carts(\/\{id\}\/checkout)?$/,
    type: "AzurePlan",
    why: "cart and checkout",
  },
  { endpoint: /^partnerCenter GET \/v1\/customers\/\{id\}\/orders$/, type: "AzurePlan", why: "the orders" },
  {
    endpoint: /^partnerCenter (GET|PATCH) \/v1\/customers\/\{id\}\/subscriptions(\/\{id\})?$/,
    type: "AzurePlan",
    why: "the plan subscription",
  },
  {
    endpoint: /^partnerCenter GET \/v1\/customers\/\{id\}\/subscriptions\/\{id\}\/azureEntitlements$/,
    type: "AzurePlan",
    sharedWith: ["AzureSubscription"],
    why: "the plan's Azure subscriptions",
  },
  {
    endpoint: /^partnerCenter GET \/v1\/customers\/\{id\}\/subscriptions\/\{id\}\/azureEntitlements\/\{id\}$/,
    type: "AzureSubscription",
    why: "one Azure entitlement",
  },
  // Partner Center: users and consents
  {
    endpoint:
      /^partnerCenter (GET|POST|PATCH|DELETE) \/v1\/customers\/\{id\}\/(users|directoryroles)(\/\{id\})?(\/directoryroles|\/usermembers)?(\?[a-z&]+)?$/,
    type: "CustomerUser",
    why: "users, their directory roles and role members",
  },
  {
    endpoint: /^partnerCenter (POST|DELETE) \/v1\/customers\/\{id\}\/applicationconsents(\/\{id\})?$/,
    type: "ApplicationConsent",
    why: "the consent",
  },
  // ARM
  {
    endpoint: /^arm GET \/providers\/Microsoft\.Billing\/billingAccounts(\/\{id\}\/customers)?$/,
    type: "AzureSubscription",
    why: "the billing scope of the alias",
  },
  {
    endpoint: /^arm (GET|PUT) \/providers\/Microsoft\.Subscription\/aliases\/\{id\}$/,
    type: "AzureSubscription",
    why: "the subscription alias",
  },
  { endpoint: /^arm GET \/subscriptions\/\{id\}$/, type: "AzureSubscription", why: "the ARM subscription" },
  {
    endpoint: /^arm POST \/subscriptions\/\{id\}\/providers\/Microsoft\.Subscription\/cancel$/,
    type: "AzureSubscription",
    sharedWith: ["AzurePlan"],
    why: "cancel; the plan cancels its own first subscription too",
  },
  {
    endpoint:
      /^arm (GET|PUT|DELETE) \/subscriptions\/\{id\}\/providers\/Microsoft\.Authorization\/(roleAssignments\/\{id\}|roleDefinitions\?\$filter)$/,
    type: "RoleAssignment",
    why: "the role assignment (and the role definition by name)",
  },
  // Graph: the application, its service principal and grants
  {
    endpoint:
      /^graph (GET|POST|PATCH|DELETE) \/v1\.0\/applications(\/\{id\}|\?\$filter|\(uniqueName=\{id\}\))?$/,
    type: "ApplicationRegistration",
    why: "the application",
  },
  {
    endpoint: /^graph (POST|DELETE) \/v1\.0\/servicePrincipals(\/\{id\})?$/,
    type: "ApplicationRegistration",
    why: "the application's service principal",
  },
  {
    endpoint: /^graph GET \/v1\.0\/servicePrincipals\?\$filter$/,
    type: "ApplicationConsent",
    sharedWith: ["PermissionGrant", "ApplicationRegistration"],
    why: "service principals by appId: the consent's state, the grant's client and resource, the registration's own",
  },
  {
    endpoint:
      /^graph GET \/v1\.0\/(oauth2PermissionGrants\?\$filter|servicePrincipals\/\{id\}\/appRoleAssignments)$/,
    type: "ApplicationConsent",
    sharedWith: ["PermissionGrant"],
    why: "delegated grants and app role assignments: the consent's state and the grant's lookup",
  },
  {
    endpoint: /^graph (POST|GET|PATCH|DELETE) \/v1\.0\/oauth2PermissionGrants(\/\{id\})?$/,
    type: "PermissionGrant",
    why: "the grant",
  },
  // Graph: GDAP
  {
    endpoint:
      /^graph (GET|POST|PATCH) \/v1\.0\/tenantRelationships\/delegatedAdminRelationships(\/\{id\}(\/requests)?|\?\$filter)?$/,
    type: "GdapRelationship",
    sharedWith: ["GdapAccessAssignment"],
    why: "the relationship and its requests; the access assignment reads its relationship's status",
  },
  {
    endpoint:
      /^graph (GET|POST|PATCH|DELETE) \/v1\.0\/tenantRelationships\/delegatedAdminRelationships\/\{id\}\/accessAssignments(\/\{id\})?$/,
    type: "GdapAccessAssignment",
    why: "the access assignment",
  },
];

/** The type an endpoint key is attributed to; undefined for token requests and unknown endpoints. */
export function endpointType(endpoint: string): EndpointType | undefined {
  return ENDPOINT_TYPES.find((e) => e.endpoint.test(endpoint));
}

/** API calls by type (token requests left out), and the API endpoints no entry maps. */
export function callsByType(endpoints: Readonly<Record<string, number>>): {
  byType: Partial<Record<BenchResourceType, number>>;
  unmapped: string[];
} {
  const byType: Partial<Record<BenchResourceType, number>> = {};
  const unmapped: string[] = [];
  for (const [endpoint, count] of Object.entries(endpoints)) {
    if (endpoint.startsWith("identity ")) continue;
    const t = endpointType(endpoint);
    if (!t) unmapped.push(endpoint);
    else byType[t.type] = (byType[t.type] ?? 0) + count;
  }
  return { byType, unmapped };
}
