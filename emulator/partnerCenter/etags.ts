import { randomBytes } from "node:crypto";

/**
 * ETags as Partner Center issues them: billing profiles carry a signed 64-bit decimal
 * (`"5920358838484612121"`, `"-4242348048554929329"`, vectors 02/03); subscriptions a base64 JSON
 * `{"id":"…","version":n}` (vector 13). Clients send them back in `If-Match`, quoted or not.
 */
export function newProfileEtag(): string {
  return BigInt.asIntN(64, randomBytes(8).readBigUInt64BE()).toString();
}

export function subscriptionEtag(id: string, version: number): string {
  return Buffer.from(JSON.stringify({ id, version }), "utf8").toString("base64");
}

/** The etag of an `If-Match` header value: quotes and a weak `W/` prefix removed. */
export function parseIfMatch(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  let v = header.trim();
  if (v.startsWith("W/")) v = v.slice(2);
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
  return v === "" ? undefined : v;
}
