import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assertBuilt } from "../support/distFreshness";

/**
 * The guard the program tests run before they use `dist/`. A source a test names that no longer
 * exists (it moved) must fail here too, not only on a clean clone where its old output is absent.
 */
let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "csp-fresh-"));
  fs.mkdirSync(path.join(root, "src"));
  fs.mkdirSync(path.join(root, "dist", "src"), { recursive: true });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function write(rel: string, mtime: number): void {
  fs.writeFileSync(path.join(root, rel), "x");
  fs.utimesSync(path.join(root, rel), mtime, mtime);
}

describe("assertBuilt", () => {
  it("passes when the output is newer than its source", () => {
    write("src/a.ts", 1_000);
    write("dist/src/a.js", 2_000);
    expect(() => assertBuilt(root, ["src/a.ts"])).not.toThrow();
  });

  it("names a source whose output is older", () => {
    write("src/a.ts", 2_000);
    write("dist/src/a.js", 1_000);
    expect(() => assertBuilt(root, ["src/a.ts"])).toThrow(/older than src\/a\.ts/);
  });

  it("names a source whose output is missing", () => {
    write("src/a.ts", 1_000);
    expect(() => assertBuilt(root, ["src/a.ts"])).toThrow(/missing or older than src\/a\.ts/);
  });

  it("refuses a source that does not exist, even when an old output of it is still in dist/", () => {
    write("dist/src/moved.js", 2_000);
    expect(() => assertBuilt(root, ["src/moved.ts"])).toThrow(/src\/moved\.ts does not exist/);
  });
});
