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
    apiCalls: 58,
    tokenRequests: 6,
    from: "N = 1 run of 10b0172: 13 resources' looks-before-writes and writes, the MCA template and billing account reads",
  },
  preview: { apiCalls: 0, tokenRequests: 0, from: "check and diff of unchanged inputs call nothing" },
  noopUp: { apiCalls: 0, tokenRequests: 0, from: "check and diff of unchanged inputs call nothing" },
  refresh: {
    apiCalls: 24,
    tokenRequests: 5,
    from: "N = 1 run of 10b0172: one read (or a pair) per resource",
  },
  update: {
    apiCalls: 2,
    tokenRequests: 1,
    from: "N = 1 run of 10b0172: the user's directory roles, then one PATCH of its display name",
  },
  destroy: {
    apiCalls: 24,
    tokenRequests: 5,
    from: "N = 1 run of 10b0172: deletes, cancels and the reads that find what to delete",
  },
};
