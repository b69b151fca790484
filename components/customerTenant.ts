import type { Provider as AzureNativeProvider } from "@pulumi/azure-native/provider";
import type { Provider as AzureAdProvider } from "@pulumi/azuread/provider";
import * as pulumi from "@pulumi/pulumi";
import type {
  ApplicationConsent,
  ApplicationRegistration,
  AzurePlan,
  AzureSubscription,
  Customer,
  CustomerAgreement,
  CustomerUser,
  GdapAccessAssignment,
  GdapRelationship,
  LicenseSubscription,
  PermissionGrant,
  RoleAssignment,
} from "../provider/resources";
import { type CustomerSpec, PLAN_SUBSCRIPTION_KEY, validateCustomerSpec } from "./customerSpec";
import {
  createApplications,
  createCommerce,
  createCustomer,
  createGdap,
  createRoleAssignments,
  createUsers,
  type SubscriptionTarget,
} from "./customerTenantSteps";
import { missingAccessWarning } from "./gdapAccess";
import { type CredentialSources, partnerAppCredentials } from "./partnerAppCredentials";
import { azureadProviderAsPartnerApp, azureNativeProviderAsPartnerApp } from "./partnerAppProviders";

/** The args of {@link CustomerTenant}: exactly one customer spec (see `customerSpec.ts`). */
export type CustomerTenantArgs = CustomerSpec;

/** Options of {@link CustomerTenant}. */
export interface CustomerTenantOptions extends pulumi.ComponentResourceOptions {
  /**
   * `retainOnDelete` (unlike `protect`) is not inherited by Pulumi children; CustomerTenant passes
   * it on to every child, so removing a customer marked this way deletes nothing in Microsoft's
   * services (it only leaves the stack).
   */
  retainOnDelete?: boolean;
  /**
   * Where the native providers' credentials are read from (default: this program's environment
   * and stack config). For tests and unusual setups.
   */
  credentialSources?: CredentialSources;
}

/** GDAP state a pipeline reports: where the customer approves, and whether it did. */
export interface CustomerTenantGdap {
  relationshipId: string;
  status: string;
  approvalLink: string;
}

/**
 * One whole CSP customer from one {@link CustomerSpec}: the Partner Center customer and its
 * Microsoft Customer Agreement, optionally the Azure plan with extra Azure subscriptions, users
 * with directory roles, the partner app's consent, application registrations with permission
 * grants, RBAC role assignments per subscription (including the partner's admin agents, see
 * `partnerAccess`), and a GDAP relationship with access assignments.
 *
 * Child names derive from the spec's `key` and the items' keys (`<key>-customer`,
 * `<key>-agreement`, `<key>-plan`, `<key>-sub-<subKey>`, `<key>-license-<licenseKey>`, `<key>-user-<userKey>`,
 * `<key>-consent`, `<key>-app-<appKey>`, `<key>-grant-<appKey>-<resource>`,
 * `<key>-rbac-<subKey>-<role>-<principal>`, `<key>-gdap`, `<key>-gdap-access-<groupId>`), never
 * from display names: renaming a subscription or a user is an update, not a replacement.
 *
 * Order (explicit `dependsOn` besides the data dependencies): agreement before the Azure plan and
 * the license subscriptions, plan before the extra subscriptions, license subscriptions before the
 * users with licenses, the GDAP relationship before its access assignments, the access assignments
 * giving the admin agent the roles Partner Center needs before the users and the consent
 * (gdapAccess.ts), the consent before any Graph object in the customer tenant, a subscription (and
 * the principal) before its role assignments.
 *
 * A new GDAP relationship waits for the customer's approval: the first `pulumi up` stops at its
 * access assignments with the approval link (their preview rows say so), and what depends on them
 * waits; the `pulumi up` after the approval creates them.
 *
 * For native resources next to it, {@link azureadProvider} and {@link azureNativeProvider} hand
 * out providers authenticated as the partner app in the customer tenant, created on first use.
 */
export class CustomerTenant extends pulumi.ComponentResource {
  /** The spec's key. */
  readonly key: string;
  /** The named partner account, or `default`. */
  readonly account: string;

  readonly customer: Customer;
  readonly agreement: CustomerAgreement;
  readonly azurePlan?: AzurePlan;
  /** Extra Azure subscriptions by key. */
  readonly subscriptions: Readonly<Record<string, AzureSubscription>>;
  /** License subscriptions (seats) by key. */
  readonly licenseSubscriptions: Readonly<Record<string, LicenseSubscription>>;
  /** Users by key. */
  readonly users: Readonly<Record<string, CustomerUser>>;
  readonly partnerAppConsent?: ApplicationConsent;
  /** Application registrations by key. */
  readonly applications: Readonly<Record<string, ApplicationRegistration>>;
  /** Permission grants by resource name. */
  readonly permissionGrants: Readonly<Record<string, PermissionGrant>>;
  /** RBAC role assignments by resource name. */
  readonly roleAssignments: Readonly<Record<string, RoleAssignment>>;
  readonly gdapRelationship?: GdapRelationship;
  /** GDAP access assignments by security group id. */
  readonly gdapAccessAssignments: Readonly<Record<string, GdapAccessAssignment>>;

  /** Customer id = the customer's tenant id. */
  readonly customerId: pulumi.Output<string>;
  /** Initial domain, e.g. `contoso.onmicrosoft.com`. */
  readonly domain: pulumi.Output<string>;
  /** The initial Global Administrator (`admin@<domain>`); absent for adopted customers. */
  readonly adminUserName: pulumi.Output<string | undefined>;
  /** What removing the customer from the program does (see the Customer resource). */
  readonly deletionBehavior: pulumi.Output<string>;
  /** Azure subscription ids by key; the Azure plan's own subscription under `plan`. */
  readonly subscriptionIds: pulumi.Output<Record<string, string>>;
  /** User principal names by user key. */
  readonly userPrincipalNames: pulumi.Output<Record<string, string>>;
  /** Application (client) ids by application key. */
  readonly applicationIds: pulumi.Output<Record<string, string>>;
  /** Client secrets by application key (secret), for applications with `clientSecret`. */
  readonly applicationClientSecrets: pulumi.Output<Record<string, string>>;
  /** GDAP relationship id, status and approval link; undefined without `gdap`. */
  readonly gdap: pulumi.Output<CustomerTenantGdap | undefined>;

  private readonly credentialSources: CredentialSources | undefined;
  private readonly subscriptionTargets: ReadonlyMap<string, SubscriptionTarget>;
  private azureadCache?: AzureAdProvider;
  private readonly azureNativeCache = new Map<string, AzureNativeProvider>();

  constructor(name: string, args: CustomerTenantArgs, opts: CustomerTenantOptions = {}) {
    const { credentialSources, ...componentOpts } = opts;
    super("csp:index:CustomerTenant", name, {}, componentOpts);
    const label = `CustomerTenant ${name}`;
    const spec = validateCustomerSpec(args, label);
    this.credentialSources = credentialSources;
    this.key = spec.key;
    this.account = spec.account ?? "default";
    const account = spec.account === undefined ? {} : { account: spec.account };
    // Pulumi passes `protect` on to children but not `retainOnDelete`: pass it on explicitly, so
    // `retainOnDelete` on the component lets a customer leave the program without any delete.
    const retain = componentOpts.retainOnDelete === true ? { retainOnDelete: true } : {};
    const child = (dependsOn: pulumi.Resource[]): pulumi.CustomResourceOptions => ({
      parent: this,
      dependsOn,
      ...retain,
    });

    const { scope: s, agreement } = createCustomer(
      { label, spec, account, child },
      { parent: this, ...retain },
    );
    this.customer = s.customer;
    this.agreement = agreement;
    const commerce = createCommerce(s, agreement);
    this.azurePlan = commerce.azurePlan;
    this.subscriptions = commerce.subscriptions;
    this.subscriptionTargets = commerce.targets;
    this.licenseSubscriptions = commerce.licenseSubscriptions;
    // Users, their directory roles and the consent wait for the access assignments that give the
    // admin agent the roles Partner Center needs (gdapAccess.ts).
    const gdap = createGdap(s);
    this.gdapRelationship = gdap.relationship;
    this.gdapAccessAssignments = gdap.accessAssignments;
    const users = createUsers(s, gdap.afterGdapAccess, this.licenseSubscriptions);
    this.users = users;
    const { consent, applications, permissionGrants } = createApplications(s, gdap.afterGdapAccess);
    this.partnerAppConsent = consent;
    this.applications = applications;
    this.permissionGrants = permissionGrants;
    if (gdap.missing.size > 0) void pulumi.log.warn(missingAccessWarning(label, [...gdap.missing]), this);
    this.roleAssignments = createRoleAssignments(s, this.subscriptionTargets, users, applications);

    // Outputs.
    this.customerId = s.customerId;
    this.domain = this.customer.domain;
    this.adminUserName = this.customer.adminUserName;
    this.deletionBehavior = this.customer.deletionBehavior;
    this.subscriptionIds = pulumi.output(
      Object.fromEntries([...this.subscriptionTargets].map(([k, t]) => [k, t.id])),
    ) as pulumi.Output<Record<string, string>>;
    this.userPrincipalNames = pulumi.output(
      Object.fromEntries(Object.entries(users).map(([k, u]) => [k, u.userPrincipalName])),
    ) as pulumi.Output<Record<string, string>>;
    this.applicationIds = pulumi.output(
      Object.fromEntries(Object.entries(applications).map(([k, a]) => [k, a.appId])),
    ) as pulumi.Output<Record<string, string>>;
    const secrets = (spec.applications ?? []).filter((a) => a.clientSecret && applications[a.key]);
    this.applicationClientSecrets = pulumi.secret(
      pulumi.output(
        Object.fromEntries(secrets.map((a) => [a.key, applications[a.key]!.clientSecret])),
      ) as pulumi.Output<Record<string, string>>,
    );
    const rel = this.gdapRelationship;
    this.gdap = rel
      ? (pulumi.output({
          relationshipId: rel.id,
          status: rel.status,
          approvalLink: rel.approvalLink,
        }) as pulumi.Output<CustomerTenantGdap>)
      : pulumi.output(undefined);

    this.registerOutputs({
      customerId: this.customerId,
      domain: this.domain,
      adminUserName: this.adminUserName,
      deletionBehavior: this.deletionBehavior,
      subscriptionIds: this.subscriptionIds,
      userPrincipalNames: this.userPrincipalNames,
      applicationIds: this.applicationIds,
      applicationClientSecrets: this.applicationClientSecrets,
      gdap: this.gdap,
    });
  }

  /**
   * An `@pulumi/azuread` provider for the customer tenant, authenticated as the partner app
   * (client id + secret from the pulumi-csp configuration of the spec's account) through its
   * consent. Created on the first call, then reused. The consent's grants decide what it may do
   * (the default allows application registrations and reads; add e.g. `Group.ReadWrite.All` to
   * `partnerAppConsent.grants` to manage groups).
   */
  azureadProvider(): AzureAdProvider {
    if (this.azureadCache) return this.azureadCache;
    if (!this.partnerAppConsent) {
      throw new Error(
        `CustomerTenant ${this.key}: azureadProvider() needs partnerAppConsent in the spec: the partner app acts in the customer tenant only after it was consented there`,
      );
    }
    this.azureadCache = azureadProviderAsPartnerApp(
      `${this.key}-azuread`,
      `CustomerTenant ${this.key}: azureadProvider()`,
      this.customerId,
      partnerAppCredentials(this.account, this.credentialSources),
      { parent: this, dependsOn: [this.partnerAppConsent] },
    );
    return this.azureadCache;
  }

  /**
   * An `@pulumi/azure-native` provider for one of the customer's Azure subscriptions (`plan`
   * for the Azure plan's own subscription, or a key of `subscriptions`), authenticated as the
   * partner app in the customer tenant. Created on the first call per key, then reused. The
   * partner app needs an Azure role on that subscription (a `roleAssignments` entry for its
   * service principal); admin-on-behalf-of applies to the partner's users, not to its app.
   */
  azureNativeProvider(subscriptionKey: string = PLAN_SUBSCRIPTION_KEY): AzureNativeProvider {
    const cached = this.azureNativeCache.get(subscriptionKey);
    if (cached) return cached;
    const target = this.subscriptionTargets.get(subscriptionKey);
    if (!target) {
      const known = [...this.subscriptionTargets.keys()];
      throw new Error(
        `CustomerTenant ${this.key}: no Azure subscription "${subscriptionKey}" (${known.length ? `declared: ${known.join(", ")}` : "the spec declares no azurePlan"})`,
      );
    }
    const provider = azureNativeProviderAsPartnerApp(
      `${this.key}-azure-${subscriptionKey}`,
      `CustomerTenant ${this.key}: azureNativeProvider()`,
      this.customerId,
      target.id,
      partnerAppCredentials(this.account, this.credentialSources),
      { parent: this, dependsOn: [target.resource] },
    );
    this.azureNativeCache.set(subscriptionKey, provider);
    return provider;
  }
}
