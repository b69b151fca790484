import * as fs from "node:fs";
import * as path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { type CustomerSpec, validateCustomerSpec } from "./customerSpec";
import { CustomerSpecError } from "./customerSpecError";

/** File extensions read as customer specs. */
const SPEC_FILE = /\.(ya?ml|json)$/i;

/**
 * Parses and validates one customer spec from the text of a YAML or JSON file (JSON when
 * `fileName` ends in `.json`). Throws a {@link CustomerSpecError} whose lines start with
 * `fileName`: syntax errors with their line, schema problems with their path and rule.
 */
export function parseCustomerSpec(text: string, fileName: string): CustomerSpec {
  return validateCustomerSpec(parseText(text, fileName), fileName);
}

/**
 * Loads every `*.yaml`, `*.yml` and `*.json` file of `dir` (not recursive; names starting with a
 * dot or underscore are skipped, so `_template.yaml` can sit next to the customers), one customer
 * per file, in file-name order. Problems of all files are collected and thrown together; file
 * names in messages are shown as `<dir name>/<file>` (e.g. `customers/contoso.yaml`). Two files
 * declaring the same `key`, or the same domain in the same account, are refused: the second would
 * silently take over the first one's resources.
 */
export function loadCustomerSpecs(dir: string): CustomerSpec[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    throw new CustomerSpecError(undefined, [
      `${dir}: cannot read the customer spec folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    ]);
  }
  const files = names
    .filter((n) => SPEC_FILE.test(n) && !n.startsWith(".") && !n.startsWith("_"))
    .sort((a, b) => a.localeCompare(b));
  const shownDir = path.basename(path.resolve(dir));
  const specs: { file: string; spec: CustomerSpec }[] = [];
  const problems: string[] = [];
  for (const name of files) {
    const file = `${shownDir}/${name}`;
    try {
      specs.push({ file, spec: parseCustomerSpec(fs.readFileSync(path.join(dir, name), "utf8"), file) });
    } catch (e) {
      if (e instanceof CustomerSpecError) problems.push(...e.issues);
      else throw e;
    }
  }
  const byKey = new Map<string, string>();
  const byDomain = new Map<string, string>();
  for (const { file, spec } of specs) {
    const sameKey = byKey.get(spec.key);
    if (sameKey)
      problems.push(`${file}: key: must be unique across files: ${sameKey} declares "${spec.key}" too`);
    else byKey.set(spec.key, file);
    const domain = `${(spec.account ?? "default").toLowerCase()}|${spec.customer.domainPrefix.toLowerCase()}`;
    const sameDomain = byDomain.get(domain);
    if (sameDomain) {
      problems.push(
        `${file}: customer.domainPrefix: must be unique across files: ${sameDomain} declares "${spec.customer.domainPrefix}" too`,
      );
    } else byDomain.set(domain, file);
  }
  if (problems.length > 0) throw new CustomerSpecError(undefined, problems);
  return specs.map((s) => s.spec);
}

function parseText(text: string, fileName: string): unknown {
  if (/\.json$/i.test(fileName)) {
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new CustomerSpecError(fileName, [`is not valid JSON (${(e as Error).message})`]);
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new CustomerSpecError(
      fileName,
      doc.errors.map((e) => {
        const line = lineCounter.linePos(e.pos[0]).line;
        return `line ${line}: is not valid YAML (${e.message.split("\n")[0]})`;
      }),
    );
  }
  let value: unknown;
  try {
    // toJS refuses some well-formed documents too (aliases that expand too far).
    value = doc.toJS() as unknown;
  } catch (e) {
    throw new CustomerSpecError(fileName, [`is not valid YAML (${(e as Error).message})`]);
  }
  if (value === null || value === undefined) {
    throw new CustomerSpecError(fileName, [
      "(spec): is empty; a customer spec needs at least key, customer and agreement",
    ]);
  }
  return value;
}
