import { GraphError } from "./graphError";

/**
 * Every Microsoft Graph error the emulator answers, in one place, in the envelope of "Microsoft
 * Graph error responses and resource types" (https://learn.microsoft.com/graph/errors; vector 22).
 * That page gives the statuses, not these codes. The directory codes (`Request_*`,
 * `Authorization_RequestDenied`) are the ones "Azure AD Graph API error codes and error handling"
 * (https://learn.microsoft.com/previous-versions/azure/ad/graph/howto/azure-ad-graph-api-error-codes-and-error-handling)
 * lists; that Microsoft Graph's directory endpoints answer them too is [U], seen in live answers
 * quoted in public issues. The GDAP service's camel-case codes (`badRequest`, `notFound`,
 * `preconditionFailed`) and the other codes are [U], as each entry says.
 */
export const graphErrors = {
  // ---- authentication / authorization -------------------------------------------------------
  /**
   * 401 for a missing, expired, malformed, wrong-audience or unknown-tenant token (401 "Required
   * authentication information is either missing or not valid", https://learn.microsoft.com/graph/errors;
   * the code `InvalidAuthenticationToken` from live answers [U]).
   */
  tokenInvalid: (why: string) => new GraphError(401, "InvalidAuthenticationToken", why),
  /**
   * 403 without the permission a route needs (code observed on live directory calls [U]:
   * not listed on https://learn.microsoft.com/graph/errors).
   */
  insufficientPrivileges: () =>
    new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
  /** 403 for a GDAP call from a tenant that is not a partner [U text]. */
  notAPartnerTenant: () =>
    new GraphError(403, "Authorization_RequestDenied", "The tenant is not a Microsoft partner tenant."),
  /** 403 for a GDAP write by a user who is not an admin agent [U text]. */
  notAnAdminAgent: () =>
    new GraphError(
      403,
      "Authorization_RequestDenied",
      "The signed-in user must be an admin agent of the partner tenant to manage delegated admin relationships.",
    ),

  // ---- request ---------------------------------------------------------------------------------
  /** 400 without a body [U code and text: a live answer's; the page gives only the status]. */
  emptyPayload: () => new GraphError(400, "BadRequest", "Empty Payload. JSON content expected."),
  /** 400 for a body that is not a JSON object [U code and text]. */
  bodyNotAnObject: () =>
    new GraphError(400, "BadRequest", "Invalid request body: a JSON object is expected."),
  /** 400 `Request_BadRequest` for an invalid directory request (the text names what is wrong). */
  badRequest: (message: string) => new GraphError(400, "Request_BadRequest", message),
  /** 400 for an OData `$filter` the emulator does not evaluate. */
  unsupportedQuery: (filter: string) =>
    new GraphError(
      400,
      "Request_UnsupportedQuery",
      `Unsupported or invalid query filter clause specified: '${filter}'.`,
    ),

  // ---- directory objects -------------------------------------------------------------------------
  /**
   * 404 of a directory object, with the live service's text (microsoftgraph/microsoft-graph-docs-contrib#6431) [U].
   */
  resourceNotFound: (id: string) =>
    new GraphError(
      404,
      "Request_ResourceNotFound",
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    ),
  /**
   * 409 for an object whose unique key is taken (409 `Request_MultipleObjectsWithSameKeyValue` in the
   * directory code list above; the message text is the caller's [U]).
   */
  sameKeyValue: (message: string) => new GraphError(409, "Request_MultipleObjectsWithSameKeyValue", message),

  // ---- GDAP (delegatedAdminRelationships) ------------------------------------------------------
  /** 400 `badRequest` as the GDAP service spells it ("Error badRequest! The passed in … is invalid."). */
  gdapBadRequest: (message: string) => new GraphError(400, "badRequest", message),
  /** 404 `notFound` for an unknown relationship, request, operation or access assignment [U code]. */
  gdapNotFound: (message: string) => new GraphError(404, "notFound", message),
  /** 412 for an `If-Match` that is not the current ETag [U text]. */
  preconditionFailed: () =>
    new GraphError(
      412,
      "preconditionFailed",
      "The If-Match ETag does not match the current version of the object; read it again and retry.",
    ),
};
