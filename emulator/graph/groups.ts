import { addGroup, addGroupMember, findPrincipal } from "../common/directory";
import type { DirectoryGroup, DirectoryTenant } from "../common/state";
import type { EmulatorCore, EmuRequest, Route } from "../common/types";
import { entityAnswer, filteredPage, pageAnswer } from "./graphAnswers";
import type { GraphCaller } from "./graphCaller";
import { graphErrors } from "./graphErrors";
import { graphOk, graphRoute, jsonBody, reqString } from "./graphRoute";
import { contextUrl, selectOne } from "./odata";
import { servicePrincipalView } from "./servicePrincipals";
import { userView } from "./users";

/**
 * Microsoft Graph `groups`, minimal: security groups (GDAP access containers, RBAC principals).
 * Create, get, list, delete, and members (list, `$ref` add and remove). Only the group fields the
 * shared directory model keeps are stored; mail fields are derived.
 */

/** Graph JSON of a (security) group. */
export function groupView(g: DirectoryGroup): Record<string, unknown> {
  return {
    id: g.id,
    deletedDateTime: null,
    classification: null,
    createdDateTime: g.createdDateTime,
    description: null,
    displayName: g.displayName,
    groupTypes: [],
    mail: null,
    mailEnabled: false,
    mailNickname: g.displayName.replace(/[^A-Za-z0-9]/g, "") || "group",
    securityEnabled: true,
    securityIdentifier: null,
    visibility: null,
  };
}

function findGroup(tenant: DirectoryTenant, id: string): DirectoryGroup {
  const g = tenant.groups[id];
  if (!g) throw graphErrors.resourceNotFound(id);
  return g;
}

function create(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const body = jsonBody(req);
  const displayName = reqString(body, "displayName", "group");
  reqString(body, "mailNickname", "group");
  if (body.securityEnabled !== true || body.mailEnabled === true) {
    // The emulator models security groups only (what GDAP and RBAC need).
    throw graphErrors.badRequest(
      "Only security groups (securityEnabled true, mailEnabled false) are supported by the emulator.",
    );
  }
  const g = addGroup(caller.tenant, { id: emu.newId(), displayName }, emu.now());
  emu.markDirty();
  return entityAnswer(req, contextUrl(req, "groups/$entity"), groupView(g), 201);
}

function get(req: EmuRequest, _emu: EmulatorCore, caller: GraphCaller) {
  const g = findGroup(caller.tenant, req.params.id);
  return entityAnswer(req, contextUrl(req, "groups/$entity"), selectOne(req, groupView(g)));
}

function list(req: EmuRequest, _emu: EmulatorCore, caller: GraphCaller) {
  const filterable = ["displayName", "id", "securityEnabled", "mailEnabled", "mailNickname"];
  return filteredPage(req, contextUrl(req, "groups"), filterable, () =>
    Object.values(caller.tenant.groups).map(groupView),
  );
}

function remove(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const g = findGroup(caller.tenant, req.params.id);
  delete caller.tenant.groups[g.id];
  emu.markDirty();
  return graphOk(req, 204);
}

function members(req: EmuRequest, _emu: EmulatorCore, caller: GraphCaller) {
  const g = findGroup(caller.tenant, req.params.id);
  const t = caller.tenant;
  const items: Record<string, unknown>[] = [];
  for (const id of g.memberIds) {
    if (t.users[id]) items.push({ "@odata.type": "#microsoft.graph.user", ...userView(t.users[id]) });
    else if (t.groups[id])
      items.push({ "@odata.type": "#microsoft.graph.group", ...groupView(t.groups[id]) });
    else if (t.servicePrincipals[id]) {
      items.push({
        "@odata.type": "#microsoft.graph.servicePrincipal",
        ...servicePrincipalView(t.servicePrincipals[id]),
      });
    }
  }
  return pageAnswer(req, contextUrl(req, "directoryObjects"), items);
}

function addMember(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const g = findGroup(caller.tenant, req.params.id);
  const ref = reqString(jsonBody(req), "@odata.id", "reference");
  const memberId =
    ref
      .split("/")
      .pop()
      ?.replace(/^directoryObjects\(|'|\)$/g, "") ?? "";
  if (!findPrincipal(caller.tenant, memberId)) throw graphErrors.resourceNotFound(memberId);
  if (g.memberIds.includes(memberId)) {
    throw graphErrors.badRequest(
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
  }
  addGroupMember(g, memberId);
  emu.markDirty();
  return graphOk(req, 204);
}

function removeMember(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const g = findGroup(caller.tenant, req.params.id);
  const idx = g.memberIds.indexOf(req.params.memberId);
  if (idx < 0) throw graphErrors.resourceNotFound(req.params.memberId);
  g.memberIds.splice(idx, 1);
  emu.markDirty();
  return graphOk(req, 204);
}

/** Routes of the `groups` entity set. */
export const groupRoutes: Route[] = [
  graphRoute("GET", "/v1.0/groups", "groupsRead", list),
  graphRoute("POST", "/v1.0/groups", "groupsWrite", create),
  graphRoute("GET", "/v1.0/groups/:id", "groupsRead", get),
  graphRoute("DELETE", "/v1.0/groups/:id", "groupsWrite", remove),
  graphRoute("GET", "/v1.0/groups/:id/members", "groupsRead", members),
  graphRoute("POST", "/v1.0/groups/:id/members/$ref", "groupsWrite", addMember),
  graphRoute("DELETE", "/v1.0/groups/:id/members/:memberId/$ref", "groupsWrite", removeMember),
];
