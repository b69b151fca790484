import * as fs from "node:fs";
import { type WorkspaceProcess, workspaceProcesses } from "../automation/processes";
import type { StackWorkspace } from "../automation/stackWorkspace";

/** Peak memory and CPU time of the processes of one role, as last read from `/proc`. */
export interface ProcessFigures {
  /** Processes of this role seen during the command. */
  processes: number;
  /** Highest peak resident set size (`VmHWM`) of one of them, bytes. */
  peakRssBytes: number;
  /** User + system CPU time of all of them, ms (each as last sampled before it ended). */
  cpuMs: number;
  /**
   * Bytes all of them wrote through `write` calls (`wchar` of `/proc/<pid>/io`: files, pipes and
   * sockets alike; for the CLI chiefly the checkpoint and the engine's event log), as last sampled.
   */
  writeBytes: number;
}

/**
 * Figures of one Pulumi CLI command, by role: `cli` (every `pulumi` process of the command: the
 * Automation API's own `pulumi version`, `stack select`... and the operation), `program` (the
 * language host and the Node.js program it runs), `providerHost` (the dynamic-provider host and
 * its shell wrapper). Roles that never showed up are absent.
 */
export interface EngineProcessFigures {
  cli?: ProcessFigures;
  program?: ProcessFigures;
  providerHost?: ProcessFigures;
}

type RoleKey = keyof EngineProcessFigures;

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Samples the processes of a stack workspace (`automation/processes.ts`: the CLI in the
 * workspace's folder and all its descendants) while a command runs: `/proc/<pid>/status` (`VmHWM`,
 * the kernel's own peak RSS, so a sample only has to come before the exit, not at the peak) and
 * `/proc/<pid>/stat` (CPU time). Known processes are read every `intervalMs`; the process tree is
 * scanned for new ones every `discoverEveryMs`. Linux only; elsewhere the figures stay empty.
 */
export class ProcessSampler {
  private readonly seen = new Map<
    number,
    { role: RoleKey; last?: { rss: number; cpuMs: number; writeBytes: number } }
  >();
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;

  constructor(
    private readonly ws: StackWorkspace,
    private readonly intervalMs = 50,
    private readonly discoverEveryMs = 200,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops sampling and returns the figures per role. */
  stop(): EngineProcessFigures {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const out: EngineProcessFigures = {};
    for (const { role, last } of this.seen.values()) {
      if (!last) continue;
      const f = out[role] ?? { processes: 0, peakRssBytes: 0, cpuMs: 0, writeBytes: 0 };
      f.processes += 1;
      f.peakRssBytes = Math.max(f.peakRssBytes, last.rss);
      f.cpuMs += last.cpuMs;
      f.writeBytes += last.writeBytes;
      out[role] = f;
    }
    return out;
  }

  private sample(): void {
    if (this.ticks++ % Math.max(1, Math.round(this.discoverEveryMs / this.intervalMs)) === 0) {
      let found: WorkspaceProcess[] = [];
      try {
        found = workspaceProcesses(this.ws);
      } catch {
        // not Linux
      }
      for (const p of found) {
        const role = roleKey(p);
        if (role && !this.seen.has(p.pid)) this.seen.set(p.pid, { role });
      }
    }
    for (const [pid, entry] of this.seen) {
      const figures = readProcess(pid);
      if (figures) {
        entry.last = { rss: figures.peakRssBytes, cpuMs: figures.cpuMs, writeBytes: figures.writeBytes };
      }
    }
  }
}

function roleKey(p: WorkspaceProcess): RoleKey | undefined {
  switch (p.role) {
    case "cli":
      return "cli";
    case "language-host":
    case "program":
      return "program";
    case "provider-host":
      return "providerHost";
    default:
      // The provider plugin's shell wrapper and its `node -e require.resolve(...)`.
      return p.cmdline.join(" ").includes("pulumi-resource-pulumi-nodejs") ||
        p.cmdline.join(" ").includes("dynamic-provider")
        ? "providerHost"
        : undefined;
  }
}

/** VmHWM, CPU time and bytes written of `pid`, or undefined when it is gone (or not on Linux). */
export function readProcess(
  pid: number,
): { pid: number; peakRssBytes: number; cpuMs: number; writeBytes: number } | undefined {
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
      writeBytes: writtenBytes(pid),
    };
  } catch {
    return undefined;
  }
}

/** `wchar` of `/proc/<pid>/io` (0 when unreadable). */
function writtenBytes(pid: number): number {
  try {
    const io = fs.readFileSync(`/proc/${pid}/io`, "utf8");
    return Number(/^wchar:\s+(\d+)/m.exec(io)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * CPU time of this process's ended and waited-for children and their own waited-for descendants
 * (`cutime` + `cstime` of `/proc/self/stat`), ms: the delta over a command is the exact CPU of
 * every process it started (the CLI, language host, program, provider host), none lost between
 * samples. Undefined when not on Linux.
 */
export function childrenCpuMs(): number | undefined {
  try {
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[13]) + Number(fields[14]); // cutime, cstime (fields 16 and 17)
    return Math.round((ticks * 1000) / CLOCK_TICKS_PER_SECOND);
  } catch {
    return undefined;
  }
}
