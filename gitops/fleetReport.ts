import type { CustomerResult, FleetResult } from "./fleet";
import { changeSections, countsLine, errorBlock, purchaseLine } from "./previewComment";

/**
 * A pull-request comment holds at most 65,536 characters (GitHub's limit); the per-customer details
 * stop before this many, and the rest is left to the job's `--json` file.
 */
export const COMMENT_LIMIT = 60_000;

/** `failed`, `changes`, `no changes` (and `removed` for a customer whose file is gone). */
export function customerState(r: CustomerResult): string {
  const state = !r.ok ? "failed" : r.changes.length > 0 ? "changes" : "no changes";
  return r.removed ? `${state} (removed)` : state;
}

/** The summary table of a fleet command, one row per customer, as plain text for a terminal or a CI log. */
export function fleetTable(fleet: FleetResult): string {
  const header = ["customer", "result", "create", "update", "replace", "delete", "purchases", "seconds"];
  const rows = fleet.customers.map((r) => [
    r.stack,
    customerState(r),
    String(r.counts.create),
    String(r.counts.update),
    String(r.counts.replace),
    String(r.counts.delete),
    String(r.purchases.length),
    (r.durationMs / 1000).toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  const failed = fleet.customers.filter((r) => !r.ok);
  const lines = [line(header), ...rows.map(line), "", fleetTotals(fleet)];
  for (const r of failed) lines.push("", `${r.stack} (${r.file}) failed:`, ...indent(r.errors));
  return `${lines.join("\n")}\n`;
}

/** `3 customers in 41.2 s (parallel 4): 1 with changes, 1 failed, 1 without changes; 2 purchases`. */
export function fleetTotals(fleet: FleetResult): string {
  const n = fleet.customers.length;
  const failed = fleet.customers.filter((r) => !r.ok).length;
  const changed = fleet.customers.filter((r) => r.ok && r.changes.length > 0).length;
  const purchases = fleet.customers.reduce((sum, r) => sum + r.purchases.length, 0);
  return `${n} customer${n === 1 ? "" : "s"} in ${(fleet.durationMs / 1000).toFixed(1)} s (parallel ${fleet.parallel}): ${changed} with changes, ${failed} failed, ${n - changed - failed} without changes; ${purchases} purchase${purchases === 1 ? "" : "s"}`;
}

/**
 * The markdown comment of a fleet command (a pull request's `fleet preview`): every purchase of
 * every customer first, then the customers whose run failed with their errors, then per customer
 * the deletes, replacements, updates (with the changed properties) and creates; customers without
 * changes are named on one line. `selection` says which customers ran and why.
 */
export function fleetComment(fleet: FleetResult, selection: string): string {
  const title = fleet.command === "preview" ? "preview" : fleet.command;
  const failed = fleet.customers.filter((r) => !r.ok);
  const changed = fleet.customers.filter((r) => r.ok && r.changes.length > 0);
  const unchanged = fleet.customers.filter((r) => r.ok && r.changes.length === 0);
  const lines = [`## Customers: fleet ${title}${failed.length > 0 ? " (failures)" : ""}`, ""];
  if (fleet.customers.length === 0) {
    lines.push(`No customer to run (${selection}).`);
    return `${lines.join("\n")}\n`;
  }
  lines.push(`${fleetTotals(fleet)}.`, `Customers: ${selection}.`);

  const purchases = fleet.customers.flatMap((r) => r.purchases.map((p) => ({ r, p })));
  if (purchases.length > 0) {
    lines.push("", "### :warning: Purchases (billable)", "");
    for (const { r, p } of purchases) lines.push(`- \`${r.stack}\`: ${purchaseLine(p)}`);
  }
  const details: string[][] = [];
  for (const r of failed) {
    details.push([
      "",
      `### \`${r.stack}\` (${r.file}): ${title} failed`,
      ...r.errors.flatMap((e) => errorBlock(e)),
    ]);
  }
  for (const r of changed) {
    details.push([
      "",
      `### \`${r.stack}\` (${r.file})${r.removed ? ": file removed" : ""}`,
      "",
      countsLine(r.changes) ?? "",
      ...changeSections(r.changes, "####"),
    ]);
  }
  let size = lines.join("\n").length;
  let shown = 0;
  for (const block of details) {
    const text = block.join("\n");
    if (size + text.length > COMMENT_LIMIT) break;
    lines.push(...block);
    size += text.length + 1;
    shown++;
  }
  if (shown < details.length) {
    lines.push(
      "",
      `_The details of ${details.length - shown} more customer${details.length - shown === 1 ? "" : "s"} do not fit in a comment: see the job's log and its fleet.json._`,
    );
  }
  if (unchanged.length > 0) {
    const names = unchanged.map((r) => `\`${r.stack}\``).join(", ");
    lines.push("", `No changes: ${names.length > 5_000 ? `${unchanged.length} customers` : names}.`);
  }
  return `${lines.join("\n")}\n`;
}

function indent(errors: string[]): string[] {
  return errors.flatMap((e) => e.split("\n").map((l) => `  ${l}`));
}
