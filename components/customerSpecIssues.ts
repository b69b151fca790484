import { z } from "zod";

/**
 * Turns zod's issues about a customer spec into lines naming the path, the rule and the value
 * (customerSpec.ts): unknown fields with the spelling the schema knows, values YAML read as numbers.
 */

/** Formats zod issues as `path: rule (got value)` lines. */
export function issueLines(root: z.ZodType, value: unknown, issues: readonly z.core.$ZodIssue[]): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      const known = knownKeys(root, issue.path);
      for (const key of issue.keys) {
        const suggestion = known.find((k) => k.toLowerCase() === key.toLowerCase());
        const hint = suggestion
          ? ` (did you mean ${suggestion}?)`
          : known.length
            ? ` (known: ${known.join(", ")})`
            : "";
        lines.push(`${formatPath([...issue.path, key])}: is not a known field${hint}`);
      }
      continue;
    }
    const path = formatPath(issue.path);
    const got = getPath(value, issue.path);
    // Lists are not echoed (a rule about a whole list names the list; its items have their own paths).
    const suffix = Array.isArray(got)
      ? ""
      : got === undefined
        ? issue.message === "is required"
          ? ""
          : " (got missing)"
        : ` (got ${truncate(JSON.stringify(got), 80)})`;
    // YAML reads 01067 or 12345 as a number (leading zeros dropped) where a text is expected.
    const quote =
      typeof got === "number" && issue.code === "invalid_type" && issue.expected === "string"
        ? "; write the value in quotes: YAML reads unquoted digits as a number and drops leading zeros"
        : "";
    lines.push(`${path || "(spec)"}: ${issue.message}${suffix}${quote}`);
  }
  return lines;
}

/** `subscriptions[1].workload` from `["subscriptions", 1, "workload"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

function getPath(value: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = value;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** The field names the schema allows at an object path (for "did you mean" hints). */
function knownKeys(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType | undefined = root;
  for (const p of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = schema.shape[String(p)] as z.ZodType | undefined;
    else if (schema instanceof z.ZodArray && typeof p === "number") schema = schema.element as z.ZodType;
    else return [];
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema;
  while (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
