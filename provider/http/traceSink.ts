import { appendFileSync } from "node:fs";

/** One line of the HTTP trace (`CSP_HTTP_LOG`): an exchange, already redacted. */
export interface TraceEntry {
  time: string;
  service: string;
  account?: string;
  method: string;
  url: string;
  attempt: number;
  /** On a repeat: the retry strategy that decided the wait before this attempt, and its length. */
  retriedAfter?: { strategy: string; delayMs: number };
  status?: number;
  durationMs: number;
  requestHeaders: Record<string, string>;
  requestBody?: unknown;
  responseHeaders?: Record<string, string>;
  responseBody?: unknown;
  error?: string;
}

/** Receives redacted trace entries. */
export type TraceSink = (entry: TraceEntry) => void;

/**
 * Appends one JSON line per exchange to `path` (created with mode 0600). Writes are synchronous
 * so lines keep their order and survive a crash of the provider host; a write failure never
 * fails the API call.
 */
export function createFileTraceSink(path: string): TraceSink {
  let broken = false;
  return (entry) => {
    if (broken) return;
    try {
      appendFileSync(path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    } catch (e) {
      broken = true;
      process.stderr.write(`pulumi-csp: cannot write the HTTP trace to ${path}: ${(e as Error).message}\n`);
    }
  };
}
