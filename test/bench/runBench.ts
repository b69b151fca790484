import * as os from "node:os";
import { type RunningEmulator, startEmulator } from "../../emulator/index";
import { runProgram } from "../harness/runProgram";
import type { Command } from "../harness/runSummary";
import { BenchWorkspace } from "./benchWorkspace";
import { type LoopbackFigures, measureLoopback } from "./loopbackRate";
import {
  type BenchResourceType,
  criticalPathCalls,
  MINIMUM_CALLS,
  minimumCallsPerTenant,
  PER_PROCESS_CALLS,
  perProcessCalls,
  type ResourceOperation,
  TENANT_DEPENDENCIES,
} from "./minimums";
import { ProcessSampler, type RunnerProcessFigures } from "./processSampler";
import {
  type RequestFigures,
  requestFigures,
  round,
  SERVICES,
  type ServiceName,
  type TraceFigures,
  traceFigures,
} from "./requestStats";
import { runSequentialScript } from "./sequentialScript";
import { type StateFigures, stateFigures } from "./stateFigures";
import { benchTenantSpec, RESOURCES_PER_TENANT } from "./tenantSpec";

/** Options of {@link runBench}. */
export interface BenchOptions {
  /** Numbers of customers, one run each (default 1, 10, 50). */
  sizes: number[];
  /** Latency the emulator adds to every API and token request, ms. */
  latencyMs: number;
  /** Run the sequential-script peer (default true). */
  peer?: boolean;
  /** Run the peer only at the largest size (its cost per customer is flat; saves time in --quick). */
  peerAtLargestOnly?: boolean;
  /** Measure the emulator's loopback rate (default true). */
  loopback?: boolean;
  /** Requests of the loopback burst (default 2000). */
  loopbackRequests?: number;
  /** Partner Center's documented rate limits enforced by the emulator (default true). */
  enforceRateLimits?: boolean;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
  /** Keep the generated program folder (its path is in the result). */
  keepWorkspace?: boolean;
}

/** One engine command of the benchmark. */
export interface PhaseSpec {
  name: "create" | "preview" | "noopUp" | "refresh" | "update" | "destroy";
  command: Command;
  /** Spec revision the program declares (1 = one field changed per customer). */
  revision: number;
  /** The resource operation whose minimum applies. */
  op: ResourceOperation;
  /** Types the operation touches (all of the tenant unless given). */
  types?: BenchResourceType[];
  /** Resources the operation touches per tenant (all unless given). */
  resourcesTouched?: Partial<Record<BenchResourceType, number>>;
}

/** The phases, in order, on one stack. */
export const PHASES: readonly PhaseSpec[] = [
  { name: "create", command: "up", revision: 0, op: "create" },
  { name: "preview", command: "preview", revision: 0, op: "noop" },
  { name: "noopUp", command: "up", revision: 0, op: "noop" },
  { name: "refresh", command: "refresh", revision: 0, op: "read" },
  // bob's display name: one CustomerUser per customer changes.
  {
    name: "update",
    command: "up",
    revision: 1,
    op: "update",
    types: ["CustomerUser"],
    resourcesTouched: { CustomerUser: 1 },
  },
  { name: "destroy", command: "destroy", revision: 1, op: "delete" },
];

/** Calls (token requests included) per dynamic resource, by service, and API calls in all. */
export type PerResource = Record<ServiceName | "api", number>;

/** The figures of one phase at one size. */
export interface PhaseResult {
  phase: PhaseSpec["name"];
  command: Command;
  customers: number;
  /** Dynamic resources in the stack during the phase. */
  resources: number;
  ok: boolean;
  errors: string[];
  /** The runner's step counts (create/update/same/delete/read...). */
  counts: Record<string, number>;
  providerCalls: Record<string, number>;
  calls: {
    requests: RequestFigures;
    perResource: PerResource;
    /** Documented minimum API calls of the phase (see minimums.ts) and per resource. */
    minimum: number;
    minimumPerResource: number;
    /** API calls / minimum (null when the minimum is 0 and calls were made: infinitely many). */
    ratio: number | null;
  };
  tokens: {
    requests: number;
    /** Distinct (tenant, scope) pairs: the target of one token request per pair and process. */
    target: number;
    ratio: number | null;
  };
  retries: number;
  throttled: number;
  time: {
    wallMs: number;
    /** The runner's own duration (from its summary). */
    runnerMs: number;
    /** The runner's fixed cost: an empty program's preview (process, SDK, provider host). */
    floorMs: number;
    /** Minimal sequential calls of a tenant (+1 token request) times the latency. */
    chainCalls: number;
    apiBoundMs: number;
    /** floor + API bound. */
    lowerBoundMs: number;
    ratio: number;
  };
  state: StateFigures;
  processes: RunnerProcessFigures;
  /** CPU time of the benchmark's own process during the phase (the in-process emulator), ms. */
  emulatorCpuMs: number;
  trace: TraceFigures;
}

/** The sequential script's figures at one size. */
export interface PeerResult {
  customers: number;
  ok: boolean;
  error?: string;
  wallMs: number;
  /** CPU time of the benchmark's process (script and emulator), ms. */
  cpuMs: number;
  requests: RequestFigures;
  perResource: PerResource;
  retries: number;
}

/** One size: the phases and the peer. */
export interface SizeResult {
  customers: number;
  resources: number;
  phases: PhaseResult[];
  peer?: PeerResult;
  /** Ours (create phase) against the peer: ours / peer. */
  versusPeer?: { wall: number; apiCalls: number; tokenRequests: number; requests: number };
}

/** One figure per customer at each size, and how it grew. */
export interface GrowthRow {
  phase: PhaseSpec["name"] | "peer";
  figure: string;
  /** Value at each size (by number of customers). */
  values: Record<string, number>;
  /** Last size's value / first size's value. */
  factor: number | null;
}

/** Everything `npm run bench` measured. */
export interface BenchResult {
  version: 1;
  startedAt: string;
  durationMs: number;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryBytes: number;
    node: string;
    platform: string;
    /** 1-minute load average at the start and at the end (other work on the machine skews wall times). */
    loadAverage: { start: number; end: number };
  };
  options: {
    sizes: number[];
    latencyMs: number;
    parallelism: "unbounded";
    enforceRateLimits: boolean;
    /** The emulator's Integration Sandbox behaviour (off: production limits and deletion rules). */
    sandbox: false;
    peer: boolean;
  };
  tenant: { resourcesPerTenant: Record<string, number>; dependencies: typeof TENANT_DEPENDENCIES };
  minimums: { perOperation: typeof MINIMUM_CALLS; perProcess: typeof PER_PROCESS_CALLS };
  floorMs: number;
  loopback?: LoopbackFigures;
  /** Most requests per second the emulator saw during the runs. */
  peakRequestsPerSecond: number;
  sizes: SizeResult[];
  growth: GrowthRow[];
  workspace?: string;
}

const RESOURCES_PER_CUSTOMER = Object.values(RESOURCES_PER_TENANT).reduce((a, b) => a + b, 0);
const PASSPHRASE = "pulumi-csp-bench";

/**
 * Runs the benchmark: for each size, the phases through the local runner (a child process per
 * command, the real dynamic-provider host, the engine's default unbounded parallelism) against
 * one in-process emulator with injected latency, then the sequential-script peer; plus the
 * runner's fixed cost (an empty program) and the emulator's loopback rate.
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const loadAtStart = os.loadavg()[0] ?? 0;
  const enforceRateLimits = options.enforceRateLimits ?? true;
  const peer = options.peer ?? true;
  // Production Partner Center: an Integration Sandbox caps a partner at 10 Azure plans.
  const emu = await startEmulator({ latencyMs: options.latencyMs, enforceRateLimits, sandbox: false });
  const ws = BenchWorkspace.create();
  try {
    let loopback: LoopbackFigures | undefined;
    if (options.loopback ?? true) {
      loopback = await measureLoopback(emu, { requests: options.loopbackRequests ?? 2000 });
      log(`emulator loopback: ${loopback.requestsPerSecond} requests/s`);
    }
    const floorMs = await measureFloor(emu, ws);
    log(`runner floor (empty program preview): ${floorMs} ms`);

    const sizes: SizeResult[] = [];
    for (const customers of options.sizes) {
      await emu.reset();
      const size: SizeResult = { customers, resources: customers * RESOURCES_PER_CUSTOMER, phases: [] };
      sizes.push(size);
      for (const phase of PHASES) {
        log(`N=${customers}: ${phase.name} ...`);
        const result = await runPhase(emu, ws, phase, customers, options.latencyMs, floorMs);
        size.phases.push(result);
        log(
          `N=${customers}: ${phase.name} ${result.ok ? "ok" : "FAILED"} in ${result.time.wallMs} ms, ${result.calls.requests.apiCalls} API calls, ${result.tokens.requests} token requests`,
        );
        if (!result.ok) break;
      }
      if (peer && (!options.peerAtLargestOnly || customers === Math.max(...options.sizes))) {
        log(`N=${customers}: sequential script ...`);
        size.peer = await runPeer(emu, customers, options.latencyMs);
        log(`N=${customers}: sequential script ${size.peer.ok ? "ok" : "FAILED"} in ${size.peer.wallMs} ms`);
        const create = size.phases.find((p) => p.phase === "create");
        if (create?.ok && size.peer.ok) {
          size.versusPeer = {
            wall: round(create.time.wallMs / size.peer.wallMs, 2),
            apiCalls: round(create.calls.requests.apiCalls / size.peer.requests.apiCalls, 2),
            tokenRequests: round(create.tokens.requests / size.peer.requests.byService.identity, 3),
            requests: round(create.calls.requests.total / size.peer.requests.total, 2),
          };
        }
      }
    }
    const peakRequestsPerSecond = Math.max(
      0,
      ...sizes.flatMap((s) => [
        ...s.phases.map((p) => p.calls.requests.peakRequestsPerSecond),
        s.peer?.requests.peakRequestsPerSecond ?? 0,
      ]),
    );
    return {
      version: 1,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? "",
        memoryBytes: os.totalmem(),
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
        loadAverage: { start: round(loadAtStart, 2), end: round(os.loadavg()[0] ?? 0, 2) },
      },
      options: {
        sizes: options.sizes,
        latencyMs: options.latencyMs,
        parallelism: "unbounded",
        enforceRateLimits,
        sandbox: false,
        peer,
      },
      tenant: { resourcesPerTenant: { ...RESOURCES_PER_TENANT }, dependencies: TENANT_DEPENDENCIES },
      minimums: { perOperation: MINIMUM_CALLS, perProcess: PER_PROCESS_CALLS },
      floorMs,
      ...(loopback ? { loopback } : {}),
      peakRequestsPerSecond,
      sizes,
      growth: growthRows(sizes),
      ...(options.keepWorkspace ? { workspace: ws.dir } : {}),
    };
  } finally {
    await emu.stop();
    if (!options.keepWorkspace) ws.remove();
  }
}

function runnerEnv(emu: RunningEmulator, trace: string): Record<string, string> {
  return { ...emu.env, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE, CSP_HTTP_LOG: trace };
}

function runnerConfig(ws: BenchWorkspace): Record<string, string> {
  return { "csp:allowPurchases": "true", "bench:specFile": ws.specFile };
}

/** The runner's fixed cost: preview of a program that declares nothing. */
async function measureFloor(emu: RunningEmulator, ws: BenchWorkspace): Promise<number> {
  ws.writeSpecs(0, "floor", 0);
  const t = Date.now();
  const result = await runProgram({
    command: "preview",
    programDir: ws.dir,
    stateFile: ws.stateFile(0),
    env: runnerEnv(emu, ws.traceFile("floor")),
    config: runnerConfig(ws),
  });
  if (!result.ok)
    throw new Error(`the empty program failed: ${JSON.stringify(result.errors)}\n${result.stderr}`);
  return Date.now() - t;
}

async function runPhase(
  emu: RunningEmulator,
  ws: BenchWorkspace,
  phase: PhaseSpec,
  customers: number,
  latencyMs: number,
  floorMs: number,
): Promise<PhaseResult> {
  ws.writeSpecs(customers, `b${customers}r`, phase.revision);
  const trace = ws.traceFile(`${customers}-${phase.name}`);
  const stateFile = ws.stateFile(customers);
  await emu.admin.clearRequestLog();
  // Set by the spawn callback: samples the runner and its provider host while they run.
  const holder: { sampler?: ProcessSampler } = {};
  const cpu = process.cpuUsage();
  const t = Date.now();
  const result = await runProgram({
    command: phase.command,
    programDir: ws.dir,
    stateFile,
    env: runnerEnv(emu, trace),
    config: runnerConfig(ws),
    onSpawn: (child) => {
      if (child.pid === undefined) return;
      holder.sampler = new ProcessSampler(child.pid);
      holder.sampler.start();
    },
  });
  const wallMs = Date.now() - t;
  const processes = holder.sampler?.stop() ?? {};
  const used = process.cpuUsage(cpu);
  const emulatorCpuMs = Math.round((used.user + used.system) / 1000);
  const requests = requestFigures(await emu.admin.requestLog(), latencyMs);
  const traced = traceFigures(trace);

  const resources = customers * RESOURCES_PER_CUSTOMER;
  const touched = phase.resourcesTouched ?? RESOURCES_PER_TENANT;
  const minimum =
    customers * minimumCallsPerTenant(phase.op, touched) + (customers > 0 ? perProcessCalls(phase.op) : 0);
  const types = phase.types ?? (Object.keys(RESOURCES_PER_TENANT) as BenchResourceType[]);
  const chain = criticalPathCalls(phase.op, types);
  const chainCalls = chain > 0 ? chain + 1 : 0; // + the first token request
  const apiBoundMs = chainCalls * latencyMs;
  const lowerBoundMs = floorMs + apiBoundMs;
  const distinct = traced.distinctTokens;
  return {
    phase: phase.name,
    command: phase.command,
    customers,
    resources,
    ok: result.ok,
    errors: result.ok ? [] : [...result.errors.map((e) => e.message), result.stderr.slice(-2000)],
    counts: result.counts,
    providerCalls: result.providerCalls,
    calls: {
      requests,
      perResource: perResource(requests, resources),
      minimum,
      minimumPerResource: resources ? round(minimum / resources, 2) : 0,
      ratio: ratio(requests.apiCalls, minimum),
    },
    tokens: {
      requests: requests.byService.identity,
      target: distinct,
      ratio: ratio(requests.byService.identity, distinct),
    },
    retries: traced.retries,
    throttled: requests.throttled,
    time: {
      wallMs,
      runnerMs: result.durationMs,
      floorMs,
      chainCalls,
      apiBoundMs,
      lowerBoundMs,
      ratio: round(wallMs / lowerBoundMs, 2),
    },
    state: stateFigures(stateFile),
    processes,
    emulatorCpuMs,
    trace: traced,
  };
}

async function runPeer(emu: RunningEmulator, customers: number, latencyMs: number): Promise<PeerResult> {
  await emu.admin.clearRequestLog();
  const specs = Array.from({ length: customers }, (_, i) => benchTenantSpec(i + 1, `b${customers}p`, 0));
  const cpu = process.cpuUsage();
  const result = await runSequentialScript(emu.env, specs);
  const used = process.cpuUsage(cpu);
  const requests = requestFigures(await emu.admin.requestLog(), latencyMs);
  const resources = customers * RESOURCES_PER_CUSTOMER;
  return {
    customers,
    ok: result.ok,
    ...(result.error ? { error: result.error } : {}),
    wallMs: result.wallMs,
    cpuMs: Math.round((used.user + used.system) / 1000),
    requests,
    perResource: perResource(requests, resources),
    retries: result.retries,
  };
}

function perResource(requests: RequestFigures, resources: number): PerResource {
  const out = {} as PerResource;
  for (const s of SERVICES) out[s] = resources ? round(requests.byService[s] / resources, 2) : 0;
  out.api = resources ? round(requests.apiCalls / resources, 2) : 0;
  return out;
}

function ratio(actual: number, minimum: number): number | null {
  if (minimum === 0) return actual === 0 ? 1 : null;
  return round(actual / minimum, 2);
}

/** Per-customer figures side by side for every size, with the growth from the first to the last. */
export function growthRows(sizes: readonly SizeResult[]): GrowthRow[] {
  const rows: GrowthRow[] = [];
  const ok = sizes.filter((s) => s.customers > 0);
  const add = (phase: GrowthRow["phase"], figure: string, value: (s: SizeResult) => number | undefined) => {
    const values: Record<string, number> = {};
    for (const s of ok) {
      const v = value(s);
      if (v !== undefined && Number.isFinite(v)) values[String(s.customers)] = round(v, 2);
    }
    const keys = Object.keys(values);
    if (keys.length === 0) return;
    const first = values[keys[0]!]!;
    const last = values[keys.at(-1)!]!;
    rows.push({
      phase,
      figure,
      values,
      factor: keys.length > 1 && first !== 0 ? round(last / first, 2) : null,
    });
  };
  for (const spec of PHASES) {
    const p = (s: SizeResult) => s.phases.find((x) => x.phase === spec.name && x.ok);
    add(spec.name, "API calls per customer", (s) =>
      mapDefined(p(s), (x) => x.calls.requests.apiCalls / s.customers),
    );
    add(spec.name, "token requests per customer", (s) =>
      mapDefined(p(s), (x) => x.tokens.requests / s.customers),
    );
    add(spec.name, "wall ms per customer", (s) => mapDefined(p(s), (x) => x.time.wallMs / s.customers));
    add(spec.name, "runner+host CPU ms per customer", (s) =>
      mapDefined(
        p(s),
        (x) => ((x.processes.runner?.cpuMs ?? 0) + (x.processes.host?.cpuMs ?? 0)) / s.customers,
      ),
    );
    if (spec.name === "create" || spec.name === "update") {
      add(spec.name, "state bytes per customer", (s) => mapDefined(p(s), (x) => x.state.bytes / s.customers));
    }
    add(spec.name, "runner peak RSS MB", (s) =>
      mapDefined(p(s)?.processes.runner, (x) => x.peakRssBytes / 2 ** 20),
    );
    add(spec.name, "host peak RSS MB", (s) =>
      mapDefined(p(s)?.processes.host, (x) => x.peakRssBytes / 2 ** 20),
    );
  }
  add("peer", "API calls per customer", (s) =>
    mapDefined(s.peer?.ok ? s.peer : undefined, (x) => x.requests.apiCalls / s.customers),
  );
  add("peer", "token requests per customer", (s) =>
    mapDefined(s.peer?.ok ? s.peer : undefined, (x) => x.requests.byService.identity / s.customers),
  );
  add("peer", "wall ms per customer", (s) =>
    mapDefined(s.peer?.ok ? s.peer : undefined, (x) => x.wallMs / s.customers),
  );
  return rows;
}

function mapDefined<T, R>(value: T | undefined, f: (v: T) => R): R | undefined {
  return value === undefined ? undefined : f(value);
}
