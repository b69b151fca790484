import type { Clock } from "../types";

/**
 * Bounded polling for long-running commerce operations (order provisioning, subscription aliases).
 * The numbers are deliberately small: a create that is still unfinished afterwards is recorded as a
 * partial create (see `partialCreate`) and completed by a later refresh or update, instead of
 * keeping `pulumi up` waiting for up to the 15 minutes Partner Center allows ("Create an Azure
 * plan", https://learn.microsoft.com/partner-center/developer/create-azure-plan: an order may take
 * up to 15 minutes to appear in the customer's order list).
 */
export const commercePolling = {
  /** How many times to look again after the first answer. */
  attempts: 6,
  /** Delay before each further look, in ms. */
  intervalMs: 2_000,
};

/**
 * Calls `probe` until it returns a value other than `undefined`, at most
 * `1 + commercePolling.attempts` times, waiting on `clock` in between (the handler's `ctx.clock`);
 * returns `undefined` when it never did.
 */
export async function pollUntil<T>(
  clock: Clock,
  probe: () => Promise<T | undefined>,
): Promise<T | undefined> {
  for (let i = 0; ; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    if (i >= commercePolling.attempts) return undefined;
    await clock.sleep(commercePolling.intervalMs);
  }
}
