import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runProgram } from "../../automation/runProgram";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";
import { registeredCspTypes } from "../support/registeredCspTypes";

/**
 * pulumi-csp's one-line provider modules inside the real dynamic-provider host, as the Pulumi
 * engine drives it: a program registers a resource of one type with empty inputs, and a preview
 * must end in that type's own check failures (naming a property), never in a load error of the
 * module, a runtime error or an API call. The engine stops a preview at the first failed check, so
 * each type gets its own preview.
 */

const root = path.resolve(__dirname, "..", "..");
const program = path.join(root, "test", "fixtures", "programs", "every-type");

async function previewOf(type: string) {
  const noCredentials = Object.keys(process.env)
    .filter((k) => k.startsWith("CSP_"))
    .map((k) => [k, undefined]);
  return runProgram({
    command: "preview",
    programDir: program,
    stateDir: path.join(os.tmpdir(), `csp-provider-host-${process.pid}`, type),
    // No credentials at all: check must not need any for empty inputs.
    env: { ...Object.fromEntries(noCredentials), CSP_TEST_TYPES: JSON.stringify([type]) },
  });
}

beforeAll(() => {
  assertBuilt(root, sourcesUnder(root, "provider"));
});

describe("pulumi-csp's provider modules in the real dynamic-provider host", () => {
  it("an unknown type reaches the registry, which names the known ones", async () => {
    const result = await previewOf("NoSuchType");
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => e.message).join("\n")).toContain('unknown resource type "NoSuchType"');
  });

  it("every registered type loads and answers check with failures that name a property", async () => {
    const types = registeredCspTypes(root);
    expect(types.length).toBeGreaterThanOrEqual(12);
    expect(types).toContain("LicenseSubscription");
    for (const type of types) {
      const result = await previewOf(type);
      expect(result.ok, type).toBe(false);
      const messages = result.errors.map((e) => e.message);
      expect(messages.length, type).toBeGreaterThan(0);
      for (const m of messages) {
        expect(m, type).toMatch(new RegExp(`dynamic/csp:${type} resource 'empty-${type}': property \\w+`));
      }
    }
  }, 180_000);
});
