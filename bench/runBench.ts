import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runProgram } from "../automation/runProgram";
import type { Command } from "../automation/runSummary";
import { prepareWorkspace, type StackWorkspace } from "../automation/stackWorkspace";
import { packageRoot, pulumiToolchain } from "../automation/toolchain";
import { type RunningEmulator, startEmulator } from "../emulator/index";
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
  sequentialCallsPerTenant,
  TENANT_DEPENDENCIES,
} from "./minimums";
import { childrenCpuMs, type EngineProcessFigures, ProcessSampler } from "./processSampler";
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
  /** Numbers of customers, one stack each (default 1, 10, 50). */
  sizes: number[];
  /** Latency the emulator adds to every API and token request, ms. */
  latencyMs: number;
  /** The engine's `--parallel` (default the CLI's own: 4 × the CPUs Go sees). */
  parallel?: number;
  /** `PULUMI_SKIP_CHECKPOINTS=true`: the file backend writes the checkpoint at the end only, not at every step. */
  skipCheckpoints?: boolean;
  /**
   * Rounds of the engine floor (empty program: preview, up, refresh, destroy), the last one after
   * the sizes when there are several; 0 skips it. Default 3.
   */
  floorRuns?: number;
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

/** The commands of the engine floor, in the order they run on the empty program's stack. */
export const FLOOR_COMMANDS: readonly Command[] = ["preview", "up", "refresh", "destroy"];

/** Calls (token requests included) per dynamic resource, by service, and API calls in all. */
export type PerResource = Record<ServiceName | "api", number>;

/** CPU and memory of one CLI command's processes. */
export interface CommandProcesses extends EngineProcessFigures {
  /**
   * CPU of every process the command started (the CLI commands the Automation API runs, the
   * language host, the program, the provider host), exact (`/proc/self/stat` children times), ms.
   */
  allCpuMs?: number;
}

/** Which engine produced the figures. */
export interface EngineInfo {
  /** `pulumi v3.248.0`. */
  engine: string;
  /** The CLI executable. */
  cli: string;
  /** The Node.js language host, as its Go build info names it. */
  languageHost: string;
  /** The Node.js SDK the program and the provider host load. */
  nodejsSdk: string;
  /** Node.js running the program and the provider host. */
  node: string;
  /** The engine's `--parallel` for every command (`PULUMI_PARALLEL`). */
  parallel: number;
  /** `cli default (4 × CPUs)` or `--parallel`. */
  parallelSource: string;
  /** When the file backend writes the checkpoint: at every step (the default) or at the end only. */
  checkpoints: "every step" | "end only (PULUMI_SKIP_CHECKPOINTS)";
  driver: string;
}

/** What the engine costs for one command on a program that declares nothing. */
export interface FloorFigures {
  command: Command;
  /** Wall time of each round, ms. */
  runsMs: number[];
  /** The fastest round: the floor. */
  wallMs: number;
  /** The fastest round's processes. */
  processes: CommandProcesses;
}

/** The figures of one phase at one size. */
export interface PhaseResult {
  phase: PhaseSpec["name"];
  command: Command;
  customers: number;
  /** Dynamic resources in the stack during the phase. */
  resources: number;
  ok: boolean;
  /** The engine's name for itself in this command's summary. */
  engine: string;
  errors: string[];
  /** The engine's steps by operation (create/update/same/delete/read...), stack and components included. */
  counts: Record<string, number>;
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
    /** The engine's own duration (runProgram's summary: Automation API setup included). */
    engineMs: number;
    /** The engine floor of the same command (an empty program), ms. */
    floorMs: number;
    /** Minimal sequential calls of a tenant (+1 token request) and that many latencies. */
    chainCalls: number;
    chainMs: number;
    /** Sequential calls of all resources × latency / `--parallel`: what the engine's slots need. */
    slotMs: number;
    /** The larger of chain and slot bound. */
    apiBoundMs: number;
    /** floor + API bound. */
    lowerBoundMs: number;
    ratio: number;
    /** (wall − floor) per dynamic resource, ms: what each resource costs beyond the fixed floor. */
    perResourceOverFloorMs: number;
  };
  state: StateFigures;
  processes: CommandProcesses;
  /** CPU time of the benchmark's own process during the phase (the in-process emulator and the Automation API client), ms. */
  benchCpuMs: number;
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
  version: 2;
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
  engine: EngineInfo;
  options: {
    sizes: number[];
    latencyMs: number;
    parallel: number;
    floorRuns: number;
    enforceRateLimits: boolean;
    /** The emulator's Integration Sandbox behaviour (off: production limits and deletion rules). */
    sandbox: false;
    peer: boolean;
  };
  tenant: { resourcesPerTenant: Record<string, number>; dependencies: typeof TENANT_DEPENDENCIES };
  minimums: { perOperation: typeof MINIMUM_CALLS; perProcess: typeof PER_PROCESS_CALLS };
  /** The engine floor per command (empty program); absent with floorRuns 0 (floors count as 0). */
  floor: FloorFigures[];
  loopback?: LoopbackFigures;
  /** Most requests per second the emulator saw during the runs. */
  peakRequestsPerSecond: number;
  sizes: SizeResult[];
  growth: GrowthRow[];
  workspace?: string;
}

const RESOURCES_PER_CUSTOMER = Object.values(RESOURCES_PER_TENANT).reduce((a, b) => a + b, 0);
const PASSPHRASE = "pulumi-csp-bench";
const STACK = "bench";

/**
 * Runs the benchmark: the engine floor (an empty program's preview, up, refresh and destroy), then
 * for each size the phases on a stack of their own, each a Pulumi CLI command through the
 * Automation API (`automation/runProgram.ts`: the real engine, language host and dynamic-provider
 * host, file backend) against one in-process emulator with injected latency, then the
 * sequential-script peer; plus the emulator's loopback rate.
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const loadAtStart = os.loadavg()[0] ?? 0;
  const enforceRateLimits = options.enforceRateLimits ?? true;
  const peer = options.peer ?? true;
  const floorRuns = options.floorRuns ?? 3;
  const engine = engineInfo(options.parallel, options.skipCheckpoints);
  log(`${engine.engine}, ${engine.languageHost}, ${engine.nodejsSdk}, --parallel ${engine.parallel}`);
  // Production Partner Center: an Integration Sandbox caps a partner at 10 Azure plans. Customers
  // approve the tenants' GDAP relationships at once: no benchmark can time a customer's approval.
  const emu = await startEmulator({
    latencyMs: options.latencyMs,
    enforceRateLimits,
    sandbox: false,
    autoApproveGdap: true,
  });
  const ws = BenchWorkspace.create(emu.seed.gdapAdminsGroupId);
  const run: RunContext = { emu, ws, engine, latencyMs: options.latencyMs };
  try {
    let loopback: LoopbackFigures | undefined;
    if (options.loopback ?? true) {
      loopback = await measureLoopback(emu, { requests: options.loopbackRequests ?? 2000 });
      log(`emulator loopback: ${loopback.requestsPerSecond} requests/s`);
    }
    // The floor's rounds: all but one before the sizes, the last after them (other work on the
    // machine comes and goes; the fastest round of each command is its floor).
    const floors = new Map<Command, FloorFigures>();
    await floorRounds(run, floors, floorRuns > 1 ? floorRuns - 1 : floorRuns);

    const sizes: SizeResult[] = [];
    for (const customers of options.sizes) {
      await emu.reset();
      const size: SizeResult = { customers, resources: customers * RESOURCES_PER_CUSTOMER, phases: [] };
      sizes.push(size);
      for (const phase of PHASES) {
        log(`N=${customers}: ${phase.name} ...`);
        const result = await runPhase(run, phase, customers);
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
    if (floorRuns > 1) await floorRounds(run, floors, 1);
    const floor = FLOOR_COMMANDS.flatMap((c) => floors.get(c) ?? []);
    if (floor.length > 0) {
      log(`engine floor (empty program): ${floor.map((f) => `${f.command} ${f.wallMs} ms`).join(", ")}`);
    }
    for (const size of sizes) {
      for (const p of size.phases) setFloor(p, floors.get(p.command)?.wallMs ?? 0);
    }
    const peakRequestsPerSecond = Math.max(
      0,
      ...sizes.flatMap((s) => [
        ...s.phases.map((p) => p.calls.requests.peakRequestsPerSecond),
        s.peer?.requests.peakRequestsPerSecond ?? 0,
      ]),
    );
    return {
      version: 2,
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
      engine,
      options: {
        sizes: options.sizes,
        latencyMs: options.latencyMs,
        parallel: engine.parallel,
        floorRuns,
        enforceRateLimits,
        sandbox: false,
        peer,
      },
      tenant: { resourcesPerTenant: { ...RESOURCES_PER_TENANT }, dependencies: TENANT_DEPENDENCIES },
      minimums: { perOperation: MINIMUM_CALLS, perProcess: PER_PROCESS_CALLS },
      floor,
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

interface RunContext {
  emu: RunningEmulator;
  ws: BenchWorkspace;
  engine: EngineInfo;
  latencyMs: number;
}

/** The engine, its language host and SDK, and the `--parallel` every command gets. */
export function engineInfo(parallel?: number, skipCheckpoints = false): EngineInfo {
  const toolchain = pulumiToolchain();
  const hostPath = path.join(toolchain.binDir, "pulumi-language-nodejs");
  let languageHost = "pulumi-language-nodejs";
  // The host's Go build info names the module it was built from (the CLI's own version is not it).
  const info = spawnSync("go", ["version", "-m", hostPath], { encoding: "utf8" });
  const mod = /^\s+mod\s+(\S+)\s+(\S+)/m.exec(info.stdout ?? "");
  const go = /^[^:]+:\s+(go\S+)/.exec(info.stdout ?? "");
  if (info.status === 0 && mod) languageHost += ` (${mod[1]} ${mod[2]}${go ? `, ${go[1]}` : ""})`;
  let sdk = "@pulumi/pulumi";
  try {
    const pkg = path.join(packageRoot(), "node_modules", "@pulumi", "pulumi", "package.json");
    sdk += ` ${(JSON.parse(fs.readFileSync(pkg, "utf8")) as { version: string }).version}`;
  } catch {
    // not installed: runProgram fails anyway
  }
  const node = spawnSync("node", ["--version"], { encoding: "utf8" }).stdout?.trim() || process.version;
  return {
    engine: `pulumi ${toolchain.version}`,
    cli: toolchain.pulumi,
    languageHost,
    nodejsSdk: sdk,
    node: `node ${node}`,
    parallel: parallel ?? 4 * os.availableParallelism(),
    parallelSource: parallel === undefined ? "cli default (4 × CPUs)" : "--parallel",
    checkpoints: skipCheckpoints ? "end only (PULUMI_SKIP_CHECKPOINTS)" : "every step",
    driver: "Automation API (@pulumi/pulumi/automation LocalWorkspace), file backend",
  };
}

function runnerEnv(run: RunContext, trace: string): Record<string, string> {
  return {
    ...run.emu.env,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_PARALLEL: String(run.engine.parallel),
    ...(run.engine.checkpoints === "every step" ? {} : { PULUMI_SKIP_CHECKPOINTS: "true" }),
    CSP_HTTP_LOG: trace,
  };
}

function runnerConfig(ws: BenchWorkspace): Record<string, string> {
  return { "csp:allowPurchases": "true", "bench:specFile": ws.specFile };
}

/** One CLI command with its processes sampled. */
async function measuredRun(
  run: RunContext,
  command: Command,
  stackDir: string,
  trace: string,
): Promise<{
  result: Awaited<ReturnType<typeof runProgram>>;
  wallMs: number;
  processes: CommandProcesses;
  benchCpuMs: number;
  stack: StackWorkspace;
}> {
  const stack = prepareWorkspace(run.ws.dir, stackDir, STACK);
  const sampler = new ProcessSampler(stack);
  const children = childrenCpuMs();
  const cpu = process.cpuUsage();
  sampler.start();
  const t = Date.now();
  const result = await runProgram({
    command,
    programDir: run.ws.dir,
    stack: STACK,
    stateDir: stackDir,
    env: runnerEnv(run, trace),
    config: runnerConfig(run.ws),
  });
  const wallMs = Date.now() - t;
  const sampled = sampler.stop();
  const used = process.cpuUsage(cpu);
  const childrenAfter = childrenCpuMs();
  const processes: CommandProcesses = { ...sampled };
  if (children !== undefined && childrenAfter !== undefined) processes.allCpuMs = childrenAfter - children;
  return {
    result,
    wallMs,
    processes,
    benchCpuMs: Math.round((used.user + used.system) / 1000),
    stack,
  };
}

/**
 * The engine's own cost per command: `rounds` rounds of preview, up, refresh and destroy of the
 * benchmark program with no customer (it declares nothing but an empty output; the stack resource
 * is the only one), on a stack of its own, added to `floors` (the fastest round of each command
 * is its floor, with that round's processes).
 */
async function floorRounds(
  run: RunContext,
  floors: Map<Command, FloorFigures>,
  rounds: number,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    run.ws.writeSpecs(0, "floor", 0);
    for (const command of FLOOR_COMMANDS) {
      const m = await measuredRun(run, command, run.ws.stateDir("floor"), run.ws.traceFile("floor"));
      if (!m.result.ok) {
        throw new Error(
          `the empty program's ${command} failed: ${JSON.stringify(m.result.errors)}\n${m.result.stderr}`,
        );
      }
      const f = floors.get(command) ?? { command, runsMs: [], wallMs: m.wallMs, processes: m.processes };
      f.runsMs.push(m.wallMs);
      if (m.wallMs <= f.wallMs) {
        f.wallMs = m.wallMs;
        f.processes = m.processes;
      }
      floors.set(command, f);
    }
  }
}

/** Sets a phase's floor and the bounds that follow from it. */
export function setFloor(p: PhaseResult, floorMs: number): void {
  const t = p.time;
  t.floorMs = floorMs;
  t.lowerBoundMs = floorMs + t.apiBoundMs;
  t.ratio = t.lowerBoundMs > 0 ? round(t.wallMs / t.lowerBoundMs, 2) : 0;
  t.perResourceOverFloorMs = p.resources ? round((t.wallMs - floorMs) / p.resources, 1) : 0;
}

/** One phase; its floor is set once the floor's last round is in ({@link setFloor}). */
async function runPhase(run: RunContext, phase: PhaseSpec, customers: number): Promise<PhaseResult> {
  const { emu, ws, latencyMs } = run;
  ws.writeSpecs(customers, `b${customers}r`, phase.revision);
  const trace = ws.traceFile(`${customers}-${phase.name}`);
  await emu.admin.clearRequestLog();
  const m = await measuredRun(run, phase.command, ws.stateDir(`n${customers}`), trace);
  const { result, wallMs } = m;
  const requests = requestFigures(await emu.admin.requestLog(), latencyMs);
  const traced = traceFigures(trace);

  const resources = customers * RESOURCES_PER_CUSTOMER;
  const touched = phase.resourcesTouched ?? RESOURCES_PER_TENANT;
  const minimum =
    customers * minimumCallsPerTenant(phase.op, touched) + (customers > 0 ? perProcessCalls(phase.op) : 0);
  const types = phase.types ?? (Object.keys(RESOURCES_PER_TENANT) as BenchResourceType[]);
  const chain = criticalPathCalls(phase.op, types);
  const chainCalls = chain > 0 ? chain + 1 : 0; // + the first token request
  const chainMs = chainCalls * latencyMs;
  const slotMs = Math.round(
    (customers * sequentialCallsPerTenant(phase.op, touched) * latencyMs) / run.engine.parallel,
  );
  const apiBoundMs = Math.max(chainMs, slotMs);
  const distinct = traced.distinctTokens;
  return {
    phase: phase.name,
    command: phase.command,
    customers,
    resources,
    ok: result.ok,
    engine: result.engine,
    errors: result.ok ? [] : [...result.errors.map((e) => e.message), result.stderr.slice(-2000)],
    counts: result.counts,
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
      engineMs: result.durationMs,
      floorMs: 0,
      chainCalls,
      chainMs,
      slotMs,
      apiBoundMs,
      lowerBoundMs: apiBoundMs,
      ratio: apiBoundMs > 0 ? round(wallMs / apiBoundMs, 2) : 0,
      perResourceOverFloorMs: resources ? round(wallMs / resources, 1) : 0,
    },
    state: stateFigures(m.stack),
    processes: m.processes,
    benchCpuMs: m.benchCpuMs,
    trace: traced,
  };
}

async function runPeer(emu: RunningEmulator, customers: number, latencyMs: number): Promise<PeerResult> {
  await emu.admin.clearRequestLog();
  const specs = Array.from({ length: customers }, (_, i) =>
    benchTenantSpec(i + 1, `b${customers}p`, 0, emu.seed.gdapAdminsGroupId),
  );
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
    add(spec.name, "(wall − floor) ms per customer", (s) =>
      mapDefined(p(s), (x) => (x.time.wallMs - x.time.floorMs) / s.customers),
    );
    add(spec.name, "engine CPU ms per customer (all processes)", (s) =>
      mapDefined(p(s)?.processes.allCpuMs, (x) => x / s.customers),
    );
    add(spec.name, "CLI CPU ms per customer", (s) =>
      mapDefined(p(s)?.processes.cli, (x) => x.cpuMs / s.customers),
    );
    add(spec.name, "provider host CPU ms per customer", (s) =>
      mapDefined(p(s)?.processes.providerHost, (x) => x.cpuMs / s.customers),
    );
    if (spec.name === "create" || spec.name === "update") {
      add(spec.name, "checkpoint bytes per customer", (s) =>
        mapDefined(p(s), (x) => x.state.bytes / s.customers),
      );
    }
    add(spec.name, "CLI peak RSS MB", (s) =>
      mapDefined(p(s)?.processes.cli, (x) => x.peakRssBytes / 2 ** 20),
    );
    add(spec.name, "provider host peak RSS MB", (s) =>
      mapDefined(p(s)?.processes.providerHost, (x) => x.peakRssBytes / 2 ** 20),
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
