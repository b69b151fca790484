import { describe, expect, it } from "vitest";
import {
  createRelationship,
  postRelationshipRequest,
} from "../../provider/clients/graph/delegatedAdminRelationships";
import { applicationConsentHandler } from "../../provider/handlers/directory/applicationConsent";
import { customerUserHandler } from "../../provider/handlers/directory/customerUser";
import { useEmulator } from "../support/emulatorContext";
import {
  createTestCustomer,
  GRAPH,
  isWriteMethod,
  PARTNER_APP_GRAPH_SCOPES,
  USER_ADMINISTRATOR,
} from "../support/identityFixtures";

/**
 * Customer users and consents without the GDAP role Partner Center needs: the handler fails with
 * Partner Center's refusal (service, status, code, request id) and a hint naming the missing role
 * and the relationship or security group through which to get it; nothing is written.
 */

const t = useEmulator();

const lastSeq = () => t.lastSeq();

/** Partner Center writes since `seq` that succeeded (a refused write changes nothing). */
async function acceptedWrites(seq: number): Promise<number> {
  const log = await t.emu.admin.requestLog({ sinceSeq: seq, service: "partnerCenter" });
  return log.filter((e) => isWriteMethod(e) && e.status < 400).length;
}

function userInputs(customerId: string, domain: string, roles: string[] = []) {
  return { customerId, userPrincipalName: `ops@${domain}`, displayName: "Ops", usageLocation: "US", roles };
}

describe("GDAP refusals", () => {
  it("without any relationship: names the roles and says to declare and approve one", async () => {
    const { customerId, domain } = await createTestCustomer(t.ctx, "nogdap");
    const seq = await lastSeq();
    const error = await customerUserHandler.create(userInputs(customerId, domain), t.ctx).catch((e) => e);
    expect(error).toMatchObject({ service: "partnerCenter", status: 403, serviceCode: "900308" });
    // The create writes first (a taken UPN answers with a conflict): the POST is what is refused.
    expect(error.message).toMatch(
      /^Partner Center: POST \S+\/users failed: .*\(HTTP 403, code 900308, request id [^,)]+[,)]/,
    );
    expect(error.hint).toContain("needs one of the GDAP roles User Administrator, Directory Writers");
    expect(error.hint).toContain("the partner has no GDAP relationship with this customer");
    expect(error.hint).toContain("GdapAccessAssignment");
    expect(await acceptedWrites(seq)).toBe(0);
  });

  it("with an approved relationship holding the role but no access assignment: names the relationship to assign", async () => {
    const { customerId, domain } = await createTestCustomer(t.ctx, "noassign");
    const graph = t.ctx.api().graph;
    const relationship = await createRelationship(graph, {
      displayName: `noassign-${Date.now().toString(36)}`,
      duration: "P730D",
      customer: { tenantId: customerId },
      accessDetails: { unifiedRoles: [{ roleDefinitionId: USER_ADMINISTRATOR }] },
      autoExtendDuration: "PT0S",
    });
    await postRelationshipRequest(graph, relationship.id, "lockForApproval");
    const pending = await customerUserHandler.create(userInputs(customerId, domain), t.ctx).catch((e) => e);
    expect(pending.hint).toContain(
      `but is approvalPending: a Global Administrator of the customer must approve it at`,
    );
    expect(pending.hint).toContain(relationship.id);

    await t.emu.admin.approveGdapRelationship(relationship.id);
    const error = await customerUserHandler.create(userInputs(customerId, domain), t.ctx).catch((e) => e);
    expect(error).toMatchObject({ status: 403, code: "CSP_AUTH_ERROR", serviceCode: "900308" });
    expect(error.hint).toContain(
      `GDAP relationship "${relationship.displayName}" (${relationship.id}) is active and holds User Administrator`,
    );
    expect(error.hint).toContain(`GdapAccessAssignment with relationshipId "${relationship.id}"`);
  });

  it("with User Administrator only: the user is created, its directory role needs Privileged Role Administrator", async () => {
    const { customerId, domain } = await createTestCustomer(t.ctx, "norole", {
      emu: t.emu,
      roles: [USER_ADMINISTRATOR],
    });
    const error = await customerUserHandler
      .create(userInputs(customerId, domain, ["Helpdesk Administrator"]), t.ctx)
      .catch((e) => e);
    // A partial create: the user exists, the next run finishes it once the role is granted.
    expect(error.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toContain("run `pulumi up` again to finish it");
    expect(error.cause.hint).toContain("needs one of the GDAP roles Privileged Role Administrator");
    // Its relationship does not hold the role: one that does must be declared and approved.
    expect(error.cause.hint).toMatch(
      /the relationships with this customer, "test-\S+" active, hold none of them/,
    );
  });

  it("a consent of Microsoft Graph application permissions needs Privileged Role Administrator", async () => {
    const { customerId } = await createTestCustomer(t.ctx, "noconsent", {
      emu: t.emu,
      roles: [USER_ADMINISTRATOR],
    });
    const seq = await lastSeq();
    const error = await applicationConsentHandler
      .create(
        {
          customerId,
          displayName: "Partner automation",
          grants: [{ enterpriseApplicationId: GRAPH, scopes: PARTNER_APP_GRAPH_SCOPES }],
        },
        t.ctx,
      )
      .catch((e) => e);
    expect(error).toMatchObject({ service: "partnerCenter", status: 403, serviceCode: "900308" });
    expect(error.hint).toContain(
      "Cloud Application Administrator, Application Administrator, Privileged Role Administrator",
    );
    expect(error.hint).toContain(
      "Microsoft Graph application permissions needs Privileged Role Administrator",
    );
    expect(await acceptedWrites(seq)).toBe(0);
  });
});
