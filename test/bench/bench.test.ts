import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pulumiToolchain } from "../../automation/toolchain";
import type { BenchResult, PhaseResult } from "../../bench/benchTypes";
import { CALL_BUDGET } from "../../bench/callBudget";
import { callsByType } from "../../bench/endpointTypes";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";

/**
 * Smoke test of `npm run bench`: the built CLI with one customer and a small latency, as a user
 * runs it (its own emulator, the real Pulumi CLI through the Automation API, one round of the
 * engine floor, the sequential-script peer; not the loopback burst), then the structure and the
 * exact counts of its JSON. No figure of time is asserted. Needs `dist/` (npm run build) and the
 * Pulumi toolchain; takes some 25-30 s on 2 idle cores (more when other work shares them).
 */

const root = path.join(__dirname, "..", "..");
let outDir: string;
let doc: string;
let result: BenchResult;
let stdout = "";
let exitCode: number | null = null;

beforeAll(async () => {
  assertBuilt(root, [
    ...sourcesUnder(root, "bench"),
    ...sourcesUnder(root, "automation"),
    ...sourcesUnder(root, "provider"),
    ...sourcesUnder(root, "components"),
  ]);
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-bench-test-"));
  const out = path.join(outDir, "results.json");
  doc = path.join(outDir, "performance.md");
  const child = spawn(
    process.execPath,
    [
      path.join(root, "dist", "bench", "main.js"),
      "--sizes",
      "1",
      "--latency",
      "5",
      "--floor-runs",
      "1",
      "--no-loopback",
      "--out",
      out,
      "--doc",
      doc,
      "--quiet",
    ],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  exitCode = await new Promise<number | null>((resolve) => child.once("close", resolve));
  if (!fs.existsSync(out))
    throw new Error(`the bench wrote no JSON (exit ${exitCode}):\n${stdout}\n${stderr}`);
  result = JSON.parse(fs.readFileSync(out, "utf8")) as BenchResult;
}, 180_000);

afterAll(() => {
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

function phase(name: PhaseResult["phase"]): PhaseResult {
  const p = result.sizes[0]?.phases.find((x) => x.phase === name);
  if (!p) throw new Error(`no ${name} phase in the results`);
  return p;
}

// The engine's steps of the tenant: its 13 pulumi-csp resources, the CustomerTenant component, the
// stack and the default pulumi-nodejs provider.
const STEPS = 16;

describe("npm run bench (one customer)", () => {
  it("runs every phase and the peer on the real engine, exits 0 and prints the tables", () => {
    expect(exitCode).toBe(0);
    expect(result.version).toBe(2);
    expect(result.options).toMatchObject({ sizes: [1], latencyMs: 5, floorRuns: 1 });
    expect(result.options.parallel).toBeGreaterThan(0);
    expect(result.sizes.map((s) => s.customers)).toEqual([1]);
    expect(result.sizes[0]!.phases.map((p) => [p.phase, p.ok])).toEqual([
      ["create", true],
      ["preview", true],
      ["noopUp", true],
      ["refresh", true],
      ["update", true],
      ["destroy", true],
    ]);
    expect(result.sizes[0]!.peer?.ok).toBe(true);
    expect(stdout).toContain("N = 1 customers (13 pulumi-csp resources)");
    expect(stdout).toContain("Per customer as N grows");
  });

  it("names the engine, its version and the language host that produced the figures", () => {
    const engine = `pulumi ${pulumiToolchain().version}`;
    expect(engine).toMatch(/^pulumi v3\.\d+\.\d+/);
    expect(result.engine.engine).toBe(engine);
    expect(result.engine.languageHost).toContain("pulumi-language-nodejs");
    expect(result.engine.nodejsSdk).toMatch(/^@pulumi\/pulumi \d+\.\d+\.\d+$/);
    for (const p of result.sizes[0]!.phases) expect(p.engine).toBe(engine);
    expect(stdout).toContain(`engine: ${engine} `);
    expect(stdout).toContain(`language host ${result.engine.languageHost}`);
  });

  it("measures the engine floor of each command on the empty program", () => {
    expect(result.floor.map((f) => f.command)).toEqual(["preview", "up", "refresh", "destroy"]);
    for (const f of result.floor) {
      expect(f.runsMs).toHaveLength(1);
      expect(f.wallMs).toBe(f.runsMs[0]);
      expect(f.processes.cli?.peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
      expect(f.processes.providerHost).toBeUndefined(); // nothing for a provider to do
    }
    expect(stdout).toContain("Engine floor:");
  });

  it("measures the engine's floor at the size: the create's resources again, no request, the same steps and writes", () => {
    const create = phase("create");
    const f = result.sizes[0]!.shapeFloor;
    expect(f?.ok, JSON.stringify(f?.errors)).toBe(true);
    // The 13 resources and the component, nothing at the emulator, the create's steps.
    expect(f!.entries).toBe(14);
    expect(f!.requests).toBe(0);
    expect(f!.steps).toBe(STEPS);
    expect(f!.state.dynamicResources).toBe(create.state.dynamicResources);
    // The same state bar the call stacks the program registered them from, so as many writes.
    expect(f!.checkpointWrites).toBe(create.time.split.checkpointWrites);
    expect(f!.state.breakdown.inputs).toBeGreaterThanOrEqual(create.state.breakdown.inputs);
    expect(f!.state.breakdown.dependencies).toBeGreaterThan(0);
    expect(f!.create).toEqual({
      wallMs: create.time.wallMs,
      apiBoundMs: create.time.apiBoundMs,
      boundMs: f!.wallMs + create.time.apiBoundMs,
      ratio: expect.any(Number),
    });
    expect(stdout).toContain("Engine floor at each size");
  });

  it("creates the thirteen resources of the tenant with at least the documented minimum of calls", () => {
    const create = phase("create");
    expect(create.counts.create).toBe(STEPS);
    expect(create.calls.minimum).toBeGreaterThan(0);
    expect(create.calls.requests.apiCalls).toBeGreaterThanOrEqual(create.calls.minimum);
    expect(create.calls.requests.apiWrites).toBeGreaterThanOrEqual(15);
    expect(create.calls.requests.byService.partnerCenter).toBeGreaterThan(0);
    expect(create.calls.requests.byService.graph).toBeGreaterThan(0);
    expect(create.calls.requests.byService.arm).toBeGreaterThan(0);
    // One customer stays far below the client-side Partner Center bucket (500 per family).
    expect(create.calls.requests.partnerCenterFamilies.customers).toBeGreaterThan(0);
    expect(create.calls.requests.clientThrottleMs).toBe(0);
  });

  it("reports no call, no write and no token request for the no-op preview and up", () => {
    for (const name of ["preview", "noopUp"] as const) {
      const p = phase(name);
      expect(p.counts.same).toBe(STEPS);
      expect(p.calls.requests.apiWrites).toBe(0);
      expect(p.calls.requests.apiCalls).toBe(0);
      expect(p.tokens.requests).toBe(0);
      expect(p.calls.minimum).toBe(0);
    }
  });

  it("asks for one token per tenant and audience in each process, with no 429 and no retry", () => {
    for (const p of result.sizes[0]!.phases) {
      expect(p.tokens.requests).toBe(p.tokens.target);
      expect(p.throttled).toBe(0);
      expect(p.retries).toBe(0);
    }
  });

  it("updates exactly the changed user with one write and one token, and destroys everything", () => {
    const update = phase("update");
    expect(update.counts.update).toBe(1);
    expect(update.counts.same).toBe(STEPS - 1);
    expect(update.calls.requests.apiWrites).toBe(1);
    expect(update.tokens.requests).toBe(1);
    const destroy = phase("destroy");
    expect(destroy.counts.delete).toBe(STEPS);
    expect(destroy.state.dynamicResources).toBe(0);
  });

  it("measures the real checkpoint, a tiny serialized provider and the memory of CLI, program and provider host", () => {
    const create = phase("create");
    expect(create.state.dynamicResources).toBe(13);
    expect(create.state.bytesPerResource).toBeGreaterThan(create.state.providerBytesPerResource);
    expect(create.state.providerBytesPerResource).toBeGreaterThan(0);
    expect(create.state.providerBytesPerResource).toBeLessThan(1000);
    expect(create.state.backendBytes).toBeGreaterThanOrEqual(create.state.bytes);
    // What an entry is made of (compact JSON): the parts add up to less than the indented file's share.
    const b = create.state.breakdown;
    for (const part of [b.inputs, b.outputs, b.sourcePositions, b.dependencies, b.other]) {
      expect(part).toBeGreaterThan(0);
    }
    expect(b.outputsRepeatingInputs).toBeGreaterThanOrEqual(create.state.providerBytesPerResource / 2);
    expect(b.outputsRepeatingInputs).toBeLessThan(b.outputs);
    expect(b.inputs + b.outputs + b.sourcePositions + b.dependencies + b.other).toBeLessThan(
      create.state.bytesPerResource,
    );
    expect(create.processes.cli?.peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(create.processes.program?.peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(create.processes.providerHost?.peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(create.processes.allCpuMs).toBeGreaterThan(0);
  });

  it("gives the lower bound from floor, latency and chain, the peer's token per call, and the growth rows", () => {
    const floorUp = result.floor.find((f) => f.command === "up")!.wallMs;
    for (const p of result.sizes[0]!.phases) {
      const floor = result.floor.find((f) => f.command === p.command)!.wallMs;
      expect(p.time.floorMs).toBe(floor);
      expect(p.time.chainMs).toBe(p.time.chainCalls * 5);
      expect(p.time.lowerBoundMs).toBe(floor + Math.max(p.time.chainMs, p.time.slotMs));
    }
    const create = phase("create");
    expect(create.time.floorMs).toBe(floorUp);
    expect(create.time.chainCalls).toBeGreaterThan(1);
    const peer = result.sizes[0]!.peer!;
    expect(peer.requests.byService.identity).toBe(peer.requests.apiCalls);
    expect(result.sizes[0]!.versusPeer?.tokenRequests).toBeLessThan(1);
    expect(
      result.growth.find((g) => g.phase === "create" && g.figure === "API calls per customer")?.values,
    ).toEqual({
      "1": create.calls.requests.apiCalls,
    });
    expect(result.loopback).toBeUndefined(); // --no-loopback: the emulator's rate is not the engine's
  });

  it("spends exactly the call budget per customer in every phase (bench/callBudget.ts)", () => {
    for (const p of result.sizes[0]!.phases) {
      const breakdown = JSON.stringify(
        { byType: p.calls.byType, endpoints: p.calls.requests.endpoints },
        null,
        2,
      );
      expect(
        { apiCalls: p.calls.requests.apiCalls, tokenRequests: p.tokens.requests },
        `${p.phase} against its budget; its calls by type and endpoint:\n${breakdown}`,
      ).toEqual({
        apiCalls: CALL_BUDGET[p.phase].apiCalls,
        tokenRequests: CALL_BUDGET[p.phase].tokenRequests,
      });
    }
  });

  it("attributes every API call of the run to a resource type (bench/endpointTypes.ts)", () => {
    for (const p of result.sizes[0]!.phases) {
      expect(p.calls.unmappedEndpoints, p.phase).toEqual([]);
      const attributed = Object.values(p.calls.byType).reduce((a, b) => a + (b ?? 0), 0);
      expect(attributed, p.phase).toBe(p.calls.requests.apiCalls);
    }
    expect(callsByType(result.sizes[0]!.peer!.requests.endpoints).unmapped).toEqual([]);
    // Each of the tenant's eleven types makes calls on create.
    expect(Object.keys(phase("create").calls.byType).sort()).toEqual(
      Object.keys(result.tenant.resourcesPerTenant).sort(),
    );
  });

  it("says where the time went: requests in flight, the engine's steps, the checkpoint writes", () => {
    for (const p of result.sizes[0]!.phases) {
      const split = p.time.split;
      expect(split.inFlightMs).toBeLessThanOrEqual(p.time.wallMs);
      expect(split.steps).toBe(STEPS);
      expect(split.clientThrottleMs).toBe(p.calls.requests.clientThrottleMs);
    }
    expect(phase("preview").time.split.inFlightMs).toBe(0);
    // The tenant's longest chain of calls that wait for one another is on the wire one after another.
    const create = phase("create");
    expect(create.time.split.inFlightMs).toBeGreaterThanOrEqual(create.time.chainMs);
    // The file backend writes the whole checkpoint at least once per step that changes the state.
    expect(phase("create").time.split.checkpointWrites).toBeGreaterThanOrEqual(STEPS);
    expect(phase("preview").time.split.checkpointWrites).toBe(0);
    expect(phase("create").time.split.cliWriteBytes).toBeGreaterThan(phase("create").state.bytes);
  });

  it("writes the figures as a Markdown document with the engine, the machine and the tables", () => {
    const text = fs.readFileSync(doc, "utf8");
    expect(text).toContain(
      `- **Engine:** ${result.engine.engine}, language host ${result.engine.languageHost}`,
    );
    expect(text).toContain("- **Machine:** ");
    for (const heading of [
      "## Engine floor",
      "## Phases: calls, tokens and time against the minimum and the bound",
      "## Against the sequential script (create only)",
      "## Where the time goes",
      "## Engine floor at each size",
      "## API calls per customer by type and phase at N = 1",
      "## Calls per customer by endpoint at N = 1",
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain(`| 1 | create | ${phase("create").calls.perResource.api.toFixed(2)} (`);
    expect(text).not.toContain("UNMAPPED");
  });
});
