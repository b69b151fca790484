import type { PhaseSpec } from "./benchTypes";

/**
 * The call budget: exactly how many API calls (Partner Center, Graph, ARM) and token requests one
 * customer's quickstart tenant costs per phase, as the benchmark's N = 1 run measures them
 * (`npm run bench -- --sizes 1`; one provider process per command, so the per-process reads of
 * create are in the create figure). The bench test (test/bench/bench.test.ts) asserts the run
 * matches it exactly: a change that adds or saves a call fails `npm test` until this table says
 * so. This is the one place to edit; the endpoints behind each figure are in the run's
 * `calls.requests.endpoints`, by type in `calls.byType` (bench/endpointTypes.ts).
 */
export interface PhaseBudget {
  /** API calls (token requests excluded). */
  apiCalls: number;
  /** Token requests: one per (tenant, audience) in the command's one provider host. */
  tokenRequests: number;
  /** Where the numbers come from. */
  from: string;
}

export const CALL_BUDGET: Readonly<Record<PhaseSpec["name"], PhaseBudget>> = {
  create: {
    apiCalls: 29,
    tokenRequests: 6,
    from: "N = 1 run after the economy work: the documented minimum (21, plus the MCA template and billing account read once per process) and six reads kept for safety or a clear check: the domain's availability, the new customer's liveness, the Azure plan's catalog availability and its subscription record, the GDAP relationship's status after the lock, the access assignment's lookup (Graph documents no refusal of a second assignment of a group). The application registration is one upsert by uniqueName, with no lookup before it",
  },
  preview: { apiCalls: 0, tokenRequests: 0, from: "check and diff of unchanged inputs call nothing" },
  noopUp: { apiCalls: 0, tokenRequests: 0, from: "check and diff of unchanged inputs call nothing" },
  refresh: {
    apiCalls: 20,
    tokenRequests: 5,
    from: "N = 1 run after the economy work: one read (or the documented pair) per resource, documented minimum 19",
  },
  update: {
    apiCalls: 1,
    tokenRequests: 1,
    from: "N = 1 run after the economy work: one PATCH of the user's display name (its roles did not change, so they are not read)",
  },
  destroy: {
    apiCalls: 17,
    tokenRequests: 5,
    from: "N = 1 run after the economy work: deletes and cancels by the ids in the state, the reads that fetch an ETag or confirm what to delete; documented minimum 16",
  },
};
