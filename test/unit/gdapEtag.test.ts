import { describe, expect, it } from "vitest";
import { requireEtag, withEtag } from "../../provider/clients/graph/gdapEtag";

describe("GDAP etags", () => {
  it("takes the etag from the body, else from the ETag header", () => {
    expect(withEtag({ id: "r1", "@odata.etag": 'W/"body"' }, { etag: 'W/"header"' })["@odata.etag"]).toBe(
      'W/"body"',
    );
    const bare: { id: string; "@odata.etag"?: string } = { id: "r1" };
    expect(withEtag(bare, { etag: 'W/"header"' })["@odata.etag"]).toBe('W/"header"');
    expect(withEtag(bare, {})).toEqual({ id: "r1" });
  });

  it("refuses to go on without an etag, naming the object", () => {
    expect(requireEtag({ id: "a1", "@odata.etag": 'W/"1"' }, "GDAP access assignment")).toBe('W/"1"');
    expect(() => requireEtag({ id: "a1" }, "GDAP access assignment")).toThrow(
      "GDAP access assignment a1 was returned without an etag",
    );
  });
});
