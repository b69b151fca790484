import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applicationConsentHandler } from "../../provider/handlers/directory/applicationConsent";
import { applicationRegistrationHandler } from "../../provider/handlers/directory/applicationRegistration";
import { customerUserHandler } from "../../provider/handlers/directory/customerUser";
import { permissionGrantHandler } from "../../provider/handlers/directory/permissionGrant";
import { gdapAccessAssignmentHandler } from "../../provider/handlers/gdap/gdapAccessAssignment";
import { gdapRelationshipHandler } from "../../provider/handlers/gdap/gdapRelationship";
import { roleAssignmentHandler } from "../../provider/handlers/rbac/roleAssignment";
import { type ResourceHandler, UNKNOWN } from "../../provider/handlers/types";
import { type EmulatorContext, startEmulatorContext } from "../support/emulatorContext";
import { createResource } from "../support/handlerSteps";
import {
  createTestCustomer,
  GRAPH,
  HELPDESK_ADMINISTRATOR,
  isWriteMethod,
} from "../support/identityFixtures";

/**
 * Preview: inputs that depend on resources not created yet arrive as the engine's unknown
 * sentinel, whole or inside arrays. check and diff must accept them, never write, and report a
 * change rather than compare what is not known.
 */

const T = "3f2a1c8e-4b7d-4e21-9a55-0c1d2e3f4a5b";
const U = "4f2a1c8e-4b7d-4e21-9a55-0c1d2e3f4a5b";

interface Case {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: the cases mix every handler's types.
  handler: ResourceHandler<any, any>;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

function buildCases(customerId: string, domain: string, relationshipId: string): Case[] {
  return [
    {
      name: "CustomerUser",
      handler: customerUserHandler,
      inputs: {
        customerId,
        userPrincipalName: `a@${domain}`,
        displayName: "A",
        usageLocation: "US",
        roles: ["Helpdesk Administrator"],
      },
      outputs: {
        userId: U,
        password: "Xx1!xxxxxxxx",
        roleIds: [HELPDESK_ADMINISTRATOR],
        state: "active",
        forceChangePassword: true,
      },
    },
    {
      name: "ApplicationRegistration",
      handler: applicationRegistrationHandler,
      inputs: {
        tenantId: T,
        displayName: "App",
        redirectUris: ["https://a.example/cb"],
        requiredResourceAccess: [],
      },
      outputs: { objectId: U, appId: U, servicePrincipalId: U, marker: "m", signInAudience: "AzureADMyOrg" },
    },
    {
      name: "ApplicationConsent",
      handler: applicationConsentHandler,
      inputs: {
        customerId: T,
        applicationId: U,
        displayName: "C",
        grants: [{ enterpriseApplicationId: GRAPH, scopes: ["Directory.Read.All"] }],
      },
      outputs: {},
    },
    {
      name: "PermissionGrant",
      handler: permissionGrantHandler,
      inputs: {
        tenantId: T,
        clientAppId: U,
        resourceAppId: GRAPH,
        delegatedScopes: ["User.Read"],
        appRoles: ["User.Read.All"],
      },
      outputs: { clientServicePrincipalId: U, resourceServicePrincipalId: U, appRoleIds: [] },
    },
    {
      name: "RoleAssignment",
      handler: roleAssignmentHandler,
      inputs: {
        tenantId: T,
        scope: `/subscriptions/${U}`,
        roleName: "Reader",
        principalId: U,
        principalType: "User",
      },
      outputs: {
        roleDefinitionGuid: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        roleDefinitionResourceId: "x",
        assignmentName: U,
        adopted: false,
      },
    },
    {
      name: "GdapRelationship",
      handler: gdapRelationshipHandler,
      inputs: { displayName: "R", customerTenantId: T, duration: "P730D", roles: ["Helpdesk Administrator"] },
      outputs: {
        relationshipId: `${T}-${U}`,
        status: "active",
        approvalLink: "l",
        roleIds: [HELPDESK_ADMINISTRATOR],
        autoExtendDuration: "PT0S",
      },
    },
    {
      name: "GdapAccessAssignment",
      handler: gdapAccessAssignmentHandler,
      inputs: { relationshipId, securityGroupId: U, roles: ["Helpdesk Administrator"] },
      outputs: { accessAssignmentId: U, status: "active", roleIds: [HELPDESK_ADMINISTRATOR] },
    },
  ];
}

let t: EmulatorContext;
let cases: Case[] = [];
beforeAll(async () => {
  t = await startEmulatorContext();
  // Real ids, so that the reads check may do find what they look for.
  const { customerId, domain } = await createTestCustomer(t.ctx, "preview");
  const rel = await createResource(
    gdapRelationshipHandler,
    {
      displayName: `Preview ${Date.now().toString(36)}`,
      customerTenantId: customerId,
      duration: "P1D",
      roles: [HELPDESK_ADMINISTRATOR],
    },
    t.ctx,
  );
  cases = buildCases(customerId, domain, rel.id);
});
const NAMES = [
  "CustomerUser",
  "ApplicationRegistration",
  "ApplicationConsent",
  "PermissionGrant",
  "RoleAssignment",
  "GdapRelationship",
  "GdapAccessAssignment",
];
afterAll(() => t?.stop());

describe("preview with values not known yet", () => {
  for (const name of NAMES) {
    it(`${name}: check and diff accept unknown values in every input, report a change and never write`, async () => {
      const c = cases.find((x) => x.name === name)!;
      await t.emu.admin.clearRequestLog();
      // The host strips its own __provider key before handlers see it (provider/engineKeys.ts).
      const olds = { ...c.inputs, ...c.outputs };
      const plain = await c.handler.check(olds, { ...c.inputs }, t.ctx);
      expect(plain.failures ?? []).toEqual([]);
      for (const key of Object.keys(c.inputs)) {
        const whole = { ...c.inputs, [key]: UNKNOWN };
        const checked = await c.handler.check(olds, whole, t.ctx);
        expect(checked.failures ?? [], `${key} unknown`).toEqual([]);
        const diff = await c.handler.diff("id", olds, checked.inputs ?? whole, t.ctx);
        expect(diff.changes, `${key} unknown`).toBe(true);
        const value = c.inputs[key];
        if (Array.isArray(value) && typeof value[0] === "string") {
          const inside = { ...c.inputs, [key]: [UNKNOWN] };
          expect((await c.handler.check(olds, inside, t.ctx)).failures ?? []).toEqual([]);
          expect((await c.handler.diff("id", olds, inside, t.ctx)).changes, `${key}[0] unknown`).toBe(true);
        }
      }
      expect((await t.emu.admin.requestLog()).filter(isWriteMethod)).toEqual([]);
    });
  }
});
