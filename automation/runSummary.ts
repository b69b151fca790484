/**
 * The machine-readable result of one Pulumi CLI command run through the Automation API
 * (`runProgram`), built from the engine's own event stream.
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
  /** The engine's own operation name (`create-replacement`, `refresh`, `discard`, ...). */
  engineOp: string;
  /** `done` (applied), `planned` (preview), `failed`, or `started` (no outcome reported). */
  status: "done" | "planned" | "failed" | "started";
  /** Changed top-level properties, as the engine reports them. */
  diffs?: string[];
  /** Properties that force a replacement. */
  replaces?: string[];
  /**
   * A create that buys something, or an update that buys more (seats added): the provider marked
   * the checked inputs with `billablePurchase` (provider/purchaseMarker.ts); `purchase` is its sentence.
   */
  billable?: boolean;
  purchase?: string;
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
  /** The engine that ran the command, e.g. `pulumi v3.248.0`. */
  engine: string;
  command: Command;
  project: string;
  stack: string;
  /** The workspace folder: the program's working copy, the file backend and the Pulumi home. */
  stateDir: string;
  ok: boolean;
  /** Number of resources per operation (steps that failed are counted under `failed`). */
  counts: Record<Operation | "failed", number>;
  resources: ResourceStep[];
  /** Stack outputs after `up`; secrets are shown as `[secret]`. */
  outputs: Record<string, unknown>;
  errors: RunError[];
  warnings: string[];
  /** Informational diagnostics (the program's and the provider's log lines). */
  infos: string[];
  durationMs: number;
}

/** `pulumi-nodejs:dynamic/csp:AzurePlan` → `csp:AzurePlan`; other tokens unchanged. */
export function displayType(type: string): string {
  const m = /^pulumi-nodejs:dynamic\/(.+)$/.exec(type);
  return m ? m[1] : type;
}

/** The engine's operation names, reduced to the six a summary counts. */
export function operationOf(engineOp: string): Operation {
  switch (engineOp) {
    case "create":
    case "import":
      return "create";
    case "update":
      return "update";
    case "replace":
    case "create-replacement":
    case "delete-replaced":
    case "import-replacement":
      return "replace";
    case "delete":
    case "discard":
    case "discard-replaced":
    case "remove-pending-replace":
      return "delete";
    case "read":
    case "read-replacement":
    case "refresh":
      return "read";
    default:
      return "same";
  }
}
