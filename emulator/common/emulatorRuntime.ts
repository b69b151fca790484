import { randomUUID } from "node:crypto";
import { FaultList } from "./faultList";
import { RequestLog } from "./requestLog";
import type { EmulatorState } from "./state";
import type { StateStore } from "./stateStore";
import type { TokenSigner } from "./tokenSigner";
import type { AccessTokenClaims, EmulatedService, EmulatorCore } from "./types";

/** Path prefix of each service on the emulator's single origin (path-prefix mode). */
export const SERVICE_PREFIXES: Record<EmulatedService, string> = {
  identity: "",
  partnerCenter: "/partnercenter",
  graph: "/graph",
  arm: "/arm",
  admin: "/_emulator",
};

/** Access tokens live 60-90 minutes at Entra; the emulator issues 3599-second tokens like `expires_in`. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3599;

/**
 * Everything a running emulator holds besides its sockets: the state and its store, the token
 * signer, the request log, the injected faults, and the clock.
 */
export class EmulatorRuntime {
  state: EmulatorState;
  readonly log = new RequestLog();
  readonly faults = new FaultList();
  /** `https://127.0.0.1:PORT`, set once the server listens. */
  origin = "";

  constructor(
    state: EmulatorState,
    readonly store: StateStore,
    readonly signer: TokenSigner,
    /** Builds the world `reset()` returns to (seeded tenants, start settings). */
    private readonly freshState: () => EmulatorState,
  ) {
    this.state = state;
  }

  /** Emulator time: the real clock plus the admin "advance time" offset. */
  now(): Date {
    return new Date(Date.now() + this.state.settings.clockOffsetMs);
  }

  serviceUrl(service: EmulatedService): string {
    return this.origin + SERVICE_PREFIXES[service];
  }

  /** Signs an access token: v1-style issuer `https://sts.windows.net/{tid}/` as Entra uses for these resources. */
  signToken(
    claims: Omit<AccessTokenClaims, "iss" | "iat" | "nbf" | "exp">,
    lifetimeSeconds?: number,
  ): string {
    const now = Math.floor(this.now().getTime() / 1000);
    // Entra back-dates iat/nbf by five minutes to absorb clock skew.
    const full: AccessTokenClaims & { ver: string; uti: string } = {
      iss: `https://sts.windows.net/${claims.tid}/`,
      iat: now - 300,
      nbf: now - 300,
      exp: now + (lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS),
      ...claims,
      ver: "1.0",
      uti: randomUUID().replace(/-/g, "").slice(0, 22),
    };
    return this.signer.sign(full as unknown as Record<string, unknown>);
  }

  /** The core handed to a route handler; `onDirty` records that this request changed the state. */
  core(onDirty: () => void): EmulatorCore {
    const runtime = this;
    return {
      get state() {
        return runtime.state;
      },
      now: () => runtime.now(),
      newId: () => randomUUID(),
      markDirty: onDirty,
      signToken: (claims, lifetimeSeconds) => runtime.signToken(claims, lifetimeSeconds),
      serviceUrl: (service) => runtime.serviceUrl(service),
    };
  }

  /** Persists the state now (no-op for the memory store). */
  persist(): void {
    this.store.save(this.state);
  }

  private pendingSave: Promise<void> | undefined;

  /**
   * Persists the state once for every request that changed it in this turn of the event loop
   * (group commit): requests finishing together share one atomic write, each answered only after
   * the write that contains its change.
   */
  persistSoon(): Promise<void> {
    if (!this.store.durable) return Promise.resolve();
    this.pendingSave ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.pendingSave = undefined;
        try {
          this.persist();
          resolve();
        } catch (e) {
          reject(e);
        }
      });
    });
    return this.pendingSave;
  }

  /** Back to the seeded world with the start settings; faults and the request log are cleared. */
  reset(): void {
    this.state = this.freshState();
    this.faults.clear();
    this.log.clear();
    this.persist();
  }
}
