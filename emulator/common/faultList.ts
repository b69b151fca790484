import { randomUUID } from "node:crypto";
import type { ActiveFault, Fault, FaultAction } from "./adminTypes";
import type { EmulatedService } from "./types";

interface HeldFault extends ActiveFault {
  regex: RegExp;
}

/** Validates an admin-supplied fault; returns an error message when it is not usable. */
export function validateFault(input: unknown): string | undefined {
  if (!input || typeof input !== "object") return "fault must be an object";
  const f = input as Partial<Fault>;
  if (typeof f.pathPattern !== "string") return "pathPattern (regular expression string) is required";
  try {
    new RegExp(f.pathPattern);
  } catch {
    return `pathPattern is not a valid regular expression: ${f.pathPattern}`;
  }
  if (typeof f.count !== "number" || !Number.isInteger(f.count) || f.count < 1) {
    return "count must be a positive integer";
  }
  const a = f.action as Partial<FaultAction> | undefined;
  if (!a || typeof a !== "object") return "action is required";
  switch (a.type) {
    case "status": {
      const s = (a as { status?: unknown }).status;
      if (typeof s !== "number" || s < 100 || s > 599) return "action.status must be an HTTP status";
      return undefined;
    }
    case "latency": {
      const ms = (a as { ms?: unknown }).ms;
      return typeof ms === "number" && ms >= 0 ? undefined : "action.ms must be a non-negative number";
    }
    case "reset":
    case "commitThenDrop":
      return undefined;
    default:
      return "action.type must be status, latency, reset or commitThenDrop";
  }
}

/** Injected faults, consumed in the order they were added (first match wins). */
export class FaultList {
  private faults: HeldFault[] = [];

  add(fault: Fault): ActiveFault {
    const held: HeldFault = {
      ...fault,
      method: fault.method?.toUpperCase(),
      id: randomUUID(),
      remaining: fault.count,
      regex: new RegExp(fault.pathPattern),
    };
    this.faults.push(held);
    return this.describe(held);
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => this.describe(f));
  }

  clear(): void {
    this.faults = [];
  }

  /** Consumes one use of the first fault matching the request, if any. */
  take(service: EmulatedService, method: string, path: string): FaultAction | undefined {
    if (this.faults.length === 0) return undefined;
    const found = this.faults.find(
      (f) =>
        (f.service === undefined || f.service === service) &&
        (f.method === undefined || f.method === method) &&
        f.regex.test(path),
    );
    if (!found) return undefined;
    found.remaining -= 1;
    if (found.remaining <= 0) this.faults = this.faults.filter((f) => f !== found);
    return found.action;
  }

  private describe(f: HeldFault): ActiveFault {
    const { regex: _regex, ...rest } = f;
    return { ...rest };
  }
}
