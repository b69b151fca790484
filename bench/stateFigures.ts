import * as fs from "node:fs";
import * as path from "node:path";
import { readCheckpoint } from "../automation/checkpoint";
import type { StackWorkspace } from "../automation/stackWorkspace";

/** Size figures of a stack's checkpoint, as the Pulumi file backend wrote it. */
export interface StateFigures {
  /** Size of the checkpoint file, bytes (0 before the first update). */
  bytes: number;
  /** pulumi-csp (dynamic) resources in the checkpoint (live copies). */
  dynamicResources: number;
  /** Checkpoint bytes per dynamic resource (components, the stack and the provider counted in). */
  bytesPerResource: number;
  /** Serialized `__provider` bytes (inputs and outputs) per dynamic resource. */
  providerBytesPerResource: number;
  /**
   * Everything the file backend keeps for the stack: the checkpoint, its `.bak`, and one history
   * entry and checkpoint copy per update (`.pulumi/history`, `.pulumi/backups`), bytes.
   */
  backendBytes: number;
  /** What the dynamic resources' entries are made of, bytes per dynamic resource (JSON as compact text). */
  breakdown: StateBreakdown;
}

/**
 * The parts of a dynamic resource's checkpoint entry, bytes per resource (compact JSON; the file
 * is indented, so its own bytes are more). `outputsRepeatingInputs` is the part of `outputs` whose
 * property has the same value among the inputs (a dynamic provider's outputs carry its inputs).
 */
export interface StateBreakdown {
  inputs: number;
  outputs: number;
  outputsRepeatingInputs: number;
  /** `stackTrace` and `sourcePosition`: where the program registered the resource (the engine's). */
  sourcePositions: number;
  /** `dependencies` and `propertyDependencies`. */
  dependencies: number;
  /** urn, parent, provider, id, type, timestamps and the rest. */
  other: number;
}

const DYNAMIC = "pulumi-nodejs:dynamic/";

/** Reads the real checkpoint of the stack workspace (`automation/checkpoint.ts`). */
export function stateFigures(ws: StackWorkspace): StateFigures {
  const checkpoint = readCheckpoint(ws);
  const backendBytes = folderBytes(ws.backendDir);
  if (!checkpoint) {
    return {
      bytes: 0,
      dynamicResources: 0,
      bytesPerResource: 0,
      providerBytesPerResource: 0,
      backendBytes,
      breakdown: stateBreakdown([]),
    };
  }
  const bytes = Buffer.byteLength(checkpoint.text);
  const resources = checkpoint.resources.filter((r) => r.type.startsWith(DYNAMIC) && !r.delete);
  let providerBytes = 0;
  for (const r of resources) {
    for (const props of [r.inputs, r.outputs]) {
      const p = props?.__provider;
      if (p !== undefined) providerBytes += Buffer.byteLength(JSON.stringify(p));
    }
  }
  const n = resources.length;
  return {
    bytes,
    dynamicResources: n,
    bytesPerResource: n ? Math.round(bytes / n) : 0,
    providerBytesPerResource: n ? Math.round(providerBytes / n) : 0,
    backendBytes,
    breakdown: stateBreakdown(resources),
  };
}

/** {@link StateBreakdown} of the given checkpoint entries. */
export function stateBreakdown(resources: readonly object[]): StateBreakdown {
  const sum: StateBreakdown = {
    inputs: 0,
    outputs: 0,
    outputsRepeatingInputs: 0,
    sourcePositions: 0,
    dependencies: 0,
    other: 0,
  };
  const size = (v: unknown) => Buffer.byteLength(JSON.stringify(v) ?? "");
  for (const r of resources) {
    const entry = r as Record<string, unknown>;
    const inputs = (entry.inputs ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(entry)) {
      // Each property as `"key":value,`.
      const bytes = size(key) + 1 + size(value) + 1;
      if (key === "inputs") sum.inputs += bytes;
      else if (key === "outputs") sum.outputs += bytes;
      else if (key === "stackTrace" || key === "sourcePosition") sum.sourcePositions += bytes;
      else if (key === "dependencies" || key === "propertyDependencies") sum.dependencies += bytes;
      else sum.other += bytes;
    }
    for (const [key, value] of Object.entries((entry.outputs ?? {}) as Record<string, unknown>)) {
      if (key in inputs && JSON.stringify(inputs[key]) === JSON.stringify(value)) {
        sum.outputsRepeatingInputs += size(key) + 1 + size(value) + 1;
      }
    }
  }
  const n = resources.length;
  for (const k of Object.keys(sum) as (keyof StateBreakdown)[]) sum[k] = n ? Math.round(sum[k] / n) : 0;
  return sum;
}

function folderBytes(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += folderBytes(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}
