/**
 * The machine-readable result of a runner invocation (`--json`, and what `runProgram` returns).
 */

export type Command = "preview" | "up" | "refresh" | "destroy";

/** What happened (or, in preview, would happen) to one resource. */
export type Operation = "create" | "update" | "replace" | "delete" | "same" | "read";

export interface ResourceStep {
  urn: string;
  /** The registered type token, e.g. `pulumi-nodejs:dynamic/csp:AzurePlan`. */
  type: string;
  /** The type as shown to a user, e.g. `csp:AzurePlan`. */
  displayType: string;
  name: string;
  op: Operation;
  /** `done` (applied), `planned` (preview), `failed`, or `skipped` (an earlier step failed). */
  status: "done" | "planned" | "failed" | "skipped";
  /** Changed input properties (outputs for a refresh). */
  diffs?: string[];
  /** Properties that force a replacement. */
  replaces?: string[];
  deleteBeforeReplace?: boolean;
  /** A create or replacement of a type that buys something (Azure plan, Azure subscription). */
  billable?: boolean;
  /** Not applied: a non-dynamic resource the runner only records. */
  unmanaged?: boolean;
  /** Dropped from the state without deleting the object (`retainOnDelete`). */
  retained?: boolean;
  id?: string;
  error?: string;
}

export interface RunError {
  urn?: string;
  name?: string;
  type?: string;
  message: string;
}

export interface RunSummary {
  runner: "pulumi-csp local runner";
  command: Command;
  project: string;
  stack: string;
  stateFile: string;
  ok: boolean;
  /** Number of resources per operation (steps that failed or were skipped are counted under `failed`). */
  counts: Record<Operation | "failed", number>;
  resources: ResourceStep[];
  /** Stack outputs; secrets are shown as `[secret]`, values not known yet as `[unknown]`. */
  outputs: Record<string, unknown>;
  errors: RunError[];
  warnings: string[];
  /** gRPC calls made to the dynamic-provider host, by method. */
  providerCalls: Record<string, number>;
  durationMs: number;
}

/** Type tokens (last segment) whose create or replacement is a billable purchase. */
export const BILLABLE_TYPES = new Set(["AzurePlan", "AzureSubscription"]);

/** `pulumi-nodejs:dynamic/csp:AzurePlan` → `csp:AzurePlan`; other tokens unchanged. */
export function displayType(type: string): string {
  const m = /^pulumi-nodejs:dynamic\/(.+)$/.exec(type);
  return m ? m[1] : type;
}

/** True for a create or replacement of a billable pulumi-csp type. */
export function isBillable(type: string, op: Operation): boolean {
  if (op !== "create" && op !== "replace") return false;
  const m = /^pulumi-nodejs:dynamic\/csp:(.+)$/.exec(type);
  return m !== null && BILLABLE_TYPES.has(m[1]);
}
