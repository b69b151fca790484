import type * as pulumi from "@pulumi/pulumi";

/**
 * A compile-time check that a resource's documented Args and its handler's schema describe the
 * same inputs: the Args with every `pulumi.Input` unwrapped (`pulumi.Unwrap`) and the schema's
 * input type (`z.input<typeof schema>`) must name the same fields and each be assignable to the
 * other. A field added to one and not the other, or typed differently, fails the build where the
 * check is written:
 *
 * ```ts
 * export type CustomerUserArgsMatch = ArgsMatch<CustomerUserArgs, z.input<typeof customerUserSchema>>;
 * ```
 *
 * Nothing of it exists at run time.
 */
export type ArgsMatch<Args, SchemaInput> =
  Agree<pulumi.Unwrap<Args>, SchemaInput> extends true
    ? true
    : { argsAndSchemaDisagree: [Args: pulumi.Unwrap<Args>, Schema: SchemaInput] };

type Agree<A, B> = Same<keyof A, keyof B> extends true ? Same<A, B> : false;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Accepts only `true`: `AssertArgsMatch<ArgsMatch<…>>` fails to compile when they disagree. */
export type AssertArgsMatch<T extends true> = T;
