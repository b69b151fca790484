import { type GrowthRow, PHASES, type SizeResult } from "./benchTypes";
import { round } from "./requestStats";

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
