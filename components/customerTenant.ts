import type { Provider as AzureNativeProvider } from "@pulumi/azure-native/provider";
import type { Provider as AzureAdProvider } from "@pulumi/azuread/provider";
import * as pulumi from "@pulumi/pulumi";
import {
  ApplicationConsent,
  ApplicationRegistration,
  AzurePlan,
  AzureSubscription,
  Customer,
  CustomerAgreement,
  CustomerUser,
  type GdapAccessAssignment,
  type GdapRelationship,
  type LicenseSubscription,
  PermissionGrant,
  RoleAssignment,
} from "../provider/resources";
import { compact, principalOf, resourceSlug, roleInput, slug } from "./childInputs";
import {
  type CustomerSpec,
  type CustomerSpecRoleAssignment,
  DEFAULT_PARTNER_APP_GRAPH_SCOPES,
  GRAPH_APP_ID,
  PLAN_SUBSCRIPTION_KEY,
  validateCustomerSpec,
} from "./customerSpec";
import {
  CONSENT_NEED,
  DIRECTORY_ROLE_NEED,
  type GdapNeed,
  gdapChildren,
  gdapDependencies,
  missingAccessWarning,
  USER_NEED,
} from "./gdapAccess";
import { licenseSubscriptionsOf } from "./licenseChildren";
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

/** Default display name of the partner app's consent. */
const DEFAULT_CONSENT_NAME = "pulumi-csp partner app";

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
  private readonly subscriptionTargets = new Map<
    string,
    { id: pulumi.Output<string>; resource: pulumi.Resource }
  >();
  private azureadCache?: AzureAdProvider;
  private readonly azureNativeCache = new Map<string, AzureNativeProvider>();

  constructor(name: string, args: CustomerTenantArgs, opts: CustomerTenantOptions = {}) {
    const { credentialSources, ...componentOpts } = opts;
    super("csp:index:CustomerTenant", name, {}, componentOpts);
    const spec = validateCustomerSpec(args, `CustomerTenant ${name}`);
    this.credentialSources = credentialSources;
    const key = spec.key;
    this.key = key;
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

    // Customer and agreement.
    const c = spec.customer;
    this.customer = new Customer(
      `${key}-customer`,
      compact({
        domainPrefix: c.domainPrefix,
        companyName: c.companyName,
        billingProfile: c.billingProfile,
        organizationRegistrationNumber: c.organizationRegistrationNumber,
        associatedPartnerId: c.associatedPartnerId,
        adopt: c.adopt,
        onDelete: c.onDelete,
        enableGdapByDefault: c.enableGdapByDefault,
        ...account,
      }),
      { parent: this, ...retain },
    );
    // Identifiers are taken from the children's resource ids where the id is the value (customer
    // id, Azure subscription id, user object id, GDAP relationship id): a preview of an update
    // keeps a resource's id known but not its other outputs (dynamic providers have no update
    // preview), so a billing-profile edit or a subscription rename never shows its dependents as
    // replaced.
    const customerId: pulumi.Output<string> = this.customer.id;
    // The initial domain follows from the immutable domainPrefix (Customer checks adopted ones too).
    const domain = `${c.domainPrefix.toLowerCase()}.onmicrosoft.com`;
    this.agreement = new CustomerAgreement(
      `${key}-agreement`,
      compact({
        customerId,
        primaryContact: spec.agreement.primaryContact,
        dateAgreed: spec.agreement.dateAgreed,
        templateId: spec.agreement.templateId,
        ...account,
      }),
      child([this.customer]),
    );

    // Azure plan and subscriptions: the plan needs the accepted agreement (Partner Center refuses
    // the purchase otherwise); subscriptions are bought under the plan.
    const subscriptions: Record<string, AzureSubscription> = {};
    if (spec.azurePlan) {
      const p = spec.azurePlan;
      const plan = new AzurePlan(
        `${key}-plan`,
        compact({
          customerId,
          acknowledgePurchase: p.acknowledgePurchase,
          friendlyName: p.friendlyName,
          catalogItemId: p.catalogItemId,
          onDelete: p.onDelete,
          partnerIdOnRecord: p.partnerIdOnRecord,
          ...account,
        }),
        child([this.agreement]),
      );
      this.azurePlan = plan;
      this.subscriptionTargets.set(PLAN_SUBSCRIPTION_KEY, {
        id: plan.azureSubscriptionId.apply((id) => {
          if (!id) {
            throw new Error(
              `CustomerTenant ${name}: the Azure plan's subscription is not provisioned yet (the order is pending); run pulumi up again in a few minutes`,
            );
          }
          return id;
        }),
        resource: plan,
      });
      for (const s of spec.subscriptions ?? []) {
        const sub = new AzureSubscription(
          `${key}-sub-${s.key}`,
          compact({
            customerId,
            displayName: s.displayName,
            workload: s.workload,
            acknowledgePurchase: s.acknowledgePurchase,
            // The alias name derives from this key, so a rename never buys a second subscription.
            key: s.key,
            resellerId: s.resellerId,
            ...account,
          }),
          child([plan]),
        );
        subscriptions[s.key] = sub;
        this.subscriptionTargets.set(s.key, { id: sub.id, resource: sub });
      }
    }
    this.subscriptions = subscriptions;
    this.licenseSubscriptions = licenseSubscriptionsOf(spec, customerId, child([this.agreement]));

    // GDAP: the customer approves the relationship; access assignments need it active. Users, their
    // directory roles and the consent wait for the assignments that give the admin agent the roles
    // Partner Center needs (gdapAccess.ts).
    const gdap = gdapChildren(
      key,
      spec.gdap,
      customerId,
      c.companyName,
      account,
      child([this.customer]),
      child,
    );
    this.gdapRelationship = gdap.relationship;
    const gdapAccessAssignments = gdap.accessAssignments;
    this.gdapAccessAssignments = gdapAccessAssignments;

    const missingAccess = new Set<GdapNeed>();
    const afterGdapAccess = (needs: GdapNeed[]): pulumi.Resource[] => {
      const { dependsOn, missing } = gdapDependencies(spec.gdap, gdapAccessAssignments, needs);
      for (const need of missing) missingAccess.add(need);
      return dependsOn;
    };

    // Users (Partner Center, admin agent): the UPN takes the customer's initial domain.
    const users: Record<string, CustomerUser> = {};
    for (const u of spec.users ?? []) {
      const needs = u.roles?.length ? [USER_NEED, DIRECTORY_ROLE_NEED] : [USER_NEED];
      users[u.key] = new CustomerUser(
        `${key}-user-${u.key}`,
        compact({
          customerId,
          userPrincipalName: `${u.userName}@${domain}`,
          displayName: u.displayName,
          firstName: u.firstName,
          lastName: u.lastName,
          usageLocation: u.usageLocation,
          roles: u.roles,
          licenses: u.licenses,
          forceChangePassword: u.forceChangePassword,
          ...account,
        }),
        // Seats before licenses: a user with licenses waits for the spec's license subscriptions.
        child([
          this.customer,
          ...afterGdapAccess(needs),
          ...(u.licenses?.length ? Object.values(this.licenseSubscriptions) : []),
        ]),
      );
    }
    this.users = users;

    // The partner app's consent, then Graph objects in the customer tenant through it.
    const applications: Record<string, ApplicationRegistration> = {};
    const permissionGrants: Record<string, PermissionGrant> = {};
    if (spec.partnerAppConsent) {
      const consent = new ApplicationConsent(
        `${key}-consent`,
        compact({
          customerId,
          displayName: spec.partnerAppConsent.displayName ?? DEFAULT_CONSENT_NAME,
          grants: spec.partnerAppConsent.grants ?? [
            { enterpriseApplicationId: GRAPH_APP_ID, scopes: [...DEFAULT_PARTNER_APP_GRAPH_SCOPES] },
          ],
          ...account,
        }),
        child([this.customer, ...afterGdapAccess([CONSENT_NEED])]),
      );
      this.partnerAppConsent = consent;
      for (const a of spec.applications ?? []) {
        const app = new ApplicationRegistration(
          `${key}-app-${a.key}`,
          compact({
            tenantId: customerId,
            displayName: a.displayName,
            signInAudience: a.signInAudience,
            redirectUris: a.redirectUris,
            identifierUris: a.identifierUris,
            requiredResourceAccess: a.requiredResourceAccess,
            passwordCredential: a.clientSecret,
            ...account,
          }),
          child([consent]),
        );
        applications[a.key] = app;
        for (const g of a.permissionGrants ?? []) {
          const resourceAppId = g.resourceAppId ?? GRAPH_APP_ID;
          const grantName = `${key}-grant-${a.key}-${resourceSlug(resourceAppId)}`;
          permissionGrants[grantName] = new PermissionGrant(
            grantName,
            compact({
              tenantId: customerId,
              clientAppId: app.appId,
              resourceAppId,
              delegatedScopes: g.delegatedScopes,
              appRoles: g.appRoles,
              ...account,
            }),
            child([consent, app]),
          );
        }
      }
    }
    this.applications = applications;
    this.permissionGrants = permissionGrants;
    if (missingAccess.size > 0)
      void pulumi.log.warn(missingAccessWarning(`CustomerTenant ${name}`, [...missingAccess]), this);

    // RBAC per subscription: the partner's admin agents (AOBO) and the declared assignments.
    const roleAssignments: Record<string, RoleAssignment> = {};
    const assignmentsBySub: [string, CustomerSpecRoleAssignment[]][] = [];
    if (spec.azurePlan) assignmentsBySub.push([PLAN_SUBSCRIPTION_KEY, spec.azurePlan.roleAssignments ?? []]);
    for (const s of spec.subscriptions ?? []) assignmentsBySub.push([s.key, s.roleAssignments ?? []]);
    for (const [subKey, assignments] of assignmentsBySub) {
      const target = this.subscriptionTargets.get(subKey)!;
      const scope = pulumi.interpolate`/subscriptions/${target.id}`;
      for (const p of spec.partnerAccess ?? []) {
        const raName = `${key}-rbac-${subKey}-partner-${p.key}`;
        roleAssignments[raName] = new RoleAssignment(
          raName,
          compact({
            tenantId: customerId,
            scope,
            ...roleInput(p.role ?? "Owner"),
            principalId: p.adminAgentsGroupId,
            principalType: "ForeignGroup" as const,
            description: `Partner admin agents (${p.key}), admin on behalf of; declared by pulumi-csp`,
            ...account,
          }),
          child([target.resource]),
        );
      }
      for (const a of assignments) {
        const principal = principalOf(a, users, applications);
        const raName = `${key}-rbac-${subKey}-${slug(a.role)}-${principal.slug}`;
        roleAssignments[raName] = new RoleAssignment(
          raName,
          compact({
            tenantId: customerId,
            scope,
            ...roleInput(a.role),
            principalId: principal.id,
            principalType: principal.type,
            description: a.description,
            ...account,
          }),
          child([target.resource, ...principal.resources]),
        );
      }
    }
    this.roleAssignments = roleAssignments;

    // Outputs.
    this.customerId = customerId;
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
