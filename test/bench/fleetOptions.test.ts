import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../automation/toolchain";
import { parseOptions } from "../../bench/fleetBench";

/** `npm run bench:fleet` refreshes the committed docs/fleet.md only from its default run. */
describe("the fleet bench's document", () => {
  const committed = path.join(packageRoot(), "docs", "fleet.md");

  it("is the committed one for the default run, local file options aside", () => {
    expect(parseOptions([]).doc).toBe(committed);
    expect(parseOptions(["--out", ".bench/f.json", "--keep"]).doc).toBe(committed);
  });

  it("is not written by a run that measures something else, unless named", () => {
    expect(parseOptions(["--customers", "2", "--rounds", "0"]).doc).toBeUndefined();
    expect(parseOptions(["--customers", "20", "--doc", "docs/fleet.md"]).doc).toBe("docs/fleet.md");
    expect(parseOptions(["--no-doc"]).doc).toBeUndefined();
  });
});
