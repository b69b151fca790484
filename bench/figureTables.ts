import type { BenchResult, PhaseResult, SizeResult } from "./benchTypes";
import { ENDPOINT_TYPES, endpointType } from "./endpointTypes";
import type { BenchResourceType } from "./minimums";

/**
 * The figures of a benchmark run as tables (header and rows of text), shared by the text report
 * (bench/report.ts) and the generated document (bench/benchDoc.ts).
 */
export interface FigureTable {
  header: string[];
  rows: string[][];
}

const s = (ms: number) => (ms / 1000).toFixed(1);
const x = (v: number | null) => (v === null ? "∞" : v.toFixed(2));
const mb = (bytes: number | undefined) => (bytes === undefined ? "–" : (bytes / 2 ** 20).toFixed(0));

/** The engine floor per command: the program with no customer. */
export function floorTable(r: BenchResult): FigureTable {
  return {
    header: [
      "command",
      "wall s",
      "rounds s",
      "CPU s (all processes)",
      "CLI peak RSS MB",
      "program peak RSS MB",
    ],
    rows: r.floor.map((f) => [
      f.command,
      s(f.wallMs),
      f.runsMs.map(s).join(" "),
      f.processes.allCpuMs === undefined ? "–" : s(f.processes.allCpuMs),
      mb(f.processes.cli?.peakRssBytes),
      mb(f.processes.program?.peakRssBytes),
    ]),
  };
}

/** One row per size and phase: calls per resource against the minimum, tokens, time against the bound. */
export function phasesTable(r: BenchResult): FigureTable {
  return {
    header: [
      "N",
      "phase",
      "API calls / resource (PC · Graph · ARM)",
      "minimum",
      "× min",
      "API calls / customer (budget)",
      "token requests (target)",
      "wall s",
      "bound s",
      "× bound",
      "429",
    ],
    rows: r.sizes.flatMap((size) =>
      size.phases.map((p) => {
        const c = p.calls.perResource;
        const budget = r.budget?.[p.phase];
        return [
          String(size.customers),
          p.ok ? p.phase : `${p.phase} FAILED`,
          `${c.api.toFixed(2)} (${c.partnerCenter.toFixed(2)} · ${c.graph.toFixed(2)} · ${c.arm.toFixed(2)})`,
          p.calls.minimumPerResource.toFixed(2),
          x(p.calls.ratio),
          `${perCustomer(p.calls.requests.apiCalls, size)}${budget ? ` (${budget.apiCalls})` : ""}`,
          `${p.tokens.requests} (${p.tokens.target})`,
          s(p.time.wallMs),
          s(p.time.lowerBoundMs),
          p.time.ratio.toFixed(2),
          String(p.throttled),
        ];
      }),
    ),
  };
}

/** Ours (create) against the sequential script, per size where the script ran. */
export function peerTable(r: BenchResult): FigureTable {
  return {
    header: [
      "N",
      "ours: wall s · API calls · token requests",
      "script: wall s · API calls · token requests",
      "ours / script (wall · calls · tokens)",
    ],
    rows: r.sizes.flatMap((size) => {
      const create = size.phases.find((p) => p.phase === "create");
      const peer = size.peer;
      if (!create || !peer?.ok) return [];
      const vs = size.versusPeer;
      return [
        [
          String(size.customers),
          `${s(create.time.wallMs)} · ${create.calls.requests.apiCalls} · ${create.tokens.requests}`,
          `${s(peer.wallMs)} · ${peer.requests.apiCalls} · ${peer.requests.byService.identity}`,
          vs ? `${vs.wall.toFixed(2)} · ${vs.apiCalls.toFixed(2)} · ${vs.tokenRequests.toFixed(3)}` : "–",
        ],
      ];
    }),
  };
}

/**
 * API calls per customer by resource type and phase at one size, each next to its documented
 * minimum; `*` marks types that share an endpoint with another type's handler, whose calls all
 * count under one of them (bench/endpointTypes.ts): their figures are approximate.
 */
export function typesTable(size: SizeResult): FigureTable {
  const phases = size.phases.filter((p) => p.ok && p.calls.byType);
  const types = new Set<BenchResourceType>();
  for (const p of phases) {
    for (const t of Object.keys(p.calls.minimumByType ?? {})) types.add(t as BenchResourceType);
    for (const t of Object.keys(p.calls.byType)) types.add(t as BenchResourceType);
  }
  const shared = new Set(
    ENDPOINT_TYPES.filter((e) => e.sharedWith?.length).flatMap((e) => [e.type, ...(e.sharedWith ?? [])]),
  );
  return {
    header: ["type", ...phases.map((p) => `${p.phase} (min)`)],
    rows: [...types].map((t) => [
      `${t}${shared.has(t) ? " *" : ""}`,
      ...phases.map((p) => {
        const calls = p.calls.byType[t] ?? 0;
        const min = p.calls.minimumByType?.[t] ?? 0;
        return `${perCustomer(calls, size)} (${perCustomer(min, size)})`;
      }),
    ]),
  };
}

/** Calls per customer by endpoint and phase at one size, with the type each is attributed to. */
export function endpointsTable(size: SizeResult): FigureTable {
  return {
    header: ["phase", "calls / customer", "endpoint", "type"],
    rows: size.phases.flatMap((p) =>
      Object.entries(p.calls.requests.endpoints).map(([endpoint, count]) => [
        p.phase,
        perCustomer(count, size),
        endpoint,
        endpoint.startsWith("identity ") ? "(token)" : (endpointType(endpoint)?.type ?? "UNMAPPED"),
      ]),
    ),
  };
}

/** Where each phase's wall time went, per size. */
export function timeTable(r: BenchResult): FigureTable {
  return {
    header: [
      "N",
      "phase",
      "wall s",
      "floor s",
      "requests in flight s",
      "no request in flight s",
      "steps",
      "(wall − floor) / step ms",
      "CLI CPU s",
      "program CPU s",
      "provider host CPU s",
      "PC throttle s",
      "checkpoint writes",
      "CLI wrote MB",
    ],
    rows: r.sizes.flatMap((size) =>
      size.phases.map((p) => {
        const split = p.time.split;
        return [
          String(size.customers),
          p.phase,
          s(p.time.wallMs),
          s(p.time.floorMs),
          split ? s(split.inFlightMs) : "–",
          split ? s(split.noRequestMs) : "–",
          split ? String(split.steps) : "–",
          split ? split.perStepOverFloorMs.toFixed(0) : "–",
          s(p.processes.cli?.cpuMs ?? 0),
          s(p.processes.program?.cpuMs ?? 0),
          s(p.processes.providerHost?.cpuMs ?? 0),
          s(p.calls.requests.clientThrottleMs),
          split ? String(split.checkpointWrites) : "–",
          split ? mb(split.cliWriteBytes) : "–",
        ];
      }),
    ),
  };
}

/**
 * Checkpoint size after create and update, per size, and what a dynamic resource's entry is made
 * of (compact JSON bytes per resource, bench/stateFigures.ts).
 */
export function stateTable(r: BenchResult): FigureTable {
  return {
    header: [
      "N",
      "phase",
      "checkpoint KB",
      "bytes / resource",
      "__provider",
      "inputs",
      "outputs (repeating an input)",
      "source positions",
      "dependencies",
      "other",
      "backend KB",
    ],
    rows: r.sizes.flatMap((size) =>
      size.phases
        .filter((p: PhaseResult) => p.phase === "create" || p.phase === "update")
        .map((p) => {
          const b = p.state.breakdown;
          return [
            String(size.customers),
            p.phase,
            (p.state.bytes / 1024).toFixed(0),
            String(p.state.bytesPerResource),
            String(p.state.providerBytesPerResource),
            b ? String(b.inputs) : "–",
            b ? `${b.outputs} (${b.outputsRepeatingInputs})` : "–",
            b ? String(b.sourcePositions) : "–",
            b ? String(b.dependencies) : "–",
            b ? String(b.other) : "–",
            (p.state.backendBytes / 1024).toFixed(0),
          ];
        }),
    ),
  };
}

/**
 * The create at each size against the engine's floor at that size (bench/shapeFloor.ts): the same
 * resources through a provider that makes no call, its steps and checkpoint writes, and the create's
 * wall time over that floor plus the create's API bound.
 */
export function shapeFloorTable(r: BenchResult): FigureTable {
  return {
    header: [
      "N",
      "resources declared again",
      "requests",
      "steps",
      "checkpoint writes",
      "CLI wrote MB",
      "bytes / resource (create's)",
      "CLI CPU s",
      "floor at N s",
      "create s",
      "floor at N + API bound s",
      "create / that",
    ],
    rows: r.sizes.flatMap((size) => {
      const f = size.shapeFloor;
      if (!f) return [];
      const create = size.phases.find((p) => p.phase === "create");
      return [
        [
          String(size.customers),
          String(f.entries),
          String(f.requests),
          String(f.steps),
          String(f.checkpointWrites),
          mb(f.cliWriteBytes),
          `${f.state.bytesPerResource} (${create?.state.bytesPerResource ?? "–"})`,
          s(f.processes.cli?.cpuMs ?? 0),
          f.ok ? s(f.wallMs) : "FAILED",
          f.create ? s(f.create.wallMs) : "–",
          f.create ? s(f.create.boundMs) : "–",
          f.create ? x(f.create.ratio) : "–",
        ],
      ];
    }),
  };
}

function perCustomer(count: number, size: SizeResult): string {
  const v = size.customers ? count / size.customers : 0;
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}
