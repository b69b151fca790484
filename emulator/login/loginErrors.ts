import { AadError } from "./aadError";

/** The one `client_assertion_type` Entra accepts. */
export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** The text of AADSTS90002 as the token endpoint and the discovery documents give it. */
const tenantNotFoundText = (name: string) =>
  `Tenant '${name}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`;

/**
 * Every error the sign-in endpoints answer, in one place, as `AADSTSnnnn` numbers and OAuth error
 * values ("Microsoft Entra authentication and authorization error codes",
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes, which lists the
 * numbers and their meaning; the OAuth values are those of "Microsoft identity platform and OAuth
 * 2.0 authorization code flow",
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow). [U] The page
 * gives no message texts: they follow live answers, and a number the page does not list for a case
 * is marked [U] with what was chosen.
 */
export const loginErrors = {
  // ---- request ---------------------------------------------------------------------------------
  /** AADSTS900144: a required parameter is missing. */
  missingParameter: (parameter: string) =>
    new AadError(
      "invalid_request",
      900144,
      `The request body must contain the following parameter: '${parameter}'.`,
    ),
  /** AADSTS70003: a grant type the endpoint does not serve. */
  unsupportedGrantType: (grantType: string) =>
    new AadError(
      "unsupported_grant_type",
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
    ),

  // ---- tenant ------------------------------------------------------------------------------------
  /** AADSTS90002 at the token endpoint: the `{tenant}` of the URL is no known tenant. */
  tenantNotFound: (name: string) => new AadError("invalid_request", 90002, tenantNotFoundText(name)),
  /** AADSTS90002 of the discovery documents, with the value `invalid_tenant`. */
  tenantNotFoundForDiscovery: (name: string) =>
    new AadError("invalid_tenant", 90002, tenantNotFoundText(name)),
  /** AADSTS90002 of the authorize and admin-consent endpoints (Entra shows it on its error page). */
  tenantNotFoundForSignIn: (name: string) =>
    new AadError("invalid_tenant", 90002, `Tenant '${name}' not found.`),
  /**
   * AADSTS900023: the client credentials grant on `common` or `organizations` ([U] Entra rejects it;
   * the exact code is unconfirmed).
   */
  tenantNeededForClientCredentials: (segment: string) =>
    new AadError(
      "invalid_request",
      900023,
      `Specified tenant identifier '${segment}' is neither a valid DNS name, nor a valid external domain.`,
    ),

  // ---- application -------------------------------------------------------------------------------
  /** AADSTS700016 at the token endpoint: no application (or no service principal here) of the client id. */
  appNotFound: (clientId: string, tenantName: string) =>
    new AadError(
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  /** AADSTS700016 of the authorize and admin-consent endpoints (the short text of Entra's error page). */
  appNotFoundForSignIn: (clientId: string, directory: string) =>
    new AadError(
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${directory}'.`,
    ),
  /** AADSTS50011: a redirect URI the application has not registered (Entra's error page, no redirect). */
  redirectUriNotRegistered: (redirectUri: string, clientId: string) =>
    new AadError(
      "invalid_request",
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
    ),

  // ---- client authentication ---------------------------------------------------------------------
  /** AADSTS7000215: a client secret the application does not have. */
  invalidSecret: (appId: string) =>
    new AadError(
      "invalid_client",
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`,
    ),
  /** AADSTS7000222: an expired client secret. */
  secretExpired: (appId: string) =>
    new AadError(
      "invalid_client",
      7000222,
      `The provided client secret keys for app '${appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
    ),
  /** AADSTS7000218: a confidential client sent neither secret nor assertion. */
  noClientCredential: () =>
    new AadError(
      "invalid_client",
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  /** AADSTS50027: a client assertion of another type than the JWT bearer. */
  assertionTypeInvalid: () =>
    new AadError(
      "invalid_request",
      50027,
      `JWT token is invalid or malformed: client_assertion_type must be '${JWT_BEARER}'.`,
    ),
  /** AADSTS700027: a client assertion that is no JWT, of another algorithm, or signed by no key of the app. */
  assertionSignatureInvalid: (reason: string) =>
    new AadError(
      "invalid_client",
      700027,
      `Client assertion failed signature validation. [Reason - ${reason}]`,
    ),
  /** AADSTS700023: a client assertion of another issuer, subject or audience. */
  assertionAudienceInvalid: () =>
    new AadError("invalid_client", 700023, "Client assertion audience or issuer claim does not match."),
  /** AADSTS700024: a client assertion past its `exp` (with five minutes of skew). */
  assertionExpired: () =>
    new AadError("invalid_client", 700024, "Client assertion is not within its valid time range."),

  // ---- scope -------------------------------------------------------------------------------------
  /** AADSTS70011: a scope naming no resource the emulator serves, or no permission it exposes. */
  invalidScope: (scope: string) =>
    new AadError(
      "invalid_scope",
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    ),
  /** AADSTS28000: scopes of more than one resource. */
  scopeOfSeveralResources: (scope: string) =>
    new AadError(
      "invalid_scope",
      28000,
      `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
    ),
  /** AADSTS1002012: a client credentials scope without `/.default`. */
  defaultScopeRequired: (scope: string) =>
    new AadError(
      "invalid_scope",
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  /** AADSTS500011: a resource with no service principal in the tenant. */
  resourceNotInTenant: (resourceUri: string, tenantName: string) =>
    new AadError(
      "invalid_resource",
      500011,
      `The resource principal named ${resourceUri} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),

  // ---- grants ------------------------------------------------------------------------------------
  /** AADSTS70000: an unknown code, or a code or refresh token of another client or redirect URI. */
  grantInvalid: (detail?: string) =>
    new AadError(
      "invalid_grant",
      70000,
      detail
        ? `Provided grant is invalid or malformed. ${detail}`
        : "Provided grant is invalid or malformed.",
    ),
  /** AADSTS9002313: a refresh token the emulator never issued. */
  refreshTokenUnknown: () =>
    new AadError("invalid_grant", 9002313, "Invalid request. Request is malformed or invalid."),
  /** AADSTS50173: a revoked refresh token. */
  refreshTokenRevoked: (issuedAt: string) =>
    new AadError(
      "invalid_grant",
      50173,
      `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${issuedAt}'.`,
    ),
  /** AADSTS700082: a refresh token past its inactivity lifetime. */
  refreshTokenExpired: (issuedAt: string) =>
    new AadError(
      "invalid_grant",
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${issuedAt} and was inactive for 90.00:00:00.`,
    ),
  /** AADSTS70008: an expired authorization code. */
  codeExpired: () =>
    new AadError(
      "invalid_grant",
      70008,
      "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
    ),
  /** AADSTS501481: a PKCE verifier that does not match the challenge. */
  codeVerifierMismatch: () =>
    new AadError(
      "invalid_grant",
      501481,
      "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
    ),

  // ---- user --------------------------------------------------------------------------------------
  /** AADSTS50034: the user of a grant no longer exists. */
  userNotFound: (tenantName: string) =>
    new AadError(
      "invalid_grant",
      50034,
      `The user account does not exist in the ${tenantName} directory. To sign into this application, the account must be added to the directory.`,
    ),
  /** AADSTS50057: a disabled user. */
  userDisabled: () => new AadError("invalid_grant", 50057, "The user account is disabled."),
  /** AADSTS50020: a user acting in a tenant that is neither theirs nor a customer of their partner. */
  userNotInTenant: (
    upn: string,
    homeTenantId: string,
    tenantName: string,
    clientId: string,
    appName: string,
  ) =>
    new AadError(
      "invalid_grant",
      50020,
      `User account '${upn}' from identity provider 'https://sts.windows.net/${homeTenantId}/' does not exist in tenant '${tenantName}' and cannot access the application '${clientId}'(${appName}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`,
    ),
  /** AADSTS65001: `.default` asked where nothing is consented. */
  consentMissing: (clientId: string, appName: string) =>
    new AadError(
      "invalid_grant",
      65001,
      `The user or administrator has not consented to use the application with ID '${clientId}' named '${appName}'. Send an interactive authorization request for this user and resource.`,
    ),

  // ---- answers the server makes itself -----------------------------------------------------------
  /**
   * A status the server answers itself (no route, not modelled, an injected fault): 501 as
   * `not_implemented`; 401 as AADSTS7000215 `invalid_client`; 429 and 5xx as AADSTS90033 ("A
   * transient error has occurred. Please try again."), `server_error` for 500 and
   * `temporarily_unavailable` otherwise; anything else as AADSTS900144 `invalid_request`.
   */
  fromServer: (status: number, code: string, message: string) => {
    if (status === 501) return new AadError("not_implemented", 0, message, 501);
    if (status === 401) return new AadError("invalid_client", 7000215, message, 401);
    if (status === 429 || status >= 500) {
      const value = status === 500 ? "server_error" : "temporarily_unavailable";
      return new AadError(value, 90033, `${code}: ${message}`, status);
    }
    return new AadError("invalid_request", 900144, `${code}: ${message}`, status);
  },
};

/**
 * Errors the authorize and admin-consent endpoints send back to the redirect URI (once the client
 * and its redirect URI are known, Entra answers there rather than on its page), as the
 * `error` / `error_description` parameters of "Microsoft identity platform and OAuth 2.0
 * authorization code flow" (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow).
 */
export const loginRedirectErrors = {
  /** AADSTS700054: the emulator issues codes only. */
  unsupportedResponseType: (responseType: string) => ({
    error: "unsupported_response_type",
    error_description: `AADSTS700054: response_type '${responseType}' is not supported by the emulator.`,
  }),
  /** AADSTS50034: no account to play as the signed-in user. */
  noSuchUser: () => ({
    error: "access_denied",
    error_description: "AADSTS50034: The user account does not exist in the directory.",
  }),
  /** AADSTS50034: no administrator to consent. */
  noAdministrator: () => ({
    error: "access_denied",
    error_description: "AADSTS50034: no administrator is signed in.",
  }),
};
