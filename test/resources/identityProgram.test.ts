import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCheckpoint } from "../../automation/checkpoint";
import { type RunProgramResult, runProgram } from "../../automation/runProgram";
import type { Command } from "../../automation/runSummary";
import { prepareWorkspace } from "../../automation/stackWorkspace";
import { type EmulatorContext, startEmulatorContext } from "../support/emulatorContext";

/**
 * The identity resources as a user runs them: a Pulumi program (test/support/programs/identity)
 * through the Pulumi CLI (Automation API) and the real dynamic-provider host, against the emulator. Shows what a
 * direct handler call cannot: serialization of the resource classes, secret outputs, no
 * `undefined` in outputs, preview with values that depend on resources not created yet.
 * Needs `dist/` (npm run build).
 */

const programDir = path.join(__dirname, "..", "support", "programs", "identity");
const IDENTITY = [
  "csp:CustomerUser",
  "csp:ApplicationConsent",
  "csp:ApplicationRegistration",
  "csp:PermissionGrant",
  "csp:RoleAssignment",
  "csp:GdapRelationship",
  "csp:GdapAccessAssignment",
];

let t: EmulatorContext;
let dir: string;
let env: Record<string, string>;
let config: Record<string, string>;

beforeAll(async () => {
  // The customer approves the program's GDAP relationship at once: this test is about what follows.
  t = await startEmulatorContext({ sandbox: true, autoApproveGdap: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-identity-"));
  env = { ...t.emu.env, CSP_ALLOW_PURCHASES: "true" };
  config = {
    "identity-test:domainPrefix": `idp${Date.now().toString(36)}`,
    "identity-test:gdapGroupId": t.emu.seed.gdapAdminsGroupId,
  };
});
afterAll(async () => {
  await t?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function run(
  command: Command,
  extraConfig: Record<string, string> = {},
  expectNoChanges = false,
): Promise<RunProgramResult> {
  return runProgram({
    command,
    programDir,
    stateDir: dir,
    expectNoChanges,
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
    expect(up.outputs["gdapStatus"]).toBe("active");
    const customerId = String(up.outputs["customerId"]);
    const tenant = (await t.emu.admin.state()).directory[customerId]!;
    expect(tenant.users[String(up.outputs["userId"])]?.state).toBe("active");
    expect(Object.values(tenant.applications).map((a) => a.appId)).toContain(String(up.outputs["appId"]));

    // In the engine's checkpoint the secret outputs are ciphertext envelopes, never plain strings.
    const checkpoint = readCheckpoint(up.workspace);
    const outputsOf = (type: string) =>
      checkpoint?.resources.find((r) => r.type === `pulumi-nodejs:dynamic/csp:${type}`)?.outputs ?? {};
    const envelope = {
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      ciphertext: expect.any(String),
    };
    expect(outputsOf("CustomerUser")["password"]).toEqual(envelope);
    expect(outputsOf("ApplicationRegistration")["clientSecret"]).toEqual(envelope);
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
    const stackOutputs = readCheckpoint(prepareWorkspace(programDir, dir, "dev"))?.outputs ?? {};
    const customerId = String(stackOutputs["customerId"]);
    const userId = String(stackOutputs["userId"]);
    expect(customerId).toMatch(/^[0-9a-f-]{36}$/);
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
    // --expect-no-changes: the engine fails the refresh on any drift.
    const refresh = await run("refresh", changed, true);
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
