import type { EmulatorState } from "../emulator/index";

/** What kind of object a census entry is (one per object a program can cause at the emulator). */
export type CensusKind =
  | "customer"
  | "agreement"
  | "azurePlan"
  | "licenseSubscription"
  | "order"
  | "azureSubscription"
  | "user"
  | "directoryRoleMember"
  | "consent"
  | "application"
  | "servicePrincipal"
  | "permissionGrant"
  | "appRoleAssignment"
  | "roleAssignment"
  | "gdapRelationship"
  | "gdapAccessAssignment";

/** One object at the emulator. */
export interface CensusEntry {
  kind: CensusKind;
  /** The object's id as a program's state would hold it (or a synthetic one for memberships). */
  id: string;
  /**
   * Natural identity: two live objects with the same kind and key are a duplicate (the same
   * customer domain, the same user principal name, a second Azure plan for a customer...).
   */
  key: string;
  /** Customer tenant the object belongs to. */
  customerId: string;
  /**
   * The object is one a program's resource creates and records (its id must be in the state);
   * false for side effects (the customer's initial admin, the consent's service principal and
   * grants, directory role memberships recorded as role names).
   */
  tracked: boolean;
}

/** Two or more live objects with one natural identity. */
export interface Duplicate {
  kind: CensusKind;
  key: string;
  ids: string[];
}

/** Microsoft's tenant: owner of the first-party service principals (Graph, ARM, Partner Center). */
const FIRST_PARTY_OWNER = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
/** Partner Center offer id prefix of the Azure plan. */
const AZURE_PLAN_OFFER = "DZH318Z0BPS6";

interface PcRecord {
  id: string;
  customerId: string;
  resource: Record<string, unknown>;
}

function section<T>(state: EmulatorState, name: string): Record<string, T> {
  return (state.partnerCenter[name] ?? {}) as Record<string, T>;
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/**
 * Every object in the emulator's customer tenants and commerce records that a CSP program can
 * create, with its natural identity. Read from `admin.state()`; cancelled Azure subscriptions and
 * soft-deleted users are still counted (a duplicate bought and then cancelled was still bought).
 */
export function takeCensus(state: EmulatorState): CensusEntry[] {
  const out: CensusEntry[] = [];
  const add = (e: CensusEntry) => out.push(e);
  const customers = state.partnerCenter.customers;

  for (const c of Object.values(customers)) {
    const tenant = state.directory[c.id];
    const domain = tenant?.domains[0] ?? str((c.resource.companyProfile as { domain?: unknown })?.domain);
    add({ kind: "customer", id: c.id, key: domain.toLowerCase(), customerId: c.id, tracked: true });
  }

  for (const [customerId, list] of Object.entries(section<{ type?: string }[]>(state, "agreements"))) {
    list.forEach((a, i) => {
      add({
        kind: "agreement",
        id: `${customerId}/agreement/${i}`,
        key: `${customerId}|${a.type ?? ""}`,
        customerId,
        tracked: false,
      });
    });
  }

  for (const s of Object.values(section<PcRecord>(state, "subscriptions"))) {
    if (!str(s.resource.offerId).startsWith(AZURE_PLAN_OFFER)) continue;
    add({ kind: "azurePlan", id: s.id, key: s.customerId, customerId: s.customerId, tracked: true });
  }

  // Seats of one offer bought twice for a customer (cancelled ones still count) are a duplicate.
  for (const s of Object.values(section<PcRecord>(state, "subscriptions"))) {
    if (s.resource.billingType !== "license") continue;
    add({
      kind: "licenseSubscription",
      id: s.id,
      key: `${s.customerId}|${str(s.resource.offerId)}|${str(s.resource.friendlyName)}`,
      customerId: s.customerId,
      tracked: true,
    });
  }

  for (const o of Object.values(section<PcRecord>(state, "orders"))) {
    const items = (o.resource.lineItems ?? []) as { offerId?: string }[];
    const offers = items.map((i) => i.offerId ?? "").sort();
    add({
      kind: "order",
      id: o.id,
      key: `${o.customerId}|${offers.join(",")}`,
      customerId: o.customerId,
      tracked: true,
    });
  }

  for (const s of Object.values(state.azure.subscriptions)) {
    add({
      kind: "azureSubscription",
      id: s.subscriptionId,
      key: `${s.customerId}|${s.displayName}`,
      customerId: s.customerId,
      tracked: true,
    });
  }

  for (const [customerId, byApp] of Object.entries(
    section<Record<string, { applicationId: string }>>(state, "applicationConsents"),
  )) {
    for (const appId of Object.keys(byApp)) {
      add({
        kind: "consent",
        id: `${customerId}/${appId}`,
        key: `${customerId}|${appId.toLowerCase()}`,
        customerId,
        tracked: true,
      });
    }
  }

  for (const tenant of Object.values(state.directory)) {
    if (tenant.kind !== "customer") continue;
    const t = tenant.id;
    const initialDomain = tenant.domains[0]?.toLowerCase() ?? "";
    for (const u of Object.values(tenant.users)) {
      const upn = u.userPrincipalName.toLowerCase();
      // The customer's first global admin comes with the tenant (Customer outputs its name).
      const initialAdmin = upn === `admin@${initialDomain}`;
      add({ kind: "user", id: u.id, key: upn, customerId: t, tracked: !initialAdmin });
    }
    for (const [roleId, members] of Object.entries(tenant.directoryRoleMembers)) {
      for (const userId of members) {
        add({
          kind: "directoryRoleMember",
          id: `${t}/${roleId}/${userId}`,
          key: `${t}|${roleId}|${userId}`,
          customerId: t,
          tracked: false,
        });
      }
    }
    const customerOwned = new Set<string>();
    for (const a of Object.values(tenant.applications)) {
      add({ kind: "application", id: a.id, key: `${t}|${a.displayName}`, customerId: t, tracked: true });
    }
    for (const sp of Object.values(tenant.servicePrincipals)) {
      if (sp.appOwnerOrganizationId === FIRST_PARTY_OWNER) continue;
      const own = sp.appOwnerOrganizationId === t;
      if (own) customerOwned.add(sp.id);
      add({ kind: "servicePrincipal", id: sp.id, key: `${t}|${sp.appId}`, customerId: t, tracked: own });
    }
    for (const g of Object.values(tenant.oauth2PermissionGrants)) {
      add({
        kind: "permissionGrant",
        id: g.id,
        key: `${t}|${g.clientId}|${g.resourceId}|${g.consentType}|${g.principalId ?? ""}`,
        customerId: t,
        tracked: customerOwned.has(g.clientId),
      });
    }
    for (const r of Object.values(tenant.appRoleAssignments)) {
      add({
        kind: "appRoleAssignment",
        id: r.id,
        key: `${t}|${r.principalId}|${r.resourceId}|${r.appRoleId}`,
        customerId: t,
        // Recorded by PermissionGrant as app role ids, not by assignment id.
        tracked: false,
      });
    }
  }

  for (const r of Object.values(state.azure.roleAssignments)) {
    const sub = /^\/subscriptions\/([^/]+)/i.exec(r.scope)?.[1]?.toLowerCase();
    const customerId = (sub && state.azure.subscriptions[sub]?.customerId) || "";
    add({
      kind: "roleAssignment",
      id: r.id,
      key: `${r.scope.toLowerCase()}|${r.principalId}|${r.roleDefinitionId.split("/").pop()}`,
      customerId,
      tracked: true,
    });
  }

  for (const g of Object.values(state.gdap)) {
    const customer = (g.resource.customer ?? {}) as { tenantId?: string };
    const customerId = str(customer.tenantId);
    add({
      kind: "gdapRelationship",
      id: str(g.resource.id),
      key: `${g.partnerTenantId}|${customerId}|${str(g.resource.displayName)}`,
      customerId,
      tracked: true,
    });
    // One live access assignment per security group and relationship.
    for (const a of Object.values(g.accessAssignments)) {
      if (a.resource.status === "deleted" || a.resource.status === "deleting") continue;
      const container = (a.resource.accessContainer ?? {}) as { accessContainerId?: string };
      add({
        kind: "gdapAccessAssignment",
        id: str(a.resource.id),
        key: `${str(g.resource.id)}|${str(container.accessContainerId).toLowerCase()}`,
        customerId,
        tracked: true,
      });
    }
  }
  return out;
}

/** Groups of live objects sharing a natural identity (each group is one duplicate). */
export function findDuplicates(census: CensusEntry[]): Duplicate[] {
  const groups = new Map<string, CensusEntry[]>();
  for (const e of census) {
    const k = `${e.kind}\u0000${e.key}`;
    const list = groups.get(k) ?? [];
    list.push(e);
    groups.set(k, list);
  }
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => ({ kind: g[0].kind, key: g[0].key, ids: g.map((e) => e.id) }));
}

/**
 * Tracked objects whose id appears nowhere in the program's state (`stateText`: the state file's
 * text, or anything else naming the ids a stack records): created, but no resource owns them.
 */
export function findOrphans(census: CensusEntry[], stateText: string): CensusEntry[] {
  const text = stateText.toLowerCase();
  return census.filter((e) => e.tracked && !text.includes(e.id.toLowerCase()));
}

/** Number of objects per kind (for comparing two worlds and for the figures). */
export function countByKind(census: CensusEntry[]): Partial<Record<CensusKind, number>> {
  const counts: Partial<Record<CensusKind, number>> = {};
  for (const e of census) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  return counts;
}
