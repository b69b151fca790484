import type { RequestLogEntry, RequestLogFilter } from "./adminTypes";

/** Newest entries kept; older ones are dropped so a long benchmark cannot exhaust memory. */
const CAPACITY = 100_000;

/** The emulator's log of exchanges with the emulated APIs (for tests and benchmarks that count calls). */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private nextSeq = 1;

  /** Appends an entry, assigning its sequence number. */
  add(entry: Omit<RequestLogEntry, "seq">): RequestLogEntry {
    const full = { seq: this.nextSeq++, ...entry };
    this.entries.push(full);
    if (this.entries.length > CAPACITY) this.entries = this.entries.slice(CAPACITY / 2);
    return full;
  }

  /** Entries matching every field of `filter`, oldest first. */
  read(filter: RequestLogFilter = {}): RequestLogEntry[] {
    const pattern = filter.pathPattern ? new RegExp(filter.pathPattern) : undefined;
    const method = filter.method?.toUpperCase();
    return this.entries.filter(
      (e) =>
        (filter.service === undefined || e.service === filter.service) &&
        (method === undefined || e.method === method) &&
        (pattern === undefined || pattern.test(e.path)) &&
        (filter.sinceSeq === undefined || e.seq > filter.sinceSeq) &&
        (!filter.writesOnly || e.write),
    );
  }

  clear(): void {
    this.entries = [];
  }
}
