import { type Checkpoint, SECRET_SIG, SECRET_SIG_KEY } from "../automation/checkpoint";

/**
 * The shape of a stack: every resource of a checkpoint the program declared (components and
 * pulumi-csp resources, in the checkpoint's order, which puts parents and dependencies first), with
 * its type, name, parent, dependencies and properties. The engine-floor-at-size run
 * (bench/shapeFloor.ts) declares it again through a provider that makes no call, so the engine's
 * work for a state of that size (its steps and checkpoint writes) is measured without the API.
 */
export interface ShapeFile {
  entries: ShapeEntry[];
}

export interface ShapeEntry {
  /** A pulumi-csp (dynamic) resource, or a component. */
  custom: boolean;
  type: string;
  name: string;
  /** Index of the parent entry; none when the parent is the stack. */
  parent?: number;
  /** Indexes of the entries it depends on (`dependencies`). */
  dependsOn: number[];
  /** Indexes of the entries each input depends on (`propertyDependencies`). */
  propertyDependsOn: Record<string, number[]>;
  id?: string;
  /** Inputs and outputs without `__provider`; secrets as their ciphertext (same length, no key needed). */
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

/** The input that tells the shape provider which entry it creates. */
export const SHAPE_KEY = "shapeEntry";

const ROOT_TYPE = "pulumi:pulumi:Stack";
const PROVIDER_TYPE_PREFIX = "pulumi:providers:";
const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic";

/** The shape of a checkpoint's live resources; throws on a kind of resource it does not declare again. */
export function shapeOf(checkpoint: Checkpoint): ShapeFile {
  const live = checkpoint.resources.filter(
    (r) => !r.delete && r.type !== ROOT_TYPE && !r.type.startsWith(PROVIDER_TYPE_PREFIX),
  );
  const index = new Map(live.map((r, i) => [r.urn, i]));
  const indexesOf = (urns: readonly string[] | undefined) =>
    (urns ?? []).flatMap((u) => (index.has(u) ? [index.get(u) as number] : []));
  return {
    entries: live.map((r, i) => {
      if (r.custom && !r.type.startsWith(DYNAMIC_PREFIX)) {
        throw new Error(`${r.urn}: only pulumi-csp resources and components can be declared again`);
      }
      const parent = r.parent === undefined ? undefined : index.get(r.parent);
      if (parent !== undefined && parent >= i) throw new Error(`${r.urn}: its parent comes after it`);
      const propertyDependencies = r.propertyDependencies ?? {};
      return {
        custom: r.custom,
        type: r.type,
        name: nameOf(r.urn),
        ...(parent === undefined ? {} : { parent }),
        dependsOn: indexesOf(r.dependencies),
        propertyDependsOn: Object.fromEntries(
          Object.entries(propertyDependencies).map(([k, urns]) => [k, indexesOf(urns)]),
        ),
        ...(r.id === undefined ? {} : { id: r.id }),
        inputs: plain(r.inputs ?? {}),
        outputs: plain(r.outputs ?? {}),
      };
    }),
  };
}

/** The resource name: what follows the type in the URN. */
function nameOf(urn: string): string {
  const parts = urn.split("::");
  if (parts.length < 4) throw new Error(`${urn}: not a resource URN`);
  return parts.slice(3).join("::");
}

/** Properties without `__provider`, secrets replaced by their ciphertext. */
function plain(props: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _, ...rest } = props;
  return unsecret(rest) as Record<string, unknown>;
}

function unsecret(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unsecret);
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  if (o[SECRET_SIG_KEY] === SECRET_SIG)
    return typeof o.ciphertext === "string" ? o.ciphertext : JSON.stringify(o.plaintext);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unsecret(x)]));
}
