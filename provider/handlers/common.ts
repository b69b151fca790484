import { createHash } from "node:crypto";
import type { z } from "zod";
import type { CspConfig } from "../configTypes";
import { CspError, isCspError } from "../errors";
import type { CheckFailure, CheckResult, HandlerContext } from "./types";
import { isUnknown, UNKNOWN } from "./types";

/**
 * Helpers shared by every handler: input validation into Pulumi check failures, input diffs,
 * output cleaning and deterministic identifiers.
 */

/**
 * Validates `news` with a zod schema: the one way handlers turn inputs into checked inputs. The
 * checked inputs' type is the schema's output type (`z.output<typeof schema>`), so a handler's
 * input type is derived from its schema, never declared beside it. Every issue becomes a failure
 * naming the property path, the rule and the value (see {@link refusal}), e.g.
 * `billingProfile.defaultAddress.country: must be an ISO 3166-1 alpha-2 code (got "USA")`.
 * Values not known yet (preview) are accepted as they are.
 */
export function validateInputs<S extends z.ZodType>(schema: S, news: unknown): CheckResult<z.output<S>> {
  const parsed = schema.safeParse(news);
  if (parsed.success) return { inputs: stripUndefined(parsed.data) as z.output<S> };
  const failures: CheckFailure[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String);
    if (getPath(news, path) === UNKNOWN) continue;
    failures.push(refusal(path.join(".") || "(inputs)", issue.message, getPath(news, path)));
  }
  if (failures.length === 0) return { inputs: news as z.output<S> };
  return { failures };
}

/**
 * {@link validateInputs} for a resource with an `account` input: the schema's failures, then the
 * resource's own rules beyond the schema (`rules`), then a failure when `account` names no
 * configured partner account; the checked inputs when there are none.
 */
export function validateAccountInputs<S extends z.ZodType>(
  schema: S,
  news: { account?: unknown },
  config: Pick<CspConfig, "accounts">,
  rules: readonly CheckFailure[] = [],
): CheckResult<z.output<S>> {
  const result = validateInputs(schema, news);
  const failures = [...(result.failures ?? []), ...rules, ...accountFailures(news.account, config)];
  return failures.length > 0 ? { failures } : result;
}

/**
 * The `check` of a resource whose rules are all in its schema, plus the partner account
 * ({@link validateAccountInputs}); `complete` puts passing inputs in the form a read stores
 * ({@link withDefaults}).
 */
export function accountSchemaCheck<S extends z.ZodType<{ account?: string }>>(
  schema: S,
  complete?: (inputs: z.output<S>, ctx: HandlerContext) => z.output<S>,
) {
  return async (
    _olds: Partial<z.output<S>>,
    news: z.output<S>,
    ctx: HandlerContext,
  ): Promise<CheckResult<z.output<S>>> => {
    const result = validateAccountInputs(schema, news, ctx.config);
    return complete && result.inputs ? { ...result, inputs: complete(result.inputs, ctx) } : result;
  };
}

/**
 * Checked inputs with `defaults` for the members they omit. A read stores what it observed as the
 * inputs (a refresh), service defaults included; the checked inputs of the unchanged program must
 * be the same, or the next run stores a change (a checkpoint write per resource) and an update's
 * preview names members that do not change.
 */
export function withDefaults<I extends object>(inputs: I, defaults: Partial<I>): I {
  const present = inputs as Record<string, unknown>;
  const missing = Object.entries(defaults).filter(([k]) => present[k] === undefined);
  return missing.length === 0 ? inputs : ({ ...inputs, ...Object.fromEntries(missing) } as I);
}

/**
 * The one shape of a check failure: the field, the rule it breaks, the value it has
 * (`customerId: must be a GUID (got "abc")`; `missing` when absent). Rules beyond the schema
 * (cross-field rules, changes a service refuses after create) use it too.
 */
export function refusal(property: string, rule: string, value: unknown): CheckFailure {
  const shown = value === undefined ? "missing" : JSON.stringify(value);
  return { property, reason: `${property}: ${rule} (got ${truncate(shown, 80)})` };
}

/**
 * A failure when `account` names no configured partner account. Skipped when the configuration
 * has no accounts at all (credentials come later, e.g. a preview without them).
 */
export function accountFailures(account: unknown, config: Pick<CspConfig, "accounts">): CheckFailure[] {
  if (typeof account !== "string" || isUnknown(account)) return [];
  const names = Object.keys(config.accounts ?? {});
  if (names.length === 0) return [];
  if (names.some((n) => n.toLowerCase() === account.toLowerCase())) return [];
  return [
    refusal(
      "account",
      `names no configured partner account (configured: ${names.join(", ")}); set CSP_ACCOUNT_${account.toUpperCase()}_TENANT_ID and its credentials, or csp:accounts`,
      account,
    ),
  ];
}

function getPath(value: unknown, path: string[]): unknown {
  let cur: unknown = value;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/**
 * Whether a value holds the engine's "not known yet" sentinel anywhere (preview passes it for
 * inputs that depend on resources not created yet). A diff treats such a field as changed without
 * comparing it; the real comparison happens when `up` calls diff again with known values.
 */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** Removes keys whose value is `undefined`, recursively: the dynamic-provider host rejects them. */
export function stripUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => stripUndefined(v)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) out[k] = stripUndefined(v);
    }
    return out as T;
  }
  return value;
}

/** Deep structural equality for JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON text with object keys sorted, `undefined` members dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as Record<string, unknown>).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** The input keys among `keys` whose values differ between `olds` and `news`. */
export function changedKeys<I extends object>(
  olds: Partial<I>,
  news: I,
  keys: readonly (keyof I & string)[],
): string[] {
  return keys.filter(
    (k) => !jsonEqual((olds as Record<string, unknown>)[k], (news as Record<string, unknown>)[k]),
  );
}

/**
 * A name-based UUID (RFC 4122 version 5 layout over SHA-1) from stable parts. Used for
 * idempotency keys and deterministic names (ARM role assignment names, subscription aliases), so
 * a retry or a re-run after a crash addresses the same object.
 */
export function deterministicUuid(...parts: string[]): string {
  const hash = createHash("sha1").update("pulumi-csp\0").update(parts.join("\0")).digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The error the engine records as "created but failed to initialize": thrown when an object exists
 * (and may be billed) but a later step of the same create failed. The dynamic-provider host reads
 * `id`, `properties` and `reasons` from it (dynamic-providers reference), so the object is kept in
 * the state instead of being lost, and a later refresh or `pulumi up` completes it. The original
 * error stays the `cause` and its message is kept.
 */
export function partialCreate(
  error: unknown,
  id: string,
  properties: object,
): Error & { id: string; properties: object; reasons: string[] } {
  const message = error instanceof Error ? error.message : String(error);
  const wrapped = new Error(
    `${message} (the object ${id} was created; run \`pulumi up\` again to finish it)`,
    {
      cause: error,
    },
  );
  return Object.assign(wrapped, { id, properties: stripUndefined(properties), reasons: [message] });
}

/**
 * A lookup that `check` needs failed: no credentials, a wrong secret, an unreachable endpoint, the
 * service down. The preview must then fail, naming the cause, instead of passing with the inputs
 * unchecked (a green preview in CI from a fork without secrets would be green by accident).
 */
export function checkCannotRun(what: string, e: unknown): CspError {
  if (isCspError(e)) {
    return new CspError({
      code: e.code,
      service: e.service,
      summary: `the preview cannot check ${what}: ${e.summary}`,
      ...(e.status !== undefined ? { status: e.status } : {}),
      ...(e.serviceCode !== undefined ? { serviceCode: e.serviceCode } : {}),
      ...(e.requestId !== undefined ? { requestId: e.requestId } : {}),
      ...(e.correlationId !== undefined ? { correlationId: e.correlationId } : {}),
      ...(e.hint !== undefined ? { hint: e.hint } : {}),
      cause: e,
    });
  }
  return new CspError({
    code: "CSP_API_ERROR",
    service: "provider",
    summary: `the preview cannot check ${what}: ${e instanceof Error ? e.message : String(e)}`,
    hint: "fix the cause and run the preview again",
    cause: e,
  });
}
