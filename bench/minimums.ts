/**
 * The fewest API calls (token requests not counted) each operation of the benchmark's resources
 * needs, and how many of them must run one after another. These are the "minimum" columns of
 * `npm run bench`: what a provider that reads nothing it already knows, never re-validates what
 * it just validated and batches nothing could still not avoid. Each entry says why.
 *
 * Assumptions (marked in the texts): ids a resource created are in its state; built-in RBAC role
 * definitions and directory role templates have fixed, published GUIDs (no lookup needed);
 * shared per-process facts (the current Microsoft Customer Agreement template, the partner's
 * billing account) are read once per process, not once per resource.
 */

/** The resource types of the benchmark's tenant (last segment of `csp:<Type>`). */
export type BenchResourceType =
  | "Customer"
  | "CustomerAgreement"
  | "AzurePlan"
  | "AzureSubscription"
  | "CustomerUser"
  | "ApplicationConsent"
  | "ApplicationRegistration"
  | "PermissionGrant"
  | "RoleAssignment"
  | "GdapRelationship"
  | "GdapAccessAssignment";

/** What an engine step asks of a resource. `noop`: check + diff of an unchanged resource. */
export type ResourceOperation = "create" | "noop" | "read" | "update" | "delete";

/** The minimum for one operation of one type. */
export interface Minimum {
  /** API calls the operation cannot do without (token requests excluded). */
  calls: number;
  /** How many of them must follow one another after the resource's dependencies are done. */
  sequential: number;
  /** Why this is the minimum. */
  why: string;
}

const NOOP: Minimum = {
  calls: 0,
  sequential: 0,
  why: "check and diff compare the declared inputs with the state: an unchanged resource needs no call",
};

/** The table of minima, per type and operation. */
export const MINIMUM_CALLS: Readonly<
  Record<BenchResourceType, Readonly<Record<ResourceOperation, Minimum>>>
> = {
  Customer: {
    create: {
      calls: 1,
      sequential: 1,
      why: "POST /v1/customers; a taken domain fails the POST itself, so an availability check is optional",
    },
    noop: NOOP,
    read: { calls: 1, sequential: 1, why: "GET /v1/customers/{id}" },
    update: { calls: 1, sequential: 1, why: "one PUT of the billing profile (its ETag is in the state)" },
    delete: {
      calls: 1,
      sequential: 1,
      why: "onDelete removeRelationship (the benchmark's, production): one PATCH ending the reseller relationship (an Integration Sandbox: one DELETE)",
    },
  },
  CustomerAgreement: {
    create: {
      calls: 1,
      sequential: 1,
      why: "POST /v1/customers/{id}/agreements; the current MCA template id is a per-process read (below)",
    },
    noop: NOOP,
    read: {
      calls: 1,
      sequential: 1,
      why: "GET /v1/customers/{id}/agreements?agreementType=MicrosoftCustomerAgreement",
    },
    update: { calls: 1, sequential: 1, why: "an attestation is immutable: a new POST" },
    delete: {
      calls: 0,
      sequential: 0,
      why: "an accepted agreement cannot be withdrawn: deleting only leaves the state",
    },
  },
  AzurePlan: {
    create: {
      calls: 3,
      sequential: 3,
      why: "POST cart, POST checkout (the order names the plan subscription), GET the plan's azureEntitlements (the first Azure subscription id is an output)",
    },
    noop: NOOP,
    read: { calls: 1, sequential: 1, why: "GET /v1/customers/{id}/subscriptions/{planId}" },
    update: { calls: 1, sequential: 1, why: "one PATCH of the plan subscription (friendly name or status)" },
    delete: {
      calls: 3,
      sequential: 2,
      why: "cancel the plan's own Azure subscription (ARM POST /subscriptions/{id}/providers/Microsoft.Subscription/cancel, the routine cancel; id in the state) next to GET + PATCH (suspend) of the plan subscription, whose PATCH carries the current object and ETag",
    },
  },
  AzureSubscription: {
    create: {
      calls: 2,
      sequential: 2,
      why: "PUT the subscription alias, GET it once until Succeeded (the subscription id); the billing scope is built from the per-process billing account read",
    },
    noop: NOOP,
    read: { calls: 1, sequential: 1, why: "GET the Azure entitlement (or the ARM subscription)" },
    update: { calls: 1, sequential: 1, why: "POST .../rename on the ARM subscription" },
    delete: {
      calls: 1,
      sequential: 1,
      why: 'ARM POST /subscriptions/{id}/providers/Microsoft.Subscription/cancel as the subscription\'s Owner ("Subscription - Cancel"; id in the state)',
    },
  },
  CustomerUser: {
    create: {
      calls: 2,
      sequential: 2,
      why: "POST the user, then one POST usermembers per declared directory role (one here; role template ids are published constants)",
    },
    noop: NOOP,
    read: {
      calls: 2,
      sequential: 1,
      why: "GET the user and GET its directory roles (declared state from two endpoints, in parallel)",
    },
    update: { calls: 1, sequential: 1, why: "one PATCH of the changed profile fields" },
    delete: { calls: 1, sequential: 1, why: "DELETE the user" },
  },
  ApplicationConsent: {
    create: { calls: 1, sequential: 1, why: "POST /v1/customers/{id}/applicationconsents" },
    noop: NOOP,
    read: {
      calls: 4,
      sequential: 2,
      why: "Partner Center documents no read of a consent (POST and DELETE only), so it is read where it materialises, through Graph in the customer tenant: the application's service principal and the service principal of each resource it names (one here: Microsoft Graph) by appId, in parallel; then the application's delegated grants and its app role assignments, in parallel",
    },
    update: { calls: 2, sequential: 2, why: "a consent cannot be edited: DELETE, then POST" },
    delete: { calls: 1, sequential: 1, why: "DELETE the consent" },
  },
  ApplicationRegistration: {
    create: {
      calls: 2,
      sequential: 2,
      why: "one write making the application (POST /applications, or the upsert PATCH /applications(uniqueName=…)), then POST /servicePrincipals (grants and role assignments need it)",
    },
    noop: NOOP,
    read: {
      calls: 2,
      sequential: 1,
      why: "GET the application and its service principal (both created by it; ids in the state)",
    },
    update: { calls: 1, sequential: 1, why: "one PATCH of the application" },
    delete: {
      calls: 2,
      sequential: 1,
      why: "DELETE the service principal and the application (ids in the state)",
    },
  },
  PermissionGrant: {
    create: {
      calls: 2,
      sequential: 1,
      why: "GET the resource's service principal in the tenant (its id differs per tenant; can run before the client exists), POST /oauth2PermissionGrants",
    },
    noop: NOOP,
    read: { calls: 1, sequential: 1, why: "GET the grant (id in the state)" },
    update: { calls: 1, sequential: 1, why: "one PATCH of the scopes" },
    delete: { calls: 1, sequential: 1, why: "DELETE the grant (id in the state)" },
  },
  RoleAssignment: {
    create: {
      calls: 1,
      sequential: 1,
      why: "PUT the role assignment under a deterministic name; built-in role definition ids are published GUIDs",
    },
    noop: NOOP,
    read: { calls: 1, sequential: 1, why: "GET the role assignment" },
    update: { calls: 2, sequential: 2, why: "role assignments are immutable: DELETE, then PUT" },
    delete: { calls: 1, sequential: 1, why: "DELETE the role assignment" },
  },
  GdapRelationship: {
    create: {
      calls: 2,
      sequential: 2,
      why: "POST the relationship, then POST its lockForApproval request (the customer's approval is not an API call of the partner)",
    },
    noop: NOOP,
    read: { calls: 1, sequential: 1, why: "GET the relationship" },
    update: {
      calls: 2,
      sequential: 2,
      why: "PATCH needs the current ETag, which the lifecycle changes: GET, then PATCH",
    },
    delete: {
      calls: 1,
      sequential: 1,
      why: "an active relationship is ended by one POST of a terminate request",
    },
  },
  GdapAccessAssignment: {
    create: { calls: 1, sequential: 1, why: "POST the access assignment on the active relationship" },
    noop: NOOP,
    read: { calls: 1, sequential: 1, why: "GET the access assignment" },
    update: {
      calls: 2,
      sequential: 2,
      why: "PATCH needs the current ETag, which activation changes: GET, then PATCH",
    },
    delete: { calls: 2, sequential: 2, why: "DELETE needs the current ETag: GET, then DELETE" },
  },
};

/** Reads a process needs once whatever the number of customers, per operation. */
export const PER_PROCESS_CALLS: Readonly<
  Record<ResourceOperation, readonly { what: string; calls: number }[]>
> = {
  create: [
    { what: "GET /v1/agreements (current MCA template), once per process", calls: 1 },
    {
      what: "GET ARM billingAccounts (the partner's billing account for alias billing scopes), once per process",
      calls: 1,
    },
  ],
  noop: [],
  read: [],
  update: [],
  delete: [],
};

/**
 * The benchmark tenant's dependencies (what waits for what on create; deletes run the other
 * way), as CustomerTenant declares them: agreement before the plan, plan before the extra
 * subscription, the GDAP relationship before its access assignment, the access assignment (the
 * admin agent's GDAP roles) before the users and the consent, the consent before Graph objects,
 * subscription and principal before RBAC.
 */
export const TENANT_DEPENDENCIES: Readonly<Record<BenchResourceType, readonly BenchResourceType[]>> = {
  Customer: [],
  CustomerAgreement: ["Customer"],
  AzurePlan: ["CustomerAgreement"],
  AzureSubscription: ["AzurePlan"],
  CustomerUser: ["Customer", "GdapAccessAssignment"],
  ApplicationConsent: ["Customer", "GdapAccessAssignment"],
  ApplicationRegistration: ["ApplicationConsent"],
  PermissionGrant: ["ApplicationConsent", "ApplicationRegistration"],
  RoleAssignment: ["AzureSubscription", "CustomerUser"],
  GdapRelationship: ["Customer"],
  GdapAccessAssignment: ["GdapRelationship"],
};

/** Minimum calls of one tenant for `op`, given the resource counts per type. */
export function minimumCallsPerTenant(
  op: ResourceOperation,
  counts: Readonly<Record<string, number>>,
): number {
  let total = 0;
  for (const [type, n] of Object.entries(counts)) {
    total += (MINIMUM_CALLS[type as BenchResourceType]?.[op].calls ?? 0) * n;
  }
  return total;
}

/**
 * Sequential calls summed over the resources of one tenant for `op`: each resource operation
 * holds one of the engine's `--parallel` slots for at least its sequential calls, so P slots need
 * at least (this × customers × latency) / P.
 */
export function sequentialCallsPerTenant(
  op: ResourceOperation,
  counts: Readonly<Record<string, number>>,
): number {
  let total = 0;
  for (const [type, n] of Object.entries(counts)) {
    total += (MINIMUM_CALLS[type as BenchResourceType]?.[op].sequential ?? 0) * n;
  }
  return total;
}

/** Calls needed once per process for `op`. */
export function perProcessCalls(op: ResourceOperation): number {
  return PER_PROCESS_CALLS[op].reduce((sum, c) => sum + c.calls, 0);
}

/**
 * The longest chain of calls that must follow one another in one tenant for `op` (creates
 * follow {@link TENANT_DEPENDENCIES}, deletes run them backwards, reads and no-ops have no
 * order), for the types in `types` (`update`: only the types that change).
 */
export function criticalPathCalls(op: ResourceOperation, types: readonly BenchResourceType[]): number {
  const included = new Set(types);
  const seq = (t: BenchResourceType) => (included.has(t) ? MINIMUM_CALLS[t][op].sequential : 0);
  if (op === "read" || op === "noop" || op === "update") {
    return Math.max(0, ...types.map(seq));
  }
  const all = Object.keys(TENANT_DEPENDENCIES) as BenchResourceType[];
  const memo = new Map<BenchResourceType, number>();
  // create: longest path ending at t (its dependencies first); delete: longest path starting
  // at t's dependents (they are deleted first).
  const before = (t: BenchResourceType): readonly BenchResourceType[] =>
    op === "create" ? TENANT_DEPENDENCIES[t] : all.filter((d) => TENANT_DEPENDENCIES[d].includes(t));
  const longest = (t: BenchResourceType): number => {
    const known = memo.get(t);
    if (known !== undefined) return known;
    const value = seq(t) + Math.max(0, ...before(t).map(longest));
    memo.set(t, value);
    return value;
  };
  return Math.max(0, ...all.map(longest));
}
