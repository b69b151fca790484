import type { Provider as AzureNativeProvider } from "@pulumi/azure-native/provider";
import type { Provider as AzureAdProvider } from "@pulumi/azuread/provider";
import type * as pulumi from "@pulumi/pulumi";
import { optionalPeer } from "./optionalPeer";
import type { PartnerAppCredentials } from "./partnerAppCredentials";

/**
 * Native providers that act in a customer tenant as the partner's multi-tenant app (client id and
 * secret), with every other credential source of the providers turned off so nothing on the
 * machine running the program is used instead. `usedBy` names the call in the error raised when
 * the optional peer package is not installed.
 */

/** An `@pulumi/azuread` provider for the tenant. */
export function azureadProviderAsPartnerApp(
  name: string,
  usedBy: string,
  tenantId: pulumi.Input<string>,
  creds: PartnerAppCredentials,
  opts: pulumi.CustomResourceOptions,
): AzureAdProvider {
  const { Provider } = optionalPeer<typeof import("@pulumi/azuread/provider")>(
    "@pulumi/azuread/provider",
    usedBy,
  );
  return new Provider(
    name,
    {
      tenantId,
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      ...(creds.environment ? { environment: creds.environment } : {}),
      useCli: false,
      useMsi: false,
      useOidc: false,
    },
    opts,
  );
}

/** An `@pulumi/azure-native` provider for one Azure subscription of the tenant. */
export function azureNativeProviderAsPartnerApp(
  name: string,
  usedBy: string,
  tenantId: pulumi.Input<string>,
  subscriptionId: pulumi.Input<string>,
  creds: PartnerAppCredentials,
  opts: pulumi.CustomResourceOptions,
): AzureNativeProvider {
  const { Provider } = optionalPeer<typeof import("@pulumi/azure-native/provider")>(
    "@pulumi/azure-native/provider",
    usedBy,
  );
  return new Provider(
    name,
    {
      tenantId,
      subscriptionId,
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      ...(creds.environment ? { environment: creds.environment } : {}),
      useMsi: false,
      useOidc: false,
    },
    opts,
  );
}
