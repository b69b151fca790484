import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { roleAssignmentSchema } from "../handlers/rbac/roleAssignment";
import type { ArgsMatch, AssertArgsMatch } from "./argsMatch";
import { CspResource } from "./cspResource";

/** The inputs of a {@link RoleAssignment}. */
export interface RoleAssignmentArgs {
  /** Customer tenant owning the subscription (the admin agent acts on behalf of the partner there). */
  tenantId: pulumi.Input<string>;
  /** `/subscriptions/{id}` or a scope below it. */
  scope: pulumi.Input<string>;
  /** Role name, e.g. `Contributor` (exactly one of `roleName` / `roleDefinitionId`). */
  roleName?: pulumi.Input<string>;
  /** Role definition GUID or full id (exactly one of `roleName` / `roleDefinitionId`). */
  roleDefinitionId?: pulumi.Input<string>;
  /** Object id of the user, group or service principal. */
  principalId: pulumi.Input<string>;
  /**
   * Required and always sent: `User`, `Group`, `ServicePrincipal` or `ForeignGroup`. With it ARM
   * does not look the principal up, so assigning a principal created moments ago works.
   */
  principalType: pulumi.Input<"User" | "Group" | "ServicePrincipal" | "ForeignGroup">;
  description?: pulumi.Input<string>;
  /** Named partner account; the default account when omitted. */
  account?: pulumi.Input<string>;
}

/** Compiles only while RoleAssignmentArgs and the handler's schema describe the same inputs. */
export type RoleAssignmentArgsMatch = AssertArgsMatch<
  ArgsMatch<RoleAssignmentArgs, z.input<typeof roleAssignmentSchema>>
>;

/**
 * An Azure RBAC role assignment in a customer subscription, made by the partner's admin agent
 * (admin-on-behalf-of). Its name is derived from scope, role and principal, so retries never
 * duplicate it; an identical assignment that already exists is adopted.
 */
export class RoleAssignment extends CspResource {
  declare public readonly assignmentName: pulumi.Output<string>;
  declare public readonly roleDefinitionGuid: pulumi.Output<string>;
  declare public readonly roleDefinitionResourceId: pulumi.Output<string>;
  /** Whether an existing identical assignment was adopted. */
  declare public readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: RoleAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "RoleAssignment",
      name,
      {
        ...args,
        assignmentName: undefined,
        roleDefinitionGuid: undefined,
        roleDefinitionResourceId: undefined,
        adopted: undefined,
      },
      opts,
    );
  }
}
