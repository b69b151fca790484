import { gdapUser } from "../../auth/actingIdentity";
import type { ServiceClient } from "../../http/types";
import { deleteIfPresent } from "../deleteIfPresent";
import { listGraph } from "../paging";
import { withEtag } from "./gdapEtag";
import { odataString } from "./odata";

/**
 * GDAP relationships through Microsoft Graph `tenantRelationships` ("Create
 * delegatedAdminRelationship",
 * https://learn.microsoft.com/graph/api/tenantrelationship-post-delegatedadminrelationships).
 * Writes run delegated (`DelegatedAdminRelationship.ReadWrite.All`), so every call runs as the
 * admin agent in the partner tenant ([U] our choice: the current page also lists the application
 * permission, given the Partner Customer Delegated Administration service principal).
 *
 * Documented: create answers 201 with `status: "created"` and `@odata.etag`; `lockForApproval`
 * and `terminate` are requests (`POST …/{id}/requests`, 201); DELETE only in `created` status and
 * requires `If-Match`. Assumed [U]: PATCH also takes `If-Match` (we always send it).
 */

export type GdapRelationshipStatus =
  | "created"
  | "approvalPending"
  | "approved"
  | "activating"
  | "active"
  | "expiring"
  | "expired"
  | "terminationRequested"
  | "terminating"
  | "terminated"
  | "unknownFutureValue";

export interface GdapUnifiedRole {
  roleDefinitionId: string;
}

export interface GdapRelationship {
  id: string;
  displayName: string;
  duration: string;
  customer?: { tenantId?: string; displayName?: string };
  accessDetails?: { unifiedRoles?: GdapUnifiedRole[] };
  status: GdapRelationshipStatus | string;
  autoExtendDuration?: string;
  createdDateTime?: string;
  lastModifiedDateTime?: string;
  activatedDateTime?: string | null;
  endDateTime?: string | null;
  "@odata.etag"?: string;
}

export interface GdapRelationshipCreate {
  displayName: string;
  duration: string;
  customer: { tenantId: string; displayName?: string };
  accessDetails: { unifiedRoles: GdapUnifiedRole[] };
  autoExtendDuration: string;
}

export interface GdapRequest {
  id: string;
  action: "lockForApproval" | "approve" | "terminate" | string;
  status: "created" | "pending" | "succeeded" | "failed" | string;
}

const RELATIONSHIPS = "/v1.0/tenantRelationships/delegatedAdminRelationships";

export function relationshipPath(id: string): string {
  return `${RELATIONSHIPS}/${encodeURIComponent(id)}`;
}

/** Creates a relationship (status `created`). Not idempotent: the caller finds it by name after a lost answer. */
export async function createRelationship(
  graph: ServiceClient,
  body: GdapRelationshipCreate,
): Promise<GdapRelationship> {
  const res = await graph.send<GdapRelationship>({
    method: "POST",
    path: RELATIONSHIPS,
    body,
    auth: gdapUser(),
  });
  return withEtag(res.body, res.headers);
}

/** The relationship, or `undefined` (404). */
export async function getRelationship(
  graph: ServiceClient,
  id: string,
): Promise<GdapRelationship | undefined> {
  const res = await graph.send<GdapRelationship>({
    method: "GET",
    path: relationshipPath(id),
    auth: gdapUser(),
    okStatuses: [404],
  });
  return res.status === 404 ? undefined : withEtag(res.body, res.headers);
}

/** Relationships of the partner with this display name (unique among the partner's relationships). */
export async function findRelationshipsByName(
  graph: ServiceClient,
  displayName: string,
): Promise<GdapRelationship[]> {
  const all = await listGraph<GdapRelationship>(graph, {
    method: "GET",
    path: RELATIONSHIPS,
    query: { $filter: `displayName eq ${odataString(displayName)}` },
    auth: gdapUser(),
  });
  return all.filter((r) => r.displayName.toLowerCase() === displayName.toLowerCase());
}

/**
 * The partner's relationships with one customer: one list filtered on `customer/tenantId` (the
 * list supports `$filter`: "List delegatedAdminRelationships",
 * https://learn.microsoft.com/graph/api/tenantrelationship-list-delegatedadminrelationships; that
 * this property can be filtered on is [U]), compared again here in case the filter is ignored.
 */
export async function listRelationshipsWithCustomer(
  graph: ServiceClient,
  customerTenantId: string,
): Promise<GdapRelationship[]> {
  const all = await listGraph<GdapRelationship>(graph, {
    method: "GET",
    path: RELATIONSHIPS,
    query: { $filter: `customer/tenantId eq ${odataString(customerTenantId.toLowerCase())}` },
    auth: gdapUser(),
  });
  const wanted = customerTenantId.toLowerCase();
  return all.filter((r) => (r.customer?.tenantId ?? "").toLowerCase() === wanted);
}

/** PATCHes a relationship with `If-Match` (allowed while `created`; `autoExtendDuration` also while `active`). */
export async function updateRelationship(
  graph: ServiceClient,
  id: string,
  etag: string,
  patch: Partial<
    Pick<GdapRelationshipCreate, "displayName" | "duration" | "accessDetails" | "autoExtendDuration">
  >,
): Promise<void> {
  await graph.send({
    method: "PATCH",
    path: relationshipPath(id),
    headers: { "If-Match": etag },
    body: patch,
    auth: gdapUser(),
    idempotent: true,
  });
}

/** Deletes a relationship in `created` status (`If-Match` required). `false` when absent. */
export async function deleteRelationship(graph: ServiceClient, id: string, etag: string): Promise<boolean> {
  return deleteIfPresent(graph, {
    path: relationshipPath(id),
    headers: { "If-Match": etag },
    auth: gdapUser(),
  });
}

/** Posts a relationship request: `lockForApproval` (created → approvalPending) or `terminate` (active → terminating). */
export async function postRelationshipRequest(
  graph: ServiceClient,
  id: string,
  action: "lockForApproval" | "terminate",
): Promise<GdapRequest> {
  const res = await graph.send<GdapRequest>({
    method: "POST",
    path: `${relationshipPath(id)}/requests`,
    body: { action },
    auth: gdapUser(),
  });
  return res.body;
}

/** Role template ids of a relationship, lower case. */
export function relationshipRoleIds(r: GdapRelationship): string[] {
  return (r.accessDetails?.unifiedRoles ?? []).map((u) => u.roleDefinitionId.toLowerCase());
}

/**
 * Where the customer's Global Administrator approves the relationship: the invitation link
 * template of "Granular delegated admin privileges (GDAP) API overview",
 * https://learn.microsoft.com/graph/api/resources/delegatedadminrelationships-api-overview.
 */
export function approvalLink(relationshipId: string): string {
  return `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${relationshipId}`;
}
