import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";

/**
 * Compile-time agreement between a resource's Args and its handler's input schema: `true` when
 * the Args, unwrapped from `pulumi.Input`, and `z.input` of the schema have the same keys and
 * each accepts the other; `false` otherwise. A resource file asserts it next to its Args, e.g.
 * `const argsMatch: ArgsMatch<XArgs, typeof xSchema> = true;`, so a field added to one side only
 * stops the build.
 */
export type ArgsMatch<Args, Schema extends z.ZodType> =
  Same<keyof Args, keyof z.input<Schema>> extends true ? Same<pulumi.Unwrap<Args>, z.input<Schema>> : false;

/** Mutual assignability (not distributed over unions). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
