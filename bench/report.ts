import type { BenchResult, PhaseResult, SizeResult } from "./benchTypes";
import { type FigureTable, shapeFloorTable, timeTable, typesTable } from "./figureTables";

/** Renders the benchmark's figures as the text tables `npm run bench` prints. */
export function formatReport(r: BenchResult): string {
  const out: string[] = [];
  const mb = (bytes: number | undefined) => (bytes === undefined ? "-" : (bytes / 2 ** 20).toFixed(0));
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const x = (v: number | null) => (v === null ? "∞" : v.toFixed(2));

  const e = r.engine;
  out.push(
    `pulumi-csp benchmark: ${r.machine.cpus} CPUs (${r.machine.cpuModel.trim()}), node ${r.machine.node}; emulator latency ${r.options.latencyMs} ms per request, Partner Center rate limits ${r.options.enforceRateLimits ? "enforced" : "off"}`,
  );
  out.push(
    `engine: ${e.engine} (${e.cli}) driven by the ${e.driver}; language host ${e.languageHost}; ${e.nodejsSdk} on ${e.node}; --parallel ${e.parallel} (${e.parallelSource}); checkpoint written ${e.checkpoints}`,
  );
  out.push(
    `total bench time ${s(r.durationMs)} s; load average ${r.machine.loadAverage.start} at the start, ${r.machine.loadAverage.end} at the end`,
  );
  out.push("");

  if (r.floor.length > 0) {
    out.push(
      `Engine floor: the benchmark program with no customer (the stack resource only), fastest of ${r.options.floorRuns} round(s)${r.options.floorRuns > 1 ? " (the last one after the sizes)" : ""}; CPU and memory of that round`,
    );
    out.push(
      table(
        ["command", "wall s", "rounds s", "CLI CPU s", "program CPU s", "all CPU s", "CLI MB", "program MB"],
        r.floor.map((f) => [
          f.command,
          s(f.wallMs),
          f.runsMs.map(s).join(" "),
          s(f.processes.cli?.cpuMs ?? 0),
          s(f.processes.program?.cpuMs ?? 0),
          f.processes.allCpuMs === undefined ? "-" : s(f.processes.allCpuMs),
          mb(f.processes.cli?.peakRssBytes),
          mb(f.processes.program?.peakRssBytes),
        ]),
      ),
    );
    out.push("");
  }

  for (const size of r.sizes) {
    out.push(`N = ${size.customers} customers (${size.resources} pulumi-csp resources)`);
    out.push(
      table(
        [
          "phase",
          "ok",
          "steps",
          "API/res",
          "PC",
          "Graph",
          "ARM",
          "min/res",
          "×min",
          "tokens",
          "target",
          "429",
          "retries",
          "ckpt B/res",
          "__provider B/res",
          "backend KB",
          "CLI MB",
          "program MB",
          "host MB",
        ],
        size.phases.map((p) => [
          p.phase,
          p.ok ? "ok" : "FAILED",
          steps(p),
          p.calls.perResource.api.toFixed(2),
          p.calls.perResource.partnerCenter.toFixed(2),
          p.calls.perResource.graph.toFixed(2),
          p.calls.perResource.arm.toFixed(2),
          p.calls.minimumPerResource.toFixed(2),
          x(p.calls.ratio),
          String(p.tokens.requests),
          String(p.tokens.target),
          String(p.throttled),
          String(p.retries),
          String(p.state.bytesPerResource),
          String(p.state.providerBytesPerResource),
          (p.state.backendBytes / 1024).toFixed(0),
          mb(p.processes.cli?.peakRssBytes),
          mb(p.processes.program?.peakRssBytes),
          mb(p.processes.providerHost?.peakRssBytes),
        ]),
      ),
    );
    out.push("");
    out.push(
      table(
        [
          "phase",
          "wall s",
          "floor s",
          "chain calls",
          "chain s",
          "slots s",
          "bound s",
          "×bound",
          "(wall−floor)/res ms",
          "PC throttle s",
          "CLI CPU s",
          "program CPU s",
          "host CPU s",
          "all CPU s",
          "bench CPU s",
          "CPU busy",
        ],
        size.phases.map((p) => {
          const all =
            p.processes.allCpuMs ??
            (p.processes.cli?.cpuMs ?? 0) +
              (p.processes.program?.cpuMs ?? 0) +
              (p.processes.providerHost?.cpuMs ?? 0);
          return [
            p.phase,
            s(p.time.wallMs),
            s(p.time.floorMs),
            String(p.time.chainCalls),
            s(p.time.chainMs),
            s(p.time.slotMs),
            s(p.time.lowerBoundMs),
            p.time.ratio.toFixed(2),
            p.time.perResourceOverFloorMs.toFixed(0),
            s(p.calls.requests.clientThrottleMs),
            s(p.processes.cli?.cpuMs ?? 0),
            s(p.processes.program?.cpuMs ?? 0),
            s(p.processes.providerHost?.cpuMs ?? 0),
            s(all),
            s(p.benchCpuMs),
            `${Math.round(((all + p.benchCpuMs) / (r.machine.cpus * p.time.wallMs)) * 100)}%`,
          ];
        }),
      ),
    );
    for (const p of size.phases.filter((q) => !q.ok)) {
      out.push(`  ${p.phase} failed: ${p.errors.join(" | ").slice(0, 1500)}`);
    }
    out.push(peerLine(size));
    out.push("");
  }

  out.push(
    [
      "Columns: steps = the engine's steps (stack and components included); ×min = API calls / documented minimum;",
      "target = one token request per (tenant, scope) in the one provider host; ckpt = the file backend's checkpoint;",
      "backend = checkpoint, backups and history; floor = the same command on the empty program (above);",
      `chain = the longest chain of minimal calls of one tenant (+1 token) × latency; slots = every resource's sequential calls × latency / --parallel ${e.parallel};`,
      "bound = floor + the larger of chain and slots; all CPU = every process the command started (exact); bench CPU = the emulator and the Automation API client in the bench's own process.",
    ].join("\n"),
  );
  out.push("");

  out.push("Per customer as N grows (flat = each customer costs the same; factor = last / first)");
  const sizes = r.sizes.filter((z) => z.customers > 0).map((z) => String(z.customers));
  out.push(
    table(
      ["phase", "figure", ...sizes.map((n) => `N=${n}`), "factor"],
      r.growth.map((g) => [
        g.phase,
        g.figure,
        ...sizes.map((n) => (g.values[n] === undefined ? "-" : fmt(g.values[n]!))),
        g.factor === null ? "-" : `${g.factor.toFixed(2)}×`,
      ]),
    ),
  );
  out.push("");

  out.push("Where the time goes (in flight = at least one request at the emulator; steps = the engine's)");
  out.push(table(...tableArgs(timeTable(r))));
  out.push("");

  const atSize = shapeFloorTable(r);
  if (atSize.rows.length > 0) {
    out.push(
      "Engine floor at each size: the create's resources declared again through a provider that answers at once and calls nothing (bench/shapeFloor.ts)",
    );
    out.push(table(...tableArgs(atSize)));
    out.push("");
  }

  const largest = r.sizes.at(-1);
  if (largest && largest.customers > 0) {
    out.push(
      `API calls per customer by type and phase at N = ${largest.customers} (documented minimum); * = shares an endpoint with another type, whose calls count under one of them (bench/endpointTypes.ts)`,
    );
    out.push(table(...tableArgs(typesTable(largest))));
    const budget = budgetLines(r);
    if (budget.length > 0) out.push(...budget);
    out.push("");
    out.push(`Calls per customer by endpoint at N = ${largest.customers} (token requests: identity)`);
    for (const p of largest.phases) {
      const entries = Object.entries(p.calls.requests.endpoints);
      out.push(`  ${p.phase}: ${entries.length === 0 ? "no calls" : ""}`);
      for (const [endpoint, count] of entries) {
        out.push(`    ${(count / largest.customers).toFixed(2).padStart(6)}  ${endpoint}`);
      }
    }
    out.push("");
  }

  if (r.loopback) {
    out.push(
      `Emulator on loopback: ${r.loopback.requestsPerSecond} requests/s (${r.loopback.requests} authenticated calls, ${r.loopback.concurrency} at a time, no injected latency, client in the same process); the busiest second of the runs saw ${r.peakRequestsPerSecond} requests.`,
    );
  }
  return out.join("\n");
}

function tableArgs(t: FigureTable): [string[], string[][]] {
  return [t.header, t.rows];
}

/** Phases whose calls per customer differ from the budget (bench/callBudget.ts), at every size. */
function budgetLines(r: BenchResult): string[] {
  const lines: string[] = [];
  for (const size of r.sizes) {
    for (const p of size.phases.filter((q) => q.ok)) {
      const b = r.budget?.[p.phase];
      if (!b || size.customers === 0) continue;
      const calls = p.calls.requests.apiCalls / size.customers;
      const tokens = p.tokens.requests / size.customers;
      if (size.customers === 1 && (calls !== b.apiCalls || tokens !== b.tokenRequests)) {
        lines.push(
          `  NOT THE BUDGET (bench/callBudget.ts) at N = 1: ${p.phase} ${calls} API calls (budget ${b.apiCalls}), ${tokens} token requests (budget ${b.tokenRequests})`,
        );
      }
    }
  }
  return lines;
}

function steps(p: PhaseResult): string {
  const parts = Object.entries(p.counts)
    .filter(([, n]) => n > 0)
    .map(([op, n]) => `${op} ${n}`);
  return parts.join(", ") || "-";
}

function peerLine(size: SizeResult): string {
  const peer = size.peer;
  if (!peer) return "  sequential script: not run at this size";
  if (!peer.ok) return `  sequential script FAILED: ${peer.error ?? ""}`;
  const vs = size.versusPeer;
  return [
    `  sequential script (create, one call at a time, a new token per call): ${(peer.wallMs / 1000).toFixed(1)} s,`,
    `${peer.requests.apiCalls} API calls (${peer.perResource.api.toFixed(2)}/res), ${peer.requests.byService.identity} token requests, ${peer.requests.throttled} answered 429, ${peer.retries} retries, ${(peer.cpuMs / 1000).toFixed(1)} s CPU (script + emulator)`,
    vs
      ? `\n  ours / script: wall ${vs.wall.toFixed(2)}×, API calls ${vs.apiCalls.toFixed(2)}×, token requests ${vs.tokenRequests.toFixed(3)}×, all requests ${vs.requests.toFixed(2)}×`
      : "",
  ].join(" ");
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
}

/** A plain text table: first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i <= 1 && header[0] === "phase" ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
