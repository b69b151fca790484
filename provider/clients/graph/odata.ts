/** OData helpers for Graph `$filter` expressions. */

/** A single-quoted OData string literal (`'` doubled, as OData requires). */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
