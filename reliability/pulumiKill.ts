import * as fs from "node:fs";
import { type WorkspaceProcess, workspaceProcesses } from "../automation/processes";
import { type RunProgramOptions, type RunProgramResult, runProgram } from "../automation/runProgram";
import { prepareWorkspace } from "../automation/stackWorkspace";
import type { EmulatorAdmin, RequestLogEntry } from "../emulator/index";

/**
 * One provider write of a program run, as a place to kill a Pulumi process: the `occurrence`-th
 * request matching `method` + `pathPattern` at `service` (ids in the path are wildcards, so the
 * point is found again in a run that creates objects with other ids).
 */
export interface KillPoint {
  /** 1-based position among the run's provider writes (for reports). */
  step: number;
  service: RequestLogEntry["service"];
  method: string;
  pathPattern: string;
  /** Which matching request (1 = the first). */
  occurrence: number;
  /** `POST partnerCenter /v1/customers/{id}/carts/{id}/checkout` (for reports). */
  label: string;
}

/**
 * When the process dies:
 * - `inFlight`: the write is held at the emulator, the process is killed while it waits, and the
 *   emulator then commits the write to a caller that is gone (the object exists, no state has it);
 * - `answered`: the process is killed as soon as the emulator has answered the write (the
 *   checkpoint may or may not have recorded it yet).
 */
export type KillMode = "inFlight" | "answered";

/**
 * Which process of `pulumi up` is SIGKILLed:
 * - `cli`: the `pulumi` CLI itself (the engine, the checkpoint writer and the stack's lock holder);
 * - `provider-host`: the dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) that runs
 *   pulumi-csp's provider code and makes the HTTP requests; the CLI survives it.
 */
export type KillVictim = "cli" | "provider-host";

/** How long the emulator holds the write in `inFlight` mode before committing it. */
// Long enough for the poll below to see the hold and kill the process even on a loaded machine.
const HOLD_MS = 1500;
const POLL_MS = 10;
/** A kill point not reached within this time means the run took another path. */
const REACH_TIMEOUT_MS = 90_000;

// GUIDs, GUID pairs (GDAP relationship ids), hex order ids and other long opaque segments.
const ID_SEGMENT =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:-.+)?|[0-9a-f]{10,}|[A-Za-z0-9_-]{32,})$/i;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** An entity addressed by an alternate key, `applications(uniqueName='…')`: the key varies per run. */
const KEYED_SEGMENT = /^(\w+)\((\w+)='[^']*'\)$/;

/** Pattern and label of one path segment: ids and alternate-key values become wildcards. */
function segmentPattern(segment: string): { pattern: string; label: string } {
  if (ID_SEGMENT.test(segment)) return { pattern: "[^/]+", label: "{id}" };
  const keyed = KEYED_SEGMENT.exec(segment);
  if (keyed)
    return { pattern: `${keyed[1]}\\(${keyed[2]}='[^']+'\\)`, label: `${keyed[1]}(${keyed[2]}={id})` };
  return { pattern: escapeRegex(segment), label: segment };
}

/** Path pattern of a logged request with every id segment made a wildcard. */
export function pathPatternOf(path: string): { pattern: string; label: string } {
  const segments = path.split("/").map(segmentPattern);
  return {
    pattern: `^${segments.map((s) => s.pattern).join("/")}$`,
    label: segments.map((s) => s.label).join("/"),
  };
}

/**
 * The provider writes of a run (Partner Center, Graph and ARM requests that changed the
 * emulator's state; token requests and reads with side effects are left out), as kill points.
 */
export function killPointsOf(log: RequestLogEntry[]): KillPoint[] {
  const seen = new Map<string, number>();
  const points: KillPoint[] = [];
  for (const e of log) {
    if (!e.write || e.service === "identity" || e.method === "GET" || e.status >= 400) continue;
    const { pattern, label } = pathPatternOf(e.path);
    const k = `${e.service} ${e.method} ${pattern}`;
    const occurrence = (seen.get(k) ?? 0) + 1;
    seen.set(k, occurrence);
    points.push({
      step: points.length + 1,
      service: e.service,
      method: e.method,
      pathPattern: pattern,
      occurrence,
      label: `${e.method} ${e.service} ${label}${occurrence > 1 ? ` (#${occurrence})` : ""}`,
    });
  }
  return points;
}

export interface KilledRun {
  /** Whether the victim was killed at the point (false: the run never reached it and finished). */
  killed: boolean;
  result: RunProgramResult;
  /** `inFlight`: whether the held write then committed at the emulator (status < 400). */
  committedAfterKill?: boolean;
  /**
   * Processes of the run still alive once the `up` had ended (a SIGKILLed CLI leaves its language
   * host and provider host running, reparented to init): `role pid`. They are killed afterwards.
   */
  survivors: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function lastSeq(admin: EmulatorAdmin): Promise<number> {
  return (await admin.requestLog()).at(-1)?.seq ?? 0;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `up` with the Pulumi CLI and SIGKILLs the `victim` process at `point` in `mode`. The
 * emulator's faults are cleared afterwards. In `inFlight` mode it waits until the held write has
 * been handled, so a following run does not race with it. Every process of the run still alive
 * afterwards (a SIGKILLed CLI's plugins) is then killed, so nothing of this run acts later.
 */
export async function upKilledAt(
  admin: EmulatorAdmin,
  point: KillPoint,
  mode: KillMode,
  victim: KillVictim,
  options: Omit<RunProgramOptions, "command"> & { stateDir: string },
): Promise<KilledRun> {
  const ws = prepareWorkspace(options.programDir, options.stateDir, options.stack ?? "dev");
  const since = await lastSeq(admin);
  const match = { service: point.service, method: point.method, pathPattern: point.pathPattern };
  let holdId: string | undefined;
  if (mode === "inFlight") {
    if (point.occurrence > 1) {
      // Faults are taken in the order they were added: let the earlier matches through untouched.
      await admin.addFault({ ...match, count: point.occurrence - 1, action: { type: "latency", ms: 0 } });
    }
    holdId = (await admin.addFault({ ...match, count: 1, action: { type: "latency", ms: HOLD_MS } })).id;
  }

  let finished = false;
  let killed = false;
  // Every process seen during the run (the CLI's children are reparented once it dies).
  const seen = new Map<number, WorkspaceProcess>();
  const run = runProgram({ ...options, command: "up" }).finally(() => {
    finished = true;
  });

  const reached = async (): Promise<boolean> => {
    if (mode === "inFlight") return !(await admin.faults()).some((f) => f.id === holdId);
    const hits = await admin.requestLog({ ...match, sinceSeq: since });
    return hits.filter((h) => h.status > 0 && h.status < 400).length >= point.occurrence;
  };
  const deadline = Date.now() + REACH_TIMEOUT_MS;
  while (!finished && Date.now() < deadline) {
    for (const p of workspaceProcesses(ws)) seen.set(p.pid, p);
    if (await reached()) {
      const target = workspaceProcesses(ws).find((p) => p.role === victim);
      if (target) {
        for (const p of workspaceProcesses(ws)) seen.set(p.pid, p);
        try {
          process.kill(target.pid, "SIGKILL");
          killed = true;
        } catch {
          // It ended on its own in the meantime.
        }
      }
      break;
    }
    await sleep(POLL_MS);
  }
  const result = await run;
  let committedAfterKill: boolean | undefined;
  if (mode === "inFlight" && killed) {
    // The held request is handled HOLD_MS after it arrived; wait until the emulator logged it.
    for (let i = 0; i < 400 && committedAfterKill === undefined; i++) {
      const hits = (await admin.requestLog({ ...match, sinceSeq: since })).filter(
        (h) => h.fault === "latency",
      );
      if (hits.length >= point.occurrence) {
        // The earlier matches passed with no delay; the held one is the slowest.
        const held = hits.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
        committedAfterKill = held.status > 0 && held.status < 400;
      } else {
        await sleep(25);
      }
    }
  }
  await admin.clearFaults();
  const survivors = [...seen.values()].filter((p) => alive(p.pid) && isSame(p));
  for (const p of survivors) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // Gone already.
    }
  }
  const victimKilled =
    killed && (victim === "cli" ? result.signal === "SIGKILL" : !result.ok && result.signal === null);
  return {
    killed: victimKilled,
    result,
    ...(committedAfterKill !== undefined ? { committedAfterKill } : {}),
    survivors: survivors.map((p) => `${p.role} ${p.pid}`),
  };
}

/** The pid still runs the process seen earlier (not a reused pid). */
function isSame(p: WorkspaceProcess): boolean {
  try {
    const cmdline = fs.readFileSync(`/proc/${p.pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    // A zombie has an empty command line: nothing left to kill.
    return cmdline.length > 0 && cmdline.join(" ") === p.cmdline.join(" ");
  } catch {
    return false;
  }
}
