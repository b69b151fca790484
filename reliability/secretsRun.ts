import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { readCheckpoint, SECRET_SIG, SECRET_SIG_KEY } from "../automation/checkpoint";
import { type RunProgramResult, runProgram } from "../automation/runProgram";
import { prepareWorkspace, type StackWorkspace } from "../automation/stackWorkspace";
import { packageRoot, pulumiEnv, pulumiToolchain } from "../automation/toolchain";
import { startEmulator } from "../emulator/index";
import { emulatorSecretHashes, type KnownSecret, type SecretLeak, scanFiles, scanText } from "./secretScan";
import { writeSecretsProgram } from "./secretsProgram";

/** The key and value that mark a secret in a Pulumi checkpoint or stack export. */

/** What a secrets run produced and what the scan of it found. */
export interface SecretsRunResult {
  /**
   * Plain secrets found in what a normal run leaves (checkpoints, backups and history of the file
   * backend, the stack config, PULUMI_HOME, TMPDIR, the HTTP trace, the CLI's output, the JSON
   * summaries, pulumi-csp's own CLI output), in error messages and in `__provider` texts.
   */
  leaks: SecretLeak[];
  /**
   * Secrets in Pulumi's own debug diagnostics that runProgram keeps in `RunSummary.infos` (see
   * `save` below); not pulumi-csp's lines, which are in `leaks` if they hold one.
   */
  secretsInSummaryDebugDiagnostics: number;
  /** Files scanned and their size. */
  files: number;
  bytes: number;
  /** Exchanges in the HTTP trace (a scan of an empty trace proves nothing). */
  traceLines: number;
  /** Secret values the scan looked for by value, and secrets it looked for by hash. */
  knownSecrets: KnownSecret[];
  hashedSecrets: number;
  /** Hashed secrets by kind (`refresh token`, `password`, `client secret`, `authorization code`). */
  hashedByKind: Record<string, number>;
  /** Outputs of the successful `up` as the run summary shows them. */
  summaryOutputs: Record<string, unknown>;
  /** `resource.field` of secret outputs in the checkpoint, and whether each is an encrypted envelope. */
  stateSecretFields: { field: string; encrypted: boolean }[];
  /** The `__provider` texts of the checkpoint (each scanned). */
  providerTexts: number;
  /** Error messages of the forced failures, by scenario. */
  forcedErrors: Record<string, string[]>;
  /**
   * The same stack refreshed with Pulumi's debug logging on (`pulumi refresh --debug
   * --logtostderr -v=9 --logflow`): lines of its output, the secrets found in them, split into
   * lines pulumi-csp wrote (must be none) and Pulumi's own RPC traces (the engine and the Node.js
   * SDK print property values, secrets included, at these levels).
   */
  debugRun: {
    lines: number;
    pulumiCspLines: number;
    leaksInPulumiCspLines: SecretLeak[];
    leaksInPulumiTraces: number;
    /** Leaks in lines that are neither (must be none). */
    leaksElsewhere: SecretLeak[];
  };
}

interface ProcessOutput {
  code: number | null;
  out: string;
  err: string;
}

function collect(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<ProcessOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
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

/** pulumi-csp's own CLI (`dist/cli/main.js`). */
function runCspCli(args: string[], env: Record<string, string>, cwd: string): Promise<ProcessOutput> {
  const main = path.join(packageRoot(), "dist", "cli", "main.js");
  return collect(process.execPath, [main, ...args], env, cwd);
}

/** The Pulumi CLI in a stack's workspace, as a user runs it (not through the Automation API). */
function runPulumi(ws: StackWorkspace, args: string[], env: Record<string, string>): Promise<ProcessOutput> {
  const toolchain = pulumiToolchain();
  return collect(
    toolchain.pulumi,
    [...args, "--non-interactive", "--stack", ws.stack],
    { ...process.env, ...env, ...pulumiEnv(toolchain, ws.backendDir, ws.pulumiHome) },
    ws.workDir,
  );
}

/** Plain values of every secret of a `pulumi stack export --show-secrets` document. */
function exportedSecrets(value: unknown): string[] {
  if (value === null || typeof value !== "object") return [];
  const o = value as Record<string, unknown>;
  if (o[SECRET_SIG_KEY] === SECRET_SIG && typeof o.plaintext === "string") {
    const leaves = (v: unknown): string[] =>
      typeof v === "string"
        ? [v]
        : v !== null && typeof v === "object"
          ? Object.values(v as Record<string, unknown>).flatMap(leaves)
          : [];
    return leaves(JSON.parse(o.plaintext));
  }
  return Object.values(o).flatMap(exportedSecrets);
}

function isEncryptedEnvelope(v: unknown): boolean {
  if (v === null || typeof v !== "object") return false;
  const o = v as Record<string, unknown>;
  return (
    o[SECRET_SIG_KEY] === SECRET_SIG &&
    typeof o.ciphertext === "string" &&
    !("plaintext" in o) &&
    !("value" in o)
  );
}

/** Secret outputs the program's resources produce, by resource type (last segment) and field. */
const SECRET_OUTPUTS: Record<string, string[]> = {
  Customer: ["adminPassword"],
  CustomerUser: ["password"],
  ApplicationRegistration: ["clientSecret"],
  CustomerTenant: ["applicationClientSecrets"],
};

/**
 * Lines of Pulumi's own debug tracing that print property values: the engine's RPC marshaling
 * (`-v=9`) and the Node.js SDK's `RegisterResource RPC finished ... resp: ...` (`--debug`).
 */
const PULUMI_TRACE =
  /(?:Marshaling property for RPC|Unmarshaling property for RPC|RPC finished: |RPC\[[^\]]*\]|Provider\[[^\]]*\]\.(?:Check|Diff|Create|Read|Update|Delete)|resp: |req: |Registering resource|RegisterResource|ReadResource|\bProvider\b.*\boutputs\b|Resource\[|inputs=|outputs=|olds=|news=|properties=|\bstep\b.*\bgoal\b)/;

/** A line pulumi-csp's provider or components wrote (its messages start with `pulumi-csp:`). */
const PULUMI_CSP_LINE = /(?:^|[\s>])pulumi-csp: /;

/** Secrets in lines, split by who wrote each line: pulumi-csp, Pulumi's RPC tracing, anything else. */
function judgeLines(
  lines: { source: string; line: string }[],
  known: KnownSecret[],
  hashes: Map<string, string>,
): {
  pulumiCspLines: number;
  leaksInPulumiCspLines: SecretLeak[];
  leaksInPulumiTraces: number;
  leaksElsewhere: SecretLeak[];
} {
  const leaksInPulumiCspLines: SecretLeak[] = [];
  const leaksElsewhere: SecretLeak[] = [];
  let leaksInPulumiTraces = 0;
  let pulumiCspLines = 0;
  for (const { source, line } of lines) {
    const ours = PULUMI_CSP_LINE.test(line);
    if (ours) pulumiCspLines++;
    const found = scanText(source, line, known, hashes);
    if (found.length === 0) continue;
    if (ours) leaksInPulumiCspLines.push(...found);
    else if (PULUMI_TRACE.test(line)) leaksInPulumiTraces += found.length;
    else leaksElsewhere.push(...found.map((l) => ({ ...l, what: `${l.what}: ${line.slice(0, 200)}` })));
  }
  return { pulumiCspLines, leaksInPulumiCspLines, leaksInPulumiTraces, leaksElsewhere };
}

/**
 * A demo-like run and its secret scan, in `dir` (empty), all on the Pulumi CLI (v3.248.0, file
 * backend) through the Automation API: an in-process emulator; `up` of the secrets program (the
 * quickstart's customer plus an application client secret, secrets exported as stack outputs)
 * with the HTTP trace on; `pulumi-csp doctor` for the customer; then forced failures: a wrong
 * client secret (`up` of a second stack, `doctor`), bad input (a weak password declared as a
 * user's input), revoked refresh tokens (`refresh`, `doctor`).
 *
 * Everything the runs write lands under `dir/work`: the stacks' workspaces (the file backend's
 * checkpoints, `.bak` files, history and backups, locks; the stack config `Pulumi.<stack>.yaml`;
 * PULUMI_HOME), TMPDIR of every Pulumi process (where its log files go), `http-trace.jsonl`, each
 * run's stdout, stderr and JSON summary, and the output of `pulumi-csp doctor`; all of it is
 * scanned for every secret the run involved: the seeded client secret and refresh token, the
 * wrong secret and the weak password, every secret of the checkpoint (`pulumi stack export
 * --show-secrets`, kept in memory), every secret the emulator keeps a hash of (rotated refresh
 * tokens, all passwords, all client secrets), and JWTs.
 *
 * Before the tokens are revoked, the stack is also refreshed with Pulumi's debug logging on; that
 * output is kept apart (`dir/debug`) and judged line by line (see `debugRun`).
 */
export async function runSecretsScenario(dir: string): Promise<SecretsRunResult> {
  // The customer approves the GDAP relationship at once: this scenario is about secrets.
  const emulator = await startEmulator({ autoApproveGdap: true });
  try {
    const work = path.join(dir, "work");
    const outDir = path.join(work, "output");
    const home = path.join(work, "home");
    const tmp = path.join(work, "tmp");
    for (const d of [outDir, home, tmp]) fs.mkdirSync(d, { recursive: true });
    const programDir = writeSecretsProgram(work);
    const trace = path.join(work, "http-trace.jsonl");
    const passphrase = "secrets-scan-passphrase";
    const stateDir = path.join(work, "stacks", "main");
    const ws = prepareWorkspace(programDir, stateDir, "dev");
    const env: Record<string, string> = {
      ...emulator.env,
      PULUMI_CONFIG_PASSPHRASE: passphrase,
      CSP_HTTP_LOG: trace,
      HOME: home,
      TMPDIR: tmp,
    };
    // Not a credential of anything: a value shaped like a client secret, to see it is not echoed.
    const wrongSecret = `Wr0~${randomBytes(27).toString("base64url")}`;
    const forcedErrors: Record<string, string[]> = {};

    // Each run's output and summary are written out and scanned with everything else, except the
    // summary's `infos`: runProgram puts every non-error diagnostic of the engine's event stream
    // there, Pulumi's debug diagnostics included (the Node.js SDK's "RegisterResource RPC
    // finished ... resp: ..." lines, which print outputs, secrets included, whether or not
    // `--debug` is on). Those lines are judged one by one like the debug run's.
    const infos: { run: string; line: string }[] = [];
    const save = (name: string, result: RunProgramResult) => {
      const { stdout, stderr, infos: lines, ...summary } = result;
      fs.writeFileSync(path.join(outDir, `${name}.json`), JSON.stringify(summary, null, 2));
      fs.writeFileSync(path.join(outDir, `${name}.stdout.txt`), stdout);
      fs.writeFileSync(path.join(outDir, `${name}.stderr.txt`), stderr);
      for (const line of lines) infos.push({ run: name, line });
      return result;
    };
    const saveCli = (name: string, result: ProcessOutput) => {
      fs.writeFileSync(path.join(outDir, `${name}.out.txt`), result.out);
      fs.writeFileSync(path.join(outDir, `${name}.err.txt`), result.err);
      return result;
    };
    const cliEnv = (extra: Record<string, string> = {}) => ({ ...env, PATH: "", ...extra });

    const config = { gdapGroupId: emulator.seed.gdapAdminsGroupId };
    const up = save("up", await runProgram({ command: "up", programDir, stateDir, env, config }));
    if (!up.ok) throw new Error(`up failed: ${JSON.stringify(up.errors)}\n${up.stderr.slice(-2000)}`);
    const customerId = String(up.outputs.customerId);
    saveCli("doctor", await runCspCli(["doctor", "--no-stack", "--customer", customerId], cliEnv(), work));

    // Pulumi's debug logging, kept out of the main scan (judged line by line below).
    const debugDir = path.join(dir, "debug");
    fs.mkdirSync(debugDir, { recursive: true });
    const debug = await runPulumi(
      ws,
      ["refresh", "--yes", "--skip-preview", "--debug", "--logtostderr", "-v=9", "--logflow"],
      { ...env, TMPDIR: debugDir },
    );
    fs.writeFileSync(path.join(debugDir, "refresh-debug.out.txt"), debug.out);
    fs.writeFileSync(path.join(debugDir, "refresh-debug.err.txt"), debug.err);
    if (debug.code !== 0) throw new Error(`debug refresh failed (${debug.code}): ${debug.err.slice(-2000)}`);

    const wrong = save(
      "up-wrong-secret",
      await runProgram({
        command: "up",
        programDir,
        stateDir: path.join(work, "stacks", "wrong-secret"),
        env: { ...env, CSP_CLIENT_SECRET: wrongSecret },
      }),
    );
    const wrongDoctor = saveCli(
      "doctor-wrong-secret",
      await runCspCli(["doctor", "--no-stack"], cliEnv({ CSP_CLIENT_SECRET: wrongSecret }), work),
    );
    forcedErrors.wrongSecret = [...wrong.errors.map((e) => e.message), wrongDoctor.out + wrongDoctor.err];

    // A user's secret input goes into the stack config encrypted, as `pulumi config set --secret` does.
    const setWeak = await runPulumi(ws, ["config", "set", "--secret", "weakPassword", "weakpassword"], env);
    if (setWeak.code !== 0) throw new Error(`pulumi config set failed: ${setWeak.err}`);
    const bad = save("up-bad-input", await runProgram({ command: "up", programDir, stateDir, env }));
    forcedErrors.badInput = bad.errors.map((e) => e.message);
    await runPulumi(ws, ["config", "rm", "weakPassword"], env);

    await emulator.admin.revokeRefreshTokens();
    const revoked = save(
      "refresh-revoked",
      await runProgram({ command: "refresh", programDir, stateDir, env }),
    );
    const revokedDoctor = saveCli(
      "doctor-revoked",
      await runCspCli(["doctor", "--no-stack", "--customer", customerId], cliEnv(), work),
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
    const exported = await runPulumi(ws, ["stack", "export", "--show-secrets"], env);
    if (exported.code !== 0) throw new Error(`pulumi stack export failed: ${exported.err}`);
    const deployment = JSON.parse(exported.out) as {
      deployment: { resources: { urn: string; type: string; outputs?: unknown }[] };
    };
    for (const r of deployment.deployment.resources) {
      const name = r.urn.slice(r.urn.lastIndexOf("::") + 2);
      for (const value of exportedSecrets(r.outputs)) {
        known.push({ name: `${r.type.split(/[:/]/).pop()} ${name} secret output`, value });
      }
    }
    const hashes = emulatorSecretHashes(await emulator.admin.state());

    const scanned = scanFiles(work, known, hashes);
    const messageLeaks = Object.entries(forcedErrors).flatMap(([name, messages]) =>
      scanText(`error messages (${name})`, messages.join("\n"), known, hashes),
    );
    const checkpoint = readCheckpoint(ws);
    if (!checkpoint) throw new Error("the main stack has no checkpoint");
    const providerTexts = checkpoint.resources
      .map((r) => r.inputs?.__provider)
      .filter((p): p is string => typeof p === "string");
    const providerLeaks = providerTexts.flatMap((p) => scanText("__provider", p, known, hashes));

    const stateSecretFields: { field: string; encrypted: boolean }[] = [];
    for (const r of checkpoint.resources) {
      const type = r.type.split(/[:/]/).pop() ?? "";
      const name = r.urn.slice(r.urn.lastIndexOf("::") + 2);
      for (const field of SECRET_OUTPUTS[type] ?? []) {
        const v = r.outputs?.[field];
        if (v === undefined) continue;
        stateSecretFields.push({ field: `${type} ${name}.${field}`, encrypted: isEncryptedEnvelope(v) });
      }
    }
    for (const [name, v] of Object.entries(checkpoint.outputs)) {
      if (["adminPassword", "userPasswords", "applicationClientSecrets"].includes(name)) {
        stateSecretFields.push({ field: `stack output ${name}`, encrypted: isEncryptedEnvelope(v) });
      }
    }

    // The debug output and the summaries' diagnostics, line by line.
    const debugLines = `${debug.out}\n${debug.err}`.split("\n");
    const debugJudged = judgeLines(
      debugLines.map((line, i) => ({ source: `debug refresh, line ${i + 1}`, line })),
      known,
      hashes,
    );
    const infoJudged = judgeLines(
      infos.map((i, n) => ({ source: `run summary ${i.run}, infos[${n}]`, line: i.line })),
      known,
      hashes,
    );

    return {
      leaks: [
        ...scanned.leaks,
        ...messageLeaks,
        ...providerLeaks,
        ...infoJudged.leaksInPulumiCspLines,
        ...infoJudged.leaksElsewhere,
      ],
      secretsInSummaryDebugDiagnostics: infoJudged.leaksInPulumiTraces,
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
      debugRun: { lines: debugLines.length, ...debugJudged },
    };
  } finally {
    await emulator.stop();
  }
}
