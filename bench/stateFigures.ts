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
}

const DYNAMIC = "pulumi-nodejs:dynamic/";

/** Reads the real checkpoint of the stack workspace (`automation/checkpoint.ts`). */
export function stateFigures(ws: StackWorkspace): StateFigures {
  const checkpoint = readCheckpoint(ws);
  const backendBytes = folderBytes(ws.backendDir);
  if (!checkpoint) {
    return { bytes: 0, dynamicResources: 0, bytesPerResource: 0, providerBytesPerResource: 0, backendBytes };
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
  };
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
