import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAULT_KINDS, type FaultKind, startFaultLane } from "./faultKit";
import { type CaseResult, runCase } from "./faultRunner";
import { rowName } from "./faultTable";
import type { FaultRow } from "./faultTableKit";

/**
 * Declares the fault matrix for `rows`: every row under every fault kind, one test per cell.
 *
 * Cells share nothing but an emulator lane: each lane is one emulator that runs its cells one
 * after another (reset in between, so its request log and state belong to one cell at a time);
 * lanes run concurrently. Kinds that wait on real time (Retry-After, the slow response) get two
 * lanes. The matrix runs in `beforeAll`; each test then asserts its cell's findings.
 */
export function defineFaultMatrix(label: string, rows: readonly FaultRow[]): void {
  const results = new Map<string, CaseResult>();
  const key = (row: FaultRow, kind: FaultKind) => `${rowName(row)} | ${kind.name}`;

  beforeAll(async () => {
    const lanes: { kind: FaultKind; rows: FaultRow[] }[] = [];
    for (const kind of FAULT_KINDS) {
      const shards = kind.throttle === "date" ? 4 : kind.throttle || kind.slow ? 2 : 1;
      for (let shard = 0; shard < shards; shard++) {
        lanes.push({ kind, rows: rows.filter((_, i) => i % shards === shard) });
      }
    }
    await Promise.all(
      lanes.map(async ({ kind, rows: laneRows }) => {
        const lane = await startFaultLane();
        try {
          for (const row of laneRows) results.set(key(row, kind), await runCase(lane, row, kind));
        } finally {
          await lane.stop();
        }
      }),
    );
  }, 300_000);

  afterAll(() => {
    const all = [...results.values()];
    const byKind = FAULT_KINDS.map(
      (kind) =>
        `${kind.name}: ${rows.reduce((n, row) => n + (results.get(key(row, kind))?.faultsInjected ?? 0), 0)}`,
    );
    const duplicates = all.reduce(
      (n, r) => n + r.counts.reduce((m, c) => m + Math.max(0, c.found - c.wanted), 0),
      0,
    );
    const lost = all.reduce(
      (n, r) => n + r.counts.reduce((m, c) => m + Math.max(0, c.wanted - c.found), 0),
      0,
    );
    const lostUntilRefresh = all.reduce((n, r) => n + r.lostUntilRefresh, 0);
    const survived = all.filter((r) => r.outcome === "survived").length;
    const surfaced = all.filter((r) => r.outcome === "surfaced").length;
    console.log(
      `fault matrix (${label}): ${rows.length} writes of ${new Set(rows.map((r) => `${r.resource} ${r.operation}`)).size} operations x ${FAULT_KINDS.length} fault kinds = ${all.length} cases; faults injected ${all.reduce((n, r) => n + r.faultsInjected, 0)} (${byKind.join(", ")}); ran through the fault ${survived}, surfaced an error and converged on the re-run ${surfaced}; duplicates ${duplicates}; lost objects ${lost}; removed by a late request and restored after refresh (documented) ${lostUntilRefresh}`,
    );
    for (const row of rows) {
      const surfacedKinds = FAULT_KINDS.filter((k) => results.get(key(row, k))?.outcome === "surfaced");
      if (surfacedKinds.length > 0) {
        console.log(`  ${rowName(row)} surfaced under: ${surfacedKinds.map((k) => k.name).join(", ")}`);
      }
    }
  });

  describe(`fault matrix: ${label}`, () => {
    for (const row of rows) {
      for (const kind of FAULT_KINDS) {
        it(`${rowName(row)} under ${kind.name}: exactly the intended objects, state matches, re-run is a no-op`, () => {
          const result = results.get(key(row, kind));
          expect(result, "the cell did not run").toBeDefined();
          expect(result!.problems).toEqual([]);
        });
      }
    }
  });
}
