#!/usr/bin/env node
import { processIo } from "./cliIo";
import { runCli } from "./runCli";

/** Entry point of the `pulumi-csp` command (package.json `bin`). */
runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
    // Nothing should be left running; if a stray handle (stdin, an idle socket) would keep the
    // process alive, leave anyway once output has had a moment to flush.
    setTimeout(() => process.exit(code), 1000).unref();
  },
  (e: unknown) => {
    process.stderr.write(`pulumi-csp: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
