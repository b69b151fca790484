import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { gdapRelationshipSchema } from "../handlers/gdap/gdapRelationship";
import type { ArgsMatch, AssertArgsMatch } from "./argsMatch";
import { CspResource } from "./cspResource";

/** The inputs of a {@link GdapRelationship}. */
export interface GdapRelationshipArgs {
  /** At most 50 characters, unique among the partner's relationships. */
  displayName: pulumi.Input<string>;
  customerTenantId: pulumi.Input<string>;
  /** Informational customer name shown in the relationship. */
  customerDisplayName?: pulumi.Input<string>;
  /** ISO 8601 duration from `P1D` to `P2Y` (e.g. `P730D`). */
  duration: pulumi.Input<string>;
  /** Directory roles by name or template id. */
  roles: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * `PT0S` (default), `P0D` or `P180D`. Must stay `PT0S`/`P0D` when `roles` include Global
   * Administrator (Microsoft does not auto-extend such relationships; check fails otherwise).
   */
  autoExtendDuration?: pulumi.Input<string>;
  /** Named partner account; the default account when omitted. */
  account?: pulumi.Input<string>;
}

/** The Args and the handler's input schema agree (compile-time). */
export type GdapRelationshipArgsMatch = AssertArgsMatch<
  ArgsMatch<GdapRelationshipArgs, z.input<typeof gdapRelationshipSchema>>
>;

/**
 * A GDAP relationship with a customer. Create locks it for approval; the customer's Global
 * Administrator approves it at `approvalLink`. `status` follows the lifecycle on refresh. Changing
 * anything but `autoExtendDuration` replaces it (the customer approves a fixed set of roles).
 */
export class GdapRelationship extends CspResource {
  declare public readonly relationshipId: pulumi.Output<string>;
  declare public readonly status: pulumi.Output<string>;
  /** Where the customer approves the relationship. */
  declare public readonly approvalLink: pulumi.Output<string>;
  declare public readonly roleIds: pulumi.Output<string[]>;
  declare public readonly activatedDateTime: pulumi.Output<string | undefined>;
  declare public readonly endDateTime: pulumi.Output<string | undefined>;

  constructor(name: string, args: GdapRelationshipArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "GdapRelationship",
      name,
      {
        ...args,
        relationshipId: undefined,
        status: undefined,
        approvalLink: undefined,
        roleIds: undefined,
        createdDateTime: undefined,
        activatedDateTime: undefined,
        endDateTime: undefined,
      },
      opts,
    );
  }
}
