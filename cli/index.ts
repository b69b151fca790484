/** The `pulumi-csp` command line: `login`, `doctor`, `consent-url`, `init`, `fleet`, `preview-comment`. */
export { adminConsentUrl } from "./adminConsentUrl";
export type { CliIo } from "./cliIo";
export { openSystemBrowser, processIo } from "./cliIo";
export { runConsentUrl } from "./consentUrl";
export { runDoctor } from "./doctor";
export type { CheckResult, CheckStatus, DoctorInput } from "./doctorChecks";
export { runDoctorChecks } from "./doctorChecks";
export { runFleetCommand } from "./fleetCommand";
export { runInit } from "./initCommand";
export { runLogin } from "./login";
export { runPreviewComment } from "./previewCommentCommand";
export { runCli } from "./runCli";
