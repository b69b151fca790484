import type { FaultAction, RequestLogEntry } from "../../../emulator/index";
import { isCspError } from "../../../provider/errors";
import type { HandlerContext } from "../../../provider/handlers/types";
import {
  describeCalls,
  type FaultKind,
  type FaultLane,
  isWriteCall,
  type Json,
  lastSeq,
  settleDelayedRequests,
} from "./faultKit";
import type { FaultRow, Finding, Held, ObjectCount, Prepared } from "./faultTableKit";

/**
 * Runs one cell of the fault matrix: a row (one write of one operation of one resource) under one
 * fault kind, on a lane of its own (a reset emulator), and judges it:
 * 1. the fault is injected on the row's write and must be hit;
 * 2. the operation runs through it ("survived"), or fails with a CspError ("surfaced"), which is
 *    allowed only where the HTTP core may not repeat the write and the handler cannot tell what
 *    happened; the engine then runs the operation again, as the next `pulumi up` would;
 * 3. exactly the intended objects exist at the emulator, and the returned state names them;
 * 4. a re-run is a no-op: refresh (read) + diff report no change without any write call (create,
 *    update), or a second delete changes nothing.
 */

export type Outcome = "survived" | "surfaced";

export interface CaseResult {
  outcome?: Outcome;
  /** Message of the surfaced error. */
  error?: string;
  /** Everything that went wrong; empty when the case passed. */
  problems: string[];
  /** Object counts after convergence (duplicates: found > wanted; lost: found < wanted). */
  counts: ObjectCount[];
  /** Exchanges the emulator answered with the fault. */
  faultsInjected: number;
  /** Objects the operation made that a late request removed, found by refresh and restored by the next run (a documented limitation). */
  lostUntilRefresh: number;
}

/** Whether the operation must run through the fault without an error. */
export function mustSurvive(row: FaultRow, kind: FaultKind): boolean {
  // A 429 is answered before any processing ([U] our reading of "API throttling guidance",
  // https://learn.microsoft.com/partner-center/developer/api-throttling-guidance): every request
  // may be repeated. A repeatable request (PUT, DELETE, MS-RequestId key, idempotent by design) is
  // repeated after any transient outcome. "Committed then dropped" on a request the core may not
  // repeat is left to the handler, which must find what it created (lookups in the emulator are
  // immediately consistent).
  return kind.throttle !== undefined || row.repeatable || kind.name === "commit then drop";
}

async function operate(row: FaultRow, p: Prepared, ctx: HandlerContext): Promise<Held> {
  const h = row.handler;
  switch (row.operation) {
    case "create": {
      const r = await h.create(p.inputs, ctx);
      return { id: r.id, inputs: p.inputs, state: (r.outs ?? {}) as Json };
    }
    case "update": {
      const existing = p.existing!;
      const diff = await h.diff(existing.id, existing.state, p.inputs, ctx);
      if (diff.changes !== true || (diff.replaces ?? []).length > 0) {
        throw new Error(`the row's update is not an in-place change: ${JSON.stringify(diff)}`);
      }
      const r = await h.update(existing.id, existing.state, p.inputs, ctx);
      return { id: existing.id, inputs: p.inputs, state: (r.outs ?? {}) as Json };
    }
    case "delete": {
      const existing = p.existing!;
      await h.delete(existing.id, existing.state, ctx);
      return existing;
    }
  }
}

/** The object of a failed create that the engine would still record ("created but failed to initialize"). */
function partialCreate(error: unknown): { id: string; properties: Json } | undefined {
  if (error && typeof error === "object" && "id" in error && "properties" in error) {
    const e = error as { id: unknown; properties: unknown };
    if (typeof e.id === "string" && e.id && e.properties && typeof e.properties === "object") {
      return { id: e.id, properties: e.properties as Json };
    }
  }
  return undefined;
}

/** What the next `pulumi up` does after the operation failed. */
async function rerun(row: FaultRow, p: Prepared, error: unknown, ctx: HandlerContext): Promise<Held> {
  const partial = row.operation === "create" ? partialCreate(error) : undefined;
  if (partial) {
    // Recorded in the state with initialization errors: the engine's next run updates it even
    // when diff reports no change ("continue awaiting initialization", Pulumi's step generator).
    const r = await row.handler.update(partial.id, partial.properties, p.inputs, ctx);
    return { id: partial.id, inputs: p.inputs, state: (r.outs ?? {}) as Json };
  }
  return operate(row, p, ctx);
}

function isCleanError(e: unknown): boolean {
  if (isCspError(e)) return true;
  return e instanceof Error && isCspError(e.cause);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The wait a 429's Retry-After asked for, less a margin for clock reading: seconds as given; an
 * HTTP date counted from when the emulator answered (`undefined` when the date had nearly passed
 * by then, so there was nothing to wait for).
 */
function askedWait(action: FaultAction, exchanges: RequestLogEntry[]): number | undefined {
  if (action.type !== "status" || action.status !== 429 || action.retryAfter === undefined) return undefined;
  if (/^\d+$/.test(action.retryAfter)) return Number(action.retryAfter) * 1000;
  const answered = exchanges.find((e) => e.fault === "status");
  if (!answered) return undefined;
  const asked = Date.parse(action.retryAfter) - Date.parse(answered.time) - 500;
  return asked > 100 ? asked : undefined;
}

function judge(findings: Finding[]): { counts: ObjectCount[]; problems: string[] } {
  const counts: ObjectCount[] = [];
  const problems: string[] = [];
  for (const finding of findings) {
    if (typeof finding === "string") problems.push(finding);
    else {
      counts.push(finding);
      if (finding.found !== finding.wanted) {
        problems.push(`${finding.what}: ${finding.found} at the emulator, ${finding.wanted} intended`);
      }
    }
  }
  return { counts, problems };
}

export async function runCase(lane: FaultLane, row: FaultRow, kind: FaultKind): Promise<CaseResult> {
  const { admin } = lane.t.emu;
  const result: CaseResult = { problems: [], counts: [], faultsInjected: 0, lostUntilRefresh: 0 };
  await lane.reset();

  let p: Prepared;
  try {
    p = await row.prepare(lane);
  } catch (e) {
    result.problems.push(`setup failed: ${message(e)}`);
    return result;
  }

  // 1. Inject the fault on the row's write and run the operation through it.
  const since = await lastSeq(admin);
  const action = kind.action();
  await admin.addFault({
    method: row.method,
    service: row.service,
    pathPattern: row.pattern(p),
    count: kind.count,
    action,
  });
  lane.waits.length = 0;
  let held: Held | undefined;
  let error: unknown;
  try {
    held = await operate(row, p, kind.slow ? lane.slow : lane.fast);
  } catch (e) {
    error = e;
  }
  if (kind.slow && !(await settleDelayedRequests(admin, since, 1))) {
    result.problems.push("the delayed request never completed at the emulator");
  }
  const exchanges = await admin.requestLog({ sinceSeq: since });
  await admin.clearFaults();
  result.faultsInjected = exchanges.filter((e) => e.fault !== undefined).length;
  if (result.faultsInjected === 0) {
    result.problems.push(
      `the fault never matched ${row.method} ${row.pattern(p)}; the operation sent: ${describeCalls(exchanges.filter(isWriteCall))}`,
    );
  }

  // 2. Judge the outcome.
  if (error === undefined) {
    result.outcome = "survived";
    const asked = askedWait(action, exchanges);
    if (asked !== undefined && !lane.waits.some((w) => w >= asked)) {
      // The wait must be the one the service asked for, not the (short) backoff of the lane.
      result.problems.push(
        `the client did not wait the ${asked} ms Retry-After asked for (waits: ${lane.waits.join(", ") || "none"} ms)`,
      );
    }
  } else {
    result.outcome = "surfaced";
    result.error = message(error);
    if (mustSurvive(row, kind)) result.problems.push(`the operation failed: ${message(error)}`);
    if (!isCleanError(error)) result.problems.push(`the failure is not a CspError: ${message(error)}`);
    try {
      held = await rerun(row, p, error, lane.setup);
    } catch (e) {
      result.problems.push(`the re-run after "${message(error)}" failed too: ${message(e)}`);
      return result;
    }
  }
  if (!held) return result;

  // 3. Exactly the intended objects, named by the returned state.
  let judged = judge(row.expect(await admin.state(), p, held));
  if (row.limitation?.kind === kind.name && judged.problems.length > 0) {
    // The documented limitation: refresh must see the loss (or, when it cannot read it, fail), and
    // the next run restore it.
    result.lostUntilRefresh = judged.counts.reduce((n, c) => n + Math.max(0, c.wanted - c.found), 0);
    try {
      if (row.limitation.refresh === "fails") {
        lane.nextCommand(); // `pulumi refresh` is a process of its own
        const refused = await row.handler.read(held.id, held.state, lane.setup).then(
          (read) => {
            result.problems.push(
              `refresh did not fail (read ${read.id ? "present" : "gone"}; ${row.limitation!.text})`,
            );
            return undefined;
          },
          (e: unknown) => e,
        );
        if (refused !== undefined && !isCleanError(refused)) {
          result.problems.push(`the refresh failure is not a CspError: ${message(refused)}`);
        }
        // The resource is removed from the state; the next command is a new process.
        lane.nextCommand();
      } else {
        const read = await row.handler.read(held.id, held.state, lane.setup);
        if (read.id) result.problems.push(`refresh does not see the loss (${row.limitation.text})`);
      }
      const r = await row.handler.create(p.inputs, lane.setup);
      held = { id: r.id, inputs: p.inputs, state: (r.outs ?? {}) as Json };
      judged = judge(row.expect(await admin.state(), p, held));
    } catch (e) {
      result.problems.push(`the next run after refresh failed: ${message(e)}`);
      return result;
    }
  }
  result.counts.push(...judged.counts);
  result.problems.push(...judged.problems);

  // 4. A re-run is a no-op.
  const mark = await lastSeq(admin);
  try {
    if (row.operation === "delete") {
      await row.handler.delete(held.id, held.state, lane.setup);
      // A GET may advance a lazy status (GDAP "terminationRequested" -> "terminated"), and so may a
      // write the service refuses (a second terminate request): only accepted write calls count;
      // token requests (Entra ID) are POSTs but change nothing a program manages.
      const changed = (await admin.requestLog({ sinceSeq: mark })).filter(
        (e) => e.write && e.service !== "identity" && isWriteCall(e) && e.status < 400,
      );
      if (changed.length > 0)
        result.problems.push(`a second delete changed state: ${describeCalls(changed)}`);
    } else {
      const read = await row.handler.read(held.id, held.state, lane.setup);
      if (read.id !== held.id)
        result.problems.push(`refresh does not find ${held.id} (got "${read.id ?? ""}")`);
      const refreshed = { ...held.state, ...((read.props ?? {}) as Json) };
      const diff = await row.handler.diff(held.id, refreshed, held.inputs, lane.setup);
      if (diff.changes !== false || (diff.replaces ?? []).length > 0) {
        result.problems.push(`the re-run is not a no-op: diff after refresh says ${JSON.stringify(diff)}`);
      }
      // Token requests (Entra ID) are POSTs but change nothing a program manages.
      const writes = (await admin.requestLog({ sinceSeq: mark })).filter(
        (e) => e.service !== "identity" && isWriteCall(e),
      );
      if (writes.length > 0) result.problems.push(`refresh + diff sent writes: ${describeCalls(writes)}`);
    }
  } catch (e) {
    result.problems.push(`the re-run check failed: ${message(e)}`);
  }
  return result;
}
