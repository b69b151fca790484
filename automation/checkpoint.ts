import * as fs from "node:fs";
import { checkpointPath, type StackWorkspace } from "./stackWorkspace";

/** The engine's signature of a secret value in a checkpoint's properties: this key with this value. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A resource as the Pulumi engine writes it in a checkpoint (apitype.ResourceV3, the fields we read). */
export interface CheckpointResource {
  urn: string;
  custom: boolean;
  type: string;
  id?: string;
  parent?: string;
  /** Secret values are `{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext }`. */
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  dependencies?: string[];
  /** The resources each input property depends on, by property. */
  propertyDependencies?: Record<string, string[]>;
  protect?: boolean;
  retainOnDelete?: boolean;
  delete?: boolean;
  pendingReplacement?: boolean;
  initErrors?: string[];
  additionalSecretOutputs?: string[];
}

/** An operation the engine started and did not see finish (the run was interrupted). */
export interface PendingOperation {
  resource: CheckpointResource;
  type: "creating" | "updating" | "deleting" | "reading" | "importing";
}

export interface Checkpoint {
  /** The raw file text, for scans (secrets, sizes). */
  text: string;
  resources: CheckpointResource[];
  pendingOperations: PendingOperation[];
  /** The root stack's outputs (secret values still encrypted). */
  outputs: Record<string, unknown>;
}

/** Reads the stack's checkpoint from the file backend; undefined before the first update. */
export function readCheckpoint(ws: StackWorkspace): Checkpoint | undefined {
  const file = checkpointPath(ws);
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, "utf8");
  const doc = JSON.parse(text) as {
    checkpoint?: { latest?: { resources?: CheckpointResource[]; pending_operations?: PendingOperation[] } };
  };
  const latest = doc.checkpoint?.latest ?? {};
  const resources = latest.resources ?? [];
  const root = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  return {
    text,
    resources,
    pendingOperations: latest.pending_operations ?? [],
    outputs: root?.outputs ?? {},
  };
}

/** The resources of one type token (e.g. `pulumi-nodejs:dynamic/csp:AzurePlan`), live copies only. */
export function resourcesOfType(checkpoint: Checkpoint | undefined, type: string): CheckpointResource[] {
  return (checkpoint?.resources ?? []).filter((r) => r.type === type && !r.delete);
}
