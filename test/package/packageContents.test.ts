import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.join(__dirname, "..", "..");

/** The files `npm pack` would publish, from its JSON report (nothing is written). */
function packedFiles(): string[] {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const report = JSON.parse(out) as { files: { path: string }[] }[];
  return report[0]!.files.map((f) => f.path);
}

describe("the published package", () => {
  const files = packedFiles();

  it("ships the library, the provider host, the emulator and its sample values, the CLI with its gitops commands and template, and the customer file schema", () => {
    for (const f of [
      "dist/index.js",
      "dist/index.d.ts",
      "dist/provider/host.js",
      "dist/emulator/index.js",
      "dist/emulator/main.js",
      "dist/testing/index.js",
      "dist/testing/index.d.ts",
      "dist/cli/main.js",
      "dist/gitops/fleet.js",
      "templates/gitops/Pulumi.yaml",
      "components/customerSpec.schema.json",
      "README.md",
    ]) {
      expect(files).toContain(f);
    }
  });

  it("ships neither tests nor the bench, reliability or example drivers", () => {
    const driverOrTest = files.filter((f) => /^dist\/(test|bench|reliability|examples)\//.test(f));
    expect(driverOrTest).toEqual([]);
    expect(files.filter((f) => f.endsWith(".test.js"))).toEqual([]);
  });

  it("resolves its entry points through exports, the serialized provider's require included", () => {
    const pkg = require(path.join(root, "package.json")) as { exports: Record<string, unknown> };
    expect(Object.keys(pkg.exports).sort()).toEqual(
      [
        ".",
        "./customerSpec.schema.json",
        "./dist/provider/host",
        "./emulator",
        "./package.json",
        "./testing",
      ].sort(),
    );
    expect(require.resolve("pulumi-csp/dist/provider/host")).toBe(path.join(root, "dist/provider/host.js"));
    expect(require.resolve("pulumi-csp/emulator")).toBe(path.join(root, "dist/emulator/index.js"));
    expect(require.resolve("pulumi-csp/testing")).toBe(path.join(root, "dist/testing/index.js"));
  });
});
