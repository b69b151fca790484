import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { customerSpecJsonSchema, validateCustomerSpec } from "../../components/customerSpec";
import { CustomerSpecError } from "../../components/customerSpecError";
import { loadCustomerSpecs, parseCustomerSpec } from "../../components/loadCustomerSpecs";

/** A complete, valid customer in YAML; tests change one line at a time. */
const CONTOSO = `# yaml-language-server: $schema=../../components/customerSpec.schema.json
key: contoso
customer:
  domainPrefix: contoso
  companyName: Contoso Ltd
  billingProfile:
    email: it@contoso.example
    culture: en-US
    language: en
    defaultAddress:
      firstName: Ada
      lastName: Lovelace
      addressLine1: One Microsoft Way
      city: Redmond
      state: WA
      postalCode: "98052"
      country: US
agreement:
  primaryContact: { firstName: Ada, lastName: Lovelace, email: ada@contoso.example }
azurePlan:
  acknowledgePurchase: true
subscriptions:
  - key: prod
    displayName: Contoso Production
    acknowledgePurchase: true
  - key: dev
    displayName: Contoso Development
    workload: DevTest
    acknowledgePurchase: true
    roleAssignments:
      - role: Contributor
        principal: { user: alice }
users:
  - key: alice
    userName: alice
    displayName: Alice Wilber
    usageLocation: US
    roles: [User Administrator]
`;

function errorOf(fn: () => unknown): CustomerSpecError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CustomerSpecError) return e;
    throw e;
  }
  throw new Error("expected a CustomerSpecError");
}

describe("parseCustomerSpec", () => {
  it("returns the typed spec of a valid YAML file", () => {
    const spec = parseCustomerSpec(CONTOSO, "customers/contoso.yaml");
    expect(spec.key).toBe("contoso");
    expect(spec.customer.billingProfile.defaultAddress.postalCode).toBe("98052");
    expect(spec.subscriptions?.map((s) => [s.key, s.workload])).toEqual([
      ["prod", undefined],
      ["dev", "DevTest"],
    ]);
  });

  it("takes enableGdapByDefault as true or false only", () => {
    const declared = CONTOSO.replace(
      "  companyName: Contoso Ltd\n",
      "  companyName: Contoso Ltd\n  enableGdapByDefault: true\n",
    );
    expect(parseCustomerSpec(declared, "customers/contoso.yaml").customer.enableGdapByDefault).toBe(true);
    expect(parseCustomerSpec(CONTOSO, "customers/contoso.yaml").customer.enableGdapByDefault).toBeUndefined();
    const e = errorOf(() =>
      parseCustomerSpec(
        declared.replace("enableGdapByDefault: true", "enableGdapByDefault: maybe"),
        "customers/contoso.yaml",
      ),
    );
    expect(e.issues).toEqual([
      'customers/contoso.yaml: customer.enableGdapByDefault: must be true or false (got "maybe")',
    ]);
  });

  it("names file, path and rule, with the value it got", () => {
    const e = errorOf(() =>
      parseCustomerSpec(CONTOSO.replace("workload: DevTest", "workload: Prod"), "customers/contoso.yaml"),
    );
    expect(e.issues).toEqual([
      'customers/contoso.yaml: subscriptions[1].workload: must be "Production" or "DevTest" (got "Prod")',
    ]);
    expect(e.message).toBe(e.issues[0]);
  });

  it("lists every problem of a file at once", () => {
    const text = CONTOSO.replace("    acknowledgePurchase: true\n  - key: dev", "  - key: dev")
      .replace("country: US", "country: USA")
      .replace("domainPrefix: contoso", "domainPrefix: contoso.com");
    const e = errorOf(() => parseCustomerSpec(text, "customers/contoso.yaml"));
    expect(e.issues).toEqual([
      'customers/contoso.yaml: customer.domainPrefix: must be the *.onmicrosoft.com prefix: 1-27 letters or digits (e.g. contoso for contoso.onmicrosoft.com) (got "contoso.com")',
      'customers/contoso.yaml: customer.billingProfile.defaultAddress.country: must be a two-letter ISO 3166-1 country code such as US (got "USA")',
      "customers/contoso.yaml: subscriptions[0].acknowledgePurchase: must be true: an Azure subscription is a billable purchase; acknowledge it explicitly (it shows up in code review) (got missing)",
    ]);
    expect(e.message).toMatch(
      /^3 problems in customer specs:\n {2}customers\/contoso\.yaml: customer\.domainPrefix/,
    );
  });

  it("reads license seats and a user's licenses, and refuses an unknown offer, a billing cycle longer than the term and a missing acknowledgement", () => {
    const withSeats = `${CONTOSO}    licenses: [Microsoft 365 Business Premium]
licenses:
  - key: premium
    offer: Microsoft 365 Business Premium
    quantity: 5
    termDuration: P1Y
    acknowledgePurchase: true
`;
    const spec = parseCustomerSpec(withSeats, "c.yaml");
    expect(spec.licenses?.map((l) => [l.key, l.offer, l.quantity])).toEqual([
      ["premium", "Microsoft 365 Business Premium", 5],
    ]);
    expect(spec.users?.[0]?.licenses).toEqual(["Microsoft 365 Business Premium"]);
    const bad = withSeats.replace(
      "    offer: Microsoft 365 Business Premium\n    quantity: 5\n    termDuration: P1Y\n    acknowledgePurchase: true\n",
      "    offer: Microsoft 365 Platinum\n    quantity: 5\n    termDuration: P1Y\n",
    );
    const e = errorOf(() => parseCustomerSpec(bad, "c.yaml"));
    expect(e.issues).toEqual([
      'c.yaml: licenses[0].offer: must be one of Microsoft 365 Business Basic, Microsoft 365 Business Standard, Microsoft 365 Business Premium, Microsoft 365 E3, Office 365 E3 (or give productId and skuId) (got "Microsoft 365 Platinum")',
      "c.yaml: licenses[0].acknowledgePurchase: must be true: a license subscription is a billable purchase; acknowledge it explicitly (it shows up in code review) (got missing)",
    ]);
    const cycle = errorOf(() =>
      parseCustomerSpec(
        withSeats.replace("termDuration: P1Y", "termDuration: P1M\n    billingCycle: annual"),
        "c.yaml",
      ),
    );
    expect(cycle.issues).toEqual([
      'c.yaml: licenses[0].billingCycle: cannot be longer than the term: a P1M term is billed monthly (got "annual")',
    ]);
  });

  it("refuses a userName Entra ID would refuse, at load time", () => {
    for (const name of ["al/ice", "al..ice", "alice.", "a%b"]) {
      const e = errorOf(() =>
        parseCustomerSpec(CONTOSO.replace("userName: alice", `userName: "${name}"`), "c.yaml"),
      );
      expect(e.issues.join("\n"), name).toMatch(
        /users\[0\]\.userName: must be the part before @ .*Entra ID username policy/,
      );
    }
  });

  it("says to quote a postal code that YAML read as a number", () => {
    const text = CONTOSO.replace(/postalCode: .*/, "postalCode: 01067");
    const e = errorOf(() => parseCustomerSpec(text, "customers/contoso.yaml"));
    expect(e.issues.join("\n")).toMatch(
      /customer\.billingProfile\.defaultAddress\.postalCode: .*\(got 1067\); write the value in quotes: YAML reads unquoted digits as a number and drops leading zeros/,
    );
  });

  it("names the file when YAML refuses it for excessive aliases", () => {
    const laughs = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const n of ["b", "c", "d", "e", "f", "g"]) {
      const prev = String.fromCharCode(n.charCodeAt(0) - 1);
      laughs.push(`${n}: &${n} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    const e = errorOf(() => parseCustomerSpec(laughs.join("\n"), "customers/laughs.yaml"));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]).toMatch(/^customers\/laughs\.yaml: is not valid YAML \(.*alias/i);
  });

  it("refuses unknown fields and suggests the spelling it knows", () => {
    const e = errorOf(() =>
      parseCustomerSpec(CONTOSO.replace("  companyName:", "  companyname:"), "customers/contoso.yaml"),
    );
    expect(e.issues).toEqual([
      "customers/contoso.yaml: customer.companyName: is required",
      "customers/contoso.yaml: customer.companyname: is not a known field (did you mean companyName?)",
    ]);
  });

  it("checks references between items and the prerequisites of purchases", () => {
    const noPlan = CONTOSO.replace("azurePlan:\n  acknowledgePurchase: true\n", "").replace(
      "principal: { user: alice }",
      "principal: { user: carol }",
    );
    const e = errorOf(() => parseCustomerSpec(noPlan, "customers/contoso.yaml"));
    expect(e.issues).toEqual([
      "customers/contoso.yaml: subscriptions: needs azurePlan: Azure subscriptions are bought under the customer's Azure plan",
      'customers/contoso.yaml: subscriptions[1].roleAssignments[0].principal.user: must be the key of a user in users (got "carol")',
    ]);
  });

  it("refuses duplicate item keys and the reserved subscription key plan", () => {
    const text = CONTOSO.replace("  - key: dev", "  - key: prod").replace(
      "  - key: prod\n    displayName: Contoso Production",
      "  - key: plan\n    displayName: Contoso Production",
    );
    const e = errorOf(() => parseCustomerSpec(text, "c.yaml"));
    expect(e.issues).toEqual([
      'c.yaml: subscriptions[0].key: must not be "plan": it names the Azure plan\'s own subscription (use azurePlan.roleAssignments for it) (got "plan")',
    ]);
    const dup = errorOf(() => parseCustomerSpec(CONTOSO.replace("  - key: dev", "  - key: prod"), "c.yaml"));
    expect(dup.issues).toEqual(['c.yaml: subscriptions[1].key: must be unique (got "prod")']);
  });

  it("requires the partner app's consent before applications and one principal per role assignment", () => {
    const text = `${CONTOSO.replace("principal: { user: alice }", "principal: { user: alice, objectId: 6f0c5fd1-6c8e-4c0f-8b0e-1f5c0e2f7d11 }")}applications:\n  - key: portal\n    displayName: Portal\n`;
    const e = errorOf(() => parseCustomerSpec(text, "c.yaml"));
    expect(e.issues).toEqual([
      "c.yaml: applications: needs partnerAppConsent: the partner app creates applications in the customer tenant through its consent (partnerAppConsent: {} consents the default Graph permissions)",
      'c.yaml: subscriptions[1].roleAssignments[0].principal: must name exactly one of user, application or objectId (got {"user":"alice","objectId":"6f0c5fd1-6c8e-4c0f-8b0e-1f5c0e2f7d11"})',
    ]);
  });

  it("reports YAML syntax errors with their line", () => {
    const e = errorOf(() => parseCustomerSpec("key: contoso\ncustomer: [\n  domainPrefix: x\n", "c.yaml"));
    expect(e.issues[0]).toMatch(/^c\.yaml: line \d+: is not valid YAML \(/);
  });

  it("reads JSON files as JSON", () => {
    const e = errorOf(() => parseCustomerSpec('{"key": "Contoso"}', "customers/contoso.json"));
    expect(e.issues).toContain(
      'customers/contoso.json: key: must be 1-40 lower-case letters, digits or hyphens, starting with a letter (got "Contoso")',
    );
    expect(e.issues).toContain("customers/contoso.json: customer: is required");
  });
});

describe("validateCustomerSpec", () => {
  it("names the component when a program passes a bad spec", () => {
    const e = errorOf(() =>
      validateCustomerSpec({ key: "x", customer: {}, agreement: {} }, "CustomerTenant x"),
    );
    expect(e.issues).toContain("CustomerTenant x: customer.domainPrefix: is required");
    expect(e.issues).toContain("CustomerTenant x: agreement.primaryContact: is required");
  });
});

describe("loadCustomerSpecs", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  function folder(files: Record<string, string>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "csp-specs-"));
    dirs.push(root);
    const dir = path.join(root, "customers");
    fs.mkdirSync(dir);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
  }

  it("loads one customer per file in file-name order and skips templates and other files", () => {
    const fabrikam = CONTOSO.replaceAll("contoso", "fabrikam").replace("Contoso Ltd", "Fabrikam Inc");
    const dir = folder({
      "fabrikam.yml": fabrikam,
      "contoso.yaml": CONTOSO,
      "_template.yaml": "key: [not valid",
      "README.md": "# customers",
    });
    expect(loadCustomerSpecs(dir).map((s) => s.key)).toEqual(["contoso", "fabrikam"]);
  });

  it("collects the problems of all files and refuses a key or domain declared twice", () => {
    const dir = folder({
      "a.yaml": CONTOSO,
      "b.yaml": CONTOSO.replace("companyName: Contoso Ltd", "companyName: Contoso Two"),
      "c.yaml": CONTOSO.replace("key: contoso", "key: contoso3").replace(
        "usageLocation: US",
        "usageLocation: 1",
      ),
    });
    const e = errorOf(() => loadCustomerSpecs(dir));
    expect(e.issues).toEqual([
      "customers/c.yaml: users[0].usageLocation: must be a two-letter ISO 3166-1 country code such as US (got 1); write the value in quotes: YAML reads unquoted digits as a number and drops leading zeros",
      'customers/b.yaml: key: must be unique across files: customers/a.yaml declares "contoso" too',
      'customers/b.yaml: customer.domainPrefix: must be unique across files: customers/a.yaml declares "contoso" too',
    ]);
  });

  it("allows the same domain prefix in two partner accounts", () => {
    const dir = folder({
      "a.yaml": CONTOSO,
      "b.yaml": CONTOSO.replace("key: contoso", "key: contoso-eu\naccount: eu"),
    });
    expect(loadCustomerSpecs(dir).map((s) => [s.key, s.account])).toEqual([
      ["contoso", undefined],
      ["contoso-eu", "eu"],
    ]);
  });

  it("says which folder it could not read", () => {
    const e = errorOf(() => loadCustomerSpecs("/nonexistent/customers"));
    expect(e.issues).toEqual(["/nonexistent/customers: cannot read the customer spec folder (ENOENT)"]);
  });
});

describe("the committed JSON Schema", () => {
  const file = path.join(__dirname, "..", "..", "components", "customerSpec.schema.json");

  it("is the one generated from the zod schema (regenerate: UPDATE_SPEC_SCHEMA=1 npx vitest run test/components/customerSpec.test.ts)", () => {
    const generated = customerSpecJsonSchema();
    if (process.env.UPDATE_SPEC_SCHEMA === "1")
      fs.writeFileSync(file, `${JSON.stringify(generated, null, 2)}\n`);
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual(generated);
  });

  it("describes the fields a YAML editor completes, and refuses unknown ones", () => {
    const schema = JSON.parse(fs.readFileSync(file, "utf8")) as {
      $schema: string;
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { description?: string; items?: { properties: Record<string, unknown> } }>;
    };
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.required).toEqual(["key", "customer", "agreement"]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.key?.description).toMatch(/resource name derives from it/);
    expect(schema.properties.subscriptions?.items?.properties.workload).toEqual({
      type: "string",
      enum: ["Production", "DevTest"],
      description: "Workload: Production (default) or DevTest; cannot change later.",
    });
  });
});
