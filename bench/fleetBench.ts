// `npm run bench:fleet`: what `pulumi-csp fleet` costs per customer stack and how an estate of
// many customers behaves on this machine. A customers repository from templates/gitops (this
// repository's package linked in), one small customer per file (customer + agreement), run through
// the fleet (runFleet: one Pulumi CLI per stack, through the Automation API) against an in-process
// emulator in production mode with the documented Partner Center rate limits enforced and latency
// added to every request. Prints tables on stdout, writes JSON.
//
//   1. One customer stack alone, `rounds` times: a create (`fleet up` of a new customer), then a
//      no-change `fleet preview` of it.
//   2. The estate: N customers, `fleet up` (all created), then `fleet preview` (no changes), both
//      with --parallel P.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageRoot, pulumiToolchain } from "../automation/toolchain";
import { type RunningEmulator, startEmulator } from "../emulator/index";
import { allCustomers } from "../gitops/customerFiles";
import { type FleetCommand, type FleetResult, runFleet } from "../gitops/fleet";
import { fleetTotals } from "../gitops/fleetReport";
import { scaffold } from "../gitops/scaffold";
import { docCommand, markdownTable } from "./docCommand";
import { cpuNow, loadAverage, TreeMemorySampler } from "./fleetFigures";

const USAGE = `usage: node dist/bench/fleetBench.js [--customers N] [--parallel P] [--rounds R] [--latency MS] [--out FILE] [--doc FILE | --no-doc] [--keep]

  --customers N   customers in the estate (default 200; 0 skips the estate)
  --parallel P    fleet --parallel of the estate (default 4)
  --rounds R      single-customer rounds (default 2; 0 skips them)
  --latency MS    latency the emulator adds per request (default 50)
  --out FILE      JSON results (default .bench/fleet.json)
  --doc FILE      the figures as Markdown (written when no stack failed; the default run, with no
                  option that changes what is measured, writes docs/fleet.md)
  --no-doc        write no Markdown
  --keep          keep the generated repository`;

interface Options {
  customers: number;
  parallel: number;
  rounds: number;
  latencyMs: number;
  out: string;
  /** Markdown figures; undefined: none. */
  doc: string | undefined;
  keep: boolean;
}

/** Figures of one fleet command. */
interface PhaseFigures {
  phase: string;
  command: FleetCommand;
  customers: number;
  parallel: number;
  failed: number;
  wallS: number;
  /** CPU of the stacks' processes (CLIs, language hosts, programs, provider hosts). */
  enginesCpuS: number;
  /** CPU of this process: the fleet's orchestration and the in-process emulator. */
  benchCpuS: number;
  /** Highest sum of the resident memory of every process of the fleet at one time. */
  peakRssMb: number;
  peakProcesses: number;
  partnerCenterRequests: number;
  /** Partner Center requests not about one customer (`/v1/customers` list and create, domains...). */
  partnerLevelRequests: number;
  requests429: number;
  allRequests: number;
  loadBefore: number;
  loadAfter: number;
}

export function parseOptions(argv: string[]): Options {
  const options: Options = {
    customers: 200,
    parallel: 4,
    rounds: 2,
    latencyMs: 50,
    out: path.join(".bench", "fleet.json"),
    doc: undefined,
    keep: false,
  };
  let noDoc = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): number => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${arg} needs a whole number\n\n${USAGE}`);
      return n;
    };
    if (arg === "--customers") options.customers = value();
    else if (arg === "--parallel") options.parallel = Math.max(1, value());
    else if (arg === "--rounds") options.rounds = value();
    else if (arg === "--latency") options.latencyMs = value();
    else if (arg === "--out") options.out = argv[++i] ?? options.out;
    else if (arg === "--doc") options.doc = argv[++i] ?? options.doc;
    else if (arg === "--no-doc") noDoc = true;
    else if (arg === "--keep") options.keep = true;
    else throw new Error(`unknown argument ${arg}\n\n${USAGE}`);
  }
  // The committed figures only from the default run (a smaller estate writes them with --doc).
  if (noDoc) options.doc = undefined;
  else if (!options.doc && docCommand("bench:fleet", argv) === "npm run bench:fleet") {
    options.doc = path.join(packageRoot(), "docs", "fleet.md");
  }
  return options;
}

/** A small customer: the customer and its agreement (two resources and the component). */
function customerYaml(key: string): string {
  return `key: ${key}
customer:
  domainPrefix: fleetbench${key}
  companyName: Fleet Bench ${key}
  billingProfile:
    email: it@${key}.example
    culture: en-US
    language: en
    defaultAddress: { firstName: Ada, lastName: Lovelace, addressLine1: One Way, city: Redmond, state: WA, postalCode: "98052", country: US }
agreement:
  primaryContact: { firstName: Ada, lastName: Lovelace, email: ada@${key}.example }
`;
}

class FleetBench {
  readonly phases: PhaseFigures[] = [];

  constructor(
    private readonly emu: RunningEmulator,
    private readonly repo: string,
    private readonly env: Record<string, string>,
  ) {}

  addCustomers(keys: string[]): void {
    for (const key of keys)
      fs.writeFileSync(path.join(this.repo, "customers", `${key}.yaml`), customerYaml(key));
  }

  async run(phase: string, command: FleetCommand, stacks: string[], parallel: number): Promise<PhaseFigures> {
    const customers = allCustomers(this.repo).filter((c) => stacks.includes(c.stack));
    const seq = (await this.emu.admin.requestLog()).at(-1)?.seq ?? 0;
    const cpu = cpuNow();
    const loadBefore = loadAverage();
    const sampler = new TreeMemorySampler();
    sampler.start();
    let fleet: FleetResult;
    try {
      fleet = await runFleet({ command, projectDir: this.repo, customers, parallel, env: this.env });
    } finally {
      sampler.stop();
    }
    const after = cpuNow();
    const log = await this.emu.admin.requestLog({ sinceSeq: seq });
    const pc = log.filter((e) => e.service === "partnerCenter");
    const figures: PhaseFigures = {
      phase,
      command,
      customers: customers.length,
      parallel,
      failed: fleet.customers.filter((c) => !c.ok).length,
      wallS: fleet.durationMs / 1000,
      enginesCpuS: (after.childrenMs - cpu.childrenMs) / 1000,
      benchCpuS: (after.selfMs - cpu.selfMs) / 1000,
      peakRssMb: Math.round(sampler.peakRssBytes / 1024 / 1024),
      peakProcesses: sampler.peakProcesses,
      partnerCenterRequests: pc.length,
      partnerLevelRequests: pc.filter((e) => !/^\/v1\/customers\/[^/]+/.test(e.path)).length,
      requests429: log.filter((e) => e.status === 429).length,
      allRequests: log.length,
      loadBefore,
      loadAfter: loadAverage(),
    };
    this.phases.push(figures);
    process.stderr.write(`${phase}: ${fleetTotals(fleet)}\n`);
    for (const c of fleet.customers.filter((r) => !r.ok)) {
      process.stderr.write(`  ${c.stack}: ${c.errors[0]?.split("\n")[0]}\n`);
    }
    return figures;
  }
}

function table(phases: PhaseFigures[]): string {
  const header = [
    "phase",
    "customers",
    "parallel",
    "failed",
    "wall s",
    "wall s/customer",
    "engine CPU s/customer",
    "peak RSS MB",
    "PC requests (partner-level)",
    "429",
    "load",
  ];
  const rows = phases.map((p) => [
    p.phase,
    String(p.customers),
    String(p.parallel),
    String(p.failed),
    p.wallS.toFixed(1),
    (p.wallS / Math.max(1, p.customers)).toFixed(2),
    (p.enginesCpuS / Math.max(1, p.customers)).toFixed(2),
    String(p.peakRssMb),
    `${p.partnerCenterRequests} (${p.partnerLevelRequests})`,
    String(p.requests429),
    `${p.loadBefore} → ${p.loadAfter}`,
  ]);
  return markdownTable(header, rows);
}

/** The figures as a Markdown page, with what produced them (nothing in it is typed by hand). */
function fleetDoc(phases: PhaseFigures[], options: Options, pulumiVersion: string): string {
  return `# Fleet figures

Generated by \`${docCommand("bench:fleet", process.argv.slice(2))}\` on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC.
Pulumi CLI ${pulumiVersion}, node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? "unknown"}).
Emulator in production mode, the documented Partner Center rate limits enforced, ${options.latencyMs} ms added to every request.
Each customer is a customer and its agreement, one stack per customer file, run by \`pulumi-csp fleet\`.

${table(phases)}

Columns: wall s/customer = the phase's wall time / its customers; engine CPU = every process the
stacks started (CLIs, language hosts, programs, provider hosts); PC requests = Partner Center
requests (partner-level: not about one customer, e.g. customer creation and domain checks, which
count against the partner-wide limits); load = the machine's one-minute load average before → after.
`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const toolchain = pulumiToolchain();
  const emu = await startEmulator({ sandbox: false, enforceRateLimits: true, latencyMs: options.latencyMs });
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-csp-fleet-bench-"));
  try {
    scaffold("gitops", repo, { force: true });
    // The package under test, as the repository's dependency (node_modules/pulumi-csp is this repository).
    fs.symlinkSync(path.join(__dirname, "..", "..", "node_modules"), path.join(repo, "node_modules"), "dir");
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      ...emu.env,
      PULUMI_BACKEND_URL: `file://${path.join(repo, ".pulumi-csp", "backend")}`,
      PULUMI_CONFIG_PASSPHRASE: "fleet-bench",
    };
    fs.mkdirSync(path.join(repo, ".pulumi-csp", "backend"), { recursive: true });
    const bench = new FleetBench(emu, repo, env);
    process.stderr.write(
      `fleet bench: ${toolchain.pulumi} ${toolchain.version}, node ${process.version}, ${os.cpus().length} CPUs, emulator latency ${options.latencyMs} ms, Partner Center rate limits enforced; repository ${repo}\n`,
    );

    for (let r = 1; r <= options.rounds; r++) {
      const key = `solo${r}`;
      bench.addCustomers([key]);
      await bench.run(`one customer, create (round ${r})`, "up", [key], 1);
      await bench.run(`one customer, no-change preview (round ${r})`, "preview", [key], 1);
    }
    if (options.customers > 0) {
      const keys = Array.from({ length: options.customers }, (_, i) => `c${String(i + 1).padStart(3, "0")}`);
      bench.addCustomers(keys);
      await bench.run(`estate, create`, "up", keys, options.parallel);
      await bench.run(`estate, no-change preview`, "preview", keys, options.parallel);
    }

    process.stdout.write(`${table(bench.phases)}\n`);
    fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
    fs.writeFileSync(
      options.out,
      `${JSON.stringify(
        {
          engine: { pulumi: toolchain.pulumi, version: toolchain.version, node: process.version },
          cpus: os.cpus().length,
          latencyMs: options.latencyMs,
          phases: bench.phases,
        },
        null,
        2,
      )}\n`,
    );
    process.stderr.write(`results: ${options.out}\n`);
    if (options.doc && bench.phases.every((p) => p.failed === 0)) {
      fs.mkdirSync(path.dirname(path.resolve(options.doc)), { recursive: true });
      fs.writeFileSync(options.doc, fleetDoc(bench.phases, options, toolchain.version));
      process.stderr.write(`figures: ${options.doc}\n`);
    }
  } finally {
    await emu.stop();
    if (!options.keep) fs.rmSync(repo, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
