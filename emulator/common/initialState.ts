import type { EmulatorSettings, EmulatorState } from "./state";

/** Settings of a fresh emulator: sandbox on, no replication delay, no rate limits, no latency. */
export const DEFAULT_SETTINGS: EmulatorSettings = {
  sandbox: true,
  replicationDelayMs: 0,
  enforceRateLimits: false,
  clockOffsetMs: 0,
  latencyMs: 0,
};

/** An empty world (no tenants yet) with the given settings. */
export function createEmptyState(settings: EmulatorSettings): EmulatorState {
  return {
    version: 1,
    settings: { ...settings },
    directory: {},
    identity: { refreshTokens: {}, authorizationCodes: {} },
    partnerCenter: { partners: {}, customers: {}, idempotency: {} },
    gdap: {},
    azure: { subscriptions: {}, aliases: {}, roleAssignments: {} },
  };
}
