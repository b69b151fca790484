import type { CspApi } from "../clients/cspApi";
import type { CspConfig } from "../configTypes";

/**
 * The contract every resource type implements. Handlers are plain objects keyed by type token
 * (see `registry.ts`); they do not import Pulumi, so the dynamic-provider host, a test, or a
 * future native provider can all host the same logic.
 *
 * Shapes follow Pulumi's dynamic ResourceProvider: inputs and outputs are plain JSON objects.
 * Rules (measured, see the dynamic-providers reference):
 * - never return `undefined` anywhere inside `outs` or `inputs`: omit the key instead;
 * - never call a write API from `check` or `diff` (they run during preview);
 * - inputs not yet known during preview arrive as the string {@link UNKNOWN}.
 */
export interface ResourceHandler<I extends object = Record<string, unknown>, O extends object = I> {
  /** Validates and normalises inputs. Failures name the property and the rule. No API writes. */
  check(olds: Partial<I>, news: I, ctx: HandlerContext): Promise<CheckResult<I>>;
  /** Compares stored outputs+inputs with new inputs. No API writes. */
  diff(id: string, olds: I & O, news: I, ctx: HandlerContext): Promise<DiffResult>;
  create(inputs: I, ctx: HandlerContext): Promise<CreateResult<O>>;
  /** Refresh: returns current outputs (and inputs) or an empty id when the object is gone. */
  read(id: string, props: I & O, ctx: HandlerContext): Promise<ReadResult<I, O>>;
  update(id: string, olds: I & O, news: I, ctx: HandlerContext): Promise<UpdateResult<O>>;
  delete(id: string, props: I & O, ctx: HandlerContext): Promise<void>;
  /**
   * Billable types only: what a create with these (checked) inputs buys, in one sentence for the
   * reviewer of a preview (see purchaseMarker.ts); undefined when it buys nothing.
   */
  purchase?(inputs: I): string | undefined;
  /**
   * Billable types whose updates can buy (seats added to a license subscription): what an update
   * from the stored inputs `olds` to the checked inputs `news` buys, in one sentence; undefined when
   * it buys nothing. Shown like `purchase` (purchaseMarker.ts).
   */
  purchaseOnUpdate?(olds: Partial<I>, news: I): string | undefined;
}

export interface CheckFailure {
  property: string;
  reason: string;
}
export interface CheckResult<I> {
  inputs?: I;
  failures?: CheckFailure[];
  /**
   * Billable types: false when check found that a create of these inputs buys nothing (it adopts
   * what exists), so the preview does not mark it as a purchase (purchaseMarker.ts).
   */
  buys?: boolean;
  /**
   * Creates that cannot happen before someone else acts (a customer approving a GDAP relationship):
   * one sentence saying who must do what, shown on the resource's row of a preview (purchaseMarker.ts).
   */
  awaitsApproval?: string;
}
export interface DiffResult {
  changes?: boolean;
  replaces?: string[];
  deleteBeforeReplace?: boolean;
}
export interface CreateResult<O> {
  id: string;
  outs?: O;
}
export interface ReadResult<I, O> {
  id?: string;
  props?: O;
  inputs?: I;
}
export interface UpdateResult<O> {
  outs?: O;
}

/** What a handler may use at run time. Created lazily once per provider-host process. */
export interface HandlerContext {
  config: CspConfig;
  /** API clients for the partner account named by `account` (default account when omitted). */
  api(account?: string): CspApi;
  /** Progress/diagnostic message for the user (goes to the host's stderr, never contains secrets). */
  log(message: string): void;
  /** The only source of time for handlers: tests pass one that records waits or moves by hand. */
  clock: Clock;
}

/** Time as handlers see it (dates written to services, waits between polls and retries). */
export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

/** Wall-clock time and real waits. */
export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The engine's sentinel for an input whose value is not known yet (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}
