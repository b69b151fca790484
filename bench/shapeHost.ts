import * as fs from "node:fs";
import type * as pulumi from "@pulumi/pulumi";
import { SHAPE_KEY, type ShapeFile } from "./shapeFile";

/** The environment variable naming the shape file the provider answers from. */
export const SHAPE_FILE_ENV = "CSP_BENCH_SHAPE_FILE";

/**
 * The provider of the engine-floor-at-size run (bench/shapeFloor.ts), loaded by the Node.js
 * dynamic-provider host from a resource's `__provider`: create answers at once with the entry's
 * recorded id and outputs (read from the shape file named by {@link SHAPE_FILE_ENV}); nothing
 * else is defined, so nothing is called.
 */
export function handler(): pulumi.dynamic.ResourceProvider {
  let shape: ShapeFile | undefined;
  return {
    async create(inputs: Record<string, unknown>) {
      const file = process.env[SHAPE_FILE_ENV];
      if (!file) throw new Error(`${SHAPE_FILE_ENV} is not set`);
      shape ??= JSON.parse(fs.readFileSync(file, "utf8")) as ShapeFile;
      const entry = shape.entries[Number(inputs[SHAPE_KEY])];
      if (!entry?.custom) throw new Error(`no resource entry ${String(inputs[SHAPE_KEY])} in ${file}`);
      return { id: entry.id ?? String(inputs[SHAPE_KEY]), outs: entry.outputs };
    },
  };
}

/** The `__provider` text of a shape resource: requires this compiled module by its path. */
export function shapeProviderText(): string {
  return `exports.handler = function () { return require(${JSON.stringify(__filename)}).handler(); };\n`;
}
