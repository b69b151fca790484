import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { gdapAccessAssignmentSchema } from "../handlers/gdap/gdapAccessAssignment";
import type { ArgsMatch, AssertArgsMatch } from "./argsMatch";
import { CspResource } from "./cspResource";

/** The inputs of a {@link GdapAccessAssignment}. */
export interface GdapAccessAssignmentArgs {
  /** `GdapRelationship.relationshipId`. */
  relationshipId: pulumi.Input<string>;
  /** Security group in the partner tenant whose members get the roles. */
  securityGroupId: pulumi.Input<string>;
  /** Roles by name or template id; a subset of the relationship's roles. */
  roles: pulumi.Input<pulumi.Input<string>[]>;
  /** Named partner account; the default account when omitted. */
  account?: pulumi.Input<string>;
}

/** The Args and the handler's input schema agree (compile-time). */
export type GdapAccessAssignmentArgsMatch = AssertArgsMatch<
  ArgsMatch<GdapAccessAssignmentArgs, z.input<typeof gdapAccessAssignmentSchema>>
>;

/**
 * Gives a partner security group roles of an active GDAP relationship. A preview warns on its row
 * when the relationship is new or not approved yet; creating it before the customer approved the
 * relationship fails with a message naming the approval link (resources that depend on it wait):
 * run `pulumi up` again after the approval.
 */
export class GdapAccessAssignment extends CspResource {
  declare public readonly accessAssignmentId: pulumi.Output<string>;
  /** `pending`, `active`, ... */
  declare public readonly status: pulumi.Output<string>;
  declare public readonly roleIds: pulumi.Output<string[]>;

  constructor(name: string, args: GdapAccessAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "GdapAccessAssignment",
      name,
      {
        ...args,
        accessAssignmentId: undefined,
        status: undefined,
        roleIds: undefined,
        awaitsApproval: undefined,
      },
      opts,
    );
    this.warnOnPendingApproval();
  }
}
