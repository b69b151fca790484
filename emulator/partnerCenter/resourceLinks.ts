/**
 * The Partner Center resource envelope pieces (`Link`, `ResourceAttributes`: "Utility resources",
 * https://learn.microsoft.com/partner-center/developer/utility-resources): `links` entries
 * `{ "uri": "/customers/...", "method": "GET", "headers": [] }` with URIs relative to `/v1`, as
 * most published examples show them, and `attributes { objectType, etag? }`.
 */
export interface Link {
  uri: string;
  method: string;
  headers: { key: string; value: string }[];
}

export function link(uri: string, method = "GET", headers: { key: string; value: string }[] = []): Link {
  return { uri, method, headers };
}

export function attributes(objectType: string, etag?: string): { etag?: string; objectType: string } {
  return etag === undefined ? { objectType } : { etag, objectType };
}
