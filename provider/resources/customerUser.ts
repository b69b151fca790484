import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { customerUserSchema } from "../handlers/directory/customerUser";
import type { ArgsMatch, AssertArgsMatch } from "./argsMatch";
import { CspResource } from "./cspResource";

/** The inputs of a {@link CustomerUser}. */
export interface CustomerUserArgs {
  /** The customer (tenant) id. */
  customerId: pulumi.Input<string>;
  /**
   * `name@domain`; the domain must be one of the customer's domains (checked when the customer id
   * is known). Changing it replaces the user.
   */
  userPrincipalName: pulumi.Input<string>;
  firstName?: pulumi.Input<string>;
  lastName?: pulumi.Input<string>;
  displayName: pulumi.Input<string>;
  /** Two-letter ISO 3166-1 country code (licensing needs it), e.g. `US`. */
  usageLocation: pulumi.Input<string>;
  /**
   * Initial password (secret). When omitted a strong password is generated once and returned in
   * the secret output `password`. Removing it later keeps the current password; changing it
   * resets the password.
   */
  password?: pulumi.Input<string>;
  /** Whether the user must change the password at the next sign-in (default `true`). */
  forceChangePassword?: pulumi.Input<boolean>;
  /**
   * Directory roles, by name ("Helpdesk Administrator", "User Administrator", ...) or template
   * id, reconciled as a set (roles not listed are removed).
   */
  roles?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Licenses, by SKU name ("Microsoft 365 Business Premium"), part number (`SPB`) or SKU id,
   * reconciled as a set (licenses not listed are removed; without this input the user's licenses
   * are left alone). Each license the user does not hold yet needs a free seat, verified before any
   * change; pass a LicenseSubscription output (e.g. `offerName`) or use `dependsOn` so the seats are
   * bought first. Needs `usageLocation`.
   */
  licenses?: pulumi.Input<pulumi.Input<string>[]>;
  /** Named partner account; the default account when omitted. */
  account?: pulumi.Input<string>;
}

/** Compiles only while CustomerUserArgs and the handler's schema describe the same inputs. */
export type CustomerUserArgsMatch = AssertArgsMatch<
  ArgsMatch<CustomerUserArgs, z.input<typeof customerUserSchema>>
>;

/**
 * A user in a customer tenant, managed through Partner Center by the partner's admin agent
 * (app+user). Declaring a user whose UPN belongs to a soft-deleted user restores it; an existing
 * active user with the UPN is adopted and set to the declared values. Deleting the resource
 * soft-deletes the user: Partner Center keeps it restorable for 30 days.
 */
export class CustomerUser extends CspResource {
  /** Object id of the user in the customer tenant (also the resource id). */
  declare public readonly userId: pulumi.Output<string>;
  declare public readonly userPrincipalName: pulumi.Output<string>;
  declare public readonly displayName: pulumi.Output<string>;
  /** The current password, declared or generated (secret). */
  declare public readonly password: pulumi.Output<string>;
  /** Role names as declared. */
  declare public readonly roles: pulumi.Output<string[]>;
  /** Role template ids the user holds. */
  declare public readonly roleIds: pulumi.Output<string[]>;
  /** Licenses as declared (when declared). */
  declare public readonly licenses: pulumi.Output<string[] | undefined>;
  /** SKU ids of the licenses the user holds (when `licenses` is declared). */
  declare public readonly licenseSkuIds: pulumi.Output<string[] | undefined>;
  /** Partner Center user state (`active`). */
  declare public readonly state: pulumi.Output<string>;

  constructor(name: string, args: CustomerUserArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "CustomerUser",
      name,
      {
        ...args,
        userId: undefined,
        password: args.password,
        roles: args.roles,
        roleIds: undefined,
        licenses: args.licenses,
        licenseSkuIds: undefined,
        state: undefined,
      },
      opts,
      ["password"],
    );
  }
}
