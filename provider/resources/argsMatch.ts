import type * as pulumi from "@pulumi/pulumi";

/**
 * A compile-time check that a resource's documented Args and its handler's schema describe the
 * same inputs: the Args with every `pulumi.Input` unwrapped (`pulumi.Unwrap`) and the schema's
 * input type (`z.input<typeof schema>`) must accept the same values and name the same fields at
 * every level of nesting. A field added, removed or retyped on one side only fails the build where
 * the check is written:
 *
 * ```ts
 * export type CustomerUserArgsMatch = AssertArgsMatch<
 *   ArgsMatch<CustomerUserArgs, z.input<typeof customerUserSchema>>
 * >;
 * ```
 *
 * Nothing of it exists at run time.
 */
export type ArgsMatch<Args, SchemaInput> =
  Mirror<pulumi.Unwrap<Args>, SchemaInput> extends true
    ? true
    : { argsAndSchemaDisagree: [Args: pulumi.Unwrap<Args>, Schema: SchemaInput] };

/** Accepts only `true`: `AssertArgsMatch<ArgsMatch<…>>` fails to compile when they disagree. */
export type AssertArgsMatch<T extends true> = T;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Each side accepts the other's values, and every object names the same fields. */
type Mirror<A, B> = Same<A, B> extends true ? SameFields<A, B> : false;

type SameFields<A, B> = A extends readonly unknown[]
  ? true
  : A extends object
    ? B extends object
      ? Same<keyof A, keyof B> extends true
        ? {
            [K in keyof A]-?: K extends keyof B ? SameFields<NonNullable<A[K]>, NonNullable<B[K]>> : false;
          }[keyof A]
        : false
      : false
    : true;
