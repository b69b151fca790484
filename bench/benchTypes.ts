import type { Command } from "../automation/runSummary";
import type { CALL_BUDGET } from "./callBudget";
import type { LoopbackFigures } from "./loopbackRate";
import type {
  BenchResourceType,
  MINIMUM_CALLS,
  PER_PROCESS_CALLS,
  ResourceOperation,
  TENANT_DEPENDENCIES,
} from "./minimums";
import type { EngineProcessFigures } from "./processSampler";
import type { RequestFigures, ServiceName, TraceFigures } from "./requestStats";
import type { StateFigures } from "./stateFigures";

/** The shapes of `npm run bench`'s options and results (the JSON it writes), and its phases. */

/** Options of `runBench` (bench/runBench.ts). */
export interface BenchOptions {
  /** Numbers of customers, one stack each (default 1, 10, 50). */
  sizes: number[];
  /** Latency the emulator adds to every API and token request, ms. */
  latencyMs: number;
  /** The engine's `--parallel` (default the CLI's own: 4 × the CPUs Go sees). */
  parallel?: number;
  /** `PULUMI_SKIP_CHECKPOINTS=true`: the file backend writes the checkpoint at the end only, not at every step. */
  skipCheckpoints?: boolean;
  /** After each size's create, its resources again through a provider that makes no call (default true; bench/shapeFloor.ts). */
  shapeFloor?: boolean;
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
    /** API calls by the resource type whose handler sends them (bench/endpointTypes.ts). */
    byType: Partial<Record<BenchResourceType, number>>;
    /** Documented minimum API calls by type (minimums.ts × the resources the phase touches). */
    minimumByType: Partial<Record<BenchResourceType, number>>;
    /** API endpoints bench/endpointTypes.ts maps to no type (the bench test wants none). */
    unmappedEndpoints: string[];
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
    /** Where the wall time went. */
    split: TimeSplit;
  };
  state: StateFigures;
  processes: CommandProcesses;
  /** CPU time of the benchmark's own process during the phase (the in-process emulator and the Automation API client), ms. */
  benchCpuMs: number;
  trace: TraceFigures;
}

/**
 * Where a phase's wall time went: on the wire (at least one request at the emulator), or not
 * (the engine, the program, the provider host's own work, the checkpoint writes); the CPU of each
 * process is in `processes`.
 */
export interface TimeSplit {
  /** Time at least one request was at the emulator (latency included), ms. */
  inFlightMs: number;
  /** wall − in flight: time no request was at the emulator, ms. */
  noRequestMs: number;
  /** The engine's steps (stack and components included). */
  steps: number;
  /** (wall − floor) / steps, ms. */
  perStepOverFloorMs: number;
  /** Least time the provider's own Partner Center throttle needs for the phase's calls, ms. */
  clientThrottleMs: number;
  /** Writes of the whole checkpoint the file backend made (bench/checkpointWatch.ts). */
  checkpointWrites: number;
  /** Bytes the CLI processes wrote (`wchar`: the checkpoint copies, the event log, output). */
  cliWriteBytes: number;
}

/**
 * The engine's own cost of a create at one size (bench/shapeFloor.ts): `up` of a program that
 * declares the create's resources again (same types, names, parents, dependencies, inputs and
 * outputs) through a provider that answers at once and calls nothing.
 */
export interface ShapeFloorFigures {
  customers: number;
  ok: boolean;
  errors: string[];
  /** Components and pulumi-csp resources declared again. */
  entries: number;
  wallMs: number;
  steps: number;
  /** Requests the emulator saw during the run (0: nothing was called). */
  requests: number;
  checkpointWrites: number;
  cliWriteBytes: number;
  processes: CommandProcesses;
  state: StateFigures;
  /** The create at this size against this floor: floor + the create's API bound, and create wall / that. */
  create?: { wallMs: number; apiBoundMs: number; boundMs: number; ratio: number };
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
  /** The engine's floor at this size: the create's resources again, through a provider that makes no call. */
  shapeFloor?: ShapeFloorFigures;
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
    shapeFloor: boolean;
  };
  tenant: { resourcesPerTenant: Record<string, number>; dependencies: typeof TENANT_DEPENDENCIES };
  minimums: { perOperation: typeof MINIMUM_CALLS; perProcess: typeof PER_PROCESS_CALLS };
  /** API calls and token requests per customer per phase at N = 1 (bench/callBudget.ts). */
  budget: typeof CALL_BUDGET;
  /** The engine floor per command (empty program); absent with floorRuns 0 (floors count as 0). */
  floor: FloorFigures[];
  loopback?: LoopbackFigures;
  /** Most requests per second the emulator saw during the runs. */
  peakRequestsPerSecond: number;
  sizes: SizeResult[];
  growth: GrowthRow[];
  workspace?: string;
}
