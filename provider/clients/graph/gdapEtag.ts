import { CspError } from "../../errors";

/**
 * The etag of a GDAP relationship or access assignment, which their PATCH and DELETE send as
 * `If-Match` (see delegatedAdminRelationships.ts and delegatedAdminAccessAssignments.ts for what
 * Microsoft documents and what is assumed).
 */
type WithEtag = { "@odata.etag"?: string };

/** Takes the etag from the body (`@odata.etag`) or the `ETag` header. */
export function withEtag<T extends WithEtag>(body: T, headers: Record<string, string>): T {
  if (body["@odata.etag"] === undefined && headers["etag"])
    return { ...body, "@odata.etag": headers["etag"] };
  return body;
}

/** The object's etag; an error naming it (`what`, e.g. "GDAP relationship") when Graph sent none. */
export function requireEtag(object: WithEtag & { id: string }, what: string): string {
  const etag = object["@odata.etag"];
  if (!etag) {
    throw new CspError({
      code: "CSP_API_ERROR",
      service: "graph",
      summary: `${what} ${object.id} was returned without an etag`,
      hint: "run the operation again",
    });
  }
  return etag;
}
