import { describe, expect, it } from "vitest";
import { docCommand, markdownTable } from "../../bench/docCommand";

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

describe("the tables of the generated documents", () => {
  it("writes a header, its rule and the rows, escaping a | inside a cell", () => {
    expect(
      markdownTable(
        ["N", "phase"],
        [
          ["1", "create"],
          ["10", "a | b"],
        ],
      ),
    ).toBe(["| N | phase |", "| --- | --- |", "| 1 | create |", "| 10 | a \\| b |"].join("\n"));
  });
});
