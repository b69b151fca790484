import * as fs from "node:fs";
import * as path from "node:path";
import { readCheckpoint } from "../automation/checkpoint";
import { prepareWorkspace } from "../automation/stackWorkspace";
import type { PhaseResult, ShapeFloorFigures } from "./benchTypes";
import { measuredRun, type RunContext, STACK } from "./phaseRun";
import { round } from "./requestStats";
import { shapeOf } from "./shapeFile";
import { SHAPE_FILE_ENV } from "./shapeHost";
import { stateFigures } from "./stateFigures";

/**
 * The engine's floor at a size, measured right after that size's create: the create's checkpoint
 * becomes a shape file (bench/shapeFile.ts), and `up` of the benchmark program with
 * `bench:shapeFile` declares those resources again on a stack of its own, through a provider that
 * answers at once (bench/shapeHost.ts). What that `up` takes is what the engine needs for these
 * steps and this state (the checkpoint written after each step), whatever the provider does; the
 * create's wall time is then set against this floor plus its API bound. The shape stack is
 * removed afterwards (nothing outside it exists).
 */
export async function runShapeFloor(
  run: RunContext,
  customers: number,
  create: PhaseResult,
): Promise<ShapeFloorFigures> {
  const real = readCheckpoint(prepareWorkspace(run.ws.dir, run.ws.stateDir(`n${customers}`), STACK));
  if (!real) throw new Error(`N=${customers}: the create left no checkpoint to take the shape of`);
  const shape = shapeOf(real);
  const file = path.join(run.ws.dir, `shape-${customers}.json`);
  fs.writeFileSync(file, JSON.stringify(shape));
  const stackDir = run.ws.stateDir(`shape${customers}`);
  try {
    await run.emu.admin.clearRequestLog();
    const m = await measuredRun(run, "up", stackDir, run.ws.traceFile(`shape${customers}`), {
      config: { "bench:shapeFile": file },
      env: { [SHAPE_FILE_ENV]: file },
    });
    const requests = (await run.emu.admin.requestLog()).length;
    const figures: ShapeFloorFigures = {
      customers,
      ok: m.result.ok,
      errors: m.result.ok ? [] : [...m.result.errors.map((e) => e.message), m.result.stderr.slice(-2000)],
      entries: shape.entries.length,
      wallMs: m.wallMs,
      steps: Object.values(m.result.counts).reduce((a, b) => a + b, 0),
      requests,
      checkpointWrites: m.checkpointWrites,
      cliWriteBytes: m.processes.cli?.writeBytes ?? 0,
      processes: m.processes,
      state: stateFigures(m.stack),
    };
    if (m.result.ok && create.ok) {
      const boundMs = m.wallMs + create.time.apiBoundMs;
      figures.create = {
        wallMs: create.time.wallMs,
        apiBoundMs: create.time.apiBoundMs,
        boundMs,
        ratio: round(create.time.wallMs / boundMs, 2),
      };
    }
    return figures;
  } finally {
    fs.rmSync(stackDir, { recursive: true, force: true });
    fs.rmSync(file, { force: true });
  }
}
