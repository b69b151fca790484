/**
 * Text stored as a resource's `__provider`: a one-line CommonJS module that requires this
 * package's compiled host and names the type. The dynamic-provider host loads it with
 * `requireFromString(text).handler()`; module resolution starts at the host's working directory
 * (the Pulumi program), where `pulumi-csp` is installed.
 */
export function providerModuleText(type: string): string {
  return `exports.handler = function () { return require("pulumi-csp/dist/provider/host").handler(${JSON.stringify(type)}); };\n`;
}
