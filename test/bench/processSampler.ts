import * as fs from "node:fs";

/** Peak memory and CPU time of one process, as last read from `/proc`. */
export interface ProcessFigures {
  pid: number;
  /** Peak resident set size (`VmHWM`), bytes. */
  peakRssBytes: number;
  /** User + system CPU time, ms. */
  cpuMs: number;
}

/** Figures of the runner and of its dynamic-provider host (absent when it was never seen). */
export interface RunnerProcessFigures {
  runner?: ProcessFigures;
  host?: ProcessFigures;
}

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Samples `/proc/<pid>/status` (`VmHWM`, the kernel's own peak RSS, so a sample only has to come
 * before the exit, not at the peak) and `/proc/<pid>/stat` (CPU time) of a local-runner process
 * and of its dynamic-provider host: the runner's child whose command line names
 * `dynamic-provider`. Linux only; elsewhere the figures stay empty.
 */
export class ProcessSampler {
  private readonly figures: RunnerProcessFigures = {};
  private timer: NodeJS.Timeout | undefined;
  private hostPid: number | undefined;

  constructor(
    private readonly runnerPid: number,
    private readonly intervalMs = 50,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops sampling and returns the last figures read. */
  stop(): RunnerProcessFigures {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return { ...this.figures };
  }

  private sample(): void {
    const runner = readProcess(this.runnerPid);
    if (runner) this.figures.runner = runner;
    this.hostPid ??= findHostPid(this.runnerPid);
    if (this.hostPid !== undefined) {
      const host = readProcess(this.hostPid);
      if (host) this.figures.host = host;
    }
  }
}

/** VmHWM and CPU time of `pid`, or undefined when it is gone (or not on Linux). */
export function readProcess(pid: number): ProcessFigures | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const hwm = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    if (!hwm) return undefined;
    return {
      pid,
      peakRssBytes: Number(hwm[1]) * 1024,
      cpuMs: Math.round((ticks * 1000) / CLOCK_TICKS_PER_SECOND),
    };
  } catch {
    return undefined;
  }
}

/** The child of `parentPid` running the dynamic-provider host. */
export function findHostPid(parentPid: number): number | undefined {
  for (const pid of childPids(parentPid)) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (cmdline.includes("dynamic-provider")) return pid;
    } catch {
      // gone already
    }
  }
  return undefined;
}

function childPids(parentPid: number): number[] {
  const pids = new Set<number>();
  try {
    for (const task of fs.readdirSync(`/proc/${parentPid}/task`)) {
      const text = fs.readFileSync(`/proc/${parentPid}/task/${task}/children`, "utf8").trim();
      for (const p of text.split(/\s+/)) if (p) pids.add(Number(p));
    }
    return [...pids];
  } catch {
    // No `children` files (kernel without CONFIG_PROC_CHILDREN): scan parent pids instead.
  }
  try {
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (ppid === parentPid) pids.add(Number(entry));
      } catch {
        // gone already
      }
    }
  } catch {
    // not Linux
  }
  return [...pids];
}
