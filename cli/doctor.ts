import { isCspError } from "../provider/errors";
import type { CliIo } from "./cliIo";
import { type CheckResult, runDoctorChecks } from "./doctorChecks";
import { loadCliConfig } from "./loadCliConfig";
import { booleanFlag, parseCommandArgs, stringFlag, stringFlags } from "./parseCommandArgs";
import { redactSecrets } from "./redactSecrets";
import { UsageError } from "./usageError";

export const DOCTOR_USAGE = `usage: pulumi-csp doctor [--account NAME] [--customer ID|DOMAIN] [--gdap-relationship ID]
                         [--role NAME|ID]... [--json] [--stack NAME] [--no-stack]

Checks the configuration of a partner account against the live endpoints, one PASS/FAIL/SKIP line
per check with what to do on failure:
  credentials         tenant id, client id, secret or certificate, refresh token present
  endpoints           which cloud and endpoints are configured (emulator or real), extra CA, TLS handshake
  app-token:*         app-only tokens for Partner Center, Microsoft Graph and ARM
  user-token          app+user token from the refresh token (expiry, MFA in the sign-in)
  partner-center      Partner Center reachable (GET /v1/customers?size=1)
  mpa                 Microsoft Partner Agreement accepted [U: inferred from the MPA billing account]
  customer            --customer is a customer of this partner
  consent             the partner app is consented in the customer tenant (app-only token there)
  gdap                GDAP relationship active, with --role roles, given to a security group

  --account NAME             partner account (default "default")
  --customer ID|DOMAIN       customer tenant to check (consent, GDAP)
  --gdap-relationship ID     GDAP relationship to check (default: the customer's active ones)
  --role NAME|ID             directory role the GDAP relationship must grant (repeatable)
  --json                     print a JSON array of {check, status, detail, fix}
  --stack NAME / --no-stack  which stack's csp:* config to read / read none (environment only)

Exit code 0 when nothing failed, 1 otherwise. Secrets are never printed.`;

const DOCTOR_OPTIONS = {
  account: { type: "string" },
  customer: { type: "string" },
  "gdap-relationship": { type: "string" },
  role: { type: "string", multiple: true },
  json: { type: "boolean" },
  stack: { type: "string" },
  "no-stack": { type: "boolean" },
} as const;

/** `pulumi-csp doctor`: see {@link DOCTOR_USAGE}. Returns the exit code. */
export async function runDoctor(args: string[], io: CliIo): Promise<number> {
  const { values, help } = parseCommandArgs("doctor", args, DOCTOR_OPTIONS);
  if (help) {
    io.out(`${DOCTOR_USAGE}\n`);
    return 0;
  }
  const account = (stringFlag(values, "account") ?? "default").toLowerCase();
  const json = booleanFlag(values, "json");
  const customer = stringFlag(values, "customer");
  const gdapRelationship = stringFlag(values, "gdap-relationship");
  const stack = stringFlag(values, "stack");
  if (customer !== undefined && customer.trim() === "")
    throw new UsageError("--customer needs a value", "doctor");

  const secrets: string[] = [];
  let results: CheckResult[];
  let note: string | undefined;
  try {
    const { config, source } = await loadCliConfig(io, {
      useStack: !booleanFlag(values, "no-stack"),
      ...(stack ? { stack } : {}),
    });
    note = source.stack
      ? `configuration: environment and stack config (${source.stackKeys.length} csp:* keys)`
      : `configuration: ${source.stackNote ?? "environment variables"}`;
    for (const a of Object.values(config.accounts)) secrets.push(a.clientSecret ?? "", a.refreshToken ?? "");
    results = await runDoctorChecks({
      config,
      account,
      ...(customer ? { customer: customer.trim() } : {}),
      ...(gdapRelationship ? { gdapRelationship } : {}),
      roles: stringFlags(values, "role"),
      onToken: (t) => secrets.push(t),
    });
  } catch (e) {
    // Configuration that cannot even be resolved (unknown cloud, unreadable token file, ...).
    const hint = isCspError(e) ? e.hint : undefined;
    const message = e instanceof Error ? e.message : String(e);
    results = [
      {
        check: "configuration",
        status: "FAIL",
        detail: hint ? message.replace(`. What to do: ${hint}`, "") : message,
        fix: hint ?? "fix the configuration",
      },
    ];
  }
  // Every reported string passes the redactor: the checks never put secrets in them, this makes sure.
  const safe = results.map((r) => ({
    check: r.check,
    status: r.status,
    detail: redactSecrets(r.detail, secrets),
    fix: redactSecrets(r.fix, secrets),
  }));
  const failed = safe.some((r) => r.status === "FAIL");
  if (json) {
    io.out(`${JSON.stringify(safe, null, 2)}\n`);
  } else {
    if (note) io.out(`${note}\n`);
    for (const r of safe) {
      io.out(`${r.status.padEnd(4)}  ${r.check}: ${r.detail}\n`);
      if (r.status === "FAIL" && r.fix) io.out(`      fix: ${r.fix}\n`);
    }
    const counts = (s: string) => safe.filter((r) => r.status === s).length;
    io.out(
      `\n${failed ? "Problems found" : "All checks passed"}: ${counts("PASS")} passed, ${counts("FAIL")} failed, ${counts("SKIP")} skipped.\n`,
    );
  }
  return failed ? 1 : 0;
}
