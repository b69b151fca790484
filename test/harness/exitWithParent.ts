/**
 * Preloaded (`node --require`) into the dynamic-provider host the runner spawns: the host exits
 * when its stdin closes, which happens when the runner finishes or is killed. Without it a runner
 * killed with SIGKILL would leave the host running as an orphan, possibly still completing a
 * provider call whose result nobody records.
 */
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
