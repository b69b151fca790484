import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../../../emulator/index";
import { isSecretEnvelope, type PropertyValue, SIG_KEY } from "../../harness/propertyValues";
import { packageRoot, type RunProgramResult, runProgram } from "../../harness/runProgram";
import type { StackState } from "../../harness/stackState";
import { StateFile } from "../../harness/stateFile";
import { emulatorSecretHashes, type KnownSecret, type SecretLeak, scanFiles, scanText } from "./secretScan";
import { writeSecretsProgram } from "./secretsProgram";

/** What a secrets run produced and what the scan of it found. */
export interface SecretsRunResult {
  /** Plain secrets found in files the package wrote or in error messages (should be none). */
  leaks: SecretLeak[];
  /** Files scanned (state files, HTTP trace, runner and CLI output) and their size. */
  files: number;
  bytes: number;
  /** Exchanges in the HTTP trace (a scan of an empty trace proves nothing). */
  traceLines: number;
  /** Secret values the scan looked for by value, and secrets it looked for by hash. */
  knownSecrets: KnownSecret[];
  hashedSecrets: number;
  /** Hashed secrets by kind (`refresh token`, `password`, `client secret`, `authorization code`). */
  hashedByKind: Record<string, number>;
  /** Outputs of the successful `up` as the runner's JSON summary shows them. */
  summaryOutputs: Record<string, unknown>;
  /** `resource.field` of secret outputs in the state file, and whether each is an encrypted envelope. */
  stateSecretFields: { field: string; encrypted: boolean }[];
  /** The `__provider` texts of the state (each scanned). */
  providerTexts: number;
  /** Error messages of the forced failures, by scenario. */
  forcedErrors: Record<string, string[]>;
}

interface ProcessOutput {
  code: number | null;
  out: string;
  err: string;
}

function runCli(args: string[], env: Record<string, string>, cwd: string): Promise<ProcessOutput> {
  const main = path.join(packageRoot(), "dist", "cli", "main.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, out, err }));
  });
}

/** Plain values of every secret envelope in a decrypted state value. */
function secretValues(v: PropertyValue | undefined, inSecret = false): string[] {
  if (v === null || v === undefined) return [];
  if (isSecretEnvelope(v)) return secretValues(v.value, true);
  if (typeof v === "string") return inSecret ? [v] : [];
  if (typeof v !== "object") return [];
  const values = Array.isArray(v) ? v : Object.values(v);
  return values.flatMap((x) => secretValues(x, inSecret));
}

/** Secret outputs the program's resources produce, by resource type (last segment) and field. */
const SECRET_OUTPUTS: Record<string, string[]> = {
  Customer: ["adminPassword"],
  CustomerUser: ["password"],
  ApplicationRegistration: ["clientSecret"],
  CustomerTenant: ["applicationClientSecrets"],
};

/**
 * A demo-like run and its secret scan, in `dir` (empty): an in-process emulator; `up` of the
 * secrets program (the quickstart's customer plus an application client secret, secrets exported
 * as stack outputs) through the local runner with the HTTP trace on; `pulumi-csp doctor` for the
 * customer; then forced failures: a wrong client secret (`up` of a new stack, `doctor`), bad input
 * (a weak password declared as a user's input), revoked refresh tokens (`refresh`, `doctor`).
 * Everything the runs write lands under `dir/work` (state files, `http-trace.jsonl`, each run's
 * JSON summary and stderr, the CLI's output); all of it is scanned for every secret the run
 * involved: the seeded client secret and refresh token, the wrong secret, every value the state
 * holds as a secret (decrypted with the passphrase, for the test's own knowledge), every secret
 * the emulator keeps a hash of (rotated refresh tokens, all passwords, all client secrets) and
 * JWTs.
 */
export async function runSecretsScenario(dir: string): Promise<SecretsRunResult> {
  const emulator = await startEmulator({});
  try {
    const work = path.join(dir, "work");
    const outDir = path.join(work, "output");
    const home = path.join(work, "home");
    fs.mkdirSync(outDir, { recursive: true });
    fs.mkdirSync(home, { recursive: true });
    const programDir = writeSecretsProgram(work);
    const trace = path.join(work, "http-trace.jsonl");
    const passphrase = "secrets-scan-passphrase";
    const stateFile = path.join(work, "state.json");
    const env: Record<string, string> = {
      ...emulator.env,
      PULUMI_CONFIG_PASSPHRASE: passphrase,
      CSP_HTTP_LOG: trace,
      HOME: home,
    };
    // Not a credential of anything: a value shaped like a client secret, to see it is not echoed.
    const wrongSecret = `Wr0~${randomBytes(27).toString("base64url")}`;
    const forcedErrors: Record<string, string[]> = {};

    const save = (name: string, result: RunProgramResult) => {
      const { stderr, ...summary } = result;
      fs.writeFileSync(path.join(outDir, `${name}.json`), JSON.stringify(summary, null, 2));
      fs.writeFileSync(path.join(outDir, `${name}.stderr.txt`), stderr);
      return result;
    };
    const saveCli = (name: string, result: ProcessOutput) => {
      fs.writeFileSync(path.join(outDir, `${name}.out.txt`), result.out);
      fs.writeFileSync(path.join(outDir, `${name}.err.txt`), result.err);
      return result;
    };
    const cliEnv = (extra: Record<string, string> = {}) => ({ ...env, PATH: "", ...extra });

    const up = save("up", await runProgram({ command: "up", programDir, stateFile, env }));
    if (!up.ok) throw new Error(`up failed: ${JSON.stringify(up.errors)}\n${up.stderr.slice(-2000)}`);
    const customerId = String(up.outputs.customerId);
    saveCli("doctor", await runCli(["doctor", "--no-stack", "--customer", customerId], cliEnv(), work));

    const wrong = save(
      "up-wrong-secret",
      await runProgram({
        command: "up",
        programDir,
        stateFile: path.join(work, "wrong-secret-state.json"),
        env: { ...env, CSP_CLIENT_SECRET: wrongSecret },
      }),
    );
    const wrongDoctor = saveCli(
      "doctor-wrong-secret",
      await runCli(["doctor", "--no-stack"], cliEnv({ CSP_CLIENT_SECRET: wrongSecret }), work),
    );
    forcedErrors.wrongSecret = [...wrong.errors.map((e) => e.message), wrongDoctor.out + wrongDoctor.err];

    const bad = save(
      "up-bad-input",
      await runProgram({
        command: "up",
        programDir,
        stateFile,
        env,
        config: { weakPassword: "weakpassword" },
      }),
    );
    forcedErrors.badInput = bad.errors.map((e) => e.message);

    await emulator.admin.revokeRefreshTokens();
    const revoked = save(
      "refresh-revoked",
      await runProgram({ command: "refresh", programDir, stateFile, env }),
    );
    const revokedDoctor = saveCli(
      "doctor-revoked",
      await runCli(["doctor", "--no-stack", "--customer", customerId], cliEnv(), work),
    );
    forcedErrors.revokedRefreshToken = [
      ...revoked.errors.map((e) => e.message),
      revokedDoctor.out + revokedDoctor.err,
    ];

    // What the test knows in plain text (never written anywhere by the test itself).
    const known: KnownSecret[] = [
      { name: "client secret (seeded)", value: emulator.seed.clientSecret },
      { name: "refresh token (seeded)", value: emulator.seed.refreshToken },
      { name: "wrong client secret", value: wrongSecret },
      { name: "weak password input", value: "weakpassword" },
    ];
    const raw = JSON.parse(fs.readFileSync(stateFile, "utf8")) as StackState;
    const decrypted = new StateFile(stateFile, passphrase).load(raw.project, raw.stack);
    for (const r of decrypted.resources) {
      for (const value of secretValues(r.outputs)) {
        known.push({ name: `${r.type.split(/[:/]/).pop()} ${r.name} secret output`, value });
      }
    }
    for (const value of secretValues(decrypted.outputs)) known.push({ name: "secret stack output", value });
    const hashes = emulatorSecretHashes(await emulator.admin.state());

    const scanned = scanFiles(work, known, hashes);
    const messageLeaks = Object.entries(forcedErrors).flatMap(([name, messages]) =>
      scanText(`error messages (${name})`, messages.join("\n"), known, hashes),
    );
    const providerTexts = raw.resources
      .map((r) => r.inputs.__provider)
      .filter((p): p is string => typeof p === "string");
    const providerLeaks = providerTexts.flatMap((p) => scanText("__provider", p, known, hashes));

    const stateSecretFields: { field: string; encrypted: boolean }[] = [];
    for (const r of raw.resources) {
      const type = r.type.split(/[:/]/).pop() ?? "";
      for (const field of SECRET_OUTPUTS[type] ?? []) {
        const v = r.outputs[field] as Record<string, unknown> | undefined;
        if (v === undefined) continue;
        stateSecretFields.push({
          field: `${type} ${r.name}.${field}`,
          encrypted:
            typeof v === "object" &&
            v !== null &&
            SIG_KEY in v &&
            typeof v.ciphertext === "string" &&
            !("value" in v),
        });
      }
    }
    for (const [name, v] of Object.entries(raw.outputs)) {
      if (["adminPassword", "userPasswords", "applicationClientSecrets"].includes(name)) {
        const o = v as Record<string, unknown>;
        stateSecretFields.push({
          field: `stack output ${name}`,
          encrypted:
            typeof o === "object" && o !== null && typeof o.ciphertext === "string" && !("value" in o),
        });
      }
    }

    return {
      leaks: [...scanned.leaks, ...messageLeaks, ...providerLeaks],
      files: scanned.files,
      bytes: scanned.bytes,
      traceLines: fs.existsSync(trace)
        ? fs.readFileSync(trace, "utf8").split("\n").filter(Boolean).length
        : 0,
      knownSecrets: known,
      hashedSecrets: hashes.size,
      hashedByKind: [...hashes.values()].reduce<Record<string, number>>((acc, what) => {
        const kind = what.replace(/ of .*$/, "");
        acc[kind] = (acc[kind] ?? 0) + 1;
        return acc;
      }, {}),
      summaryOutputs: up.outputs,
      stateSecretFields,
      providerTexts: providerTexts.length,
      forcedErrors,
    };
  } finally {
    await emulator.stop();
  }
}
