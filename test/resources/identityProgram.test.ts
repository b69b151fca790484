import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProgram } from "../harness/runProgram";
import { type EmulatorContext, startEmulatorContext } from "../support/emulatorContext";

/**
 * The identity resources as a user runs them: a Pulumi program (test/support/programs/identity)
 * through the local runner and the real dynamic-provider host, against the emulator. Shows what a
 * direct handler call cannot: serialization of the resource classes, secret outputs, no
 * `undefined` in outputs, preview with values that depend on resources not created yet.
 * Needs `dist/` (npx tsc -p .).
 */

const programDir = path.join(__dirname, "..", "support", "programs", "identity");
const IDENTITY = [
  "csp:CustomerUser",
  "csp:ApplicationConsent",
  "csp:ApplicationRegistration",
  "csp:PermissionGrant",
  "csp:RoleAssignment",
  "csp:GdapRelationship",
];

let t: EmulatorContext;
let dir: string;
let env: Record<string, string>;
let config: Record<string, string>;

beforeAll(async () => {
  t = await startEmulatorContext();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-identity-"));
  env = { ...t.emu.env, CSP_ALLOW_PURCHASES: "true", PULUMI_CONFIG_PASSPHRASE: "test-passphrase" };
  config = { "identity-test:domainPrefix": `idp${Date.now().toString(36)}` };
});
afterAll(async () => {
  await t?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function run(command: "preview" | "up" | "refresh" | "destroy", extraConfig: Record<string, string> = {}) {
  return runProgram({
    command,
    programDir,
    stateFile: path.join(dir, "state.json"),
    config: { ...config, ...extraConfig },
    env,
  });
}

function ops(summary: { resources: { displayType: string; op: string }[] }): Record<string, string> {
  return Object.fromEntries(
    summary.resources.filter((r) => IDENTITY.includes(r.displayType)).map((r) => [r.displayType, r.op]),
  );
}

describe("identity program", () => {
  it("previews every identity resource while the customer does not exist yet, without writing", async () => {
    const seq = (await t.emu.admin.requestLog()).at(-1)?.seq ?? 0;
    const preview = await run("preview");
    expect(preview.errors).toEqual([]);
    expect(ops(preview)).toEqual(Object.fromEntries(IDENTITY.map((k) => [k, "create"])));
    expect(await t.emu.admin.requestLog({ sinceSeq: seq, writesOnly: true })).toEqual([]);
  });

  it("creates everything with secret outputs kept secret, then changes nothing on a second up", async () => {
    const up = await run("up");
    expect(up.errors).toEqual([]);
    expect(ops(up)).toEqual(Object.fromEntries(IDENTITY.map((k) => [k, "create"])));
    expect(up.outputs["userPassword"]).toBe("[secret]");
    expect(up.outputs["clientSecret"]).toBe("[secret]");
    expect(up.outputs["gdapStatus"]).toBe("approvalPending");
    const customerId = String(up.outputs["customerId"]);
    const tenant = (await t.emu.admin.state()).directory[customerId]!;
    expect(tenant.users[String(up.outputs["userId"])]?.state).toBe("active");
    expect(Object.values(tenant.applications).map((a) => a.appId)).toContain(String(up.outputs["appId"]));

    // In the state file the secret outputs are ciphertext envelopes, never plain strings.
    const state = JSON.parse(fs.readFileSync(path.join(dir, "state.json"), "utf8")) as {
      resources: { type: string; outputs: Record<string, unknown> }[];
    };
    const outputsOf = (type: string) =>
      state.resources.find((r) => r.type.endsWith(`csp:${type}`))?.outputs ?? {};
    expect(outputsOf("CustomerUser")["password"]).toMatchObject({ ciphertext: expect.any(String) });
    expect(outputsOf("ApplicationRegistration")["clientSecret"]).toMatchObject({
      ciphertext: expect.any(String),
    });
    expect(outputsOf("CustomerUser")["userId"]).toBe(up.outputs["userId"]);

    const again = await run("up");
    expect(again.errors).toEqual([]);
    expect(new Set(Object.values(ops(again)))).toEqual(new Set(["same"]));
  });

  it("updates the user's roles and rotates the secret in place when the program changes", async () => {
    const up = await run("up", {
      "identity-test:userRole": "User Administrator",
      "identity-test:secretRotation": "2",
    });
    expect(up.errors).toEqual([]);
    expect(ops(up)["csp:CustomerUser"]).toBe("update");
    expect(ops(up)["csp:ApplicationRegistration"]).toBe("update");
    expect(ops(up)["csp:RoleAssignment"]).toBe("same");
  });

  it("refreshes without drift and destroys everything it created", async () => {
    const changed = { "identity-test:userRole": "User Administrator", "identity-test:secretRotation": "2" };
    const stackOutputs = (
      JSON.parse(fs.readFileSync(path.join(dir, "state.json"), "utf8")) as {
        outputs: Record<string, unknown>;
      }
    ).outputs;
    const customerId = String(stackOutputs["customerId"]);
    const userId = String(stackOutputs["userId"]);
    expect(customerId).toMatch(/^[0-9a-f-]{36}$/);
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
    const refresh = await run("refresh", changed);
    expect(refresh.errors).toEqual([]);
    const after = await run("up", changed);
    expect(after.errors).toEqual([]);
    expect(new Set(Object.values(ops(after)))).toEqual(new Set(["same"]));

    const destroy = await run("destroy");
    expect(destroy.errors).toEqual([]);
    const state = await t.emu.admin.state();
    expect(Object.keys(state.azure.roleAssignments)).toEqual([]);
    // The sandbox customer (and its tenant) is deleted last; until then the user was soft-deleted.
    const tenant = state.directory[customerId];
    expect(tenant === undefined || tenant.users[userId]?.state !== "active").toBe(true);
  });
});
