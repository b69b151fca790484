import * as os from "node:os";
import type { Command } from "../automation/runSummary";
import { startEmulator } from "../emulator/index";
import type { BenchOptions, BenchResult, FloorFigures, SizeResult } from "./benchTypes";
import { FLOOR_COMMANDS, PHASES } from "./benchTypes";
import { BenchWorkspace } from "./benchWorkspace";
import { CALL_BUDGET } from "./callBudget";
import { engineInfo } from "./engineInfo";
import { growthRows } from "./growth";
import { type LoopbackFigures, measureLoopback } from "./loopbackRate";
import { MINIMUM_CALLS, PER_PROCESS_CALLS, TENANT_DEPENDENCIES } from "./minimums";
import {
  floorRounds,
  RESOURCES_PER_CUSTOMER,
  type RunContext,
  runPeer,
  runPhase,
  setFloor,
} from "./phaseRun";
import { round } from "./requestStats";
import { runShapeFloor } from "./shapeFloor";
import { RESOURCES_PER_TENANT } from "./tenantSpec";

export type * from "./benchTypes";

/**
 * Runs the benchmark: the engine floor (an empty program's preview, up, refresh and destroy), then
 * for each size the phases on a stack of their own (after the create, the engine's floor at that
 * size: bench/shapeFloor.ts), each a Pulumi CLI command through the
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
  const shapeFloor = options.shapeFloor ?? true;
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
        if (phase.name === "create" && shapeFloor) {
          log(`N=${customers}: engine floor at this size (the create's resources, no call) ...`);
          size.shapeFloor = await runShapeFloor(run, customers, result);
          log(
            `N=${customers}: engine floor at this size ${size.shapeFloor.ok ? "ok" : "FAILED"} in ${size.shapeFloor.wallMs} ms`,
          );
        }
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
        shapeFloor,
      },
      tenant: { resourcesPerTenant: { ...RESOURCES_PER_TENANT }, dependencies: TENANT_DEPENDENCIES },
      minimums: { perOperation: MINIMUM_CALLS, perProcess: PER_PROCESS_CALLS },
      budget: CALL_BUDGET,
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
