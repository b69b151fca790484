/** The `pulumi-csp` command line: `login`, `doctor`, `consent-url`. */
export { adminConsentUrl } from "./adminConsentUrl";
export type { CliIo } from "./cliIo";
export { openSystemBrowser, processIo } from "./cliIo";
export { runConsentUrl } from "./consentUrl";
export { runDoctor } from "./doctor";
export type { CheckResult, CheckStatus, DoctorInput } from "./doctorChecks";
export { runDoctorChecks } from "./doctorChecks";
export { runLogin } from "./login";
export { runCli } from "./runCli";
