import { defineConfig } from "vitest/config";

// Closure serialization needs child processes, not worker threads (ERR_TRACE_EVENTS_UNAVAILABLE).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
