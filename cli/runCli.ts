import type { CliIo } from "./cliIo";
import { CONSENT_URL_USAGE, runConsentUrl } from "./consentUrl";
import { DOCTOR_USAGE, runDoctor } from "./doctor";
import { FLEET_USAGE, runFleetCommand } from "./fleetCommand";
import { INIT_USAGE, runInit } from "./initCommand";
import { LOGIN_USAGE, runLogin } from "./login";
import { PREVIEW_COMMENT_USAGE, runPreviewComment } from "./previewCommentCommand";
import { UsageError } from "./usageError";

export const MAIN_USAGE = `usage: pulumi-csp <command> [flags]

Onboarding, diagnosis and GitOps for pulumi-csp (Microsoft CSP partners on Pulumi).

Commands:
  login            sign an admin agent in (Secure Application Model, MFA) and store the refresh token
  doctor           check credentials, tokens, endpoints, MPA, customer consent and GDAP
  consent-url      print the admin-consent URL of the partner app for a customer tenant
  init gitops      create a customers repository: one file and one stack per customer, CI workflow
  fleet            preview, up or refresh every customer's stack (or the changed ones), in parallel
  preview-comment  turn \`pulumi preview --json\` into a pull-request comment (purchases first)

Run \`pulumi-csp <command> --help\` for a command's flags.
Configuration comes from the CSP_* environment variables and the stack's csp:* config, as for the provider.`;

const COMMANDS: Record<string, { run: (args: string[], io: CliIo) => Promise<number>; usage: string }> = {
  login: { run: runLogin, usage: LOGIN_USAGE },
  doctor: { run: runDoctor, usage: DOCTOR_USAGE },
  "consent-url": { run: runConsentUrl, usage: CONSENT_URL_USAGE },
  init: { run: runInit, usage: INIT_USAGE },
  fleet: { run: runFleetCommand, usage: FLEET_USAGE },
  "preview-comment": { run: runPreviewComment, usage: PREVIEW_COMMENT_USAGE },
};

/**
 * Runs the CLI with `argv` (without `node` and the script). Returns the exit code: 0 success,
 * 1 failure (printed), 2 usage error (unknown command or flag; usage printed on stderr).
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    const topic = command === "help" ? rest[0] : undefined;
    if (topic && COMMANDS[topic]) {
      io.out(`${COMMANDS[topic].usage}\n`);
      return 0;
    }
    if (command === undefined) {
      io.err(`${MAIN_USAGE}\n`);
      return 2;
    }
    io.out(`${MAIN_USAGE}\n`);
    return 0;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    io.err(`pulumi-csp: unknown command "${command}"\n\n${MAIN_USAGE}\n`);
    return 2;
  }
  try {
    return await entry.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`pulumi-csp ${command}: ${e.message}\n\n${entry.usage}\n`);
      return 2;
    }
    io.err(`pulumi-csp ${command}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
