/**
 * A customer spec that does not validate: `issues` holds one line per problem, each
 * `source: path: rule (got value)`, e.g.
 * `customers/contoso.yaml: subscriptions[1].workload: must be "Production" or "DevTest" (got "Prod")`.
 * The message lists them all, so a CI log shows every problem of every file at once.
 */
export class CustomerSpecError extends Error {
  /** One line per problem, prefixed with the file (or component) it belongs to. */
  readonly issues: readonly string[];

  constructor(source: string | undefined, lines: readonly string[]) {
    const issues = source === undefined ? [...lines] : lines.map((l) => `${source}: ${l}`);
    super(
      issues.length === 1
        ? issues[0]!
        : `${issues.length} problems in customer specs:\n${issues.map((l) => `  ${l}`).join("\n")}`,
    );
    this.name = "CustomerSpecError";
    this.issues = issues;
  }
}
