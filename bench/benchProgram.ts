// The benchmark's Pulumi program: one CustomerTenant per spec in the JSON file named by the
// `bench:specFile` config (written by the benchmark before each phase). Run by the Pulumi CLI's
// Node.js language host from a generated program folder whose Pulumi.yaml points `main` at this
// compiled file; with no spec it declares nothing (the engine's floor).
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { type CustomerSpec, CustomerTenant } from "pulumi-csp";

const config = new pulumi.Config("bench");
const specs = JSON.parse(fs.readFileSync(config.require("specFile"), "utf8")) as CustomerSpec[];

const tenants = specs.map((spec) => new CustomerTenant(spec.key, spec));

/** Customer ids by key (a small output, so the state stays about the resources). */
export const customerIds = pulumi.output(Object.fromEntries(tenants.map((t) => [t.key, t.customerId])));
