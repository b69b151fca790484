import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Checkpoint, readCheckpoint } from "../../automation/checkpoint";
import { runProgram } from "../../automation/runProgram";
import { listDirectoryRoles, removeRoleMember } from "../../provider/clients/partnerCenter/directoryRoles";
import { CHANGES_KEY, PURCHASE_KEY } from "../../provider/purchaseMarker";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";
import { type EmulatorContext, startEmulatorContext } from "../support/emulatorContext";

/**
 * The quickstart through the Pulumi CLI, then refreshes: the real checkpoint never holds a
 * password or secret in clear after any step, and a role removed outside the program previews as a
 * change of `roles` only (not of the password the up would not touch).
 */

const root = path.resolve(__dirname, "..", "..");
const quickstart = path.join(root, "examples", "quickstart");
let t: EmulatorContext;
let stateDir: string;

beforeAll(async () => {
  assertBuilt(root, [...sourcesUnder(root, "provider"), ...sourcesUnder(root, "examples/quickstart")]);
  // The customer approves the quickstart's GDAP relationship at once: this test is about refresh.
  t = await startEmulatorContext({ sandbox: true, autoApproveGdap: true });
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "csp-refresh-secrets-"));
});

afterAll(async () => {
  await t?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

/** Keys whose values must never be stored in clear, with the plain strings found under them. */
function plainSecrets(checkpoint: Checkpoint | undefined): string[] {
  const found: string[] = [];
  const walk = (value: unknown, where: string): void => {
    if (value === null || typeof value !== "object") return;
    for (const [k, v] of Object.entries(value)) {
      if (/password|secret|token/i.test(k) && typeof v === "string" && v !== "") found.push(`${where}.${k}`);
      else walk(v, `${where}.${k}`);
    }
  };
  for (const r of checkpoint?.resources ?? []) {
    walk(r.inputs, `${r.urn.split("::").pop()}.inputs`);
    walk(r.outputs, `${r.urn.split("::").pop()}.outputs`);
  }
  return found;
}

describe("refresh under the Pulumi CLI", () => {
  const run = (command: "up" | "refresh" | "preview") =>
    runProgram({
      command,
      programDir: quickstart,
      stateDir,
      env: t.emu.env,
      config: { gdapSecurityGroupId: t.emu.seed.gdapAdminsGroupId },
    });

  it("keeps every password and secret encrypted in the checkpoint after up and after refresh", async () => {
    const up = await run("up");
    expect(up.ok).toBe(true);
    expect(plainSecrets(readCheckpoint(up.workspace))).toEqual([]);
    const refresh = await run("refresh");
    expect(refresh.ok).toBe(true);
    expect(plainSecrets(readCheckpoint(refresh.workspace))).toEqual([]);
  });

  it("stores the same inputs when the unchanged program runs after a refresh: read and check give one form", async () => {
    // A refresh stores what each read observed as the resource's inputs; the program's next check
    // must produce the same inputs (defaults filled in), or every such resource costs a checkpoint
    // write and a later update would name properties that do not change.
    const before = readCheckpoint((await run("refresh")).workspace);
    const up = await run("up");
    expect(up.ok).toBe(true);
    expect(up.resources.filter((r) => r.op !== "same")).toEqual([]);
    const after = readCheckpoint(up.workspace);
    const inputs = (c: Checkpoint | undefined) =>
      new Map(
        (c?.resources ?? [])
          .filter((r) => r.type.includes("dynamic/csp:"))
          .map((r) => [r.urn.split("::").pop(), r.inputs ?? {}]),
      );
    const was = inputs(before);
    const changed = [...inputs(after)].flatMap(([name, now]) => {
      const old = was.get(name) ?? {};
      return [...new Set([...Object.keys(old), ...Object.keys(now)])]
        .filter((k) => k !== PURCHASE_KEY) // a create's marker, dropped by the first check after it
        .filter((k) => JSON.stringify(old[k]) !== JSON.stringify(now[k]))
        .map((k) => `${name}.${k}`);
    });
    expect(changed).toEqual([]);
    expect(after?.text).not.toContain(`"${CHANGES_KEY}"`);
  });

  it("previews a role removed outside the program as a change of roles only", async () => {
    const checkpoint = readCheckpoint((await run("refresh")).workspace);
    const alice = checkpoint?.resources.find((r) => r.urn.endsWith("::contoso-user-alice"));
    const customerId = String(alice?.outputs?.customerId);
    const pc = t.ctx.api().partnerCenter;
    const role = (await listDirectoryRoles(pc, customerId)).find((r) => r.name === "User Administrator");
    expect(role).toBeDefined();
    await removeRoleMember(pc, customerId, role!.id, String(alice?.id));

    expect((await run("refresh")).ok).toBe(true);
    const preview = await run("preview");
    expect(preview.ok).toBe(true);
    const changed = preview.resources.filter((r) => r.op !== "same");
    expect(changed.map((r) => [r.name, r.op, r.diffs])).toEqual([
      ["contoso-user-alice", "update", ["roles"]],
    ]);
    // A plain preview says on the user's row which properties change.
    expect(preview.infos).toContain("updates roles");
    expect(preview.stdout).toMatch(/contoso-user-alice\):\s+updates roles/);
  });
});
