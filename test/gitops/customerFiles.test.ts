import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { fleetEnv } from "../../cli/fleetCommand";
import { allCustomers, changedCustomers, shardOf } from "../../gitops/customerFiles";
import { tempDir } from "../cli/cliTestKit";

/** Which customers `pulumi-csp fleet` runs: every file, the changed ones, a shard; and its state backend. */

function repo(files: Record<string, string>): string {
  const dir = tempDir("fleet-files");
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: csp-customers\nruntime: nodejs\n");
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
    cwd: dir,
    encoding: "utf8",
  });
}

const stacks = (entries: { stack: string; removed: boolean }[]) =>
  entries.map((e) => `${e.stack}${e.removed ? " (removed)" : ""}`);

describe("the customers of a fleet command", () => {
  it("every customer file is one stack named after it; _ and . files and other extensions are not customers", () => {
    const dir = repo({
      "customers/contoso.yaml": "",
      "customers/fabrikam.yml": "",
      "customers/northwind.json": "",
      "customers/_example.yaml": "",
      "customers/.draft.yaml": "",
      "customers/notes.txt": "",
    });
    expect(allCustomers(dir)).toEqual([
      { stack: "contoso", file: "customers/contoso.yaml", removed: false },
      { stack: "fabrikam", file: "customers/fabrikam.yml", removed: false },
      { stack: "northwind", file: "customers/northwind.json", removed: false },
    ]);
  });

  it("refuses two files of one customer and a file name that cannot name a stack", () => {
    expect(() => allCustomers(repo({ "customers/a.yaml": "", "customers/a.json": "" }))).toThrow(
      'customers/a.json and customers/a.yaml are both the customer "a": keep one',
    );
    expect(() => allCustomers(repo({ "customers/a b.yaml": "" }))).toThrow(
      "customers/a b.yaml: a customer file",
    );
    expect(() => allCustomers(tempDir("no-customers"))).toThrow("customers does not exist");
  });

  it("--changed-only with a git range: the changed customer files, removed ones included; docs and CI do not count", () => {
    const dir = repo({
      "customers/contoso.yaml": "1",
      "customers/fabrikam.yaml": "1",
      "customers/tailspin.yaml": "1",
      "index.js": "",
    });
    git(dir, "init", "-q", "-b", "main");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "base");
    fs.writeFileSync(path.join(dir, "customers", "contoso.yaml"), "2");
    fs.rmSync(path.join(dir, "customers", "tailspin.yaml"));
    fs.writeFileSync(path.join(dir, "customers", "wingtip.yaml"), "1");
    fs.writeFileSync(path.join(dir, "customers", "_example.yaml"), "1");
    fs.writeFileSync(path.join(dir, "README.md"), "docs");
    fs.mkdirSync(path.join(dir, ".github"));
    fs.writeFileSync(path.join(dir, ".github", "ci.yml"), "on: push");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "change");

    const selection = changedCustomers(dir, ["main~1..main"]);
    expect(stacks(selection.customers)).toEqual(["contoso", "tailspin (removed)", "wingtip"]);
    expect(selection.reason).toBe("the customers of the files changed in main~1..main");
    expect(changedCustomers(dir, ["main...main"]).customers).toEqual([]);

    // A change to the program changes every stack.
    fs.writeFileSync(path.join(dir, "index.js"), "// changed");
    git(dir, "commit", "-qam", "program");
    const all = changedCustomers(dir, ["main~2..main"]);
    expect(stacks(all.customers)).toEqual(["contoso", "fabrikam", "tailspin (removed)", "wingtip"]);
    expect(all.reason).toBe(
      "every customer: the files changed in main~2..main include index.js, outside customers/",
    );
    expect(() => changedCustomers(dir, ["nosuch..main"])).toThrow("git diff nosuch..main failed");
  });

  it("--changed-only with file names: those customers, a missing file being a removed customer", () => {
    const dir = repo({ "customers/contoso.yaml": "", "customers/fabrikam.yaml": "" });
    expect(stacks(changedCustomers(dir, ["customers/contoso.yaml,customers/gone.yaml"]).customers)).toEqual([
      "contoso",
      "gone (removed)",
    ]);
    expect(
      stacks(changedCustomers(dir, [path.join(dir, "customers", "fabrikam.yaml"), "docs/x.md"]).customers),
    ).toEqual(["fabrikam"]);
    expect(stacks(changedCustomers(dir, ["package.json"]).customers)).toEqual(["contoso", "fabrikam"]);
  });

  it("--shard K/N: every customer in exactly one shard, which does not move when others are added", () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      stack: `c${i}`,
      file: `customers/c${i}.yaml`,
      removed: false,
    }));
    const shards = [1, 2, 3].map((k) => shardOf(many, k, 3).map((c) => c.stack));
    expect(shards.flat().sort()).toEqual(many.map((c) => c.stack).sort());
    for (const s of shards) expect(s.length).toBeGreaterThan(5);
    const more = [...many, { stack: "new", file: "customers/new.yaml", removed: false }];
    expect(
      shardOf(more, 2, 3)
        .filter((c) => c.stack !== "new")
        .map((c) => c.stack),
    ).toEqual(shards[1]);
  });
});

describe("the state of a fleet's stacks", () => {
  const dir = repo({});

  it("uses PULUMI_BACKEND_URL, else Pulumi Cloud with an access token, else a file backend in .pulumi-csp/backend", () => {
    expect(
      fleetEnv({ PULUMI_BACKEND_URL: "azblob://state", PULUMI_CONFIG_PASSPHRASE: "p" }, dir)
        .PULUMI_BACKEND_URL,
    ).toBe("azblob://state");
    expect(fleetEnv({ PULUMI_ACCESS_TOKEN: "pul-x" }, dir).PULUMI_BACKEND_URL).toBe("https://api.pulumi.com");
    const local = fleetEnv({ PULUMI_CONFIG_PASSPHRASE: "p", PATH: "/bin" }, dir);
    expect(local.PULUMI_BACKEND_URL).toBe(`file://${path.join(dir, ".pulumi-csp", "backend")}`);
    expect(fs.existsSync(path.join(dir, ".pulumi-csp", "backend"))).toBe(true);
    // PATH stays the one the Pulumi CLI was found on.
    expect(local.PATH).toBeUndefined();
  });

  it("refuses a self-managed backend without a passphrase, rather than encrypting with a known one", () => {
    expect(() => fleetEnv({ PULUMI_BACKEND_URL: "azblob://state" }, dir)).toThrow(
      "the state backend azblob://state encrypts the stacks' secrets with a passphrase: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE)",
    );
    expect(() => fleetEnv({}, dir)).toThrow("set PULUMI_CONFIG_PASSPHRASE");
    expect(
      fleetEnv({ PULUMI_CONFIG_PASSPHRASE_FILE: "/run/secret" }, dir).PULUMI_CONFIG_PASSPHRASE,
    ).toBeUndefined();
  });
});
