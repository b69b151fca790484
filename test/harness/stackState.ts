import type { EncryptionParams } from "./passphraseCrypter";
import type { PropertyMap } from "./propertyValues";

/**
 * The runner's record of a stack: what the Pulumi engine keeps in a checkpoint, reduced to what
 * the runner needs. In memory secrets are envelopes holding plain values; in the file they are
 * `{ <sigKey>: <secretSig>, ciphertext }` (see `stateFile.ts`).
 */
export interface StackState {
  version: 1;
  project: string;
  stack: string;
  /** Key-derivation parameters when the file holds encrypted secrets. */
  encryption?: EncryptionParams;
  /** Topologically ordered: a resource's parent and dependencies come before it. */
  resources: ResourceState[];
  /** Stack outputs of the last `up`. */
  outputs: PropertyMap;
  /** Provider calls started and not finished; non-empty only after a crash. */
  pendingOperations: PendingOperation[];
  updated?: string;
}

/** How the runner handles a resource. */
export type ResourceKind =
  /** A `pulumi-nodejs:dynamic*` resource, applied through the dynamic-provider host. */
  | "dynamic"
  /** A component resource (including the root stack): recorded, nothing to apply. */
  | "component"
  /** Any other custom resource (azuread, azure-native, ...): recorded with fake outputs, NOT applied. */
  | "unmanaged";

export interface ResourceState {
  urn: string;
  type: string;
  name: string;
  kind: ResourceKind;
  id?: string;
  parent?: string;
  /** Checked inputs, including `__provider` for dynamic resources. */
  inputs: PropertyMap;
  outputs: PropertyMap;
  /** URNs this resource depends on (inputs from their outputs, and `dependsOn`). */
  dependencies: string[];
  protect?: boolean;
  retainOnDelete?: boolean;
  deleteBeforeReplace?: boolean;
  additionalSecretOutputs?: string[];
  /** A replaced copy waiting to be deleted (create-before-delete replacement). */
  delete?: boolean;
  /** The provider created the object but reported that it failed to initialise. */
  initErrors?: string[];
  /** Deleted implicitly with this resource (`deletedWith`): no Delete call when both go. */
  deletedWith?: string;
  /** Read with `.get()`, not managed: never deleted. */
  external?: boolean;
}

export interface PendingOperation {
  urn: string;
  type: string;
  operation: "creating" | "updating" | "deleting";
  started: string;
}

/** An empty state for a stack that was never deployed. */
export function emptyStackState(project: string, stack: string): StackState {
  return { version: 1, project, stack, resources: [], outputs: {}, pendingOperations: [] };
}

/**
 * Orders resources so that every resource comes after its parent and dependencies (stable: the
 * input order is kept where the graph allows). Edges to resources not in the list are ignored.
 */
export function topologicalOrder(resources: ResourceState[]): ResourceState[] {
  const byUrn = new Map<string, ResourceState[]>();
  for (const r of resources) byUrn.set(r.urn, [...(byUrn.get(r.urn) ?? []), r]);
  const done = new Set<ResourceState>();
  const visiting = new Set<ResourceState>();
  const out: ResourceState[] = [];
  const visit = (r: ResourceState): void => {
    if (done.has(r) || visiting.has(r)) return;
    visiting.add(r);
    for (const dep of [...(r.parent ? [r.parent] : []), ...r.dependencies]) {
      // A live resource never depends on a copy waiting for deletion.
      for (const d of byUrn.get(dep) ?? []) if (d !== r && !(d.delete && !r.delete)) visit(d);
    }
    visiting.delete(r);
    done.add(r);
    out.push(r);
  };
  for (const r of resources) visit(r);
  return out;
}
