import type { GdapRelationshipRecord } from "../common/state";
import type { EmulatorCore, EmuRequest } from "../common/types";
import { customerApprovalLink, refreshRelationship } from "./gdapModel";
import { type GraphCaller, PERMISSIONS, requireCaller, requirePermission } from "./graphCaller";
import { GraphError } from "./graphError";
import { isObject } from "./graphRoute";

/** Base path of the GDAP API under the Graph service. */
export const GDAP_BASE = "/v1.0/tenantRelationships/delegatedAdminRelationships";

/** `badRequest` as the GDAP service spells it (observed: "Error badRequest! The passed in … is invalid."). */
export function gdapBadRequest(message: string): GraphError {
  return new GraphError(400, "badRequest", message);
}

/**
 * Verifies a GDAP caller: a Graph token of a partner tenant with a GDAP permission. Writes need an
 * app+user token with `DelegatedAdminRelationship.ReadWrite.All` of an admin agent. [U] Earlier
 * text of "Create delegatedAdminRelationship"
 * (https://learn.microsoft.com/graph/api/tenantrelationship-post-delegatedadminrelationships) did
 * not support the application permission; the current page lists it, given the Partner Customer
 * Delegated Administration service principal. Chosen (team contract): app-only writes are refused.
 */
export function gdapCaller(req: EmuRequest, emu: EmulatorCore, write: boolean): GraphCaller {
  const caller = requireCaller(req, emu);
  requirePermission(caller, write ? PERMISSIONS.gdapWrite : PERMISSIONS.gdapRead);
  const tid = caller.tenant.id;
  const isPartner = caller.tenant.kind === "partner" || emu.state.partnerCenter.partners[tid] !== undefined;
  if (!isPartner) {
    throw new GraphError(403, "Authorization_RequestDenied", "The tenant is not a Microsoft partner tenant.");
  }
  if (write) {
    const user = caller.tenant.users[caller.claims.oid];
    if (!user?.adminAgent) {
      throw new GraphError(
        403,
        "Authorization_RequestDenied",
        "The signed-in user must be an admin agent of the partner tenant to manage delegated admin relationships.",
      );
    }
  }
  return caller;
}

/** The caller's relationship `id`, refreshed to `now` (404 when it is not the caller's). */
export function findRelationship(emu: EmulatorCore, caller: GraphCaller, id: string): GdapRelationshipRecord {
  const rec = emu.state.gdap[id];
  if (!rec || rec.partnerTenantId !== caller.tenant.id) {
    // [U] code for an unknown relationship id: 404 notFound assumed.
    throw new GraphError(404, "notFound", `The delegated admin relationship '${id}' was not found.`);
  }
  if (refreshRelationship(rec, emu.now())) emu.markDirty();
  return rec;
}

/** Graph JSON of a relationship, with its ETag and the customer approval link. */
export function relationshipView(rec: GdapRelationshipRecord): Record<string, unknown> {
  const view: Record<string, unknown> = {
    "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
    "@odata.etag": rec.etag,
    ...rec.resource,
  };
  const status = rec.resource.status;
  if (status === "created" || status === "approvalPending") {
    // Emulator-only instance annotation (ignored by OData clients): the link the partner shares with
    // the customer's Global Administrator. A real client builds it from the id; format [U].
    view["@emulator.customerApprovalLink"] = customerApprovalLink(String(rec.resource.id));
  }
  return view;
}

/**
 * Checks `If-Match` against the current ETag: required (400 when absent), `*` or the exact value
 * accepted, 412 `preconditionFailed` otherwise ([U] codes; the docs only say the header is required).
 */
export function checkIfMatch(req: EmuRequest, etag: string): void {
  const h = req.headers["if-match"];
  if (h === undefined || h.trim() === "") {
    throw gdapBadRequest("The If-Match header is required; send the @odata.etag of the object.");
  }
  const values = h.split(",").map((v) => v.trim());
  if (values.includes("*") || values.includes(etag)) return;
  throw new GraphError(
    412,
    "preconditionFailed",
    "The If-Match ETag does not match the current version of the object; read it again and retry.",
  );
}

/** `accessDetails.unifiedRoles` of a body, validated: a non-empty list of GUID role ids (lower-cased). */
export function parseUnifiedRoles(value: unknown): string[] {
  if (!isObject(value) || !Array.isArray(value.unifiedRoles) || value.unifiedRoles.length === 0) {
    throw gdapBadRequest("accessDetails.unifiedRoles must list at least one role (roleDefinitionId).");
  }
  const ids: string[] = [];
  for (const r of value.unifiedRoles) {
    const id = isObject(r) ? r.roleDefinitionId : undefined;
    if (
      typeof id !== "string" ||
      !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
    ) {
      throw gdapBadRequest("Each unifiedRoles entry needs a roleDefinitionId that is a role template GUID.");
    }
    if (!ids.includes(id.toLowerCase())) ids.push(id.toLowerCase());
  }
  return ids;
}

/** `{unifiedRoles:[{roleDefinitionId}]}` from role ids. */
export function accessDetailsOf(roleIds: string[]): Record<string, unknown> {
  return { unifiedRoles: roleIds.map((roleDefinitionId) => ({ roleDefinitionId })) };
}
