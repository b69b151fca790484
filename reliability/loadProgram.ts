import * as fs from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../automation/toolchain";
import type { CustomerSpec } from "../components/customerSpec";
import type { RequestLogEntry } from "../emulator/index";
import { sampleBillingProfile } from "../testing/index";

/**
 * A light customer tenant for load runs: customer, Microsoft Customer Agreement, Azure plan (with
 * its first Azure subscription), one extra Azure subscription, a GDAP relationship with the
 * roles Partner Center needs for the user and the consent (the gitops program's policy assigns
 * them to the admin agent's security group, {@link loadStackConfig}; the emulator must approve
 * relationships at once), one user with a directory role and the partner app's consent. Eight
 * resources per customer.
 */
export function loadTenantSpec(index: number): CustomerSpec {
  const key = `load${String(index).padStart(3, "0")}`;
  return {
    key,
    customer: {
      domainPrefix: `${key}tenant`,
      companyName: `Load Customer ${index}`,
      billingProfile: sampleBillingProfile(`it@${key}.example`),
    },
    agreement: { primaryContact: { firstName: "Ada", lastName: "Lovelace", email: `ada@${key}.example` } },
    azurePlan: { acknowledgePurchase: true, friendlyName: `Load ${index} Azure plan` },
    subscriptions: [
      {
        key: "dev",
        displayName: `Load ${index} Development`,
        workload: "DevTest",
        acknowledgePurchase: true,
      },
    ],
    users: [
      {
        key: "alice",
        userName: "alice",
        displayName: "Alice Wilber",
        usageLocation: "US",
        roles: ["User Administrator"],
      },
    ],
    partnerAppConsent: {},
    gdap: { duration: "P730D", roles: ["User Administrator", "Privileged Role Administrator"] },
  };
}

/** Dynamic resources per {@link loadTenantSpec} tenant. */
export const LOAD_RESOURCES_PER_TENANT = 8;

/**
 * A copy of the gitops example project in `dir` (its Pulumi.yaml and stack file, `main` pointing
 * at the compiled program, node_modules linked as a user's project has it) with `customers`
 * generated customer files. Returns the program folder. Run it with {@link loadStackConfig}.
 */
export function writeLoadProject(dir: string, customers: number): string {
  const repo = packageRoot();
  const example = path.join(repo, "examples", "gitops");
  const project = path.join(dir, "gitops");
  fs.mkdirSync(path.join(project, "customers"), { recursive: true });
  const pulumiYaml = fs
    .readFileSync(path.join(example, "Pulumi.yaml"), "utf8")
    .replace(/^main: .*$/m, `main: ${path.join(repo, "dist", "examples", "gitops", "index.js")}`);
  fs.writeFileSync(path.join(project, "Pulumi.yaml"), pulumiYaml);
  fs.copyFileSync(path.join(example, "Pulumi.dev.yaml"), path.join(project, "Pulumi.dev.yaml"));
  const modules = path.join(dir, "node_modules");
  if (!fs.existsSync(modules)) fs.symlinkSync(path.join(repo, "node_modules"), modules, "dir");
  for (let i = 1; i <= customers; i++) {
    const spec = loadTenantSpec(i);
    fs.writeFileSync(path.join(project, "customers", `${spec.key}.json`), JSON.stringify(spec, null, 2));
  }
  return project;
}

/**
 * Stack config for a {@link writeLoadProject} program: its customer files, and the security group
 * of the admin agent that gets the tenants' GDAP roles. The gitops program reads `customers/` from
 * the project directory the language host reports, which is not the program's folder when the
 * Pulumi CLI runs it from a stack workspace (automation/); the program's `customersDir` setting
 * names the folder instead.
 */
export function loadStackConfig(programDir: string, gdapSecurityGroupId: string): Record<string, string> {
  return { customersDir: path.join(programDir, "customers"), gdapSecurityGroupId };
}

/**
 * Partner Center rate-limit family of a logged request, as the emulator counts it ("API throttling
 * guidance", https://learn.microsoft.com/partner-center/developer/api-throttling-guidance).
 */
export function pcFamily(e: RequestLogEntry): string | undefined {
  if (e.service !== "partnerCenter") return undefined;
  const p = e.path.toLowerCase();
  if (p.includes("/applicationconsents")) return "consent";
  if (/^\/v1\/customers\/[^/]+\/(orders|carts)(\/|$)/.test(p)) return "order";
  if (/^\/v1\/customers\/[^/]+\/subscriptions(\/|$)/.test(p)) return "subscription";
  if (/^\/v1\/customers(\/|$)/.test(p)) return "customer";
  return undefined;
}

/** Partner Center load figures from a request log. */
export interface LoadFigures {
  requests: number;
  partnerCenterRequests: number;
  throttled: number;
  /** Requests per family. */
  byFamily: Record<string, number>;
  /**
   * Most requests of a family in any window of the family's length (60 s; consents 1 s) for one
   * tenant identifier, as the documented limits count: customer-scoped calls per customer tenant,
   * partner-level calls per partner, consents per application.
   */
  peakPerWindow: Record<string, number>;
  /** The same across all customers of the partner (what one bucket per partner would see). */
  peakPerWindowAllCustomers: Record<string, number>;
}

const WINDOW_MS: Record<string, number> = {
  customer: 60_000,
  subscription: 60_000,
  order: 60_000,
  consent: 1_000,
};

function busiest(list: number[], windowMs: number): number {
  list.sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < list.length; end++) {
    while (list[end] - list[start] >= windowMs) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

/** Counts requests, 429 answers and the busiest sliding window per Partner Center family. */
export function loadFigures(log: RequestLogEntry[]): LoadFigures {
  const byFamily: Record<string, number> = {};
  const perKey = new Map<string, number[]>();
  const perFamily = new Map<string, number[]>();
  for (const e of log) {
    const f = pcFamily(e);
    if (!f) continue;
    byFamily[f] = (byFamily[f] ?? 0) + 1;
    const customer = /^\/v1\/customers\/([^/]+)/i.exec(e.path)?.[1]?.toLowerCase() ?? "-";
    const key = f === "consent" ? f : `${f}|${customer}`;
    const t = Date.parse(e.time);
    for (const [map, k] of [
      [perKey, key],
      [perFamily, f],
    ] as const) {
      const list = map.get(k) ?? [];
      list.push(t);
      map.set(k, list);
    }
  }
  const peakPerWindow: Record<string, number> = {};
  for (const [key, list] of perKey) {
    const f = key.split("|")[0];
    peakPerWindow[f] = Math.max(peakPerWindow[f] ?? 0, busiest(list, WINDOW_MS[f]));
  }
  const peakPerWindowAllCustomers: Record<string, number> = {};
  for (const [f, list] of perFamily) peakPerWindowAllCustomers[f] = busiest(list, WINDOW_MS[f]);
  return {
    requests: log.length,
    partnerCenterRequests: log.filter((e) => e.service === "partnerCenter").length,
    throttled: log.filter((e) => e.status === 429).length,
    byFamily,
    peakPerWindow,
    peakPerWindowAllCustomers,
  };
}
