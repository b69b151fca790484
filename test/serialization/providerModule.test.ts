import { createRequire } from "node:module";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";
import { registeredCspTypes } from "../support/registeredCspTypes";

/**
 * Serialization layer (dynamic-providers reference, "Test layers" 2): every resource type, built
 * by tsc into dist/ and loaded with Node's own require (never through vitest's transform, which
 * would hide serialization defects), registers a `__provider` that is a small plain string and
 * loads with `requireFromString(s).handler()` exactly as the dynamic-provider host loads it.
 */

const root = path.resolve(__dirname, "..", "..");
const nodeRequire = createRequire(path.join(root, "package.json"));

interface MockResourceArgs {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
type ResourceClass = new (name: string, args: object, opts?: object) => object;
type HandlerLike = Record<string, (...args: unknown[]) => Promise<unknown>>;

const FIXTURE_TYPE = "HarnessFixture";
const REQUIRED_METHODS = ["check", "diff", "create", "read", "update", "delete"];

let registeredTypes: string[] = [];
let exportedClasses: [string, ResourceClass][] = [];
const registrations = new Map<string, MockResourceArgs>();

beforeAll(async () => {
  assertBuilt(root, sourcesUnder(root, "provider"));

  registeredTypes = registeredCspTypes(root);
  const registry = nodeRequire("./dist/provider/handlers/registry.js") as {
    registerHandler: (type: string, h: unknown) => void;
  };

  // A fixed fixture type, so the test means something whatever the registry holds.
  const calls: string[] = [];
  const fixtureHandler: HandlerLike = Object.fromEntries(
    REQUIRED_METHODS.map((m) => [
      m,
      async (...args: unknown[]) => {
        calls.push(m);
        return m === "check" ? { inputs: args[1] } : m === "create" ? { id: "fixture-1", outs: {} } : {};
      },
    ]),
  );
  registry.registerHandler(FIXTURE_TYPE, fixtureHandler);

  const pulumi = nodeRequire("@pulumi/pulumi") as {
    runtime: {
      setMocks(
        mocks: {
          newResource(args: MockResourceArgs): { id: string; state: object };
          call(): object;
        },
        project?: string,
        stack?: string,
        preview?: boolean,
      ): Promise<void>;
    };
  };
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registrations.set(args.name, args);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    "serialization",
    "test",
    false,
  );

  const resources = nodeRequire("./dist/provider/resources/index.js") as Record<string, unknown>;
  const { CspResource } = resources as { CspResource: ResourceClass };
  exportedClasses = Object.entries(resources).filter(
    (e): e is [string, ResourceClass] =>
      typeof e[1] === "function" && e[1] !== CspResource && e[1].prototype instanceof CspResource,
  );
  for (const [name, Cls] of exportedClasses) new Cls(`ser-${name}`, {});

  // The fixture type, declared the same way the real resource classes are.
  const Base = CspResource as unknown as new (
    type: string,
    name: string,
    props: object,
    opts: object | undefined,
    secretOutputs?: string[],
  ) => object;
  class Fixture extends Base {
    constructor(name: string) {
      super(FIXTURE_TYPE, name, { size: 1 }, undefined, ["token"]);
    }
  }
  new Fixture("ser-fixture");
  // Registration is asynchronous; wait until the mocks have seen every resource.
  const expected = exportedClasses.length + 1;
  for (let i = 0; i < 200 && registrations.size < expected; i++) await new Promise((r) => setTimeout(r, 10));
});

function providerOf(resourceName: string): unknown {
  const reg = registrations.get(resourceName);
  if (!reg) throw new Error(`${resourceName} was never registered`);
  return reg.inputs.__provider;
}

/** Loads a `__provider` text the way the host does: requireFromString, resolving from the cwd. */
function loadProvider(text: string): Record<string, unknown> {
  const requireFromString = nodeRequire("require-from-string") as (code: string) => {
    handler(): Record<string, unknown>;
  };
  return requireFromString(text).handler();
}

describe("serialized provider of every resource type", () => {
  it("registers a handler for every exported resource class, and a class for every handler", () => {
    const classTypes = exportedClasses.map(([name]) => {
      const reg = registrations.get(`ser-${name}`);
      return reg?.type.replace(/^pulumi-nodejs:dynamic\/csp:/, "");
    });
    expect(classTypes.sort()).toEqual(registeredTypes);
    for (const [name] of exportedClasses) {
      expect(registrations.get(`ser-${name}`)?.type).toMatch(/^pulumi-nodejs:dynamic\/csp:[A-Z]\w+$/);
    }
  });

  it("stores a plain string under 1 KB that names only the package module and the type", () => {
    const names = [...exportedClasses.map(([name]) => `ser-${name}`), "ser-fixture"];
    for (const name of names) {
      const text = providerOf(name);
      // A secret would arrive as an envelope object, and an absolute path would tie state to this machine.
      expect(typeof text, name).toBe("string");
      const s = text as string;
      expect(Buffer.byteLength(s), name).toBeLessThan(1024);
      expect(s).toContain('require("pulumi-csp/dist/provider/host")');
      expect(s).not.toContain(root);
    }
  });

  it("loads with requireFromString(s).handler() into a provider with all six methods", () => {
    const names = [...exportedClasses.map(([name]) => `ser-${name}`), "ser-fixture"];
    for (const name of names) {
      const provider = loadProvider(providerOf(name) as string);
      for (const m of REQUIRED_METHODS) expect(typeof provider[m], `${name}.${m}`).toBe("function");
    }
  });

  it("routes calls of the loaded provider to the handler registered for the type", async () => {
    const provider = loadProvider(providerOf("ser-fixture") as string) as unknown as HandlerLike;
    await expect(provider.check({}, { size: 2 })).resolves.toEqual({ inputs: { size: 2 } });
    await expect(provider.create({ size: 2 })).resolves.toEqual({ id: "fixture-1", outs: {} });
  });
});
