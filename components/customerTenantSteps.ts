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
} from "./customerSpec";
import {
  CONSENT_NEED,
  DIRECTORY_ROLE_NEED,
  type GdapNeed,
  gdapChildren,
  gdapDependencies,
  USER_NEED,
} from "./gdapAccess";
import { licenseSubscriptionsOf } from "./licenseChildren";

/**
 * The steps of {@link CustomerTenant}'s construction, one per part of the spec, each making that
 * part's children in the order the component registers them (customerTenant.ts says why).
 */

/** What every step reads. */
export interface TenantScope {
  /** `CustomerTenant <name>`, for messages. */
  label: string;
  spec: CustomerSpec;
  /** `{ account }` when the spec names an account: spread into every child's inputs. */
  account: { account?: string };
  /** A child's options: parented to the component, `retainOnDelete` passed on, after `dependsOn`. */
  child: (dependsOn: pulumi.Resource[]) => pulumi.CustomResourceOptions;
}

/** The scope once the customer exists: its id and initial domain. */
export interface CustomerScope extends TenantScope {
  customer: Customer;
  customerId: pulumi.Output<string>;
  domain: string;
}

/** An Azure subscription role assignments and providers can target. */
export interface SubscriptionTarget {
  id: pulumi.Output<string>;
  resource: pulumi.Resource;
}

/** Default display name of the partner app's consent. */
const DEFAULT_CONSENT_NAME = "pulumi-csp partner app";

/** The Partner Center customer and its Microsoft Customer Agreement. */
export function createCustomer(
  s: TenantScope,
  customerOptions: pulumi.CustomResourceOptions,
): { scope: CustomerScope; agreement: CustomerAgreement } {
  const { spec, account } = s;
  const c = spec.customer;
  const customer = new Customer(
    `${spec.key}-customer`,
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
    customerOptions,
  );
  // Identifiers are taken from the children's resource ids where the id is the value (customer
  // id, Azure subscription id, user object id, GDAP relationship id): a preview of an update
  // keeps a resource's id known but not its other outputs (dynamic providers have no update
  // preview), so a billing-profile edit or a subscription rename never shows its dependents as
  // replaced.
  const customerId: pulumi.Output<string> = customer.id;
  // The initial domain follows from the immutable domainPrefix (Customer checks adopted ones too).
  const domain = `${c.domainPrefix.toLowerCase()}.onmicrosoft.com`;
  const agreement = new CustomerAgreement(
    `${spec.key}-agreement`,
    compact({
      customerId,
      primaryContact: spec.agreement.primaryContact,
      dateAgreed: spec.agreement.dateAgreed,
      templateId: spec.agreement.templateId,
      ...account,
    }),
    s.child([customer]),
  );
  return { scope: { ...s, customer, customerId, domain }, agreement };
}

/**
 * The Azure plan with its extra Azure subscriptions, and the license subscriptions: the plan and
 * the seats need the accepted agreement (Partner Center refuses the purchase otherwise);
 * subscriptions are bought under the plan.
 */
export function createCommerce(
  s: CustomerScope,
  agreement: CustomerAgreement,
): {
  azurePlan?: AzurePlan;
  subscriptions: Record<string, AzureSubscription>;
  targets: Map<string, SubscriptionTarget>;
  licenseSubscriptions: Record<string, LicenseSubscription>;
} {
  const { spec, account, customerId, child } = s;
  const subscriptions: Record<string, AzureSubscription> = {};
  const targets = new Map<string, SubscriptionTarget>();
  let azurePlan: AzurePlan | undefined;
  if (spec.azurePlan) {
    const p = spec.azurePlan;
    const plan = new AzurePlan(
      `${spec.key}-plan`,
      compact({
        customerId,
        acknowledgePurchase: p.acknowledgePurchase,
        friendlyName: p.friendlyName,
        catalogItemId: p.catalogItemId,
        onDelete: p.onDelete,
        partnerIdOnRecord: p.partnerIdOnRecord,
        ...account,
      }),
      child([agreement]),
    );
    azurePlan = plan;
    targets.set(PLAN_SUBSCRIPTION_KEY, {
      id: plan.azureSubscriptionId.apply((id) => {
        if (!id) {
          throw new Error(
            `${s.label}: the Azure plan's subscription is not provisioned yet (the order is pending); run pulumi up again in a few minutes`,
          );
        }
        return id;
      }),
      resource: plan,
    });
    for (const sub of spec.subscriptions ?? []) {
      const subscription = new AzureSubscription(
        `${spec.key}-sub-${sub.key}`,
        compact({
          customerId,
          displayName: sub.displayName,
          workload: sub.workload,
          acknowledgePurchase: sub.acknowledgePurchase,
          // The alias name derives from this key, so a rename never buys a second subscription.
          key: sub.key,
          resellerId: sub.resellerId,
          ...account,
        }),
        child([plan]),
      );
      subscriptions[sub.key] = subscription;
      targets.set(sub.key, { id: subscription.id, resource: subscription });
    }
  }
  const licenseSubscriptions = licenseSubscriptionsOf(spec, customerId, child([agreement]));
  return { azurePlan, subscriptions, targets, licenseSubscriptions };
}

/**
 * The GDAP relationship and its access assignments (the customer approves the relationship;
 * access assignments need it active), and `afterGdapAccess`: what a child needing some of the
 * admin agent's roles waits for. The needs no declared assignment grants collect in `missing`.
 */
export function createGdap(s: CustomerScope): {
  relationship?: GdapRelationship;
  accessAssignments: Record<string, GdapAccessAssignment>;
  afterGdapAccess: (needs: GdapNeed[]) => pulumi.Resource[];
  missing: Set<GdapNeed>;
} {
  const { spec, child } = s;
  const gdap = gdapChildren(
    spec.key,
    spec.gdap,
    s.customerId,
    spec.customer.companyName,
    s.account,
    child([s.customer]),
    child,
  );
  const missing = new Set<GdapNeed>();
  const afterGdapAccess = (needs: GdapNeed[]): pulumi.Resource[] => {
    const found = gdapDependencies(spec.gdap, gdap.accessAssignments, needs);
    for (const need of found.missing) missing.add(need);
    return found.dependsOn;
  };
  return {
    relationship: gdap.relationship,
    accessAssignments: gdap.accessAssignments,
    afterGdapAccess,
    missing,
  };
}

/**
 * Users (Partner Center, admin agent): the UPN takes the customer's initial domain; they wait for
 * the admin agent's GDAP roles, and a user with licenses for the spec's license subscriptions.
 */
export function createUsers(
  s: CustomerScope,
  afterGdapAccess: (needs: GdapNeed[]) => pulumi.Resource[],
  licenseSubscriptions: Record<string, LicenseSubscription>,
): Record<string, CustomerUser> {
  const users: Record<string, CustomerUser> = {};
  for (const u of s.spec.users ?? []) {
    const needs = u.roles?.length ? [USER_NEED, DIRECTORY_ROLE_NEED] : [USER_NEED];
    users[u.key] = new CustomerUser(
      `${s.spec.key}-user-${u.key}`,
      compact({
        customerId: s.customerId,
        userPrincipalName: `${u.userName}@${s.domain}`,
        displayName: u.displayName,
        firstName: u.firstName,
        lastName: u.lastName,
        usageLocation: u.usageLocation,
        roles: u.roles,
        licenses: u.licenses,
        forceChangePassword: u.forceChangePassword,
        ...s.account,
      }),
      // Seats before licenses: a user with licenses waits for the spec's license subscriptions.
      s.child([
        s.customer,
        ...afterGdapAccess(needs),
        ...(u.licenses?.length ? Object.values(licenseSubscriptions) : []),
      ]),
    );
  }
  return users;
}

/** The partner app's consent, then Graph objects in the customer tenant through it. */
export function createApplications(
  s: CustomerScope,
  afterGdapAccess: (needs: GdapNeed[]) => pulumi.Resource[],
): {
  consent?: ApplicationConsent;
  applications: Record<string, ApplicationRegistration>;
  permissionGrants: Record<string, PermissionGrant>;
} {
  const { spec, account, customerId, child } = s;
  const applications: Record<string, ApplicationRegistration> = {};
  const permissionGrants: Record<string, PermissionGrant> = {};
  if (!spec.partnerAppConsent) return { applications, permissionGrants };
  const consent = new ApplicationConsent(
    `${spec.key}-consent`,
    compact({
      customerId,
      displayName: spec.partnerAppConsent.displayName ?? DEFAULT_CONSENT_NAME,
      grants: spec.partnerAppConsent.grants ?? [
        { enterpriseApplicationId: GRAPH_APP_ID, scopes: [...DEFAULT_PARTNER_APP_GRAPH_SCOPES] },
      ],
      ...account,
    }),
    child([s.customer, ...afterGdapAccess([CONSENT_NEED])]),
  );
  for (const a of spec.applications ?? []) {
    const app = new ApplicationRegistration(
      `${spec.key}-app-${a.key}`,
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
      const grantName = `${spec.key}-grant-${a.key}-${resourceSlug(resourceAppId)}`;
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
  return { consent, applications, permissionGrants };
}

/** RBAC per subscription: the partner's admin agents (AOBO) and the declared assignments. */
export function createRoleAssignments(
  s: CustomerScope,
  targets: ReadonlyMap<string, SubscriptionTarget>,
  users: Record<string, CustomerUser>,
  applications: Record<string, ApplicationRegistration>,
): Record<string, RoleAssignment> {
  const { spec, account, customerId, child } = s;
  const roleAssignments: Record<string, RoleAssignment> = {};
  const assignmentsBySub: [string, CustomerSpecRoleAssignment[]][] = [];
  if (spec.azurePlan) assignmentsBySub.push([PLAN_SUBSCRIPTION_KEY, spec.azurePlan.roleAssignments ?? []]);
  for (const sub of spec.subscriptions ?? []) assignmentsBySub.push([sub.key, sub.roleAssignments ?? []]);
  for (const [subKey, assignments] of assignmentsBySub) {
    const target = targets.get(subKey)!;
    const scope = pulumi.interpolate`/subscriptions/${target.id}`;
    for (const p of spec.partnerAccess ?? []) {
      const raName = `${spec.key}-rbac-${subKey}-partner-${p.key}`;
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
      const raName = `${spec.key}-rbac-${subKey}-${slug(a.role)}-${principal.slug}`;
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
  return roleAssignments;
}
