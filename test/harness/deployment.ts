import { createHash } from "node:crypto";
import { DynamicProviderHost, ProviderCallError } from "./dynamicProviderHost";
import {
  changedKeys,
  containsSecret,
  makeSecret,
  markSecretKeys,
  type PropertyMap,
  secretKeysOf,
  UNKNOWN,
  unwrapSecrets,
} from "./propertyValues";
import type { PulumiProject } from "./pulumiProject";
import {
  type Command,
  displayType,
  isBillable,
  type Operation,
  type ResourceStep,
  type RunError,
} from "./runSummary";
import type { PendingOperation, ResourceKind, ResourceState, StackState } from "./stackState";
import { missingPassphraseMessage, type StateFile } from "./stateFile";

/** A resource registration as the SDK sends it to the monitor, decoded. */
export interface Registration {
  type: string;
  name: string;
  parent?: string;
  custom: boolean;
  inputs: PropertyMap;
  dependencies: string[];
  protect?: boolean;
  retainOnDelete?: boolean;
  /** Undefined when the program did not set the option (then the provider's answer decides). */
  deleteBeforeReplace?: boolean;
  additionalSecretOutputs: string[];
  ignoreChanges: string[];
  replaceOnChanges: string[];
  importId?: string;
  deletedWith?: string;
}

/** What the monitor answers the SDK. `id` is empty when not known yet (preview of a create). */
export interface RegistrationResult {
  urn: string;
  id: string;
  outputs: PropertyMap;
}

export interface DeploymentOptions {
  command: Command;
  project: PulumiProject;
  stack: string;
  stateFile: StateFile;
  state: StackState;
  /** Environment of the dynamic-provider host. */
  hostEnv: NodeJS.ProcessEnv;
  /** Diagnostics (provider stderr, warnings) for the user. */
  log: (line: string) => void;
}

/** Error raised to the SDK after it was recorded; the runner does not report it twice. */
class RecordedError extends Error {}

/**
 * The engine part of the runner: decides and performs each resource's step (the same decisions as
 * the Pulumi engine's step generator for the features listed in the README), calls the
 * dynamic-provider host, and saves the state after every step.
 *
 * Steps run as soon as the SDK registers a resource. The SDK registers a resource only when its
 * inputs and `dependsOn` resources are resolved, so independent resources proceed in parallel and
 * dependent ones in order, like the engine's default parallelism.
 */
export class Deployment {
  readonly steps: ResourceStep[] = [];
  readonly errors: RunError[] = [];
  readonly warnings: string[] = [];
  /** Stack outputs registered by the program (preview: may contain unknowns). */
  stackOutputs: PropertyMap;

  private readonly preview: boolean;
  private readonly old = new Map<string, ResourceState>();
  private readonly live = new Map<string, ResourceState>();
  private pendingDeletes: ResourceState[];
  private pendingOps: PendingOperation[] = [];
  private readonly seen = new Set<string>();
  /** Old copies replaced in this run (create-before-delete); their deletion is part of the replace step. */
  private readonly replacedThisRun = new Set<ResourceState>();
  private failed = false;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly failureListeners: (() => void)[] = [];
  private host: Promise<DynamicProviderHost> | undefined;
  private startedHost: DynamicProviderHost | undefined;

  constructor(private readonly o: DeploymentOptions) {
    this.preview = o.command === "preview";
    for (const r of o.state.resources) {
      if (r.delete) continue;
      this.old.set(r.urn, r);
      this.live.set(r.urn, r);
    }
    this.pendingDeletes = o.state.resources.filter((r) => r.delete);
    this.stackOutputs = o.state.outputs;
    if (o.state.pendingOperations.length > 0) {
      for (const op of o.state.pendingOperations) {
        this.warn(
          `a previous run was interrupted while ${op.operation} ${op.urn} (started ${op.started}); the object may exist without being in the state. pulumi-csp resources adopt an existing object on create; for other resources check the service.`,
        );
      }
    }
  }

  /** True once a step failed. */
  get hasFailed(): boolean {
    return this.failed || this.errors.length > 0;
  }

  /** gRPC calls made so far, by method. */
  providerCalls(): Record<string, number> {
    return { ...(this.startedHost?.calls ?? {}) };
  }

  /** The URN the engine assigns (the parent's qualified type is prefixed unless it is the stack). */
  urnFor(type: string, name: string, parent?: string): string {
    let qualified = type;
    if (parent) {
      const parentType = parent.split("::")[2];
      if (parentType && parentType !== "pulumi:pulumi:Stack") qualified = `${parentType}$${type}`;
    }
    return `urn:pulumi:${this.o.stack}::${this.o.project.name}::${qualified}::${name}`;
  }

  /**
   * Stops starting new steps (first Ctrl-C, as with the CLI): steps in progress complete and are
   * recorded, later ones are skipped, nothing is deleted.
   */
  interrupt(): void {
    if (this.failed) return;
    this.errors.push({ message: "interrupted: steps in progress completed, no new step was started" });
    this.markFailed();
  }

  /** Calls `listener` once, at the first failed step. */
  onFailure(listener: () => void): void {
    this.failureListeners.push(listener);
  }

  /** Resolves when no step is in progress (after a failure, in-flight steps still complete). */
  async settle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** Handles one RegisterResource call from the program. */
  register(reg: Registration): Promise<RegistrationResult> {
    const p = this.registerStep(reg);
    this.inflight.add(p);
    const forget = (): void => {
      this.inflight.delete(p);
    };
    p.then(forget, forget);
    return p;
  }

  private async registerStep(reg: Registration): Promise<RegistrationResult> {
    const urn = this.urnFor(reg.type, reg.name, reg.parent);
    if (this.seen.has(urn)) {
      throw this.recordError(
        urn,
        reg,
        `duplicate resource URN ${urn}: two resources of type ${reg.type} are named "${reg.name}"`,
      );
    }
    this.seen.add(urn);
    const kind: ResourceKind = !reg.custom
      ? "component"
      : reg.type.startsWith("pulumi-nodejs:dynamic")
        ? "dynamic"
        : "unmanaged";
    try {
      if (kind === "dynamic") return await this.registerDynamic(urn, reg);
      return await this.registerRecorded(urn, reg, kind);
    } catch (e) {
      if (e instanceof RecordedError) throw e;
      throw this.recordError(urn, reg, errorMessage(e));
    }
  }

  /** Handles RegisterResourceOutputs: component outputs, and the stack's outputs. */
  registerOutputs(urn: string, outputs: PropertyMap): void {
    const entry = this.live.get(urn);
    if (urn.split("::")[2] === "pulumi:pulumi:Stack") this.stackOutputs = outputs;
    if (this.preview) return;
    if (entry) this.live.set(urn, { ...entry, outputs });
    try {
      this.save();
    } catch (e) {
      this.errors.push({ urn, message: errorMessage(e) });
    }
  }

  /** Handles ReadResource (`Resource.get`): reads an existing object without managing it. */
  async read(reg: Registration & { id: string }): Promise<RegistrationResult> {
    const urn = this.urnFor(reg.type, reg.name, reg.parent);
    this.seen.add(urn);
    const isDynamic = reg.type.startsWith("pulumi-nodejs:dynamic");
    let outputs = reg.inputs;
    if (isDynamic) {
      const host = await this.getHost();
      const res = await host.read(urn, reg.id, unwrapSecrets(reg.inputs), {});
      if (!res.id) throw this.recordError(urn, reg, `${reg.type} "${reg.id}" does not exist`);
      outputs = markSecretKeys(res.properties, reg.additionalSecretOutputs);
    }
    const entry: ResourceState = {
      urn,
      type: reg.type,
      name: reg.name,
      kind: isDynamic ? "dynamic" : "unmanaged",
      id: reg.id,
      ...(reg.parent ? { parent: reg.parent } : {}),
      inputs: reg.inputs,
      outputs,
      dependencies: reg.dependencies,
      external: true,
    };
    if (!this.preview) {
      this.live.set(urn, entry);
      this.save();
    }
    this.addStep(entry, "read", { unmanaged: !isDynamic });
    return { urn, id: reg.id, outputs };
  }

  /** `up` after the program finished: deletes what left the program and replaced copies, dependents first. */
  async deleteRemoved(): Promise<void> {
    const removed = [...this.live.values()].filter((r) => !this.seen.has(r.urn));
    await this.deleteAll([...removed, ...this.pendingDeletes]);
  }

  /** `destroy`: deletes everything in the state, dependents first. */
  async destroyAll(): Promise<void> {
    await this.deleteAll([...this.live.values(), ...this.pendingDeletes]);
    if (!this.hasFailed && !this.preview) {
      this.stackOutputs = {};
      this.save();
    }
  }

  /** `refresh`: reads every dynamic resource and updates the state (an empty id removes it). */
  async refresh(): Promise<void> {
    const all = [...this.live.values(), ...this.pendingDeletes];
    await Promise.all(
      all.map(async (r) => {
        if (r.kind !== "dynamic" || !r.id) {
          this.addStep(r, "same", { unmanaged: r.kind === "unmanaged" });
          return;
        }
        if (this.failed) {
          this.addStep(r, "same", {}, "skipped");
          return;
        }
        try {
          const host = await this.getHost();
          const res = await host.read(r.urn, r.id, unwrapSecrets(r.outputs), unwrapSecrets(r.inputs));
          if (!res.id) {
            this.drop(r);
            this.save();
            this.addStep(r, "delete", {});
            return;
          }
          const secretOut = new Set([...secretKeysOf(r.outputs), ...(r.additionalSecretOutputs ?? [])]);
          const outputs = markSecretKeys(res.properties, secretOut);
          const inputs = res.inputs ? markSecretKeys(res.inputs, secretKeysOf(r.inputs)) : r.inputs;
          const diffs = changedKeys(r.outputs, outputs);
          const updated: ResourceState = { ...r, id: res.id, outputs, inputs };
          this.replaceEntry(r, updated);
          this.save();
          this.addStep(updated, diffs.length > 0 ? "update" : "same", { diffs });
        } catch (e) {
          this.failStep(r, "update", errorMessage(e));
        }
      }),
    );
  }

  /**
   * Starts the provider host now, in parallel with loading the program (both load the Pulumi SDK,
   * which takes a second or more); a failure surfaces at the first provider call.
   */
  warmUp(): void {
    this.getHost().catch(() => undefined);
  }

  /** Stops the provider host if it was started. */
  async close(): Promise<void> {
    const host = await this.host?.catch(() => undefined);
    this.host = undefined;
    await host?.stop();
  }

  // ---------------------------------------------------------------------------------------------

  private async registerRecorded(
    urn: string,
    reg: Registration,
    kind: ResourceKind,
  ): Promise<RegistrationResult> {
    const old = this.old.get(urn);
    const diffs = old ? changedKeys(old.inputs, reg.inputs) : [];
    const op: Operation = !old ? "create" : diffs.length > 0 && kind === "unmanaged" ? "update" : "same";
    const outputs =
      kind === "unmanaged" ? markSecretKeys(reg.inputs, reg.additionalSecretOutputs) : (old?.outputs ?? {});
    // A resource the runner cannot apply still needs a stable id other resources can use.
    const id =
      kind === "unmanaged"
        ? (old?.id ??
          (reg.importId || `unapplied-${createHash("sha256").update(urn).digest("hex").slice(0, 12)}`))
        : undefined;
    const entry: ResourceState = {
      ...this.baseEntry(urn, reg, kind),
      ...(id ? { id } : {}),
      outputs,
    };
    if (this.preview) {
      this.addStep(entry, op, { diffs, unmanaged: kind === "unmanaged" });
      return { urn, id: old?.id ?? "", outputs };
    }
    if (op !== "same" && this.failed) return this.skip(entry, op);
    this.assertCanStore(entry);
    this.live.set(urn, entry);
    this.save();
    this.addStep(entry, op, { diffs, unmanaged: kind === "unmanaged" });
    return { urn, id: id ?? "", outputs };
  }

  private async registerDynamic(urn: string, reg: Registration): Promise<RegistrationResult> {
    if (reg.importId) {
      throw new Error(
        "the import option does not work for dynamic resources (pulumi/pulumi#16175); use the resource's own adopt input instead",
      );
    }
    const old = this.old.get(urn);
    let news = reg.inputs;
    if (old) news = applyIgnoreChanges(old.inputs, news, reg.ignoreChanges);
    const secretIn = secretKeysOf(news);
    const host = await this.getHost();

    // Check: olds are the old inputs (empty for a create), news the program's inputs.
    const checked = await host.check(urn, old ? unwrapSecrets(old.inputs) : {}, unwrapSecrets(news));
    if (checked.failures.length > 0) {
      throw new Error(
        `invalid inputs: ${checked.failures.map((f) => (f.reason.includes(f.property) ? f.reason : `${f.property}: ${f.reason}`)).join("; ")}`,
      );
    }
    const inputs = markSecretKeys(checked.inputs, secretIn);
    const secretOut = new Set([...secretIn, ...reg.additionalSecretOutputs]);
    const base = this.baseEntry(urn, reg, "dynamic");

    if (!old) {
      const entry: ResourceState = { ...base, inputs, outputs: {} };
      if (this.preview) {
        this.addStep(entry, "create", {});
        return { urn, id: "", outputs: previewOutputs(inputs, secretOut) };
      }
      if (this.failed) return this.skip(entry, "create");
      return this.create(entry, secretOut, "create", {});
    }

    // Diff: olds are the old outputs, news the checked inputs.
    const diff = await host.diff(
      urn,
      old.id ?? "",
      unwrapSecrets(old.outputs),
      checked.inputs,
      unwrapSecrets(old.inputs),
    );
    const diffs = changedKeys(old.inputs, inputs);
    let changed = diff.changes === "some" || (diff.changes === "unknown" && diffs.length > 0);
    // The engine updates a resource that failed to initialise even when nothing changed.
    if (old.initErrors?.length) changed = true;
    const replaces = [...diff.replaces];
    for (const k of reg.replaceOnChanges) {
      if ((k === "*" ? diffs.length > 0 : diffs.includes(k)) && !replaces.includes(k)) replaces.push(k);
    }
    const deleteBeforeReplace = reg.deleteBeforeReplace ?? diff.deleteBeforeReplace;
    const shownDiffs = diffs.filter((k) => k !== "__provider" || diffs.length === 1);

    if (replaces.length > 0) {
      const entry: ResourceState = { ...base, inputs, outputs: {} };
      const extra = { diffs: shownDiffs, replaces, deleteBeforeReplace };
      if (old.protect) {
        throw new Error(
          `unable to replace resource ${urn} as it is currently marked for protection (replacement forced by ${replaces.join(", ")}). Remove the protect option in the program and run up first`,
        );
      }
      if (this.preview) {
        this.addStep(entry, "replace", extra);
        return { urn, id: "", outputs: previewOutputs(inputs, secretOut) };
      }
      if (this.failed) return this.skip(entry, "replace");
      if (deleteBeforeReplace) {
        await this.deleteOne(old, true);
        return this.create(entry, secretOut, "replace", extra);
      }
      // Create before delete: the old copy waits in the state, marked for deletion at the end.
      const oldCopy: ResourceState = { ...old, delete: true };
      this.live.delete(urn);
      this.pendingDeletes.push(oldCopy);
      this.replacedThisRun.add(oldCopy);
      return this.create(entry, secretOut, "replace", extra);
    }

    if (!changed) {
      // Same: new inputs, old outputs (plus any newly requested secret marks).
      const entry: ResourceState = {
        ...base,
        id: old.id,
        inputs,
        outputs: markSecretKeys(old.outputs, reg.additionalSecretOutputs),
      };
      if (!this.preview) {
        this.assertCanStore(entry);
        this.live.set(urn, entry);
        this.save();
      }
      this.addStep(entry, "same", {});
      return { urn, id: old.id ?? "", outputs: entry.outputs };
    }

    const entry: ResourceState = { ...base, id: old.id, inputs, outputs: old.outputs };
    if (this.preview) {
      this.addStep(entry, "update", { diffs: shownDiffs });
      return { urn, id: old.id ?? "", outputs: previewOutputs(inputs, secretOut) };
    }
    if (this.failed) return this.skip(entry, "update");
    this.assertCanStore(entry, secretOut);
    await this.withPending(entry, "updating", async () => {
      try {
        const res = await host.update(
          urn,
          old.id ?? "",
          unwrapSecrets(old.outputs),
          checked.inputs,
          unwrapSecrets(old.inputs),
        );
        entry.outputs = markSecretKeys(res.properties, secretOut);
        delete entry.initErrors;
      } catch (e) {
        if (e instanceof ProviderCallError && e.initFailure) {
          entry.outputs = markSecretKeys(e.initFailure.properties, secretOut);
          entry.initErrors = e.initFailure.reasons.length ? e.initFailure.reasons : [e.message];
          this.live.set(urn, entry);
        }
        // Otherwise nothing changed on the provider side as far as we know: the old entry stays.
        throw e;
      }
      this.live.set(urn, entry);
    });
    this.addStep(entry, "update", { diffs: shownDiffs });
    return { urn, id: entry.id ?? "", outputs: entry.outputs };
  }

  private async create(
    entry: ResourceState,
    secretOut: Set<string>,
    op: "create" | "replace",
    extra: Partial<ResourceStep>,
  ): Promise<RegistrationResult> {
    this.assertCanStore(entry, secretOut);
    const host = await this.getHost();
    await this.withPending(entry, "creating", async () => {
      try {
        const res = await host.create(entry.urn, unwrapSecrets(entry.inputs));
        entry.id = res.id;
        entry.outputs = markSecretKeys(res.properties, secretOut);
      } catch (e) {
        if (e instanceof ProviderCallError && e.initFailure?.id) {
          // Created but failed to initialise: keep it in the state so it is not lost.
          entry.id = e.initFailure.id;
          entry.outputs = markSecretKeys(e.initFailure.properties, secretOut);
          entry.initErrors = e.initFailure.reasons.length ? e.initFailure.reasons : [e.message];
          this.live.set(entry.urn, entry);
        }
        throw e;
      }
      this.live.set(entry.urn, entry);
    });
    this.addStep(entry, op, extra);
    return { urn: entry.urn, id: entry.id ?? "", outputs: entry.outputs };
  }

  /** Records a pending operation, runs it, and saves the state after it whatever happens. */
  private async withPending(
    entry: ResourceState,
    operation: PendingOperation["operation"],
    fn: () => Promise<void>,
  ): Promise<void> {
    const pending: PendingOperation = {
      urn: entry.urn,
      type: entry.type,
      operation,
      started: new Date().toISOString(),
    };
    this.pendingOps.push(pending);
    this.save();
    try {
      await fn();
    } finally {
      this.pendingOps = this.pendingOps.filter((p) => p !== pending);
      this.save();
    }
  }

  private async deleteAll(targets: ResourceState[]): Promise<void> {
    if (this.hasFailed) {
      for (const r of targets) if (!this.replacedThisRun.has(r)) this.addStep(r, "delete", {}, "skipped");
      return;
    }
    const protectedOnes = targets.filter((r) => r.protect && !r.delete);
    if (protectedOnes.length > 0) {
      for (const r of protectedOnes) {
        this.failStep(
          r,
          "delete",
          `unable to delete resource ${r.urn} as it is currently marked for protection. To delete it, remove the protect option in the program and run up, then remove the resource`,
        );
      }
      return;
    }
    const targetSet = new Set(targets);
    const deletingUrns = new Set(targets.map((t) => t.urn));
    const running = new Map<ResourceState, Promise<boolean>>();
    const run = (r: ResourceState): Promise<boolean> => {
      let p = running.get(r);
      if (p) return p;
      p = (async () => {
        // Dependents (by dependency or parent) go first.
        const dependents = [...targetSet].filter(
          (d) =>
            d !== r && (d.parent === r.urn || d.dependencies.includes(r.urn)) && !(r.delete && !d.delete),
        );
        const results = await Promise.all(dependents.map(run));
        // After a failure or an interrupt no new step starts (as with the engine).
        if (results.some((ok) => !ok) || (this.failed && !this.preview)) {
          this.addStep(r, "delete", {}, "skipped");
          return false;
        }
        try {
          await this.deleteOne(r, false, deletingUrns);
          return true;
        } catch (e) {
          this.failStep(r, "delete", errorMessage(e));
          return false;
        }
      })();
      running.set(r, p);
      return p;
    };
    await Promise.all(targets.map(run));
  }

  /**
   * Deletes one resource: through the provider for a dynamic resource, by dropping it from the
   * state for components, unmanaged resources, `retainOnDelete` and read-only (`get`) resources.
   */
  private async deleteOne(r: ResourceState, partOfReplace: boolean, deleting?: Set<string>): Promise<void> {
    const retained = r.retainOnDelete === true;
    // `deletedWith`: the object disappears with another one being deleted in the same run.
    const callProvider =
      r.kind === "dynamic" &&
      !!r.id &&
      !retained &&
      !r.external &&
      !(r.deletedWith && deleting?.has(r.deletedWith));
    const silent = partOfReplace || this.replacedThisRun.has(r);
    if (this.preview) {
      if (!silent) this.addStep(r, "delete", { retained, unmanaged: r.kind === "unmanaged" });
      return;
    }
    if (callProvider) {
      const host = await this.getHost();
      await this.withPending(r, "deleting", async () => {
        await host.delete(r.urn, r.id ?? "", unwrapSecrets(r.outputs), unwrapSecrets(r.inputs));
        this.drop(r);
      });
    } else {
      this.drop(r);
      this.save();
    }
    if (!silent) this.addStep(r, "delete", { retained, unmanaged: r.kind === "unmanaged" });
  }

  private drop(r: ResourceState): void {
    if (r.delete) this.pendingDeletes = this.pendingDeletes.filter((p) => p !== r);
    else if (this.live.get(r.urn) === r) this.live.delete(r.urn);
  }

  private replaceEntry(before: ResourceState, after: ResourceState): void {
    if (before.delete) this.pendingDeletes = this.pendingDeletes.map((p) => (p === before ? after : p));
    else this.live.set(after.urn, after);
  }

  private baseEntry(urn: string, reg: Registration, kind: ResourceKind): Omit<ResourceState, "outputs"> {
    return {
      urn,
      type: reg.type,
      name: reg.name,
      kind,
      ...(reg.parent ? { parent: reg.parent } : {}),
      inputs: reg.inputs,
      dependencies: reg.dependencies,
      ...(reg.protect ? { protect: true } : {}),
      ...(reg.retainOnDelete ? { retainOnDelete: true } : {}),
      ...(reg.deleteBeforeReplace !== undefined ? { deleteBeforeReplace: reg.deleteBeforeReplace } : {}),
      ...(reg.additionalSecretOutputs.length ? { additionalSecretOutputs: reg.additionalSecretOutputs } : {}),
      ...(reg.deletedWith ? { deletedWith: reg.deletedWith } : {}),
    };
  }

  /** Refuses a step whose result would contain a secret when secrets cannot be stored encrypted. */
  private assertCanStore(entry: ResourceState, secretOutputs: Set<string> = new Set()): void {
    if (this.o.stateFile.canStoreSecrets()) return;
    if (containsSecret(entry.inputs) || containsSecret(entry.outputs) || secretOutputs.size > 0) {
      throw new Error(missingPassphraseMessage(this.o.stateFile.filePath));
    }
  }

  private skip(entry: ResourceState, op: Operation): never {
    this.addStep(entry, op, {}, "skipped");
    throw new RecordedError(
      `${entry.name} (${displayType(entry.type)}) was not ${op}d: an earlier step failed`,
    );
  }

  private save(): void {
    if (this.preview) return;
    this.o.stateFile.save({
      version: 1,
      project: this.o.project.name,
      stack: this.o.stack,
      resources: [...this.live.values(), ...this.pendingDeletes],
      outputs: this.stackOutputs,
      pendingOperations: this.pendingOps,
    });
  }

  private getHost(): Promise<DynamicProviderHost> {
    this.host ??= (async () => {
      const host = await DynamicProviderHost.start({
        cwd: this.o.project.dir,
        env: this.o.hostEnv,
        onStderr: (line) => this.o.log(`[provider] ${line}`),
      });
      this.startedHost = host;
      await host.configure(this.o.project.config);
      return host;
    })();
    return this.host;
  }

  private addStep(
    r: ResourceState,
    op: Operation,
    extra: Partial<ResourceStep>,
    status?: ResourceStep["status"],
  ): void {
    const step: ResourceStep = {
      urn: r.urn,
      type: r.type,
      displayType: displayType(r.type),
      name: r.name,
      op,
      status: status ?? (this.preview ? "planned" : "done"),
      ...(r.id ? { id: r.id } : {}),
      ...(isBillable(r.type, op) ? { billable: true } : {}),
    };
    for (const [k, v] of Object.entries(extra)) {
      if (v === undefined || v === false || (Array.isArray(v) && v.length === 0)) continue;
      (step as unknown as Record<string, unknown>)[k] = v;
    }
    this.steps.push(step);
  }

  private markFailed(): void {
    if (this.failed) return;
    this.failed = true;
    for (const l of this.failureListeners.splice(0)) l();
  }

  private failStep(r: ResourceState, op: Operation, message: string): void {
    this.markFailed();
    this.addStep(r, op, { error: message }, "failed");
    this.errors.push({ urn: r.urn, name: r.name, type: displayType(r.type), message });
  }

  private recordError(urn: string, reg: Registration, message: string): RecordedError {
    this.markFailed();
    this.errors.push({ urn, name: reg.name, type: displayType(reg.type), message });
    this.steps.push({
      urn,
      type: reg.type,
      displayType: displayType(reg.type),
      name: reg.name,
      op: this.old.has(urn) ? "update" : "create",
      status: "failed",
      error: message,
    });
    return new RecordedError(message);
  }

  private warn(message: string): void {
    this.warnings.push(message);
    this.o.log(`warning: ${message}`);
  }
}

/**
 * Outputs shown to the program in preview for a create/update/replace: the checked inputs (the
 * engine does not call the provider there); every other output is unknown. Secret outputs that are
 * not known yet are unknown secrets, as the engine reports them.
 */
function previewOutputs(inputs: PropertyMap, secretOut: Set<string>): PropertyMap {
  const out = markSecretKeys(inputs, secretOut);
  for (const k of secretOut) if (!(k in out)) out[k] = makeSecret(UNKNOWN);
  return out;
}

/** Keeps the old value of each ignored top-level input (`ignoreChanges`), as the engine does before Check. */
function applyIgnoreChanges(olds: PropertyMap, news: PropertyMap, ignore: string[]): PropertyMap {
  if (ignore.length === 0) return news;
  const out = { ...news };
  for (const key of ignore) {
    const top = key.split(/[.[]/)[0];
    if (top in olds) out[top] = olds[top];
    else delete out[top];
  }
  return out;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
