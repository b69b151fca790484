import { randomUUID } from "node:crypto";
import type { RunningEmulator } from "../../emulator/index";
import { createAccessAssignment } from "../../provider/clients/graph/delegatedAdminAccessAssignments";
import {
  createRelationship,
  postRelationshipRequest,
} from "../../provider/clients/graph/delegatedAdminRelationships";
import { createCustomerAgreement, currentMcaTemplate } from "../../provider/clients/partnerCenter/agreements";
import {
  AZURE_PLAN_CATALOG_ITEM,
  checkoutCart,
  createCart,
} from "../../provider/clients/partnerCenter/commerce";
import { createApplicationConsent } from "../../provider/clients/partnerCenter/consents";
import { createCustomer } from "../../provider/clients/partnerCenter/customers";
import type { HandlerContext } from "../../provider/handlers/types";
import { testBillingProfile } from "./commerceFixtures";

/**
 * Setup for identity-resource tests, made through the public APIs (Partner Center, Graph, ARM) as a
 * partner would: customers, GDAP access for the admin agent (the customer's approval through the
 * emulator's admin API), the partner app's consent in a customer tenant, an Azure plan with its
 * Azure subscription. Never reaches into the emulator's state except to read ids.
 */

/** Microsoft Graph's app id. */
export const GRAPH = "00000003-0000-0000-c000-000000000000";

/** Graph permissions the partner app needs in a customer tenant for the identity resources. */
export const PARTNER_APP_GRAPH_SCOPES = [
  "Application.ReadWrite.All",
  "AppRoleAssignment.ReadWrite.All",
  "DelegatedPermissionGrant.ReadWrite.All",
  "Directory.Read.All",
];

/** Entra role template ids the tests name roles by. */
export const USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";
export const PRIVILEGED_ROLE_ADMINISTRATOR = "e8611ab8-c189-46e8-94e1-60213ab1f814";
export const HELPDESK_ADMINISTRATOR = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
export const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";

/**
 * GDAP roles the admin agent gets in a test customer: users (User Administrator), their directory
 * roles and consents of Graph application permissions (Privileged Role Administrator).
 */
export const TEST_GDAP_ROLES = [USER_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR];

/** GDAP access to give the seeded admin agent in a test customer (see {@link grantAdminAgentGdap}). */
export interface TestGdapAccess {
  emu: RunningEmulator;
  /** Role template ids (default {@link TEST_GDAP_ROLES}). */
  roles?: string[];
}

let counter = 0;

/**
 * Creates a customer with a unique `*.onmicrosoft.com` domain; returns its id and domain. With
 * `gdap`, the seeded admin agent then gets GDAP roles in it ({@link grantAdminAgentGdap}), which
 * Partner Center requires for the customer's users, directory roles and consents.
 */
export async function createTestCustomer(
  ctx: HandlerContext,
  label = "identity",
  gdap?: TestGdapAccess,
): Promise<{ customerId: string; domain: string; relationshipId?: string }> {
  counter += 1;
  const prefix = `${label}${Date.now().toString(36)}${counter}`
    .replace(/[^a-z0-9]/gi, "")
    .slice(0, 27)
    .toLowerCase();
  const domain = `${prefix}.onmicrosoft.com`;
  const customer = await createCustomer(
    ctx.api().partnerCenter,
    {
      enableGDAPByDefault: false,
      companyProfile: { domain },
      billingProfile: { ...testBillingProfile(`admin@${domain}`), companyName: `Identity test ${prefix}` },
    },
    randomUUID(),
  );
  const result = { customerId: customer.id, domain: customer.companyProfile?.domain ?? domain };
  if (!gdap) return result;
  const relationshipId = await grantAdminAgentGdap(ctx, gdap.emu, customer.id, gdap.roles);
  return { ...result, relationshipId };
}

/**
 * Gives the seeded admin agent `roles` in a customer through GDAP, as a partner and its customer
 * do: a relationship (Graph, as the admin agent), locked for approval, approved by the customer
 * (the emulator's admin API stands for the customer opening the approval link), then an access
 * assignment of the roles to the seeded security group the admin agent is a member of. Returns the
 * relationship id.
 */
export async function grantAdminAgentGdap(
  ctx: HandlerContext,
  emu: RunningEmulator,
  customerId: string,
  roles: string[] = TEST_GDAP_ROLES,
): Promise<string> {
  const graph = ctx.api().graph;
  counter += 1;
  const relationship = await createRelationship(graph, {
    displayName: `test-${customerId.slice(0, 8)}-${counter}-${Date.now().toString(36)}`,
    duration: "P730D",
    customer: { tenantId: customerId },
    accessDetails: { unifiedRoles: roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
    autoExtendDuration: "PT0S",
  });
  await postRelationshipRequest(graph, relationship.id, "lockForApproval");
  await emu.admin.approveGdapRelationship(relationship.id);
  await createAccessAssignment(graph, relationship.id, emu.seed.gdapAdminsGroupId, roles);
  return relationship.id;
}

/** Consents the partner app in the customer tenant with the Graph permissions the identity resources use. */
export async function consentPartnerApp(
  ctx: HandlerContext,
  customerId: string,
  scopes: string[] = PARTNER_APP_GRAPH_SCOPES,
): Promise<void> {
  const api = ctx.api();
  await createApplicationConsent(
    api.partnerCenter,
    customerId,
    {
      applicationId: api.clientId,
      displayName: "Partner automation",
      applicationGrants: [{ enterpriseApplicationId: GRAPH, scope: scopes.join(",") }],
    },
    randomUUID(),
  );
}

/**
 * Accepts the Microsoft Customer Agreement and buys the Azure plan (the checkout creates one Azure
 * subscription: "Create an Azure plan",
 * https://learn.microsoft.com/partner-center/developer/create-azure-plan); returns the Azure
 * subscription id.
 */
export async function buyAzurePlan(
  ctx: HandlerContext,
  emu: RunningEmulator,
  customerId: string,
): Promise<string> {
  const pc = ctx.api().partnerCenter;
  const template = await currentMcaTemplate(pc);
  await createCustomerAgreement(
    pc,
    customerId,
    {
      primaryContact: { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" },
      templateId: template?.templateId ?? "117a77b0-9360-443b-8795-c6dedc750cf9",
      dateAgreed: new Date().toISOString(),
    },
    randomUUID(),
  );
  const cart = await createCart(
    pc,
    customerId,
    [{ id: 0, catalogItemId: AZURE_PLAN_CATALOG_ITEM, quantity: 1, billingCycle: "one_time" }],
    randomUUID(),
  );
  await checkoutCart(pc, customerId, cart.id!, randomUUID());
  const state = await emu.admin.state();
  const sub = Object.values(state.azure.subscriptions).find((s) => s.customerId === customerId);
  if (!sub) throw new Error(`no Azure subscription for customer ${customerId} after the Azure plan checkout`);
  return sub.subscriptionId;
}

/** A request log entry of a method that can change state (POST/PUT/PATCH/DELETE), whatever its outcome. */
export function isWriteMethod(entry: { method: string }): boolean {
  return !["GET", "HEAD", "OPTIONS"].includes(entry.method.toUpperCase());
}
