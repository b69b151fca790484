import { randomUUID } from "node:crypto";
import type { CustomerSpec } from "../components/customerSpec";
import { DEFAULT_PARTNER_APP_GRAPH_SCOPES, GRAPH_APP_ID } from "../components/customerSpec";
import { findRoleDefinitionsByName, putRoleAssignment } from "../provider/clients/arm/roleAssignments";
import {
  customerBillingScope,
  findPartnerBillingAccount,
  getAlias,
  putAlias,
} from "../provider/clients/arm/subscriptions";
import { createCspApi } from "../provider/clients/createCspApi";
import type { CspApi } from "../provider/clients/cspApi";
import { createApplication } from "../provider/clients/graph/applications";
import { createAccessAssignment } from "../provider/clients/graph/delegatedAdminAccessAssignments";
import {
  createRelationship,
  postRelationshipRequest,
} from "../provider/clients/graph/delegatedAdminRelationships";
import { createAllPrincipalsGrant } from "../provider/clients/graph/oauth2PermissionGrants";
import {
  createServicePrincipal,
  findServicePrincipalByAppId,
} from "../provider/clients/graph/servicePrincipals";
import { createCustomerAgreement, currentMcaTemplate } from "../provider/clients/partnerCenter/agreements";
import {
  AZURE_PLAN_CATALOG_ITEM,
  checkoutCart,
  createCart,
} from "../provider/clients/partnerCenter/commerce";
import { createApplicationConsent } from "../provider/clients/partnerCenter/consents";
import { createCustomer } from "../provider/clients/partnerCenter/customers";
import { addRoleMember } from "../provider/clients/partnerCenter/directoryRoles";
import { createCustomerUser } from "../provider/clients/partnerCenter/users";
import { resolveConfig } from "../provider/config";
import { resolveDirectoryRole } from "../provider/handlers/directory/directoryRoleCatalog";
import { generatePassword } from "../provider/handlers/directory/passwords";
import type { TraceEntry } from "../provider/http/traceSink";

/** What the sequential script did. */
export interface SequentialScriptResult {
  customers: number;
  ok: boolean;
  error?: string;
  wallMs: number;
  /** Attempts after the first (from the HTTP core's trace). */
  retries: number;
}

/**
 * The peer of the benchmark: the same tenants created the way partners script it today, one
 * call after another, with no plan (no reads of what exists, nothing skipped), no parallelism
 * and no token reuse: every call builds fresh API clients (`createCspApi`), so every call first
 * asks Entra ID for a token. It runs over the project's own HTTP core (retries, throttling) and
 * its API client functions, against the same emulator.
 *
 * Per tenant: customer, agreement (template looked up each time), Azure plan (cart, checkout),
 * extra subscription (billing account, alias PUT, alias GET until Succeeded), the GDAP relationship
 * (create, lock for approval, which the benchmark's emulator approves at once) and its access
 * assignment, users with their directory role, the partner app's consent, application + service
 * principal, the Graph service principal lookup + delegated grant, role definition lookup + role
 * assignment per assignment.
 */
export async function runSequentialScript(
  env: Record<string, string>,
  specs: readonly CustomerSpec[],
): Promise<SequentialScriptResult> {
  const config = resolveConfig({ env, getConfig: () => undefined });
  let retries = 0;
  const trace = (e: TraceEntry) => {
    if (e.attempt > 0) retries++;
  };
  // A fresh client set per call: no token cache survives from one call to the next.
  const fresh = (): CspApi => createCspApi(config, "default", { trace });
  const started = Date.now();
  try {
    for (const spec of specs) await createTenant(fresh, spec);
    return { customers: specs.length, ok: true, wallMs: Date.now() - started, retries };
  } catch (e) {
    return {
      customers: specs.length,
      ok: false,
      error: e instanceof Error ? e.message : String(e),
      wallMs: Date.now() - started,
      retries,
    };
  }
}

async function createTenant(fresh: () => CspApi, spec: CustomerSpec): Promise<void> {
  const c = spec.customer;
  const profile = c.billingProfile;
  const customer = await createCustomer(
    fresh().partnerCenter,
    {
      // As the Customer resource sends it by default (no Default GDAP relationship).
      enableGDAPByDefault: c.enableGdapByDefault === true,
      companyProfile: {
        domain: `${c.domainPrefix.toLowerCase()}.onmicrosoft.com`,
        companyName: c.companyName,
      },
      billingProfile: {
        email: profile.email,
        culture: profile.culture,
        language: profile.language,
        companyName: c.companyName,
        defaultAddress: profile.defaultAddress,
      },
    },
    randomUUID(),
  );
  const customerId = customer.id;
  const domain = customer.companyProfile?.domain ?? `${c.domainPrefix.toLowerCase()}.onmicrosoft.com`;

  const template = await currentMcaTemplate(fresh().partnerCenter);
  if (!template) throw new Error("no Microsoft Customer Agreement template");
  await createCustomerAgreement(
    fresh().partnerCenter,
    customerId,
    {
      primaryContact: spec.agreement.primaryContact,
      templateId: template.templateId,
      dateAgreed: new Date().toISOString(),
    },
    randomUUID(),
  );

  const cart = await createCart(
    fresh().partnerCenter,
    customerId,
    [
      {
        id: 0,
        catalogItemId: AZURE_PLAN_CATALOG_ITEM,
        quantity: 1,
        billingCycle: "one_time",
        ...(spec.azurePlan?.friendlyName ? { friendlyName: spec.azurePlan.friendlyName } : {}),
      },
    ],
    randomUUID(),
  );
  if (!cart.id) throw new Error("the cart has no id");
  await checkoutCart(fresh().partnerCenter, customerId, cart.id, randomUUID());

  const subscriptionIds: Record<string, string> = {};
  for (const s of spec.subscriptions ?? []) {
    const billing = await findPartnerBillingAccount(fresh().arm);
    if (!billing) throw new Error("no partner billing account");
    const alias = randomUUID();
    await putAlias(fresh().arm, alias, {
      displayName: s.displayName,
      workload: s.workload ?? "Production",
      billingScope: customerBillingScope(billing.name, customerId),
    });
    for (let i = 0; ; i++) {
      const a = await getAlias(fresh().arm, alias);
      if (a?.properties?.provisioningState === "Succeeded" && a.properties.subscriptionId) {
        subscriptionIds[s.key] = a.properties.subscriptionId;
        break;
      }
      if (i >= 30) throw new Error(`alias ${alias} did not succeed`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  // Partner Center lets the admin agent manage the users and consent only with GDAP roles.
  if (spec.gdap) {
    const roleIds = (roles: string[]) => roles.map((r) => resolveDirectoryRole(r) ?? r);
    const relationship = await createRelationship(fresh().graph, {
      displayName: `bench-${customerId}`.slice(0, 50),
      duration: spec.gdap.duration,
      customer: { tenantId: customerId },
      accessDetails: {
        unifiedRoles: roleIds(spec.gdap.roles).map((roleDefinitionId) => ({ roleDefinitionId })),
      },
      autoExtendDuration: "PT0S",
    });
    await postRelationshipRequest(fresh().graph, relationship.id, "lockForApproval");
    for (const a of spec.gdap.accessAssignments ?? []) {
      await createAccessAssignment(fresh().graph, relationship.id, a.securityGroupId, roleIds(a.roles));
    }
  }

  const userIds: Record<string, string> = {};
  for (const u of spec.users ?? []) {
    const user = await createCustomerUser(
      fresh().partnerCenter,
      customerId,
      {
        userPrincipalName: `${u.userName}@${domain}`,
        ...(u.firstName ? { firstName: u.firstName } : {}),
        ...(u.lastName ? { lastName: u.lastName } : {}),
        displayName: u.displayName,
        usageLocation: u.usageLocation,
        passwordProfile: { password: generatePassword(), forceChangePassword: true },
      },
      randomUUID(),
    );
    userIds[u.key] = user.id;
    for (const role of u.roles ?? []) {
      const roleId = resolveDirectoryRole(role);
      if (!roleId) throw new Error(`unknown directory role ${role}`);
      await addRoleMember(fresh().partnerCenter, customerId, roleId, {
        id: user.id,
        displayName: user.displayName,
        userPrincipalName: user.userPrincipalName,
      });
    }
  }

  if (spec.partnerAppConsent) {
    const api = fresh();
    await createApplicationConsent(
      api.partnerCenter,
      customerId,
      {
        applicationId: api.clientId,
        displayName: "pulumi-csp partner app",
        applicationGrants: [
          { enterpriseApplicationId: GRAPH_APP_ID, scope: DEFAULT_PARTNER_APP_GRAPH_SCOPES.join(",") },
        ],
      },
      randomUUID(),
    );
  }

  const inTenant = { mode: "app" as const, tenantId: customerId };
  for (const a of spec.applications ?? []) {
    const app = await createApplication(fresh().graph, inTenant, {
      displayName: a.displayName,
      signInAudience: "AzureADMyOrg",
      ...(a.redirectUris ? { web: { redirectUris: a.redirectUris } } : {}),
    });
    const sp = await createServicePrincipal(fresh().graph, inTenant, app.appId);
    for (const g of a.permissionGrants ?? []) {
      const resource = await findServicePrincipalByAppId(
        fresh().graph,
        inTenant,
        g.resourceAppId ?? GRAPH_APP_ID,
      );
      if (!resource) throw new Error("the Graph service principal is missing");
      await createAllPrincipalsGrant(fresh().graph, inTenant, sp.id, resource.id, g.delegatedScopes ?? []);
    }
  }

  const aobo = { mode: "user" as const, tenantId: customerId };
  for (const s of spec.subscriptions ?? []) {
    const scope = `/subscriptions/${subscriptionIds[s.key]}`;
    for (const ra of s.roleAssignments ?? []) {
      const principal = ra.principal.user ? userIds[ra.principal.user] : undefined;
      if (!principal) throw new Error("the benchmark's role assignments name users");
      const [definition] = await findRoleDefinitionsByName(fresh().arm, aobo, scope, ra.role);
      if (!definition) throw new Error(`unknown role ${ra.role}`);
      await putRoleAssignment(fresh().arm, aobo, scope, randomUUID(), {
        roleDefinitionId: definition.id,
        principalId: principal,
        principalType: "User",
      });
    }
  }
}
