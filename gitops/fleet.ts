import * as path from "node:path";
import { runProgram } from "../automation/runProgram";
import type { ResourceStep } from "../automation/runSummary";
import type { CustomerEntry } from "./customerFiles";
import type { PlannedStep } from "./plannedSteps";
import { purchasesOf, shownSteps } from "./previewComment";

export type FleetCommand = "preview" | "up" | "refresh";

export interface FleetOptions {
  command: FleetCommand;
  /** The customers repository: `Pulumi.yaml`, the program, `customers/`. */
  projectDir: string;
  customers: CustomerEntry[];
  /** How many customer stacks run at once (each is a Pulumi CLI with its program and provider host). */
  parallel: number;
  /** Stack config set on every stack (e.g. `adminAgentsGroupId`), besides the customer's file. */
  config?: Record<string, string>;
  /**
   * Environment of every stack's CLI, program and provider: the partner's credentials (`CSP_*`),
   * the state backend and the passphrase.
   */
  env: Record<string, string>;
  /** Where each stack's workspace goes (`<stateRoot>/<stack>`); default `<projectDir>/.pulumi-csp/fleet`. */
  stateRoot?: string;
  /** Called when a customer's stack starts and when it ends. */
  onProgress?: (event: { customer: CustomerEntry; result?: CustomerResult }) => void;
  signal?: AbortSignal;
}

/** What one customer's stack did (or, in a preview, would do). */
export interface CustomerResult {
  stack: string;
  file: string;
  removed: boolean;
  ok: boolean;
  /** Resources per operation, the stack and default providers left out (failed steps under `failed`). */
  counts: { create: number; update: number; replace: number; delete: number; same: number; failed: number };
  /** Every resource that is created, updated, replaced or deleted. */
  changes: PlannedStep[];
  /** The creates and replacements that buy something (Azure plans and subscriptions). */
  purchases: PlannedStep[];
  /** The errors that failed the stack (the CLI's error diagnostics, or why it could not run). */
  errors: string[];
  /** Stack outputs after `up` (secrets shown as `[secret]`). */
  outputs?: Record<string, unknown>;
  durationMs: number;
}

export interface FleetResult {
  command: FleetCommand;
  parallel: number;
  ok: boolean;
  customers: CustomerResult[];
  durationMs: number;
}

const CHANGE_OPS = new Set(["create", "update", "replace", "delete"]);

/**
 * Runs `command` on the stack of every customer, at most `parallel` at once. Each customer is its
 * own stack (named after its file) and its own Pulumi CLI run through the Automation API
 * (`runProgram`); a failure is that customer's result and never stops the others. Results come in
 * the order of `customers`.
 *
 * Partner Center limits are partner-wide (per partner tenant, or per partner and customer tenant:
 * https://learn.microsoft.com/en-us/partner-center/developer/api-throttling-guidance), while each
 * stack's provider paces only its own calls (provider/http/rateLimiter.ts). The page warns that
 * concurrent calls raise the rate into throttling, advises lowering the degree of parallelism and
 * not retrying at once, and says a throttled call is answered 429 with a Retry-After header giving
 * the wait. How Partner Center counts calls that arrive from several clients of one
 * partner at once is not published [U]: we bound how many providers call at once (`parallel`,
 * default 4 in the CLI) and rely on Retry-After, which every provider honours before repeating the
 * call (provider/http/policies/retryPolicy.ts). `npm run bench:fleet` counts the 429s the
 * emulator's documented limits give an estate.
 */
export async function runFleet(options: FleetOptions): Promise<FleetResult> {
  const started = Date.now();
  const stateRoot = options.stateRoot ?? path.join(options.projectDir, ".pulumi-csp", "fleet");
  const results: CustomerResult[] = new Array(options.customers.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.customers.length) {
      const index = next++;
      const customer = options.customers[index]!;
      options.onProgress?.({ customer });
      const result = await runCustomer(customer, options, stateRoot);
      results[index] = result;
      options.onProgress?.({ customer, result });
    }
  };
  const workers = Math.max(1, Math.min(options.parallel, options.customers.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return {
    command: options.command,
    parallel: options.parallel,
    ok: results.every((r) => r.ok),
    customers: results,
    durationMs: Date.now() - started,
  };
}

async function runCustomer(
  customer: CustomerEntry,
  options: FleetOptions,
  stateRoot: string,
): Promise<CustomerResult> {
  const started = Date.now();
  const base = { stack: customer.stack, file: customer.file, removed: customer.removed };
  if (options.signal?.aborted) return failed(base, ["not run: the fleet command was interrupted"], started);
  try {
    const run = await runProgram({
      command: options.command,
      programDir: options.projectDir,
      stack: customer.stack,
      stateDir: path.join(stateRoot, customer.stack),
      config: {
        ...options.config,
        // Absolute: the CLI runs in the stack's workspace, not in the project folder.
        customerFile: path.join(options.projectDir, customer.file),
        customerRemoved: String(customer.removed),
      },
      env: options.env,
      localPassphrase: false,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const resources = run.resources.filter((r) => shownSteps([plannedStep(r)]).length > 0);
    const changes = resources.filter((r) => CHANGE_OPS.has(r.op)).map(plannedStep);
    const counts = { create: 0, update: 0, replace: 0, delete: 0, same: 0, failed: 0 };
    for (const r of resources) {
      if (r.status === "failed") counts.failed++;
      else if (r.op in counts) counts[r.op as keyof typeof counts]++;
    }
    return {
      ...base,
      ok: run.ok,
      counts,
      changes,
      purchases: purchasesOf(changes),
      errors: run.ok ? [] : run.errors.map((e) => e.message),
      ...(options.command === "up" && run.ok ? { outputs: run.outputs } : {}),
      durationMs: Date.now() - started,
    };
  } catch (e) {
    return failed(base, [e instanceof Error ? e.message : String(e)], started);
  }
}

function failed(
  base: Pick<CustomerResult, "stack" | "file" | "removed">,
  errors: string[],
  started: number,
): CustomerResult {
  return {
    ...base,
    ok: false,
    counts: { create: 0, update: 0, replace: 0, delete: 0, same: 0, failed: 0 },
    changes: [],
    purchases: [],
    errors,
    durationMs: Date.now() - started,
  };
}

/** A run summary's step as the comment shows it (property names only: no values in a summary). */
function plannedStep(r: ResourceStep): PlannedStep {
  return {
    op: r.op,
    urn: r.urn,
    type: r.displayType,
    name: r.name,
    diffs: r.diffs ?? [],
    changes: [],
    ...(r.purchase ? { purchase: r.purchase } : {}),
  };
}
