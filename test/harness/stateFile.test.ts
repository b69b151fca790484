import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeSecret, SECRET_SIG, SIG_KEY } from "./propertyValues";
import { emptyStackState, type ResourceState, type StackState, topologicalOrder } from "./stackState";
import { StateFile } from "./stateFile";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-state-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function resource(name: string, extra: Partial<ResourceState> = {}): ResourceState {
  return {
    urn: `urn:pulumi:dev::p::t::${name}`,
    type: "t",
    name,
    kind: "dynamic",
    inputs: {},
    outputs: {},
    dependencies: [],
    ...extra,
  };
}

function stateWithSecret(secret: string): StackState {
  return {
    ...emptyStackState("p", "dev"),
    resources: [resource("a", { id: "a-1", outputs: { token: makeSecret(secret), plain: "visible" } })],
    outputs: { exported: makeSecret({ nested: secret }) },
  };
}

describe("the runner's state file", () => {
  it("stores secrets encrypted and reads them back as secrets with the same passphrase", () => {
    const file = path.join(dir, "s.json");
    new StateFile(file, "pass").save(stateWithSecret("s3cr3t-value"));
    const text = fs.readFileSync(file, "utf8");
    expect(text).not.toContain("s3cr3t-value");
    expect(text).toContain("visible");
    const stored = JSON.parse(text) as StackState;
    expect(stored.resources[0].outputs.token).toMatchObject({
      [SIG_KEY]: SECRET_SIG,
      ciphertext: expect.any(String),
    });

    const loaded = new StateFile(file, "pass").load("p", "dev");
    expect(loaded.resources[0].outputs.token).toEqual(makeSecret("s3cr3t-value"));
    expect(loaded.outputs.exported).toEqual(makeSecret({ nested: "s3cr3t-value" }));
  });

  it("reports a wrong passphrase instead of returning garbage", () => {
    const file = path.join(dir, "s.json");
    new StateFile(file, "right").save(stateWithSecret("x"));
    expect(() => new StateFile(file, "wrong").load("p", "dev")).toThrow(/incorrect passphrase/);
  });

  it("refuses to write or read secrets without a passphrase", () => {
    const file = path.join(dir, "s.json");
    expect(() => new StateFile(file, undefined).save(stateWithSecret("x"))).toThrow(
      /PULUMI_CONFIG_PASSPHRASE/,
    );
    expect(fs.existsSync(file)).toBe(false);
    new StateFile(file, "p").save(stateWithSecret("x"));
    expect(() => new StateFile(file, undefined).load("p", "dev")).toThrow(/holds encrypted secrets/);
  });

  it("replaces the file atomically, leaving no temporary file behind", () => {
    const file = path.join(dir, "nested", "s.json");
    const sf = new StateFile(file, undefined);
    sf.save(emptyStackState("p", "dev"));
    sf.save({ ...emptyStackState("p", "dev"), resources: [resource("a")] });
    expect(fs.readdirSync(path.dirname(file))).toEqual(["s.json"]);
    expect(sf.load("p", "dev").resources.map((r) => r.name)).toEqual(["a"]);
  });

  it("takes over a lock left by a dead process and refuses one held by a live process", () => {
    const file = path.join(dir, "s.json");
    const dead = spawnSync(process.execPath, [
      "-e",
      "process.stdout.write(String(process.pid))",
    ]).stdout.toString();
    fs.writeFileSync(`${file}.lock`, dead);
    const sf = new StateFile(file, undefined);
    sf.lock();
    expect(fs.readFileSync(`${file}.lock`, "utf8")).toBe(String(process.pid));
    sf.unlock();
    expect(fs.existsSync(`${file}.lock`)).toBe(false);

    fs.writeFileSync(`${file}.lock`, String(process.ppid));
    expect(() => new StateFile(file, undefined).lock()).toThrow(/locked by another run/);
  });
});

describe("state order", () => {
  it("puts parents and dependencies before the resources that need them", () => {
    const stack = resource("stack");
    const b = resource("b", { parent: stack.urn, dependencies: ["urn:pulumi:dev::p::t::a"] });
    const a = resource("a", { parent: stack.urn });
    const old = resource("a", { delete: true, dependencies: [b.urn] });
    const ordered = topologicalOrder([b, old, a, stack]).map((r) => `${r.name}${r.delete ? "(old)" : ""}`);
    expect(ordered.indexOf("stack")).toBeLessThan(ordered.indexOf("a"));
    expect(ordered.indexOf("a")).toBeLessThan(ordered.indexOf("b"));
    // A copy waiting for deletion may depend on live resources; no live resource depends on it.
    expect(ordered.indexOf("b")).toBeLessThan(ordered.indexOf("a(old)"));
  });
});
