import * as fs from "node:fs";

/** Size figures of a local-runner state file. */
export interface StateFigures {
  /** Size of the state file, bytes (0 when there is none). */
  bytes: number;
  /** pulumi-csp (dynamic) resources in the state. */
  dynamicResources: number;
  /** State bytes per dynamic resource (components and the stack counted in). */
  bytesPerResource: number;
  /** Serialized `__provider` bytes (inputs and outputs) per dynamic resource. */
  providerBytesPerResource: number;
}

interface StateResource {
  kind?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** Reads the state file the runner wrote (see test/harness/README.md, "The state file"). */
export function stateFigures(file: string): StateFigures {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return { bytes: 0, dynamicResources: 0, bytesPerResource: 0, providerBytesPerResource: 0 };
  }
  const bytes = Buffer.byteLength(text);
  const resources = ((JSON.parse(text) as { resources?: StateResource[] }).resources ?? []).filter(
    (r) => r.kind === "dynamic",
  );
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
  };
}
