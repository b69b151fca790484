import { runProgram } from "../automation/runProgram";
import type { Command } from "../automation/runSummary";
import { prepareWorkspace, type StackWorkspace } from "../automation/stackWorkspace";
import type { RunningEmulator } from "../emulator/index";
import {
  type CommandProcesses,
  type EngineInfo,
  FLOOR_COMMANDS,
  type FloorFigures,
  type PeerResult,
  type PerResource,
  type PhaseResult,
  type PhaseSpec,
} from "./benchTypes";
import type { BenchWorkspace } from "./benchWorkspace";
import { CheckpointWatch } from "./checkpointWatch";
import { callsByType } from "./endpointTypes";
import {
  type BenchResourceType,
  criticalPathCalls,
  MINIMUM_CALLS,
  minimumCallsPerTenant,
  perProcessCalls,
  sequentialCallsPerTenant,
} from "./minimums";
import { childrenCpuMs, ProcessSampler } from "./processSampler";
import { type RequestFigures, requestFigures, round, SERVICES, traceFigures } from "./requestStats";
import { runSequentialScript } from "./sequentialScript";
import { stateFigures } from "./stateFigures";
import { benchTenantSpec, RESOURCES_PER_TENANT } from "./tenantSpec";

/**
 * Running one phase (or one round of the engine floor, or the sequential-script peer) and
 * measuring it: the CLI command through the Automation API with its processes sampled, the
 * emulator's request log, the provider's HTTP trace and the checkpoint.
 */

export const RESOURCES_PER_CUSTOMER = Object.values(RESOURCES_PER_TENANT).reduce((a, b) => a + b, 0);
const PASSPHRASE = "pulumi-csp-bench";
export const STACK = "bench";

/** What every command of one benchmark run shares. */
export interface RunContext {
  emu: RunningEmulator;
  ws: BenchWorkspace;
  engine: EngineInfo;
  latencyMs: number;
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

/** What a run adds to the program's config and the processes' environment. */
export interface RunExtras {
  config?: Record<string, string>;
  env?: Record<string, string>;
}

/** One CLI command with its processes sampled. */
export async function measuredRun(
  run: RunContext,
  command: Command,
  stackDir: string,
  trace: string,
  extras: RunExtras = {},
): Promise<{
  result: Awaited<ReturnType<typeof runProgram>>;
  wallMs: number;
  processes: CommandProcesses;
  benchCpuMs: number;
  stack: StackWorkspace;
  checkpointWrites: number;
}> {
  const stack = prepareWorkspace(run.ws.dir, stackDir, STACK);
  const sampler = new ProcessSampler(stack);
  const checkpoints = new CheckpointWatch(stack);
  checkpoints.start();
  const children = childrenCpuMs();
  const cpu = process.cpuUsage();
  sampler.start();
  const t = Date.now();
  const result = await runProgram({
    command,
    programDir: run.ws.dir,
    stack: STACK,
    stateDir: stackDir,
    env: { ...runnerEnv(run, trace), ...extras.env },
    config: { ...runnerConfig(run.ws), ...extras.config },
  });
  const wallMs = Date.now() - t;
  const sampled = sampler.stop();
  const checkpointWrites = checkpoints.stop();
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
    checkpointWrites,
  };
}

/**
 * The engine's own cost per command: `rounds` rounds of preview, up, refresh and destroy of the
 * benchmark program with no customer (it declares nothing but an empty output; the stack resource
 * is the only one), on a stack of its own, added to `floors` (the fastest round of each command
 * is its floor, with that round's processes).
 */
export async function floorRounds(
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
  t.split.perStepOverFloorMs = t.split.steps ? round((t.wallMs - floorMs) / t.split.steps, 1) : 0;
}

/** One phase; its floor is set once the floor's last round is in ({@link setFloor}). */
export async function runPhase(run: RunContext, phase: PhaseSpec, customers: number): Promise<PhaseResult> {
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
  const { byType, unmapped } = callsByType(requests.endpoints);
  const minimumByType: Partial<Record<BenchResourceType, number>> = {};
  for (const [type, n] of Object.entries(touched) as [BenchResourceType, number][]) {
    minimumByType[type] = customers * n * MINIMUM_CALLS[type][phase.op].calls;
  }
  const steps = Object.values(result.counts).reduce((a, b) => a + b, 0);
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
      byType,
      minimumByType,
      unmappedEndpoints: unmapped,
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
      split: {
        inFlightMs: requests.inFlightMs,
        noRequestMs: Math.max(0, wallMs - requests.inFlightMs),
        steps,
        perStepOverFloorMs: steps ? round(wallMs / steps, 1) : 0,
        clientThrottleMs: requests.clientThrottleMs,
        checkpointWrites: m.checkpointWrites,
        cliWriteBytes: m.processes.cli?.writeBytes ?? 0,
      },
    },
    state: stateFigures(m.stack),
    processes: m.processes,
    benchCpuMs: m.benchCpuMs,
    trace: traced,
  };
}

export async function runPeer(
  emu: RunningEmulator,
  customers: number,
  latencyMs: number,
): Promise<PeerResult> {
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
