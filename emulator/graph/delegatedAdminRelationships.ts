import { ENTRA_ROLES } from "../common/entraRoles";
import { isGuid, isObject } from "../common/json";
import type { GdapRelationshipRecord } from "../common/state";
import type { EmulatorCore, EmuRequest, Route } from "../common/types";
import { approveRelationship } from "./gdapAdmin";
import {
  accessDetailsOf,
  checkIfMatch,
  findRelationship,
  GDAP_BASE,
  parseUnifiedRoles,
  relationshipView,
} from "./gdapCommon";
import { gdapTime, newGdapEtag, refreshRelationship, roleIdsOf } from "./gdapModel";
import { entityAnswer, filteredPage, pageAnswer } from "./graphAnswers";
import type { GraphCaller } from "./graphCaller";
import { graphErrors } from "./graphErrors";
import { graphOk, graphRoute, jsonBody } from "./graphRoute";
import { addIsoDuration, isZeroDuration, parseIsoDuration } from "./isoDuration";

/**
 * GDAP relationships (Graph `tenantRelationships/delegatedAdminRelationships`, "Create
 * delegatedAdminRelationship",
 * https://learn.microsoft.com/graph/api/tenantrelationship-post-delegatedadminrelationships,
 * vectors 19–20): create (201 + Location + `@odata.etag`, status `created`), get, list, PATCH
 * (`created`: everything; `active`: autoExtendDuration only; If-Match), DELETE (`created` only,
 * If-Match required, 204), `requests` (lockForApproval, terminate) and `operations`.
 */

const AUTO_EXTEND_VALUES = new Set(["PT0S", "P0D", "P180D"]);
const MAX_DISPLAY_NAME = 50;
const UPDATABLE_WHEN_CREATED = new Set([
  "displayName",
  "duration",
  "customer",
  "accessDetails",
  "autoExtendDuration",
]);

function ctx(req: EmuRequest, fragment: string): string {
  return `${req.baseUrl}/v1.0/tenantRelationships/$metadata#${fragment}`;
}

/** A relationship as one entity. */
function relationshipAnswer(
  req: EmuRequest,
  rec: GdapRelationshipRecord,
  status = 200,
  headers?: Record<string, string>,
) {
  return entityAnswer(
    req,
    ctx(req, "delegatedAdminRelationships/$entity"),
    relationshipView(rec),
    status,
    headers,
  );
}

function validateDisplayName(
  emu: EmulatorCore,
  partnerTenantId: string,
  name: unknown,
  selfId?: string,
): string {
  if (typeof name !== "string" || name.trim() === "")
    throw graphErrors.gdapBadRequest("displayName is required.");
  if (name.length > MAX_DISPLAY_NAME) {
    throw graphErrors.gdapBadRequest(`displayName must be at most ${MAX_DISPLAY_NAME} characters long.`);
  }
  const taken = Object.values(emu.state.gdap).some(
    (r) =>
      r.partnerTenantId === partnerTenantId &&
      r.resource.id !== selfId &&
      String(r.resource.displayName).toLowerCase() === name.toLowerCase(),
  );
  if (taken) {
    throw graphErrors.gdapBadRequest(
      `A delegated admin relationship named '${name}' already exists; displayName must be unique across the partner's relationships.`,
    );
  }
  return name;
}

function validateDuration(value: unknown, from: Date): string {
  const d = typeof value === "string" ? parseIsoDuration(value) : undefined;
  if (!d || typeof value !== "string")
    throw graphErrors.gdapBadRequest("duration must be an ISO 8601 duration between P1D and P2Y.");
  const end = addIsoDuration(from, d).getTime();
  const min = addIsoDuration(from, {
    years: 0,
    months: 0,
    weeks: 0,
    days: 1,
    hours: 0,
    minutes: 0,
    seconds: 0,
  }).getTime();
  const max = addIsoDuration(from, {
    years: 2,
    months: 0,
    weeks: 0,
    days: 0,
    hours: 0,
    minutes: 0,
    seconds: 0,
  }).getTime();
  if (end < min || end > max)
    throw graphErrors.gdapBadRequest(`duration '${value}' is outside the allowed range P1D to P2Y.`);
  return value;
}

function validateAutoExtend(value: unknown, roleIds: string[]): string {
  if (value === undefined || value === null) return "PT0S";
  if (typeof value !== "string" || !AUTO_EXTEND_VALUES.has(value)) {
    throw graphErrors.gdapBadRequest("autoExtendDuration must be PT0S, P0D or P180D.");
  }
  const d = parseIsoDuration(value)!;
  if (!isZeroDuration(d) && roleIds.includes(ENTRA_ROLES.globalAdministrator.id)) {
    throw graphErrors.gdapBadRequest(
      "Relationships that include the Global Administrator role cannot be auto-extended.",
    );
  }
  return value;
}

function parseCustomer(emu: EmulatorCore, value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || typeof value.tenantId !== "string" || !isGuid(value.tenantId)) {
    throw graphErrors.gdapBadRequest("customer.tenantId must be a tenant GUID.");
  }
  const tenantId = value.tenantId.toLowerCase();
  const known = emu.state.directory[tenantId];
  const displayName =
    typeof value.displayName === "string" ? value.displayName : (known?.displayName ?? null);
  return { tenantId, displayName };
}

function create(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const body = jsonBody(req);
  const now = emu.now();
  const partnerTenantId = caller.tenant.id;
  const displayName = validateDisplayName(emu, partnerTenantId, body.displayName);
  const duration = validateDuration(body.duration, now);
  const roleIds = parseUnifiedRoles(body.accessDetails);
  const autoExtendDuration = validateAutoExtend(body.autoExtendDuration, roleIds);
  const customer = parseCustomer(emu, body.customer);
  // Id format `<customer tenant id>-<guid>` as in the published samples; without a customer the
  // emulator uses a random GUID as the first half [U].
  const id = `${(customer?.tenantId as string | undefined) ?? emu.newId()}-${emu.newId()}`;
  const stamp = gdapTime(now);
  const resource: Record<string, unknown> = {
    id,
    displayName,
    duration,
    customer: customer ?? null,
    accessDetails: accessDetailsOf(roleIds),
    status: "created",
    autoExtendDuration,
    createdDateTime: stamp,
    lastModifiedDateTime: stamp,
    // Not activated yet. The published sample shows "" here; the emulator answers null [U].
    activatedDateTime: null,
    endDateTime: gdapTime(addIsoDuration(now, parseIsoDuration(duration)!)),
  };
  const rec: GdapRelationshipRecord = {
    partnerTenantId,
    resource,
    etag: newGdapEtag(),
    accessAssignments: {},
    requests: {},
  };
  emu.state.gdap[id] = rec;
  emu.markDirty();
  const location = `${req.baseUrl}${GDAP_BASE}/${id}`;
  return relationshipAnswer(req, rec, 201, { location });
}

function get(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const rec = findRelationship(emu, caller, req.params.id);
  return relationshipAnswer(req, rec);
}

function list(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const filterable = ["status", "displayName", "id", "customer/tenantId", "customer/displayName"];
  const views = () => {
    const now = emu.now();
    return Object.values(emu.state.gdap)
      .filter((r) => r.partnerTenantId === caller.tenant.id)
      .map((rec) => {
        if (refreshRelationship(rec, now)) emu.markDirty();
        return relationshipView(rec);
      });
  };
  return filteredPage(req, ctx(req, "delegatedAdminRelationships"), filterable, views, {
    defaultTop: 300,
    maxTop: 300,
  });
}

function update(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const rec = findRelationship(emu, caller, req.params.id);
  checkIfMatch(req, rec.etag);
  const body = jsonBody(req);
  const r = rec.resource;
  const keys = Object.keys(body).filter((k) => !k.startsWith("@odata."));
  if (r.status === "active") {
    // Only autoExtendDuration can change once active (Graph "Update delegatedAdminRelationship").
    if (keys.some((k) => k !== "autoExtendDuration")) {
      throw graphErrors.gdapBadRequest(
        "Only autoExtendDuration can be updated while the relationship is active.",
      );
    }
  } else if (r.status !== "created") {
    throw graphErrors.gdapBadRequest(`The relationship cannot be updated in status '${String(r.status)}'.`);
  }
  for (const k of keys) {
    if (!UPDATABLE_WHEN_CREATED.has(k))
      throw graphErrors.gdapBadRequest(`Property '${k}' cannot be updated.`);
  }
  const now = emu.now();
  const next = structuredClone(r);
  if ("displayName" in body)
    next.displayName = validateDisplayName(emu, rec.partnerTenantId, body.displayName, String(r.id));
  if ("duration" in body) {
    next.duration = validateDuration(body.duration, now);
    next.endDateTime = gdapTime(
      addIsoDuration(
        new Date(Date.parse(String(r.createdDateTime))),
        parseIsoDuration(String(next.duration))!,
      ),
    );
  }
  if ("accessDetails" in body) next.accessDetails = accessDetailsOf(parseUnifiedRoles(body.accessDetails));
  if ("customer" in body) next.customer = parseCustomer(emu, body.customer) ?? null;
  if ("autoExtendDuration" in body || "accessDetails" in body) {
    next.autoExtendDuration = validateAutoExtend(
      body.autoExtendDuration ?? r.autoExtendDuration,
      roleIdsOf(next),
    );
  }
  next.lastModifiedDateTime = gdapTime(now);
  rec.resource = next;
  rec.etag = newGdapEtag();
  emu.markDirty();
  return relationshipAnswer(req, rec);
}

function remove(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const rec = findRelationship(emu, caller, req.params.id);
  checkIfMatch(req, rec.etag);
  if (rec.resource.status !== "created") {
    throw graphErrors.gdapBadRequest(
      `Only relationships in status 'created' can be deleted; this one is '${String(rec.resource.status)}'. Terminate an active relationship instead.`,
    );
  }
  delete emu.state.gdap[req.params.id];
  emu.markDirty();
  return graphOk(req, 204);
}

function postRequest(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const rec = findRelationship(emu, caller, req.params.id);
  const action = jsonBody(req).action;
  const r = rec.resource;
  const now = emu.now();
  const stamp = gdapTime(now);
  if (action === "lockForApproval") {
    if (r.status !== "created") {
      throw graphErrors.gdapBadRequest(
        `lockForApproval needs a relationship in status 'created'; it is '${String(r.status)}'.`,
      );
    }
    r.status = "approvalPending";
  } else if (action === "terminate") {
    if (r.status !== "active") {
      throw graphErrors.gdapBadRequest(
        `terminate needs a relationship in status 'active'; it is '${String(r.status)}'.`,
      );
    }
    r.status = "terminationRequested";
  } else {
    throw graphErrors.gdapBadRequest("action must be 'lockForApproval' or 'terminate'.");
  }
  r.lastModifiedDateTime = stamp;
  rec.etag = newGdapEtag();
  const request = {
    id: emu.newId(),
    action,
    status: "created",
    createdDateTime: stamp,
    lastModifiedDateTime: stamp,
  };
  rec.requests[request.id] = request;
  // Emulator setting standing for a customer who approves at once (state.ts, autoApproveGdap).
  if (action === "lockForApproval" && emu.state.settings.autoApproveGdap) {
    approveRelationship(emu.state, String(r.id), now);
  }
  emu.markDirty();
  const context = ctx(req, `delegatedAdminRelationships('${String(r.id)}')/requests/$entity`);
  return entityAnswer(req, context, childView("requests", request), 201, {
    location: `${req.baseUrl}${GDAP_BASE}/${String(r.id)}/requests/${request.id}`,
  });
}

/**
 * A relationship keeps its requests (with an `action`) and its operations (with an
 * `operationType`) in one record; each kind is listed and read alike.
 */
const CHILDREN = {
  requests: {
    key: "action",
    param: "requestId",
    noun: "request",
    odataType: "delegatedAdminRelationshipRequest",
  },
  operations: {
    key: "operationType",
    param: "operationId",
    noun: "operation",
    odataType: "delegatedAdminRelationshipOperation",
  },
} as const;

type ChildKind = keyof typeof CHILDREN;

function childView(kind: ChildKind, child: Record<string, unknown>): Record<string, unknown> {
  return { "@odata.type": `#microsoft.graph.${CHILDREN[kind].odataType}`, ...child };
}

/** `GET …/{id}/requests` or `…/{id}/operations`. */
function listChildren(kind: ChildKind) {
  return (req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) => {
    const rec = findRelationship(emu, caller, req.params.id);
    const items = Object.values(rec.requests)
      .filter((x) => CHILDREN[kind].key in x)
      .map((x) => childView(kind, x));
    return pageAnswer(req, ctx(req, `delegatedAdminRelationships('${req.params.id}')/${kind}`), items);
  };
}

/** `GET …/{id}/requests/{requestId}` or `…/{id}/operations/{operationId}`; 404 `notFound` for another id. */
function getChild(kind: ChildKind) {
  return (req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) => {
    const { key, param, noun } = CHILDREN[kind];
    const rec = findRelationship(emu, caller, req.params.id);
    const child = rec.requests[req.params[param]];
    if (!child || !(key in child)) {
      throw graphErrors.gdapNotFound(`The ${noun} '${req.params[param]}' was not found.`);
    }
    const context = ctx(req, `delegatedAdminRelationships('${req.params.id}')/${kind}/$entity`);
    return entityAnswer(req, context, childView(kind, child));
  };
}

/** Routes of GDAP relationships, their requests and operations. */
export const delegatedAdminRelationshipRoutes: Route[] = [
  graphRoute("POST", GDAP_BASE, "gdapWrite", create),
  graphRoute("GET", GDAP_BASE, "gdapRead", list),
  graphRoute("GET", `${GDAP_BASE}/:id`, "gdapRead", get),
  graphRoute("PATCH", `${GDAP_BASE}/:id`, "gdapWrite", update),
  graphRoute("DELETE", `${GDAP_BASE}/:id`, "gdapWrite", remove),
  graphRoute("POST", `${GDAP_BASE}/:id/requests`, "gdapWrite", postRequest),
  graphRoute("GET", `${GDAP_BASE}/:id/requests`, "gdapRead", listChildren("requests")),
  graphRoute("GET", `${GDAP_BASE}/:id/requests/:requestId`, "gdapRead", getChild("requests")),
  graphRoute("GET", `${GDAP_BASE}/:id/operations`, "gdapRead", listChildren("operations")),
  graphRoute("GET", `${GDAP_BASE}/:id/operations/:operationId`, "gdapRead", getChild("operations")),
];

/** Refreshes all relationships (used by the admin API before snapshots; exported for tests). */
export function refreshAllRelationships(emu: EmulatorCore): void {
  for (const rec of Object.values(emu.state.gdap)) if (refreshRelationship(rec, emu.now())) emu.markDirty();
}
