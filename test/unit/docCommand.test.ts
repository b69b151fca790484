import { describe, expect, it } from "vitest";
import { docCommand } from "../../bench/docCommand";

describe("the command a generated document names", () => {
  it("keeps the script and its options but no local file paths", () => {
    expect(
      docCommand("bench:fleet", [
        "--customers",
        "20",
        "--out",
        ".bench/fleet.json",
        "--keep",
        "--doc",
        "docs/fleet.md",
      ]),
    ).toBe("npm run bench:fleet -- --customers 20");
    expect(docCommand("bench", [])).toBe("npm run bench");
    expect(docCommand("reliability", ["faults", "--no-doc"])).toBe("npm run reliability -- faults");
  });
});
