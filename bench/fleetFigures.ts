import * as fs from "node:fs";
import * as os from "node:os";

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** CPU seconds of this process and of its reaped children (the Pulumi CLIs and what they ran). */
export interface CpuSample {
  selfMs: number;
  childrenMs: number;
}

/**
 * Reads `/proc/self/stat`: utime + stime (this process: the fleet's orchestration and the
 * in-process emulator) and cutime + cstime (every child once reaped: each stack's Pulumi CLI,
 * which reaps its language host, program and provider host, so their CPU is counted too).
 */
export function cpuNow(): CpuSample {
  const stat = fs.readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the command name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
  const n = (i: number) => Number(fields[i]);
  return { selfMs: ((n(11) + n(12)) / TICKS) * 1000, childrenMs: ((n(13) + n(14)) / TICKS) * 1000 };
}

/**
 * Samples the resident memory of this process's descendants (every stack's CLI, language host,
 * program and provider host) every `intervalMs`, keeping the highest sum seen and the most
 * processes at once. Linux only (reads /proc); elsewhere the figures stay 0.
 */
export class TreeMemorySampler {
  peakRssBytes = 0;
  peakProcesses = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs = 250) {}

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): { peakRssBytes: number; peakProcesses: number } {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return { peakRssBytes: this.peakRssBytes, peakProcesses: this.peakProcesses };
  }

  private sample(): void {
    if (os.platform() !== "linux") return;
    const parents = new Map<number, number>();
    const rss = new Map<number, number>();
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        parents.set(Number(entry), Number(fields[1]));
        // rss (field 24 of stat, index 21 after the name) is in pages.
        rss.set(Number(entry), Number(fields[21]) * 4096);
      } catch {
        // ended while read
      }
    }
    const inTree = new Set<number>([process.pid]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, ppid] of parents) {
        if (!inTree.has(pid) && inTree.has(ppid)) {
          inTree.add(pid);
          grew = true;
        }
      }
    }
    inTree.delete(process.pid);
    let total = 0;
    for (const pid of inTree) total += rss.get(pid) ?? 0;
    this.peakRssBytes = Math.max(this.peakRssBytes, total);
    this.peakProcesses = Math.max(this.peakProcesses, inTree.size);
  }
}

/** The machine's load while a phase ran (1-minute load averages at its start and end). */
export function loadAverage(): number {
  return Math.round(os.loadavg()[0]! * 10) / 10;
}
