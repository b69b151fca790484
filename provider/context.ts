import { createCspApi } from "./clients/createCspApi";
import type { CspApi } from "./clients/cspApi";
import { resolveConfig } from "./config";
import { type HandlerContext, systemClock } from "./handlers/types";

/**
 * Builds the per-process handler context: configuration from the environment and the stack
 * (`getConfig` reads `csp:*` keys), and one lazily created API client set per partner account.
 */
export async function createHandlerContext(
  getConfig: (key: string) => string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<HandlerContext> {
  const config = resolveConfig({ env, getConfig });
  const apis = new Map<string, CspApi>();
  return {
    config,
    api(account = "default") {
      let api = apis.get(account);
      if (!api) {
        api = createCspApi(config, account);
        apis.set(account, api);
      }
      return api;
    },
    log(message: string) {
      process.stderr.write(`pulumi-csp: ${message}\n`);
    },
    clock: systemClock,
  };
}
