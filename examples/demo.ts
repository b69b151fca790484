import * as fs from "node:fs";
import * as path from "node:path";
import { readCheckpoint } from "../automation/checkpoint";
import { type RunProgramResult, runProgram } from "../automation/runProgram";
import type { Command } from "../automation/runSummary";
import { packageRoot, pulumiToolchain } from "../automation/toolchain";
import { startEmulator } from "../emulator";
import { PURCHASE_PREFIX } from "../provider/purchaseMarker";

/**
 * `npm run demo`: the quickstart program (examples/quickstart) through the Pulumi CLI, against the
 * embedded emulator.
 *
 * 1. finds the project's Pulumi CLI, building it from Pulumi's Go modules on a machine's first run
 *    (scripts/pulumi-toolchain.sh), and says which one it runs;
 * 2. starts the emulator with its data persisted under `.csp-demo/emulator` (git-ignored), so the
 *    customer bought by a first run is still there for the next;
 * 3. `pulumi preview`, `pulumi up`, the outputs a CSP engineer cares about, and a second
 *    `pulumi preview --expect-no-changes` that fails the demo unless nothing would change.
 *
 * A new customer's GDAP relationship waits for the customer's approval, and the users, their
 * directory roles and the partner app's consent wait for the access assignment that needs it: the
 * first `pulumi up` stops there with the approval link. The demo then approves the relationship through the emulator's admin API, as the
 * customer's Global Administrator would by opening the link, and runs `pulumi up` again.
 *
 * The stack lives in a Pulumi file backend under `.csp-demo/pulumi` (see automation/stackWorkspace.ts
 * for its layout). `npm run demo -- --destroy` removes what the demo created.
 */

const QUICKSTART = path.join("examples", "quickstart");
/** Passphrase of the demo's own local state only; set PULUMI_CONFIG_PASSPHRASE to use yours. */
const DEMO_PASSPHRASE = "pulumi-csp-demo";

async function main(): Promise<number> {
  const destroy = process.argv.slice(2).includes("--destroy");
  const root = packageRoot();
  const demoDir = process.env.CSP_DEMO_DIR
    ? path.resolve(process.env.CSP_DEMO_DIR)
    : path.join(root, ".csp-demo");
  fs.mkdirSync(demoDir, { recursive: true });

  const toolchain = pulumiToolchain();
  say(`pulumi-csp demo: engine ${toolchain.pulumi} (${toolchain.version})`);

  const emulator = await startEmulator({ dataDir: path.join(demoDir, "emulator"), sandbox: true });
  try {
    say(`emulator at ${emulator.url} (data in ${path.relative(root, demoDir) || demoDir}/emulator)`);
    const run = (command: Command, expectNoChanges = false): Promise<RunProgramResult> =>
      runProgram({
        command,
        programDir: path.join(root, QUICKSTART),
        stack: "dev",
        stateDir: path.join(demoDir, "pulumi"),
        env: {
          ...emulator.env,
          PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? DEMO_PASSPHRASE,
        },
        config: {
          // The partner's AdminAgents group keeps Owner on every subscription the demo buys.
          adminAgentsGroupId: emulator.seed.adminAgentsGroupId,
          // The seeded security group the admin agent is in gets the GDAP roles in the customer.
          gdapSecurityGroupId: emulator.seed.gdapAdminsGroupId,
        },
        expectNoChanges,
        onOutput: (text) => process.stdout.write(text),
      });

    if (destroy) {
      say("\n== pulumi destroy ==");
      const result = await run("destroy");
      if (!result.ok)
        return fail("destroy failed; the state and the emulator data are kept for a retry.", result);
      say(
        "\nDestroyed. The emulator keeps its own data under .csp-demo/emulator; delete that folder to start over.",
      );
      return 0;
    }

    say("\n== pulumi preview (no API writes) ==");
    const preview = await run("preview");
    if (!preview.ok) return fail("preview failed (see the message above).", preview);
    const purchases = preview.resources.filter((r) => r.billable);
    say(
      purchases.length > 0
        ? `\nPurchases in this preview (each a warning on its row, and ${PURCHASE_PREFIX} in --diff and --json): ${purchases.map((r) => `${r.displayType} ${r.name}`).join(", ")}`
        : "\nThis preview buys nothing.",
    );

    say("\n== pulumi up ==");
    let up = await run("up");
    const waiting = up.ok ? undefined : relationshipAwaitingApproval(up);
    if (waiting) {
      say(
        `\nThe customer must approve GDAP relationship ${waiting} first (its link is above). The demo approves it through the emulator's admin API, as the customer's Global Administrator would by opening the link.`,
      );
      await emulator.admin.approveGdapRelationship(waiting);
      say("\n== pulumi up (after the customer's approval) ==");
      up = await run("up");
    }
    if (!up.ok) {
      return fail(
        "up failed (see the message above). Everything created so far is recorded; run the demo again to continue.",
        up,
      );
    }
    const checkpoint = readCheckpoint(up.workspace);
    say(
      `\nState: ${path.relative(root, up.workspace.backendDir)} (${checkpoint?.resources.length ?? 0} resources)`,
    );

    say("\n== pulumi preview --expect-no-changes ==");
    const again = await run("preview", true);
    if (!again.ok) return fail("the second preview reported changes: the program did not converge.", again);
    say("\nNo changes: the customer, its Azure plan and everything under it match the program.");
    say("Run `npm run demo -- --destroy` to clean up.");
    return 0;
  } finally {
    await emulator.stop();
  }
}

/**
 * The GDAP relationship an `up` stopped at, waiting for the customer's approval (the access
 * assignment's error), from the stack's checkpoint; undefined when the up failed for another reason.
 */
function relationshipAwaitingApproval(up: RunProgramResult): string | undefined {
  if (!up.errors.some((e) => e.message.includes("waiting for the customer's approval"))) return undefined;
  const relationship = readCheckpoint(up.workspace)?.resources.find((r) =>
    r.type.endsWith("csp:GdapRelationship"),
  );
  return relationship?.id;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fail(message: string, result?: RunProgramResult): number {
  if (result?.stderr.trim()) process.stderr.write(`${result.stderr.trimEnd()}\n`);
  process.stderr.write(`\ndemo failed: ${message}\n`);
  return 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`\ndemo failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
