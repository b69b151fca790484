import type { EmulatorState } from "../../../emulator/index";
import { applicationRegistrationHandler } from "../../../provider/handlers/directory/applicationRegistration";
import { customerUserHandler } from "../../../provider/handlers/directory/customerUser";
import { createTestCustomer } from "../../support/identityFixtures";
import { erase, type FaultLane, type Json } from "./faultKit";
import type { FaultRow, Finding, Held, Prepared } from "./faultTableKit";
import {
  checkedInputs,
  consentedCustomer,
  count,
  create,
  HELPDESK,
  heldUser,
  oneUser,
  same,
  servicePrincipalsOf,
  tenant,
  userInputs,
} from "./faultTableKit";

/**
 * Fault-matrix rows of the customer's directory: every write of CustomerUser and
 * ApplicationRegistration (create, update, delete).
 */

function appsWithTag(s: EmulatorState, tenantId: string, tag: string) {
  return Object.values(tenant(s, tenantId).applications).filter((a) =>
    ((a.properties["tags"] as string[] | undefined) ?? []).includes(tag),
  );
}

function oneApplication(s: EmulatorState, customerId: string, result: Held) {
  const apps = appsWithTag(s, customerId, String(result.state["marker"]));
  return {
    app: apps[0],
    findings: [
      count("applications with the marker", apps.length, 1),
      count(
        "service principals of the application",
        servicePrincipalsOf(s, customerId, String(result.state["appId"])).length,
        1,
      ),
      ...same("application object id", apps[0]?.id, result.id),
      ...same(
        "service principal id",
        servicePrincipalsOf(s, customerId, String(result.state["appId"]))[0]?.id,
        result.state["servicePrincipalId"],
      ),
    ] as Finding[],
  };
}

export const userRows: FaultRow[] = [
  {
    resource: "CustomerUser",
    operation: "create",
    handler: erase(customerUserHandler),
    service: "partnerCenter",
    method: "POST",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/users$`,
    repeatable: true,
    async prepare(lane) {
      const { customerId, domain } = await createTestCustomer(lane.setup, "fault", { emu: lane.t.emu });
      const inputs = await checkedInputs(
        erase(customerUserHandler),
        {},
        userInputs(customerId, domain, "Fault User"),
        lane.setup,
      );
      return { ids: { customerId, upn: `fault.user@${domain}` }, inputs };
    },
    expect: (s, p, result) => oneUser(s, p.ids["customerId"]!, p.ids["upn"]!, result).findings,
  },
  {
    resource: "CustomerUser",
    operation: "update",
    step: "profile",
    handler: erase(customerUserHandler),
    service: "partnerCenter",
    method: "PATCH",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/users/${p.ids["userId"]}$`,
    repeatable: true,
    prepare: (lane) => heldUser(lane, (c, d) => userInputs(c, d, "Renamed User")),
    expect(s, p, result) {
      const { users, findings } = oneUser(s, p.ids["customerId"]!, p.ids["upn"]!, result);
      return [...findings, ...same("display name", users[0]?.displayName, "Renamed User")];
    },
  },
  {
    resource: "CustomerUser",
    operation: "update",
    step: "directory role",
    handler: erase(customerUserHandler),
    service: "partnerCenter",
    method: "POST",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/directoryroles/[^/]+/usermembers$`,
    repeatable: true,
    prepare: (lane) => heldUser(lane, (c, d) => userInputs(c, d, "Fault User", ["Helpdesk Administrator"])),
    expect(s, p, result) {
      const members = tenant(s, p.ids["customerId"]!).directoryRoleMembers[HELPDESK] ?? [];
      return [
        ...oneUser(s, p.ids["customerId"]!, p.ids["upn"]!, result).findings,
        count(
          "Helpdesk Administrator memberships of the user",
          members.filter((m) => m === result.id).length,
          1,
        ),
        ...same("state role ids", result.state["roleIds"], [HELPDESK]),
      ];
    },
  },
  {
    resource: "CustomerUser",
    operation: "delete",
    step: "soft delete",
    handler: erase(customerUserHandler),
    service: "partnerCenter",
    method: "DELETE",
    pattern: (p) => `^/v1/customers/${p.ids["customerId"]}/users/${p.ids["userId"]}$`,
    repeatable: true,
    prepare: (lane) => heldUser(lane, (c, d) => userInputs(c, d, "Fault User")),
    expect: (s, p, result) => oneUser(s, p.ids["customerId"]!, p.ids["upn"]!, result, "inactive").findings,
  },
];

async function heldApplication(lane: FaultLane, next: Json): Promise<Prepared> {
  const { customerId } = await consentedCustomer(lane.setup, { emu: lane.t.emu });
  const base = { tenantId: customerId, displayName: "Fault app" };
  const existing = await create(erase(applicationRegistrationHandler), base, lane.setup);
  const inputs = await checkedInputs(
    erase(applicationRegistrationHandler),
    existing.inputs,
    { ...base, ...next },
    lane.setup,
  );
  return { ids: { customerId, objectId: existing.id }, inputs, existing };
}

async function newApplication(lane: FaultLane, extra: Json = {}): Promise<Prepared> {
  const { customerId } = await consentedCustomer(lane.setup, { emu: lane.t.emu });
  const inputs = await checkedInputs(
    erase(applicationRegistrationHandler),
    {},
    { tenantId: customerId, displayName: "Fault app", ...extra },
    lane.setup,
  );
  return { ids: { customerId }, inputs };
}

export const applicationRows: FaultRow[] = [
  {
    resource: "ApplicationRegistration",
    operation: "create",
    step: "application upsert (PATCH by uniqueName)",
    handler: erase(applicationRegistrationHandler),
    service: "graph",
    method: "PATCH",
    pattern: () => "^/v1.0/applications\\(uniqueName='[^']+'\\)$",
    repeatable: true,
    prepare: (lane) => newApplication(lane),
    expect: (s, p, result) => oneApplication(s, p.ids["customerId"]!, result).findings,
  },
  {
    resource: "ApplicationRegistration",
    operation: "create",
    step: "service principal POST",
    handler: erase(applicationRegistrationHandler),
    service: "graph",
    method: "POST",
    pattern: () => "^/v1.0/servicePrincipals$",
    repeatable: false,
    prepare: (lane) => newApplication(lane),
    expect: (s, p, result) => oneApplication(s, p.ids["customerId"]!, result).findings,
  },
  {
    resource: "ApplicationRegistration",
    operation: "create",
    step: "client secret (addPassword)",
    handler: erase(applicationRegistrationHandler),
    service: "graph",
    method: "POST",
    pattern: () => "^/v1.0/applications/[^/]+/addPassword$",
    repeatable: false,
    prepare: (lane) => newApplication(lane, { passwordCredential: { displayName: "ci" } }),
    expect(s, p, result) {
      const { app, findings } = oneApplication(s, p.ids["customerId"]!, result);
      const creds = app?.passwordCredentials ?? [];
      return [
        ...findings,
        count("client secrets of the application", creds.length, 1),
        ...same("client secret key id", creds[0]?.keyId, result.state["clientSecretKeyId"]),
        ...(typeof result.state["clientSecret"] === "string" ? [] : ["the state holds no client secret"]),
      ];
    },
  },
  {
    resource: "ApplicationRegistration",
    operation: "update",
    step: "PATCH",
    handler: erase(applicationRegistrationHandler),
    service: "graph",
    method: "PATCH",
    pattern: (p) => `^/v1.0/applications/${p.ids["objectId"]}$`,
    repeatable: true,
    prepare: (lane) => heldApplication(lane, { redirectUris: ["https://app.contoso.example/callback"] }),
    expect(s, p, result) {
      const { app, findings } = oneApplication(s, p.ids["customerId"]!, result);
      return [
        ...findings,
        ...same(
          "redirect URIs",
          (app?.properties["web"] as { redirectUris?: string[] } | undefined)?.redirectUris,
          ["https://app.contoso.example/callback"],
        ),
      ];
    },
  },
  {
    resource: "ApplicationRegistration",
    operation: "delete",
    step: "application DELETE",
    handler: erase(applicationRegistrationHandler),
    service: "graph",
    method: "DELETE",
    pattern: (p) => `^/v1.0/applications/${p.ids["objectId"]}$`,
    repeatable: true,
    prepare: (lane) => heldApplication(lane, {}),
    expect: (s, p, result) => [
      count(
        "applications with the marker",
        appsWithTag(s, p.ids["customerId"]!, String(result.state["marker"])).length,
        0,
      ),
      count(
        "service principals of the application",
        servicePrincipalsOf(s, p.ids["customerId"]!, String(result.state["appId"])).length,
        0,
      ),
    ],
  },
];
