import { ArmError } from "./armError";

/**
 * Every Azure Resource Manager error the emulator answers, in one place, in the envelope
 * `{error:{code,message}}` ("Role Assignments - Create",
 * https://learn.microsoft.com/rest/api/authorization/role-assignments/create, `ErrorResponse`).
 * [U] marks a code or text that Learn does not publish: the wording then follows live answers
 * quoted in public issues, as each entry says.
 */
export const armErrors = {
  // ---- request -------------------------------------------------------------------------------
  /** 400, before anything else ("Azure REST API reference", https://learn.microsoft.com/rest/api/azure/). */
  missingApiVersion: () =>
    new ArmError(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    ),
  /** 400 for an api-version not of the form `yyyy-mm-dd[-preview]` [U text]. */
  invalidApiVersion: (version: string) =>
    new ArmError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${version}' is invalid. The supported versions are in the format 'yyyy-mm-dd' or 'yyyy-mm-dd-preview'.`,
    ),
  /** 400 `InvalidRequestContent`: no JSON object body, or a required part of it missing [U text]. */
  invalidContent: (message = "The request content was invalid and could not be deserialized.") =>
    new ArmError(400, "InvalidRequestContent", message),
  /** 400 for a `$filter` the operation does not support [U code per API, as each spells it]. */
  unsupportedFilter: (code: "UnsupportedQuery" | "InvalidFilterInQueryString", filter: string) =>
    new ArmError(400, code, `The filter '${filter}' is not supported.`),
  /** 501: a part of the API the emulator does not model. */
  notModelled: (message: string) => new ArmError(501, "NotImplemented", message),

  // ---- authentication / authorization ---------------------------------------------------------
  /** 401 without a bearer token [U text]. */
  tokenMissing: () =>
    new ArmError(
      401,
      "AuthenticationFailed",
      "Authentication failed. The 'Authorization' header is missing.",
    ),
  /** 401 for an expired token [U text]. */
  tokenExpired: () =>
    new ArmError(
      401,
      "ExpiredAuthenticationToken",
      "The access token expiry UTC time is earlier than current UTC time.",
    ),
  /** 401 for a token that is malformed or badly signed [U text]. */
  tokenInvalid: (why: string) =>
    new ArmError(401, "InvalidAuthenticationToken", `The access token is invalid. ${why}`),
  /** 401 for a token of another audience [U text]. */
  wrongAudience: (audience: string) =>
    new ArmError(
      401,
      "InvalidAuthenticationTokenAudience",
      `The access token has been obtained for wrong audience or resource '${audience}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.`,
    ),
  /** 401 for a token of another tenant than the subscription's [U text]. */
  wrongTenant: (tokenTenant: string, subscriptionTenant: string) =>
    new ArmError(
      401,
      "InvalidAuthenticationTokenTenant",
      `The access token is from the wrong issuer 'https://sts.windows.net/${tokenTenant}/'. It must match the tenant 'https://sts.windows.net/${subscriptionTenant}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${subscriptionTenant}' to get the token.`,
    ),
  /**
   * 403 `AuthorizationFailed`, shape as quoted in "Troubleshoot Azure RBAC",
   * https://learn.microsoft.com/azure/role-based-access-control/troubleshooting
   * [U exact text].
   */
  authorizationFailed: (client: string, objectId: string, action: string, scope: string) =>
    new ArmError(
      403,
      "AuthorizationFailed",
      `The client '${client}' with object id '${objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    ),
  /**
   * 403 for a cancel by someone who is not an Owner [U code; Azure/azure-rest-api-specs#15635 shows
   * "Only subscription owners can perform this operation"].
   */
  ownersOnlyCancel: (client: string, objectId: string, subscriptionId: string) =>
    new ArmError(
      403,
      "AuthorizationFailed",
      `The client '${client}' with object id '${objectId}' cannot cancel subscription '${subscriptionId}': only subscription owners can perform this operation.`,
    ),

  // ---- subscriptions and aliases ---------------------------------------------------------------
  /** 404 for an unknown or deleted subscription [U text]. */
  subscriptionNotFound: (subscriptionId: string) =>
    new ArmError(404, "SubscriptionNotFound", `The subscription '${subscriptionId}' could not be found.`),
  /**
   * 409 for a write in a disabled subscription ("Azure subscription states",
   * https://learn.microsoft.com/azure/cost-management-billing/manage/subscription-states) [U code and text].
   */
  subscriptionReadOnly: (subscriptionId: string) =>
    new ArmError(
      409,
      "ReadOnlyDisabledSubscription",
      `The subscription '${subscriptionId}' is disabled and therefore marked as read only. You cannot perform any write actions on this subscription until it is re-enabled.`,
    ),
  /** 400 for a cancel while resources exist (Azure/terraform-azurerm-lz-vending#405) [U]. */
  resourcesExist: () =>
    new ArmError(
      400,
      "ResourcesExistingOnSubscription",
      "There are existing resources associated with subscription. Delete them before cancelling the subscription",
    ),
  /** 400 for a subscription name that is empty or longer than 64 characters [U text]. */
  invalidSubscriptionName: (message: string) => new ArmError(400, "InvalidSubscriptionName", message),
  /**
   * 400 for a billing scope that cannot hold the subscription ("Programmatically create Azure
   * subscriptions for a Microsoft Partner Agreement",
   * https://learn.microsoft.com/azure/cost-management-billing/manage/programmatically-create-subscription-microsoft-partner-agreement)
   * [U text].
   */
  invalidBillingScope: (message: string) => new ArmError(400, "InvalidBillingScope", message),
  /** 400 over the plan's subscription limit (sandbox: 3) [U code]. */
  quotaExceeded: (message: string) => new ArmError(400, "SubscriptionQuotaExceeded", message),
  /** 400 for a workload other than Production or DevTest [U text]. */
  invalidWorkload: () =>
    new ArmError(400, "InvalidWorkload", "properties.workload must be 'Production' or 'DevTest'."),
  /** 409 for an alias name already used for another billing scope [U]. */
  aliasExists: (alias: string) =>
    new ArmError(409, "AliasAlreadyExists", `The alias '${alias}' already exists for another billing scope.`),
  /** 404 for an unknown alias [U]. */
  aliasNotFound: (alias: string) => new ArmError(404, "NotFound", `The alias '${alias}' was not found.`),

  // ---- billing --------------------------------------------------------------------------------
  /** 404 for a billing account that is not the caller's [U text]. */
  billingAccountNotFound: (name: string) =>
    new ArmError(
      404,
      "BillingAccountNotFound",
      `Billing account '${name}' was not found or you do not have access to it.`,
    ),
  /** 404 for a customer without an Azure plan in the billing account [U text]. */
  billingCustomerNotFound: (customerId: string, billingAccountName: string) =>
    new ArmError(
      404,
      "CustomerNotFound",
      `Customer '${customerId}' with an Azure plan was not found in billing account '${billingAccountName}'.`,
    ),

  // ---- resource groups --------------------------------------------------------------------------
  /** 404 ("Resource Groups", https://learn.microsoft.com/rest/api/resources/resource-groups) [U text]. */
  resourceGroupNotFound: (name: string) =>
    new ArmError(404, "ResourceGroupNotFound", `Resource group '${name}' could not be found.`),
  /** 400 for a resource group name of invalid characters or length [U text]. */
  invalidResourceGroup: (name: string) =>
    new ArmError(
      400,
      "InvalidResourceGroup",
      `The provided resource group name '${name}' has these invalid characters or length.`,
    ),
  /** 400 without `location` [U text]. */
  locationRequired: () =>
    new ArmError(400, "LocationRequired", "The location property is required for this definition."),

  // ---- role assignments and definitions ------------------------------------------------------
  /**
   * 400 `PrincipalNotFound` with the principalType remedy of "Troubleshoot Azure RBAC"
   * (https://learn.microsoft.com/azure/role-based-access-control/troubleshooting); wording from
   * live answers, e.g. Azure/avdaccelerator#99 [U].
   */
  principalNotFound: (principalId: string, tenantId: string) =>
    new ArmError(
      400,
      "PrincipalNotFound",
      `Principal ${principalId} does not exist in the directory ${tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
    ),
  /** 400 for a principal id that is not a GUID [U text]. */
  invalidPrincipalId: () =>
    new ArmError(400, "InvalidPrincipalId", "A valid principal ID must be provided for role assignment."),
  /** 400 for a role assignment name that is not a GUID [U text]. */
  invalidRoleAssignmentId: (name: string) =>
    new ArmError(
      400,
      "InvalidRoleAssignmentId",
      `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
    ),
  /** Unknown role definition: 400 when assigning it, 404 when reading it [U text]. */
  roleDefinitionNotFound: (status: 400 | 404, roleId: string) =>
    new ArmError(
      status,
      "RoleDefinitionDoesNotExist",
      `The specified role definition with ID '${roleId}' does not exist.`,
    ),
  /** 400 when the principal's type is not the declared `principalType` [U text]. */
  unmatchedPrincipalType: (principalId: string, actual: string, declared: string) =>
    new ArmError(
      400,
      "UnmatchedPrincipalType",
      `The PrincipalId '${principalId}' has type '${actual}', which is different from specified PrincipalType '${declared}'.`,
    ),
  /** 409 for a PUT that would change an assignment's principal, role or scope [U text]. */
  roleAssignmentUpdateNotPermitted: () =>
    new ArmError(
      409,
      "RoleAssignmentUpdateNotPermitted",
      "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.",
    ),
  /**
   * 409 for the same principal, role and scope under another name ("Troubleshoot Azure RBAC",
   * https://learn.microsoft.com/azure/role-based-access-control/troubleshooting).
   */
  roleAssignmentExists: () =>
    new ArmError(409, "RoleAssignmentExists", "The role assignment already exists."),
  /** 404 for an unknown role assignment [U text]. */
  roleAssignmentNotFound: (name: string) =>
    new ArmError(404, "RoleAssignmentNotFound", `The role assignment '${name}' is not found.`),
};
