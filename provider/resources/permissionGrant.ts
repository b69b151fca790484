import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { permissionGrantSchema } from "../handlers/directory/permissionGrant";
import type { ArgsMatch, AssertArgsMatch } from "./argsMatch";
import { CspResource } from "./cspResource";

/** The inputs of a {@link PermissionGrant}. */
export interface PermissionGrantArgs {
  /** Tenant of the grant (a customer tenant where the partner app is consented). */
  tenantId: pulumi.Input<string>;
  /** App id of the client application (its service principal must exist in the tenant). */
  clientAppId: pulumi.Input<string>;
  /** App id of the resource, e.g. Microsoft Graph `00000003-0000-0000-c000-000000000000`. */
  resourceAppId: pulumi.Input<string>;
  /** Delegated permissions granted for all users (admin consent), e.g. `["User.Read"]`. */
  delegatedScopes?: pulumi.Input<pulumi.Input<string>[]>;
  /** Application permissions by name, e.g. `["User.Read.All"]`. */
  appRoles?: pulumi.Input<pulumi.Input<string>[]>;
  /** Named partner account; the default account when omitted. */
  account?: pulumi.Input<string>;
}

/** Compiles only while PermissionGrantArgs and the handler's schema describe the same inputs. */
export type PermissionGrantArgsMatch = AssertArgsMatch<
  ArgsMatch<PermissionGrantArgs, z.input<typeof permissionGrantSchema>>
>;

/**
 * Admin consent inside a tenant through Graph: the tenant-wide delegated grant and the app role
 * assignments of a client application on a resource, reconciled as sets (this resource owns
 * every delegated scope and app role of that client on that resource).
 */
export class PermissionGrant extends CspResource {
  declare public readonly delegatedScopes: pulumi.Output<string[]>;
  declare public readonly appRoles: pulumi.Output<string[]>;
  declare public readonly clientServicePrincipalId: pulumi.Output<string>;
  declare public readonly resourceServicePrincipalId: pulumi.Output<string>;
  declare public readonly delegatedGrantId: pulumi.Output<string | undefined>;
  declare public readonly appRoleIds: pulumi.Output<string[]>;

  constructor(name: string, args: PermissionGrantArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "PermissionGrant",
      name,
      {
        ...args,
        delegatedScopes: args.delegatedScopes,
        appRoles: args.appRoles,
        clientServicePrincipalId: undefined,
        resourceServicePrincipalId: undefined,
        delegatedGrantId: undefined,
        appRoleIds: undefined,
      },
      opts,
    );
  }
}
