import { describe, expect, it } from "vitest";
import { createProcessMemo } from "../../provider/clients/processMemo";

describe("process memo", () => {
  it("shares one load between concurrent callers and remembers the answer", async () => {
    const memo = createProcessMemo();
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 5));
      return "template-1";
    };
    const answers = await Promise.all([memo.get("mca", load), memo.get("mca", load), memo.get("mca", load)]);
    expect(answers).toEqual(["template-1", "template-1", "template-1"]);
    expect(await memo.get("mca", load)).toBe("template-1");
    expect(loads).toBe(1);
  });

  it("does not remember a failed load", async () => {
    const memo = createProcessMemo();
    let loads = 0;
    await expect(
      memo.get("x", async () => {
        loads++;
        throw new Error("503");
      }),
    ).rejects.toThrow("503");
    expect(memo.has("x")).toBe(false);
    expect(await memo.get("x", async () => ++loads)).toBe(2);
  });

  it("expires an answer after its ttl and drops a forgotten key", async () => {
    let t = 1000;
    const memo = createProcessMemo(() => t);
    memo.set("domain", "taken", { ttlMs: 100 });
    expect(await memo.get("domain", async () => "free")).toBe("taken");
    t += 100;
    expect(await memo.get("domain", async () => "free")).toBe("free");
    memo.forget("domain");
    expect(memo.has("domain")).toBe(false);
  });

  it("grants a claim once per process", () => {
    const memo = createProcessMemo();
    expect([memo.claim("first-plan:c1"), memo.claim("first-plan:c1"), memo.claim("first-plan:c2")]).toEqual([
      true,
      false,
      true,
    ]);
  });
});
