import type { CheckFailure, HandlerContext, ResourceHandler } from "../../provider/handlers/types";

/**
 * The engine's steps for one resource, driven directly against a handler (what the
 * dynamic-provider host does for `pulumi up`): check, then create or diff + update.
 */

/** `check` that must pass; returns the checked inputs. */
export async function checked<I extends object, O extends object>(
  handler: ResourceHandler<I, O>,
  olds: Partial<I>,
  news: I,
  ctx: HandlerContext,
): Promise<I> {
  const result = await handler.check(olds, news, ctx);
  if (result.failures && result.failures.length > 0) {
    throw new Error(`check failed: ${result.failures.map((f) => f.reason).join("; ")}`);
  }
  return result.inputs ?? news;
}

/** `check` that must fail; returns the failures. */
export async function checkFailures<I extends object, O extends object>(
  handler: ResourceHandler<I, O>,
  olds: Partial<I>,
  news: unknown,
  ctx: HandlerContext,
): Promise<CheckFailure[]> {
  const result = await handler.check(olds, news as I, ctx);
  return result.failures ?? [];
}

/** check + create, as for a new resource. Returns the id, the checked inputs and the outputs. */
export async function createResource<I extends object, O extends object>(
  handler: ResourceHandler<I, O>,
  news: I,
  ctx: HandlerContext,
): Promise<{ id: string; inputs: I; state: I & O }> {
  const inputs = await checked(handler, {}, news, ctx);
  const { id, outs } = await handler.create(inputs, ctx);
  return { id, inputs, state: outs as I & O };
}

/**
 * check + diff (+ update when the diff reports changes) for changed inputs of an existing
 * resource. Returns the new inputs, whether an update ran, and the state afterwards.
 */
export async function updateResource<I extends object, O extends object>(
  handler: ResourceHandler<I, O>,
  id: string,
  current: { inputs: I; state: I & O },
  news: I,
  ctx: HandlerContext,
): Promise<{ inputs: I; state: I & O; changed: boolean }> {
  const inputs = await checked(handler, current.inputs, news, ctx);
  const diff = await handler.diff(id, current.state, inputs, ctx);
  if (diff.replaces && diff.replaces.length > 0)
    throw new Error(`unexpected replacement of ${diff.replaces.join(", ")}`);
  if (diff.changes !== true) return { inputs, state: current.state, changed: false };
  const { outs } = await handler.update(id, current.state, inputs, ctx);
  return { inputs, state: outs as I & O, changed: true };
}
