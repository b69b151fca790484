import { describe, expect, it } from "vitest";
import { withoutEngineKeys } from "../../provider/engineKeys";
import type { HandlerContext, ResourceHandler } from "../../provider/handlers/types";

type Props = Record<string, unknown>;

/** A handler that records what it was given and echoes it back, engine key included if it saw one. */
function recordingHandler(seen: Props[]): ResourceHandler<Props, Props> {
  const note = (p: Props) => {
    seen.push(p);
    return p;
  };
  return {
    check: async (olds, news) => {
      note(olds);
      return { inputs: note(news) };
    },
    diff: async (_id, olds, news) => {
      note(olds);
      note(news);
      return { changes: false };
    },
    create: async (inputs) => ({ id: "x", outs: note(inputs) }),
    read: async (id, props) => ({ id, props: note(props), inputs: props }),
    update: async (_id, olds, news) => {
      note(olds);
      return { outs: note(news) };
    },
    delete: async (_id, props) => {
      note(props);
    },
  };
}

const ctx = {} as HandlerContext;
const withKey = { name: "a", __provider: "exports.handler = ..." };

describe("the host's handler wrapper", () => {
  it("hides the engine's __provider key from every handler method and from what it returns", async () => {
    const seen: Props[] = [];
    const h = withoutEngineKeys(recordingHandler(seen));
    const checked = await h.check(withKey, withKey, ctx);
    await h.diff("x", withKey, withKey, ctx);
    const created = await h.create(withKey, ctx);
    const read = await h.read("x", withKey, ctx);
    const updated = await h.update("x", withKey, withKey, ctx);
    await h.delete("x", withKey, ctx);
    expect(seen).toHaveLength(9);
    for (const p of seen) expect(p).toEqual({ name: "a" });
    for (const r of [checked.inputs, created.outs, read.props, read.inputs, updated.outs]) {
      expect(r).toEqual({ name: "a" });
    }
  });
});
