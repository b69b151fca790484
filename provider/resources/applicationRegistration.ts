import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { applicationRegistrationSchema } from "../handlers/directory/applicationRegistration";
import type { ArgsMatch, AssertArgsMatch } from "./argsMatch";
import { CspResource } from "./cspResource";

/** A permission the application requests on a resource (Graph `requiredResourceAccess`). */
export interface RequiredResourceAccessArgs {
  /** App id of the resource, e.g. Microsoft Graph `00000003-0000-0000-c000-000000000000`. */
  resourceAppId: pulumi.Input<string>;
  /** Permission ids with `type` `Scope` (delegated) or `Role` (application). */
  resourceAccess: pulumi.Input<
    pulumi.Input<{ id: pulumi.Input<string>; type: pulumi.Input<"Scope" | "Role"> }>[]
  >;
}

/** A client secret of the application. */
export interface PasswordCredentialArgs {
  /** Name shown next to the secret (default `pulumi-csp`). */
  displayName?: pulumi.Input<string>;
  /** Any text; changing it rotates the secret (new secret added, old one removed). */
  rotationKey?: pulumi.Input<string>;
}

/** The inputs of an {@link ApplicationRegistration}. */
export interface ApplicationRegistrationArgs {
  /**
   * Customer tenant holding the application; the partner tenant when omitted. In a customer
   * tenant the partner app acts app-only, so it must be consented there first (ApplicationConsent
   * with Microsoft Graph `Application.ReadWrite.All`; make this resource depend on it). Changing
   * it replaces the application.
   */
  tenantId?: pulumi.Input<string>;
  /** Display name; keep it unique among the pulumi-csp applications of the tenant (it identifies the application on retries). */
  displayName: pulumi.Input<string>;
  /** `AzureADMyOrg` (default), `AzureADMultipleOrgs`, `AzureADandPersonalMicrosoftAccount` or `PersonalMicrosoftAccount`. */
  signInAudience?: pulumi.Input<
    "AzureADMyOrg" | "AzureADMultipleOrgs" | "AzureADandPersonalMicrosoftAccount" | "PersonalMicrosoftAccount"
  >;
  requiredResourceAccess?: pulumi.Input<pulumi.Input<RequiredResourceAccessArgs>[]>;
  /** Web redirect URIs (https, or http for localhost). */
  redirectUris?: pulumi.Input<pulumi.Input<string>[]>;
  /** Identifier URIs, e.g. `api://contoso-app`. */
  identifierUris?: pulumi.Input<pulumi.Input<string>[]>;
  /** Adds a client secret, returned as the secret output `clientSecret`. */
  passwordCredential?: pulumi.Input<PasswordCredentialArgs>;
  /** Named partner account; the default account when omitted. */
  account?: pulumi.Input<string>;
}

/** Compiles only while ApplicationRegistrationArgs and the handler's schema describe the same inputs. */
export type ApplicationRegistrationArgsMatch = AssertArgsMatch<
  ArgsMatch<ApplicationRegistrationArgs, z.input<typeof applicationRegistrationSchema>>
>;

/**
 * A Microsoft Graph application registration with its service principal, in a customer tenant or
 * the partner tenant. A lost response on create never leaves two applications: create is one
 * upsert under a deterministic `uniqueName` (Graph's alternate key), which a retry repeats. The key
 * comes from the display name the application is created with: keep names unique per tenant,
 * names an application had before a rename included.
 */
export class ApplicationRegistration extends CspResource {
  /** Application (client) id. */
  declare public readonly appId: pulumi.Output<string>;
  /** Object id of the application (also the resource id). */
  declare public readonly objectId: pulumi.Output<string>;
  declare public readonly servicePrincipalId: pulumi.Output<string>;
  /** Tenant holding the application. */
  declare public readonly tenantId: pulumi.Output<string>;
  declare public readonly displayName: pulumi.Output<string>;
  /** The client secret (secret), with `passwordCredential`. */
  declare public readonly clientSecret: pulumi.Output<string | undefined>;
  declare public readonly clientSecretKeyId: pulumi.Output<string | undefined>;
  declare public readonly clientSecretEndDateTime: pulumi.Output<string | undefined>;

  constructor(name: string, args: ApplicationRegistrationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "ApplicationRegistration",
      name,
      {
        ...args,
        appId: undefined,
        objectId: undefined,
        servicePrincipalId: undefined,
        tenantId: args.tenantId,
        marker: undefined,
        clientSecret: undefined,
        clientSecretKeyId: undefined,
        clientSecretHint: undefined,
        clientSecretEndDateTime: undefined,
      },
      opts,
      ["clientSecret"],
    );
  }
}
