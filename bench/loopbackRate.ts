import type { RunningEmulator } from "../emulator/index";
import { createCspApi } from "../provider/clients/createCspApi";
import { resolveConfig } from "../provider/config";
import { round } from "./requestStats";

/** How fast the emulator answers on loopback with no injected latency. */
export interface LoopbackFigures {
  requests: number;
  concurrency: number;
  durationMs: number;
  requestsPerSecond: number;
}

/**
 * A short burst of authenticated Partner Center reads (`GET /v1/agreements`, app+user token, no
 * rate-limit family, kept-alive connections) through the project's HTTP core with a cached
 * token, with the emulator's
 * injected latency set to 0 for the burst and restored after. Client and emulator share this
 * process (and its core), so the rate is a lower bound of what the emulator alone can serve.
 */
export async function measureLoopback(
  emu: RunningEmulator,
  options: { requests?: number; concurrency?: number } = {},
): Promise<LoopbackFigures> {
  const requests = options.requests ?? 2000;
  const concurrency = options.concurrency ?? 32;
  const config = resolveConfig({ env: emu.env, getConfig: () => undefined });
  const pc = createCspApi(config).partnerCenter;
  const probe = () =>
    pc.send({
      method: "GET",
      path: "/v1/agreements",
      query: { agreementType: "MicrosoftCustomerAgreement" },
      auth: { mode: "user" },
    });
  const saved = (await emu.admin.settings()).latencyMs;
  await emu.admin.updateSettings({ latencyMs: 0 });
  try {
    await probe(); // token and connection first
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests) {
          next++;
          await probe();
        }
      }),
    );
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    return {
      requests,
      concurrency,
      durationMs: Math.round(durationMs),
      requestsPerSecond: round((requests / durationMs) * 1000, 0),
    };
  } finally {
    await emu.admin.updateSettings({ latencyMs: saved });
  }
}
