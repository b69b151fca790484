import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCustomerUser } from "../../provider/clients/partnerCenter/users";
import { azureSubscriptionHandler } from "../../provider/handlers/commerce/azureSubscription";
import { customerHandler } from "../../provider/handlers/commerce/customer";
import { customerUserHandler } from "../../provider/handlers/directory/customerUser";
import { permissionGrantHandler } from "../../provider/handlers/directory/permissionGrant";
import { gdapAccessAssignmentHandler } from "../../provider/handlers/gdap/gdapAccessAssignment";
import { gdapRelationshipHandler } from "../../provider/handlers/gdap/gdapRelationship";
import { roleAssignmentHandler } from "../../provider/handlers/rbac/roleAssignment";
import type { HandlerContext } from "../../provider/handlers/types";
import { testBillingProfile } from "../support/commerceFixtures";
import { type EmulatorContext, startEmulatorContext } from "../support/emulatorContext";
import { createResource } from "../support/handlerSteps";
import { buyAzurePlan, consentPartnerApp, createTestCustomer } from "../support/identityFixtures";
import { badInputTable } from "./support/badInputCases";
import type { BadCase, World } from "./support/badInputKit";
import { describeCalls, isWriteCall, lastSeq } from "./support/faultKit";

/**
 * Bad input is refused at `check`, before anything is written: for every resource and every
 * validated field (see `support/badInputCases.ts`), each invalid value yields a failure naming the
 * field (`property`) whose reason states the field and the rule, and the emulator's request log
 * shows no write call for the whole suite. Checks that need the service (domains, catalog,
 * customers, GDAP relationships) read from the emulator.
 */

/** The table's shape (names, counts) does not depend on the ids: tests are declared from this one. */
const PLACEHOLDER: World = {
  customerId: "00000000-0000-0000-0000-000000000001",
  domain: "placeholder.onmicrosoft.com",
  otherCustomerId: "00000000-0000-0000-0000-000000000006",
  otherDomain: "other.onmicrosoft.com",
  takenPrefix: "taken",
  subscriptionId: "00000000-0000-0000-0000-000000000005",
  relationshipId: "00000000-0000-0000-0000-000000000002-00000000-0000-0000-0000-000000000003",
  adminAgentsGroupId: "00000000-0000-0000-0000-000000000004",
};
const shape = badInputTable(PLACEHOLDER);

let t: EmulatorContext;
let ctx: HandlerContext;
let noPurchases: HandlerContext;
let table: ReturnType<typeof badInputTable>;
let world: World & { userId: string; pendingRelationshipId: string };
let mark: number;
let tried = 0;
let atCheck = 0;
let writeCalls: number | undefined;

beforeAll(async () => {
  t = await startEmulatorContext();
  ctx = await t.contextWith({ CSP_ALLOW_PURCHASES: "true" });
  noPurchases = await t.contextWith({ CSP_ALLOW_PURCHASES: "false" });
  const a = await createTestCustomer(ctx, "badinput", { emu: t.emu });
  const b = await createTestCustomer(ctx, "badother");
  const subscriptionId = await buyAzurePlan(ctx, t.emu, a.customerId);
  await consentPartnerApp(ctx, a.customerId);
  const user = await createCustomerUser(
    ctx.api().partnerCenter,
    a.customerId,
    {
      userPrincipalName: `principal@${a.domain}`,
      displayName: "Principal",
      usageLocation: "US",
      passwordProfile: { password: `Pw-${randomUUID()}`, forceChangePassword: true },
    },
    randomUUID(),
  );
  const partnerDomain = (await t.emu.admin.state()).directory[t.emu.seed.partnerTenantId]!.domains[0]!;
  const gdap = (displayName: string) =>
    createResource(
      gdapRelationshipHandler,
      {
        displayName,
        customerTenantId: a.customerId,
        duration: "P730D",
        roles: ["Helpdesk Administrator", "User Administrator"],
      },
      ctx,
    );
  const relationship = await gdap("Bad input fixture");
  await t.emu.admin.approveGdapRelationship(relationship.id);
  const pending = await gdap("Bad input pending");
  world = {
    customerId: a.customerId,
    domain: a.domain,
    otherCustomerId: b.customerId,
    otherDomain: b.domain,
    takenPrefix: partnerDomain.replace(/\.onmicrosoft\.com$/i, ""),
    subscriptionId,
    relationshipId: relationship.id,
    adminAgentsGroupId: t.emu.seed.adminAgentsGroupId,
    userId: user.id,
    pendingRelationshipId: pending.id,
  };
  table = badInputTable(world);
  // Everything from here on is checks: the log must show no write call.
  mark = await lastSeq(t.emu.admin);
});
afterAll(async () => {
  const fields = new Set(shape.flatMap((r) => r.cases.map((c) => `${r.resource}.${c.property}`)));
  console.log(
    `bad input: ${tried} invalid inputs tried over ${shape.length} resources and ${fields.size} fields: ${atCheck} refused at check naming the field, ${tried - atCheck} refused by create before any write; write calls sent: ${writeCalls ?? "not counted"}`,
  );
  await t?.stop();
});

async function failuresOf(c: BadCase, olds: object | undefined, news: object) {
  const result = await c.handler.check(
    (olds ?? {}) as Record<string, unknown>,
    news as Record<string, unknown>,
    c.purchasesDisabled ? noPurchases : ctx,
  );
  return result.failures ?? [];
}

describe("bad input is refused at check, naming the field and the rule", () => {
  shape.forEach((resource, ri) => {
    describe(resource.resource, () => {
      it("accepts the valid base inputs (each case below changes one thing)", async () => {
        const real = table[ri]!;
        const result = await real.handler.check({}, real.base, ctx);
        expect(result.failures ?? []).toEqual([]);
      });
      resource.cases.forEach((shapeCase, ci) => {
        it(`${shapeCase.property}: ${shapeCase.label}`, async () => {
          const c = table[ri]!.cases[ci]!;
          tried += 1;
          atCheck += 1;
          const failures = await failuresOf(c, c.olds, c.news);
          const named = failures.filter((f) => f.property === c.property);
          expect(named, `failures: ${JSON.stringify(failures)}`).not.toEqual([]);
          expect(
            named.some((f) => f.reason.includes(c.field) && c.rule.test(f.reason)),
            `no failure of ${c.property} mentions "${c.field}" and ${c.rule}: ${JSON.stringify(named)}`,
          ).toBe(true);
          if (c.secret !== undefined) {
            expect(JSON.stringify(failures)).not.toContain(c.secret);
          }
        });
      });
    });
  });
});

/**
 * Inputs `check` cannot judge because the objects they name may not exist yet during a preview
 * (the subscription, the app's service principal, the relationship's approval): create refuses
 * them after reads, before any write, with the field in the message.
 */
describe("bad input that needs the service's objects is refused by create before any write", () => {
  const GRAPH = "00000003-0000-0000-c000-000000000000";
  const cases: { name: string; create: () => Promise<unknown>; message: RegExp }[] = [
    {
      name: "RoleAssignment roleName: a role the subscription does not define",
      create: () =>
        roleAssignmentHandler.create(
          {
            tenantId: world.customerId,
            scope: `/subscriptions/${world.subscriptionId}`,
            roleName: "Superhero",
            principalId: world.userId,
            principalType: "User",
          },
          ctx,
        ),
      message: /roleName: no role definition named "Superhero"/,
    },
    {
      name: "PermissionGrant appRoles: a permission the resource does not offer",
      create: () =>
        permissionGrantHandler.create(
          {
            tenantId: world.customerId,
            clientAppId: t.emu.seed.clientId,
            resourceAppId: GRAPH,
            appRoles: ["User.Read.Everything"],
          },
          ctx,
        ),
      message: /appRoles\[0\]: "User.Read.Everything" is not an application permission/,
    },
    {
      name: "PermissionGrant delegatedScopes: a scope the resource does not offer",
      create: () =>
        permissionGrantHandler.create(
          {
            tenantId: world.customerId,
            clientAppId: t.emu.seed.clientId,
            resourceAppId: GRAPH,
            delegatedScopes: ["User.Fly"],
          },
          ctx,
        ),
      message: /delegatedScopes\[0\]: "User.Fly" is not a delegated permission/,
    },
    {
      name: "PermissionGrant clientAppId: an application without a service principal in the tenant",
      create: () =>
        permissionGrantHandler.create(
          {
            tenantId: world.customerId,
            clientAppId: "5d9e1f4a-2b3c-4d5e-8f60-718293a4b5c6",
            resourceAppId: GRAPH,
            appRoles: ["User.Read.All"],
          },
          ctx,
        ),
      message: /client application 5d9e1f4a-2b3c-4d5e-8f60-718293a4b5c6 has no service principal/,
    },
    {
      name: "AzureSubscription customerId: a customer without an Azure plan",
      create: () =>
        azureSubscriptionHandler.create(
          { customerId: world.otherCustomerId, displayName: "Production", acknowledgePurchase: true },
          ctx,
        ),
      message: /customer .* has no Azure plan/,
    },
    {
      name: "Customer adopt.customerId: not a customer of the partner",
      create: () =>
        customerHandler.create(
          {
            domainPrefix: "adoptme",
            companyName: "Contoso Ltd",
            billingProfile: testBillingProfile("billing@contoso.example"),
            adopt: { customerId: "5d9e1f4a-2b3c-4d5e-8f60-718293a4b5c6" },
          },
          ctx,
        ),
      message: /adopt.customerId 5d9e1f4a-2b3c-4d5e-8f60-718293a4b5c6 is not a customer/,
    },
    {
      name: "CustomerUser licenses: a SKU the customer does not subscribe to",
      create: () =>
        customerUserHandler.create(
          {
            customerId: world.customerId,
            userPrincipalName: `unlicensed@${world.domain}`,
            displayName: "Unlicensed",
            usageLocation: "US",
            licenses: ["Microsoft 365 Business Premium"],
          },
          ctx,
        ),
      message: /licenses\[0\]: "Microsoft 365 Business Premium" is not a license customer .* subscribes to/,
    },
    {
      name: "GdapAccessAssignment relationshipId: a relationship the customer has not approved",
      create: () =>
        gdapAccessAssignmentHandler.create(
          {
            relationshipId: world.pendingRelationshipId,
            securityGroupId: t.emu.seed.adminAgentsGroupId,
            roles: ["Helpdesk Administrator"],
          },
          ctx,
        ),
      message:
        /waiting for the customer.s approval: .* is approvalPending, and access can be assigned only once the customer has approved it/,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      tried += 1;
      await expect(c.create()).rejects.toThrow(c.message);
    });
  }
});

describe("bad input writes nothing", () => {
  it("the emulator's request log shows no write call (POST, PUT, PATCH, DELETE) for the whole suite", async () => {
    const calls = await t.emu.admin.requestLog({ sinceSeq: mark });
    // Token requests to Entra ID are POSTs that change nothing a program manages.
    const writes = calls.filter((e) => e.service !== "identity" && isWriteCall(e));
    writeCalls = writes.length;
    expect(tried).toBeGreaterThan(0);
    expect(calls.length, "the checks read from the emulator").toBeGreaterThan(0);
    expect(describeCalls(writes)).toBe("");
  });
});
