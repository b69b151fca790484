import * as fs from "node:fs";
import * as path from "node:path";
import type { StackWorkspace } from "./stackWorkspace";

/** A process working in a stack workspace, and what it is. */
export interface WorkspaceProcess {
  pid: number;
  /** `cli` (pulumi), `language-host`, `program` (the Node.js program), `provider-host` (dynamic providers), `other`. */
  role: "cli" | "language-host" | "program" | "provider-host" | "other";
  cmdline: string[];
}

/**
 * The Pulumi CLI processes working in the workspace's project folder, and all their descendants:
 * the language host, the program and the dynamic-provider host (which run in the program's own
 * folder). Lets a test kill one of them (SIGKILL, as a crash would) at a chosen moment. Linux
 * only (reads /proc).
 */
export function workspaceProcesses(ws: StackWorkspace): WorkspaceProcess[] {
  const all = new Map<number, { ppid: number; cwd: string; cmdline: string[] }>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name may hold spaces and parentheses: fields resume after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean);
      all.set(Number(entry), { ppid, cwd: fs.readlinkSync(`/proc/${entry}/cwd`), cmdline });
    } catch {
      // The process ended while we looked.
    }
  }
  const chosen = new Set<number>();
  for (const [pid, p] of all) {
    if (p.cwd === ws.workDir && roleOf(p.cmdline) === "cli") chosen.add(pid);
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of all) {
      if (!chosen.has(pid) && chosen.has(p.ppid)) {
        chosen.add(pid);
        grew = true;
      }
    }
  }
  return [...chosen].map((pid) => {
    const cmdline = all.get(pid)?.cmdline ?? [];
    return { pid, role: roleOf(cmdline), cmdline };
  });
}

function roleOf(cmdline: string[]): WorkspaceProcess["role"] {
  const exe = path.basename(cmdline[0] ?? "");
  if (exe === "pulumi") return "cli";
  if (exe === "pulumi-language-nodejs") return "language-host";
  const joined = cmdline.join(" ");
  if (joined.includes("dynamic-provider")) return "provider-host";
  if (joined.includes("cmd/run")) return "program";
  return "other";
}
