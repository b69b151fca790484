import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamicProviderHost, ProviderCallError } from "../harness/dynamicProviderHost";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";
import { registeredCspTypes } from "../support/registeredCspTypes";

/**
 * Protocol layer (dynamic-providers reference, "Test layers" 3): the real
 * `@pulumi/pulumi/cmd/dynamic-provider` process, started with a dummy engine address, driven over
 * gRPC as the engine drives it (Configure, Check, Diff, Create, Read, Update, Delete).
 */

const root = path.resolve(__dirname, "..", "..");
const nodeRequire = createRequire(path.join(root, "package.json"));
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const memoryProvider = fs.readFileSync(path.join(root, "test/fixtures/providers/memoryProvider.js"), "utf8");
const URN = "urn:pulumi:test::protocol::pulumi-nodejs:dynamic:Resource::thing";

let host: DynamicProviderHost;

beforeAll(async () => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("CSP_")));
  // cwd = the repository root, where `pulumi-csp` resolves (node_modules/pulumi-csp links to it),
  // as it does from a user's program folder.
  host = await DynamicProviderHost.start({ cwd: root, env });
  await host.configure({ "fixture:greeting": "hello", "csp:sandbox": "true" });
});

afterAll(async () => {
  await host?.stop();
});

describe("the dynamic-provider host driven over gRPC", () => {
  it("checks inputs: normalised inputs keep __provider, failures name the property", async () => {
    const ok = await host.check(URN, {}, { __provider: memoryProvider, size: 1 });
    expect(ok.failures).toEqual([]);
    expect(ok.inputs).toEqual({ __provider: memoryProvider, size: 1, color: "blue" });

    const bad = await host.check(URN, {}, { __provider: memoryProvider });
    expect(bad.failures).toEqual([{ property: "size", reason: "size is required" }]);
  });

  it("passes a value not known yet to Check as the engine's unknown sentinel", async () => {
    const res = await host.check(URN, {}, { __provider: memoryProvider, size: 1, color: UNKNOWN });
    expect(res.inputs.color).toBe(UNKNOWN);
  });

  it("runs a full lifecycle: create, read, diff, update, replace decision, delete, read of a deleted object", async () => {
    const inputs = { __provider: memoryProvider, size: 1, color: "blue" };
    const created = await host.create(URN, inputs);
    expect(created.id).toMatch(/^obj-\d+$/);
    // Configure reached the provider; the host adds __provider to the outputs.
    expect(created.properties).toEqual({
      size: 1,
      color: "blue",
      version: 1,
      greeting: "hello",
      __provider: memoryProvider,
    });

    const read = await host.read(URN, created.id, created.properties, inputs);
    expect(read.id).toBe(created.id);
    expect(read.properties.size).toBe(1);

    const same = await host.diff(URN, created.id, created.properties, inputs, inputs);
    expect(same).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });

    const bigger = { ...inputs, size: 2 };
    const update = await host.diff(URN, created.id, created.properties, bigger, inputs);
    expect(update).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const updated = await host.update(URN, created.id, created.properties, bigger, inputs);
    expect(updated.properties).toMatchObject({ size: 2, version: 2 });

    const recolor = await host.diff(URN, created.id, updated.properties, { ...bigger, color: "red" }, bigger);
    expect(recolor).toEqual({ changes: "some", replaces: ["color"], deleteBeforeReplace: true });

    await host.delete(URN, created.id, updated.properties, bigger);
    const gone = await host.read(URN, created.id, updated.properties, bigger);
    expect(gone.id).toBe("");
    expect(host.calls).toMatchObject({ configure: 1, create: 1, update: 1, delete: 1 });
  });

  it("reports a provider error with the provider's message", async () => {
    const err = await host
      .update(URN, "obj-missing", { __provider: memoryProvider }, { __provider: memoryProvider, size: 3 }, {})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderCallError);
    expect((err as ProviderCallError).message).toContain("object obj-missing does not exist");
  });

  it("returns the id and properties of an object created but failed to initialise", async () => {
    const err = await host
      .create(URN, { __provider: memoryProvider, size: 1, color: "blue", failInit: true })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderCallError);
    const failure = (err as ProviderCallError).initFailure;
    expect(failure?.id).toMatch(/^obj-\d+$/);
    expect(failure?.properties).toMatchObject({ size: 1, color: "blue" });
    expect(failure?.reasons).toEqual(["did not become ready"]);
  });
});

describe("pulumi-csp's one-line provider modules inside the real host", () => {
  const { providerModuleText } = nodeRequire("./dist/provider/providerModule.js") as {
    providerModuleText(type: string): string;
  };

  beforeAll(() => {
    assertBuilt(root, sourcesUnder(root, "provider"));
  });

  it("resolves pulumi-csp from the host's working directory and reaches the registry", async () => {
    const err = await host
      .check(URN, {}, { __provider: providerModuleText("NoSuchType") })
      .catch((e: unknown) => e);
    expect((err as Error).message).toContain('unknown resource type "NoSuchType"');
  });

  it("loads every registered type and answers Check without calling any API", async () => {
    const known = registeredCspTypes(root);
    for (const type of known) {
      const res = await host
        .check(
          `urn:pulumi:test::protocol::pulumi-nodejs:dynamic/csp:${type}::x`,
          {},
          {
            __provider: providerModuleText(type),
          },
        )
        .catch((e: unknown) => e);
      // Whatever the verdict on empty inputs, it is a Check answer, not a load or runtime error.
      expect(res, type).not.toBeInstanceOf(Error);
      expect(Array.isArray((res as { failures: unknown[] }).failures), type).toBe(true);
    }
  });
});
