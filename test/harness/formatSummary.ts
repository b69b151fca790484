import type { Operation, ResourceStep, RunSummary } from "./runSummary";

const SYMBOL: Record<Operation, string> = {
  create: "+",
  update: "~",
  replace: "+-",
  delete: "-",
  same: " ",
  read: ">",
};

const PAST: Record<Operation, string> = {
  create: "created",
  update: "updated",
  replace: "replaced",
  delete: "deleted",
  same: "unchanged",
  read: "read",
};

const FUTURE: Record<Operation, string> = {
  create: "to create",
  update: "to update",
  replace: "to replace",
  delete: "to delete",
  same: "unchanged",
  read: "to read",
};

const TITLE: Record<RunSummary["command"], string> = {
  preview: "Previewing update",
  up: "Updating",
  refresh: "Refreshing",
  destroy: "Destroying",
};

/**
 * Renders a summary the way the Pulumi CLI prints an update: one line per resource that changes
 * (`+`, `~`, `+-`, `-`, with the changed properties), billable purchases marked, diagnostics,
 * outputs, then the counts.
 */
export function formatSummary(summary: RunSummary): string {
  const planned = summary.command === "preview";
  const lines: string[] = [];
  lines.push(
    `${TITLE[summary.command]} (${summary.stack}) with the pulumi-csp local runner (not the Pulumi CLI)`,
  );
  lines.push(`State: ${summary.stateFile}`);
  lines.push("");
  const shown = summary.resources.filter(
    (s) => s.op !== "same" || s.status !== (planned ? "planned" : "done"),
  );
  if (shown.length > 0) {
    const typeWidth = Math.max(4, ...shown.map((s) => s.displayType.length));
    const nameWidth = Math.max(4, ...shown.map((s) => s.name.length));
    lines.push(
      `     ${"Type".padEnd(typeWidth)}  ${"Name".padEnd(nameWidth)}  ${planned ? "Plan" : "Status"}`,
    );
    for (const s of shown) lines.push(formatStep(s, typeWidth, nameWidth, planned));
    lines.push("");
  }
  if (summary.errors.length > 0) {
    lines.push("Diagnostics:");
    for (const e of summary.errors) {
      lines.push(e.name ? `  ${e.type} (${e.name}):` : "  program:");
      lines.push(`    error: ${e.message}`);
    }
    lines.push("");
  }
  if (summary.warnings.length > 0) {
    lines.push("Warnings:");
    for (const w of summary.warnings) lines.push(`  warning: ${w}`);
    lines.push("");
  }
  const outputKeys = Object.keys(summary.outputs);
  if (outputKeys.length > 0 && summary.command !== "destroy") {
    lines.push("Outputs:");
    const width = Math.max(...outputKeys.map((k) => k.length));
    for (const k of outputKeys)
      lines.push(`    ${`${k}:`.padEnd(width + 1)} ${formatValue(summary.outputs[k])}`);
    lines.push("");
  }
  lines.push("Resources:");
  const order: Operation[] = ["create", "update", "replace", "delete", "read"];
  for (const op of order) {
    const n = summary.counts[op];
    if (n > 0) lines.push(`    ${SYMBOL[op]} ${n} ${planned ? FUTURE[op] : PAST[op]}`);
  }
  if (summary.counts.failed > 0) lines.push(`    ! ${summary.counts.failed} failed or not started`);
  if (summary.counts.same > 0) lines.push(`    ${summary.counts.same} unchanged`);
  const billable = summary.resources.filter(
    (s) => s.billable && s.status !== "skipped" && s.status !== "failed",
  );
  if (billable.length > 0) {
    lines.push("");
    lines.push(
      `${planned ? "This update would make" : "This update made"} ${billable.length} BILLABLE PURCHASE${billable.length > 1 ? "S" : ""}: ${billable.map((s) => `${s.displayType} ${s.name}`).join(", ")}`,
    );
  }
  lines.push("");
  lines.push(`Duration: ${(summary.durationMs / 1000).toFixed(1)}s`);
  return `${lines.join("\n")}\n`;
}

function formatStep(s: ResourceStep, typeWidth: number, nameWidth: number, planned: boolean): string {
  const symbol = s.status === "failed" ? "**" : SYMBOL[s.op];
  let status = planned ? s.op : PAST[s.op];
  if (s.status === "failed") status = `${s.op} failed`;
  if (s.status === "skipped") status = `${s.op} not started`;
  const notes: string[] = [];
  if (s.diffs?.length || s.replaces?.length) {
    const keys = [...new Set([...(s.replaces ?? []), ...(s.diffs ?? [])])];
    notes.push(`[diff: ${keys.map((k) => `${s.replaces?.includes(k) ? "+-" : "~"}${k}`).join(", ")}]`);
  }
  if (s.deleteBeforeReplace) notes.push("[delete before replace]");
  if (s.retained) notes.push("[retained: removed from the state, object kept]");
  if (s.unmanaged) notes.push("[not applied: only dynamic resources are applied by the local runner]");
  if (s.billable) notes.push("[BILLABLE PURCHASE]");
  return ` ${symbol.padEnd(3)} ${s.displayType.padEnd(typeWidth)}  ${s.name.padEnd(nameWidth)}  ${status}${notes.length ? `  ${notes.join(" ")}` : ""}`;
}

function formatValue(v: unknown): string {
  if (typeof v === "string") return v === "[secret]" || v === "[unknown]" ? v : JSON.stringify(v);
  return JSON.stringify(v);
}
