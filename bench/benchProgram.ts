// The benchmark's Pulumi program: one CustomerTenant per spec in the JSON file named by the
// `bench:specFile` config (written by the benchmark before each phase). Run by the Pulumi CLI's
// Node.js language host from a generated program folder whose Pulumi.yaml points `main` at this
// compiled file; with no spec it declares nothing (the engine's floor). With `bench:shapeFile` it
// declares the resources of an earlier create again through a provider that makes no call (the
// engine's floor at that size, bench/shapeFloor.ts).
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { type CustomerSpec, CustomerTenant } from "pulumi-csp";
import { declareShape } from "./shapeProgram";

const config = new pulumi.Config("bench");
const shapeFile = config.get("shapeFile");
if (shapeFile) declareShape(shapeFile);
const specs = shapeFile
  ? []
  : (JSON.parse(fs.readFileSync(config.require("specFile"), "utf8")) as CustomerSpec[]);

const tenants = specs.map((spec) => new CustomerTenant(spec.key, spec));

/** Customer ids by key (a small output, so the state stays about the resources). */
export const customerIds = pulumi.output(Object.fromEntries(tenants.map((t) => [t.key, t.customerId])));
