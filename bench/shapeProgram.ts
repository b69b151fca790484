import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { SHAPE_KEY, type ShapeFile } from "./shapeFile";
import { shapeProviderText } from "./shapeHost";

/** A component of the shape: its type and name, and its recorded outputs registered. */
class ShapeComponent extends pulumi.ComponentResource {
  constructor(type: string, name: string, outputs: pulumi.Inputs, opts: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.registerOutputs(outputs);
  }
}

/** A pulumi-csp resource of the shape, under its own type token. */
class ShapeResource extends pulumi.CustomResource {}

/**
 * Declares the resources of a shape file again (bench/shapeFile.ts): components as components
 * (with their recorded outputs), pulumi-csp resources under their own type token with their
 * recorded inputs, a `__provider` that answers create with the recorded outputs (bench/shapeHost.ts),
 * the same parents, `dependsOn`, and inputs that depend on the same resources.
 */
export function declareShape(file: string): void {
  const shape = JSON.parse(fs.readFileSync(file, "utf8")) as ShapeFile;
  const made: pulumi.Resource[] = [];
  const provider = shapeProviderText();
  shape.entries.forEach((e, i) => {
    const opts = {
      ...(e.parent === undefined ? {} : { parent: made[e.parent] }),
      dependsOn: e.dependsOn.map((d) => made[d] as pulumi.Resource),
    };
    if (!e.custom) {
      made.push(new ShapeComponent(e.type, e.name, e.outputs, opts));
      return;
    }
    const inputs: pulumi.Inputs = { ...e.inputs, [SHAPE_KEY]: i, __provider: provider };
    for (const [key, deps] of Object.entries(e.propertyDependsOn)) {
      if (deps.length === 0 || !(key in inputs)) continue;
      const value = inputs[key];
      inputs[key] = pulumi.all(deps.map((d) => (made[d] as pulumi.Resource).urn)).apply(() => value);
    }
    made.push(new ShapeResource(e.type, e.name, inputs, opts));
  });
}
