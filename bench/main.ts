// `npm run bench`: API calls, time, state size and memory of the quickstart tenant as the number of
// customers grows, through the Pulumi CLI (the real engine, driven by the Automation API) against
// the emulator with injected latency, next to the documented minimum, the engine's own floor (an
// empty program) and a sequential-script peer. Prints tables on stdout, writes JSON.
import * as fs from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../automation/toolchain";
import { writeBenchDoc } from "./benchDoc";
import { docCommand, FILE_OPTIONS } from "./docCommand";
import { formatReport } from "./report";
import { type BenchOptions, runBench } from "./runBench";

const USAGE = `usage: npm run bench -- [options]

  --quick             N = 1 and 5, the peer at N = 5 only, 2 floor rounds, a short loopback burst
                      (some 1.5 to 2 minutes on 2 CPUs)
  --sizes 1,10,50     numbers of customers (default 1,10,50)
  --latency MS        latency the emulator adds per request (default 50)
  --parallel P        the engine's --parallel (default the CLI's own: 4 × CPUs)
  --skip-checkpoints  PULUMI_SKIP_CHECKPOINTS=true: the file backend writes the checkpoint at the end only
  --floor-runs K      rounds of the engine floor (empty program preview/up/refresh/destroy; default 3, 0 skips)
  --out FILE          JSON results (default .bench/results.json)
  --doc FILE          write the figures' tables as Markdown to FILE; the default run (no option that
                      changes what is measured) writes docs/performance.md when every phase passed
  --no-doc            write no Markdown document
  --no-peer           skip the sequential-script peer
  --no-shape-floor    skip the engine's floor at each size (the create's resources again, no call)
  --no-loopback       skip the emulator's loopback rate
  --no-rate-limits    do not enforce Partner Center's documented rate limits in the emulator
  --keep              keep the generated program folder (state files, HTTP traces)
  --quiet             no progress lines on stderr`;

interface CliOptions extends BenchOptions {
  out: string;
  quiet: boolean;
  /** Where the Markdown figures go: a path, `default` (docs/performance.md if the run is the default one and passes), or none. */
  doc: string | "default" | undefined;
}

/** Options that do not change what the default run measures, and those of them that take a value. */
const NEUTRAL_WITH_VALUE = FILE_OPTIONS;
const NEUTRAL = new Set([...FILE_OPTIONS, "--quiet", "--keep"]);

/** The document the default run refreshes. */
export const DEFAULT_DOC = path.join(packageRoot(), "docs", "performance.md");

/** Parses the command line; throws a usage error. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    sizes: [1, 10, 50],
    latencyMs: 50,
    out: path.join(".bench", "results.json"),
    quiet: false,
    doc: argv.every((a, i) => NEUTRAL.has(a) || NEUTRAL_WITH_VALUE.has(argv[i - 1] ?? ""))
      ? "default"
      : undefined,
  };
  const value = (i: number, name: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    switch (arg) {
      case "--quick":
        options.sizes = [1, 5];
        options.loopbackRequests = 1000;
        options.peerAtLargestOnly = true;
        options.floorRuns = 2;
        break;
      case "--sizes":
        options.sizes = value(i++, arg)
          .split(",")
          .map((n) => Number(n.trim()));
        if (options.sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 999)) {
          throw new Error("--sizes takes whole numbers between 1 and 999, e.g. 1,10,50");
        }
        break;
      case "--latency":
        options.latencyMs = Number(value(i++, arg));
        if (!Number.isFinite(options.latencyMs) || options.latencyMs < 0) {
          throw new Error("--latency takes milliseconds (0 or more)");
        }
        break;
      case "--parallel":
        options.parallel = Number(value(i++, arg));
        if (!Number.isInteger(options.parallel) || options.parallel < 1) {
          throw new Error("--parallel takes a whole number of at least 1");
        }
        break;
      case "--floor-runs":
        options.floorRuns = Number(value(i++, arg));
        if (!Number.isInteger(options.floorRuns) || options.floorRuns < 0 || options.floorRuns > 20) {
          throw new Error("--floor-runs takes a whole number between 0 and 20");
        }
        break;
      case "--skip-checkpoints":
        options.skipCheckpoints = true;
        break;
      case "--out":
        options.out = value(i++, arg);
        break;
      case "--doc":
        options.doc = value(i++, arg);
        break;
      case "--no-doc":
        options.doc = undefined;
        break;
      case "--no-peer":
        options.peer = false;
        break;
      case "--no-shape-floor":
        options.shapeFloor = false;
        break;
      case "--no-loopback":
        options.loopback = false;
        break;
      case "--no-rate-limits":
        options.enforceRateLimits = false;
        break;
      case "--keep":
        options.keepWorkspace = true;
        break;
      case "--quiet":
        options.quiet = true;
        break;
      case "--help":
      case "-h":
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return options;
}

async function main(): Promise<number> {
  let options: CliOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const started = Date.now();
  const result = await runBench({
    ...options,
    log: options.quiet
      ? () => undefined
      : (line) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`),
  });
  fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
  fs.writeFileSync(options.out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${formatReport(result)}\n\nJSON: ${path.resolve(options.out)}\n`);
  const failed = result.sizes.some(
    (s) => s.phases.some((p) => !p.ok) || (s.peer !== undefined && !s.peer.ok),
  );
  const doc = options.doc === "default" ? (failed ? undefined : DEFAULT_DOC) : options.doc;
  if (doc) {
    writeBenchDoc(doc, result, docCommand("bench", process.argv.slice(2)));
    process.stdout.write(`Markdown: ${path.resolve(doc)}\n`);
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
