import { parseArgs } from "node:util";
import { UsageError } from "./usageError";

/** Option declarations as `util.parseArgs` takes them. */
export type OptionSpec = Record<
  string,
  { type: "string" | "boolean"; multiple?: boolean; short?: string; default?: string | boolean }
>;

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/**
 * Parses a command's flags with node's `util.parseArgs` (strict: unknown flags and missing values
 * are usage errors naming the command). `--help`/`-h` is accepted by every command. Arguments that
 * are not flags are refused unless `maxPositionals` allows that many.
 */
export function parseCommandArgs(
  command: string,
  args: string[],
  options: OptionSpec,
  maxPositionals = 0,
): { values: Values; help: boolean; positionals: string[] } {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: maxPositionals > 0,
    }) as { values: Values; positionals: string[] };
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e), command);
  }
  const { help, ...values } = parsed.values;
  if (parsed.positionals.length > maxPositionals && help !== true) {
    throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}"`, command);
  }
  return { values, help: help === true, positionals: parsed.positionals };
}

/** A string flag's value, or `undefined`. */
export function stringFlag(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

/** All values of a repeatable string flag. */
export function stringFlags(values: Values, name: string): string[] {
  const v = values[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return typeof v === "string" ? [v] : [];
}

/** A boolean flag. */
export function booleanFlag(values: Values, name: string): boolean {
  return values[name] === true;
}

/** A positive number of seconds (`--timeout 300`), or the default. */
export function secondsFlag(command: string, values: Values, name: string, fallback: number): number {
  const v = stringFlag(values, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--${name} needs a positive number of seconds (got "${v}")`, command);
  }
  return n;
}
