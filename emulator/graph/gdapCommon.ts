import { isGuid, isObject } from "../common/json";
import type { GdapRelationshipRecord } from "../common/state";
import type { EmulatorCore, EmuRequest } from "../common/types";
import { customerApprovalLink, refreshRelationship } from "./gdapModel";
import type { GraphCaller } from "./graphCaller";
import { graphErrors } from "./graphErrors";

/** Base path of the GDAP API under the Graph service. */
export const GDAP_BASE = "/v1.0/tenantRelationships/delegatedAdminRelationships";

/** The caller's relationship `id`, refreshed to `now` (404 when it is not the caller's). */
export function findRelationship(emu: EmulatorCore, caller: GraphCaller, id: string): GdapRelationshipRecord {
  const rec = emu.state.gdap[id];
  if (!rec || rec.partnerTenantId !== caller.tenant.id) {
    // [U] code for an unknown relationship id: 404 notFound assumed.
    throw graphErrors.gdapNotFound(`The delegated admin relationship '${id}' was not found.`);
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
    throw graphErrors.gdapBadRequest("The If-Match header is required; send the @odata.etag of the object.");
  }
  const values = h.split(",").map((v) => v.trim());
  if (values.includes("*") || values.includes(etag)) return;
  throw graphErrors.preconditionFailed();
}

/** `accessDetails.unifiedRoles` of a body, validated: a non-empty list of GUID role ids (lower-cased). */
export function parseUnifiedRoles(value: unknown): string[] {
  if (!isObject(value) || !Array.isArray(value.unifiedRoles) || value.unifiedRoles.length === 0) {
    throw graphErrors.gdapBadRequest(
      "accessDetails.unifiedRoles must list at least one role (roleDefinitionId).",
    );
  }
  const ids: string[] = [];
  for (const r of value.unifiedRoles) {
    const id = isObject(r) ? r.roleDefinitionId : undefined;
    if (typeof id !== "string" || !isGuid(id)) {
      throw graphErrors.gdapBadRequest(
        "Each unifiedRoles entry needs a roleDefinitionId that is a role template GUID.",
      );
    }
    if (!ids.includes(id.toLowerCase())) ids.push(id.toLowerCase());
  }
  return ids;
}

/** `{unifiedRoles:[{roleDefinitionId}]}` from role ids. */
export function accessDetailsOf(roleIds: string[]): Record<string, unknown> {
  return { unifiedRoles: roleIds.map((roleDefinitionId) => ({ roleDefinitionId })) };
}
