import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { applicationConsentSchema } from "../handlers/directory/applicationConsent";
import type { ArgsMatch, AssertArgsMatch } from "./argsMatch";
import { CspResource } from "./cspResource";

/** Permissions consented on one resource application. */
export interface ConsentGrantArgs {
  /** App id of the resource, e.g. Microsoft Graph `00000003-0000-0000-c000-000000000000`. */
  enterpriseApplicationId: pulumi.Input<string>;
  /** Permission names, e.g. `["Application.ReadWrite.All", "Directory.Read.All"]`. */
  scopes: pulumi.Input<pulumi.Input<string>[]>;
}

/** The inputs of an {@link ApplicationConsent}. */
export interface ApplicationConsentArgs {
  /** The customer (tenant) id. */
  customerId: pulumi.Input<string>;
  /** App id of the partner's multi-tenant application; default: the partner app of the account. */
  applicationId?: pulumi.Input<string>;
  displayName: pulumi.Input<string>;
  grants: pulumi.Input<pulumi.Input<ConsentGrantArgs>[]>;
  /** Named partner account; the default account when omitted. */
  account?: pulumi.Input<string>;
}

/** Compiles only while ApplicationConsentArgs and the handler's schema describe the same inputs. */
export type ApplicationConsentArgsMatch = AssertArgsMatch<
  ArgsMatch<ApplicationConsentArgs, z.input<typeof applicationConsentSchema>>
>;

/**
 * Partner Center application consent: consents a partner application in a customer tenant (the
 * Secure Application Model way). Consenting the partner app itself with Microsoft Graph
 * application permissions is what lets ApplicationRegistration and PermissionGrant act in that
 * tenant (pass `customerId` of this resource as their `tenantId` so they depend on it). Grant
 * changes replace the consent (delete, then consent again): Microsoft does not amend consents.
 */
export class ApplicationConsent extends CspResource {
  declare public readonly customerId: pulumi.Output<string>;
  declare public readonly applicationId: pulumi.Output<string>;
  declare public readonly grants: pulumi.Output<{ enterpriseApplicationId: string; scopes: string[] }[]>;

  constructor(name: string, args: ApplicationConsentArgs, opts?: pulumi.CustomResourceOptions) {
    // One consent per (customer, application): a replacement deletes the old one first (the
    // handler's diff says so too), unless the program sets the option itself.
    super(
      "ApplicationConsent",
      name,
      { ...args, applicationId: args.applicationId },
      { deleteBeforeReplace: true, ...opts },
    );
  }
}
