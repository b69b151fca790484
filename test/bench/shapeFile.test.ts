import { describe, expect, it } from "vitest";
import type { Checkpoint, CheckpointResource } from "../../automation/checkpoint";
import { shapeOf } from "../../bench/shapeFile";

/** The engine-floor-at-size run declares a checkpoint's resources again from this shape. */

const P = "urn:pulumi:bench::csp-bench::";
const STACK = `${P}pulumi:pulumi:Stack::csp-bench-bench`;
const TENANT = `${P}csp:index:CustomerTenant::t1`;
const CUSTOMER = `${P}csp:index:CustomerTenant$pulumi-nodejs:dynamic/csp:Customer::t1-customer`;
const USER = `${P}csp:index:CustomerTenant$pulumi-nodejs:dynamic/csp:CustomerUser::t1-user`;
const SECRET = {
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  ciphertext: "v1:abc",
};

function checkpoint(resources: CheckpointResource[]): Checkpoint {
  return { text: "", resources, pendingOperations: [], outputs: {} };
}

const resources: CheckpointResource[] = [
  { urn: STACK, custom: false, type: "pulumi:pulumi:Stack" },
  {
    urn: `${P}pulumi:providers:pulumi-nodejs::default`,
    custom: true,
    type: "pulumi:providers:pulumi-nodejs",
    id: "p",
  },
  {
    urn: TENANT,
    custom: false,
    type: "csp:index:CustomerTenant",
    parent: STACK,
    outputs: { customerId: "c1" },
  },
  {
    urn: CUSTOMER,
    custom: true,
    type: "pulumi-nodejs:dynamic/csp:Customer",
    id: "c1",
    parent: TENANT,
    inputs: { __provider: "exports.handler = ...", domain: "a.example" },
    outputs: { __provider: "exports.handler = ...", domain: "a.example", customerId: "c1" },
  },
  {
    urn: USER,
    custom: true,
    type: "pulumi-nodejs:dynamic/csp:CustomerUser",
    id: "u1",
    parent: TENANT,
    dependencies: [CUSTOMER, STACK],
    inputs: { customerId: "c1", password: SECRET, roles: [{ name: "r", note: SECRET }] },
    outputs: { password: SECRET },
    ...({ propertyDependencies: { customerId: [CUSTOMER], roles: [] } } as object),
  },
  {
    urn: `${P}csp:index:CustomerTenant::gone`,
    custom: false,
    type: "csp:index:CustomerTenant",
    delete: true,
  },
];

describe("shapeOf", () => {
  it("keeps the program's resources in order with parents and dependencies as indexes, not the stack or its provider", () => {
    const shape = shapeOf(checkpoint(resources));
    expect(shape.entries.map((e) => [e.custom, e.type, e.name, e.parent, e.dependsOn])).toEqual([
      [false, "csp:index:CustomerTenant", "t1", undefined, []],
      [true, "pulumi-nodejs:dynamic/csp:Customer", "t1-customer", 0, []],
      [true, "pulumi-nodejs:dynamic/csp:CustomerUser", "t1-user", 0, [1]],
    ]);
    expect(shape.entries[2]!.propertyDependsOn).toEqual({ customerId: [1], roles: [] });
    expect(shape.entries[1]!.id).toBe("c1");
  });

  it("drops __provider and puts each secret's ciphertext where the secret was", () => {
    const [tenant, customer, user] = shapeOf(checkpoint(resources)).entries;
    expect(tenant!.outputs).toEqual({ customerId: "c1" });
    expect(customer!.inputs).toEqual({ domain: "a.example" });
    expect(customer!.outputs).toEqual({ domain: "a.example", customerId: "c1" });
    expect(user!.inputs).toEqual({
      customerId: "c1",
      password: "v1:abc",
      roles: [{ name: "r", note: "v1:abc" }],
    });
    expect(JSON.stringify(user)).not.toContain("4dabf18193072939515e22adb298388d");
  });

  it("refuses a custom resource that is not a pulumi-csp one, and a parent that comes after its child", () => {
    const foreign = { urn: `${P}azure:foo:Bar::x`, custom: true, type: "azure:foo:Bar", id: "x" };
    expect(() => shapeOf(checkpoint([foreign]))).toThrow(/only pulumi-csp resources and components/);
    const late = [resources[3]!, resources[2]!];
    expect(() => shapeOf(checkpoint(late))).toThrow(/its parent comes after it/);
  });
});
