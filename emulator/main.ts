import { chmodSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { type StartEmulatorOptions, startEmulator } from "./index";

const USAGE = `usage: npm run --silent emulator -- [--port N] [--host ADDR] [--data-dir DIR] [--sandbox|--no-sandbox]
          [--latency MS] [--replication-delay MS] [--enforce-rate-limits] [--partners N] [--indirect] [--write-env FILE]
          [--auto-approve-gdap]
--indirect also seeds an indirect provider account (indirect) and its indirect reseller (reseller).
Prints one line of JSON ({"url","caCert","env",...}) on stdout once listening; Ctrl-C stops.
--write-env FILE also writes the env as shell exports (mode 0600: it holds credentials): source FILE.
With --data-dir and no --port, the port of the last run is reused when it is free.`;

let envFile: string | undefined;

function parseArgs(argv: string[]): StartEmulatorOptions {
  const options: StartEmulatorOptions = {};
  const number = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < 0)
      throw new Error(`${flag} needs a non-negative number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--port":
        options.port = number(flag, value());
        break;
      case "--host":
        options.host = value();
        break;
      case "--data-dir": {
        const dir = value();
        if (!dir) throw new Error("--data-dir needs a directory");
        options.dataDir = resolve(dir);
        break;
      }
      case "--sandbox":
        options.sandbox = true;
        break;
      case "--no-sandbox":
        options.sandbox = false;
        break;
      case "--latency":
        options.latencyMs = number(flag, value());
        break;
      case "--replication-delay":
        options.replicationDelayMs = number(flag, value());
        break;
      case "--auto-approve-gdap":
        options.autoApproveGdap = true;
        break;
      case "--enforce-rate-limits":
        options.enforceRateLimits = true;
        break;
      case "--partners":
        options.partners = number(flag, value());
        break;
      case "--indirect":
        options.indirect = true;
        break;
      case "--write-env": {
        const file = value();
        if (!file) throw new Error("--write-env needs a file name");
        envFile = resolve(file);
        break;
      }
      case "--help":
      case "-h":
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  let options: StartEmulatorOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const emulator = await startEmulator(options);
  // Before the JSON line, which tells a caller the emulator is ready.
  if (envFile) writeEnvFile(envFile, emulator.env);
  process.stdout.write(
    `${JSON.stringify({
      url: emulator.url,
      port: emulator.port,
      caCert: emulator.caCertPath,
      dataDir: options.dataDir ?? null,
      pid: process.pid,
      env: emulator.env,
      // The certificate PEM is long; its file is named by clientCertificatePath.
      accounts: emulator.accounts.map(({ clientCertificatePem: _pem, ...account }) => account),
    })}\n`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`emulator: ${signal}, shutting down\n`);
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

/** `export NAME='value'` lines a shell can source, readable by this user only. */
function writeEnvFile(file: string, env: Record<string, string>): void {
  const quote = (v: string) => `'${v.replace(/'/g, "'\\''")}'`;
  const text = Object.entries(env)
    .map(([k, v]) => `export ${k}=${quote(v)}\n`)
    .join("");
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator: failed to start: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
